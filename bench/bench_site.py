"""Measure `wcokg site` against the code of an earlier commit: wall and CPU seconds (user + system, of the
command and every process it waited for), over alternating runs, and check that both write the same files.

Each version replaces its own site (as a user re-running the command does), after one untimed run that makes
it; ``--fresh`` removes the site before each run instead. The earlier code is taken with ``git archive`` into a
temporary folder and run from there (PYTHONPATH), with this tree's bundled scripts (``static/vendor``, which
``.ci/run`` fetches and git does not hold); the same virtualenv runs both.

Usage: python bench/bench_site.py [--runs N] [--base REV] [--fresh]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code: Path, site: Path) -> tuple[float, float, float, float]:
    """One `wcokg site` of ``code``: (wall seconds, CPU seconds, of which system, the 1-minute load average as it
    started)."""
    command = [sys.executable, "-m", "wcokg", "site", str(site), "--out", "output", "--source", "sources"]
    environment = {**os.environ, "PYTHONPATH": str(code / "src")}
    load = os.getloadavg()[0]
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = os.times()
    system = after.children_system - before.children_system
    return wall, after.children_user - before.children_user + system, system, load


def files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def same_sites(one: Path, other: Path) -> bool:
    """Whether two sites hold the same files with the same bytes."""
    names = files(one)
    return names == files(other) and all(filecmp.cmp(one / n, other / n, shallow=False) for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=6, help="timed runs of each version")
    parser.add_argument("--base", default="9309713", help="the earlier commit (default: before the site was sped up)")
    parser.add_argument("--fresh", action="store_true", help="remove each site before each run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as scratch:
        base = Path(scratch) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        vendor = Path("src/wcokg/web/static/vendor")  # bundled by .ci/run, not in git: both sites get the same copy
        if (ROOT / vendor).is_dir():
            shutil.copytree(ROOT / vendor, base / vendor)
        versions = {f"base {args.base}": base, "this tree": ROOT}
        sites = {name: Path(scratch) / f"site-{index}" for index, name in enumerate(versions)}
        for name, code in versions.items():
            run(code, sites[name])  # untimed: the site each timed run replaces
        measured: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in versions}
        for round_ in range(args.runs):
            order = list(versions) if round_ % 2 == 0 else list(reversed(versions))
            for name in order:
                if args.fresh:
                    shutil.rmtree(sites[name])
                measured[name].append(run(versions[name], sites[name]))
        same = same_sites(*sites.values())
    print(f"wcokg site, {args.runs} alternating runs each{' (site removed before each)' if args.fresh else ''}")
    print(f"{'version':<18} {'wall median (min-max) s':<26} {'CPU median (min-max) s':<26} {'system':<8} load average")
    medians = {}
    for name, rows in measured.items():
        walls, cpus, systems, loads = zip(*rows, strict=True)
        medians[name] = statistics.median(walls), statistics.median(cpus)
        wall = f"{medians[name][0]:.2f} ({min(walls):.2f}-{max(walls):.2f})"
        cpu = f"{medians[name][1]:.2f} ({min(cpus):.2f}-{max(cpus):.2f})"
        system = f"{statistics.median(systems):.2f}"
        print(f"{name:<18} {wall:<26} {cpu:<26} {system:<8} {min(loads):.1f}-{max(loads):.1f}")
    (old_wall, old_cpu), (new_wall, new_cpu) = medians.values()
    print(f"before/after: wall {old_wall / new_wall:.2f}x, CPU {old_cpu / new_cpu:.2f}x")
    print("files identical" if same else "FILES DIFFER")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
