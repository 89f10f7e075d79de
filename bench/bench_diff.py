"""Time `wcokg diff` on two synthetic releases of about 10^5 quads that differ by 1% (0.5% removed, 0.5% added):
end to end as a new process, and in-process phase by phase.

Usage: cd bench && python bench_diff.py [--size 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

import pyoxigraph
from synthetic import scaled
from timing import median_seconds

from wcokg import layout
from wcokg.publish.diff import diff_datasets, labels, rdf_patch, read_quads, summary
from wcokg.sparql.query import default_files, load_dataset


def releases(size: int, folder: Path) -> tuple[Path, Path, int]:
    """OLD: renamed copies of the published graphs; NEW: OLD without a random 0.5% of its quads and with
    0.5% new ones (copies of other quads whose subject is renamed). Both with the published void.ttl."""
    data = scaled(load_dataset(default_files()), size)
    old = sorted({q for q in data.quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)}, key=lambda q: str(q))
    rng = random.Random(0)
    share = len(old) // 200
    removed = set(rng.sample(old, share))
    added = [
        pyoxigraph.Quad(pyoxigraph.NamedNode(q.subject.value + "-v2"), q.predicate, q.object, q.graph_name)
        for q in rng.sample(old, share)
    ]
    new = [q for q in old if q not in removed] + added
    for name, quads in (("old", old), ("new", new)):
        (folder / name).mkdir()
        pyoxigraph.serialize(quads, folder / name / "wcokg.nq", format=pyoxigraph.RdfFormat.N_QUADS)
        shutil.copy(layout.OUTPUT / "void.ttl", folder / name / "void.ttl")
    return folder / "old", folder / "new", len(old)


def diff_process(command: list[str]) -> None:
    """Run `wcokg diff` in a new process; it must find the differences (exit code 1)."""
    if subprocess.run(command, check=False).returncode != 1:
        raise SystemExit(f"unexpected exit code from {' '.join(command)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wcokg-diff-bench-"))
    try:
        old, new, quads = releases(args.size, folder)
        print(f"releases    {quads} quads in OLD, 1% changed")
        for fmt in ("text", "patch"):
            command = [sys.executable, "-m", "wcokg", "diff", str(old), str(new), "--format", fmt]
            command += ["--out", str(folder / f"diff.{fmt}")]
            seconds = median_seconds(partial(diff_process, command), args.runs)
            print(f"process     wcokg diff --format {fmt:<5}  {seconds:6.2f} s (median of {args.runs})")
        before, after = read_quads(old), read_quads(new)
        diff = diff_datasets(before, after)
        phases = {
            "read OLD and NEW": lambda: (read_quads(old), read_quads(new)),
            "diff_datasets": lambda: diff_datasets(before, after),
            "labels + summary": lambda: summary(diff, labels(after, before)),
            "rdf_patch": lambda: rdf_patch(diff),
        }
        for name, action in phases.items():
            print(f"in-process  {name:<24}  {median_seconds(action, args.runs):6.3f} s")
        print(f"changes     {sum(len(g.added) + len(g.removed) for g in diff.graphs)} quads")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
