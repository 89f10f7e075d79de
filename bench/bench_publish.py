"""Measure the edit log and the publishing transaction: rebuild time with 0, 10 and 100 edits in the log,
one `wcokg update --apply`, edits lost by concurrent writers, and mixed generations after killed writers.

Usage: python bench/bench_publish.py [--runs N] [--rounds N] [--kills N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_seconds

from wcokg import layout
from wcokg.edit.apply import load_published
from wcokg.extraction.graph import annotation_iris
from wcokg.namespaces import OA, WCOKG, Iris
from wcokg.publish.transaction import MANIFEST, read_generation

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured

WCO = Iris()
FACTS = [
    (WCO.id("goal-4"), WCOKG.involvesStakeholder, WCO.id("international-organizations")),
    (WCO.id("goal-5"), WCOKG.involvesStakeholder, WCO.id("business-partners")),
]
ENV_NO_PYC = {"PYTHONDONTWRITEBYTECODE": "1"}


def quote(fact) -> tuple[str, int]:
    """The words and offset of the source that state ``fact``, from the published evidence."""
    evidence = load_published(layout.OUTPUT).evidence
    target = evidence.value(annotation_iris(WCO, fact, WCO.source(OVERVIEW.stem))[0], OA.hasTarget)
    selectors = list(evidence.objects(target, OA.hasSelector))
    exact = next(str(evidence.value(s, OA.exact)) for s in selectors if evidence.value(s, OA.exact) is not None)
    start = next(int(evidence.value(s, OA.start)) for s in selectors if evidence.value(s, OA.start) is not None)
    return exact, start


def toggle(fact, present: bool, quotes: dict) -> str:
    """A patch that removes ``fact`` if it is present, else puts it back with its quote."""
    s, p, o = (term.n3() for term in fact)
    header = "# author: Bench\n# date: 2026-11-30\n# reason: toggles a fact\n"
    if present:
        return f"{header}DELETE DATA {{ {s} {p} {o} }}\n"
    exact, start = quotes[fact]
    return f"{header}# quote: {exact}\n# quote-start: {start}\nINSERT DATA {{ {s} {p} {o} }}\n"


def project(root: Path, edits: int, quotes: dict) -> Path:
    """A project with the real inputs and ``edits`` edits in its log (each toggling one fact)."""
    shutil.copytree(layout.ROOT / "sources", root / "sources")
    for shipped in (layout.ONTOLOGY, layout.SHAPES):
        shutil.copytree(shipped.parent, root / shipped.parent.name)
    (root / "edits").mkdir()
    for number in range(edits):
        fact = FACTS[number % 2]
        present = (number // 2) % 2 == 0
        (root / "edits" / f"{number + 1:04d}-toggle.ru").write_text(toggle(fact, present, quotes), encoding="utf-8")
    return root


def command(root: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "wcokg",
        *args,
        *("--out", str(root / "output"), "--edits", str(root / "edits"), "--releases", str(root / "releases")),
        *("--source", str(root / "sources" / OVERVIEW.name)),
        *("--shapes", str(root / "shapes" / layout.SHAPES.name)),
        *("--ontology", str(root / "ontology" / layout.ONTOLOGY.name)),
    ]


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env={**os.environ, **ENV_NO_PYC}, capture_output=True, text=True, **kwargs)


def start(args: list[str]) -> subprocess.Popen:
    quiet = subprocess.DEVNULL
    return subprocess.Popen(args, env={**os.environ, **ENV_NO_PYC}, stdout=quiet, stderr=quiet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--kills", type=int, default=100)
    args = parser.parse_args()
    quotes = {fact: quote(fact) for fact in FACTS}
    work = Path(tempfile.mkdtemp(prefix="wcokg-bench-publish-"))
    print(f"wcokg build with N edits in the log (new process, median of {args.runs})")
    for edits in (0, 10, 100):
        root = project(work / f"log-{edits}", edits, quotes)
        seconds = median_seconds(lambda root=root: run(command(root, "build"), check=True), args.runs)
        print(f"  {edits:>3} edits  {seconds:6.2f} s")
    root = project(work / "apply", 0, quotes)
    run(command(root, "build"), check=True)
    patches = [work / f"apply-{n}.ru" for n in range(args.runs)]
    for number, path in enumerate(patches):
        path.write_text(toggle(FACTS[0], number % 2 == 0, quotes), encoding="utf-8")
    times = []
    for path in patches:
        began = time.perf_counter()
        run(command(root, "update", str(path), "--apply"), check=True)
        times.append(time.perf_counter() - began)
    print(f"wcokg update --apply, one edit (new process): median {sorted(times)[len(times) // 2]:.2f} s")
    print(f"concurrent writers: {args.rounds} rounds of two `update --apply --wait 30` at once")
    root = project(work / "concurrent", 0, quotes)
    run(command(root, "build"), check=True)
    present, lost = [True, True], 0
    for round_ in range(args.rounds):
        runs = []
        for index, fact in enumerate(FACTS):
            path = work / f"round-{round_}-{index}.ru"
            path.write_text(toggle(fact, present[index], quotes), encoding="utf-8")
            runs.append(start(command(root, "update", str(path), "--apply", "--wait", "30")))
        applied = [r.wait() == 0 for r in runs]
        present = [p != a for p, a in zip(present, applied, strict=True)]
        data = load_published(root / "output").data
        logged = len(json.loads(read_generation(root / "output", [MANIFEST])[MANIFEST])["edits"])
        if [fact in data for fact in FACTS] != present or logged != len(list((root / "edits").glob("*.ru"))):
            lost += 1
    print(f"  rounds that lost an edit or disagreed with the log: {lost} of {args.rounds}")
    print(f"killed writers: {args.kills} `update --apply` killed at random points")
    pristine = project(work / "pristine", 0, quotes)
    run(command(pristine, "build"), check=True)
    patch = work / "kill.ru"
    patch.write_text(toggle(FACTS[0], True, quotes), encoding="utf-8")
    old = read_generation(pristine / "output")[MANIFEST]
    began = time.perf_counter()
    run(command(pristine, "update", str(patch), "--apply"), check=True)
    duration = time.perf_counter() - began
    new = read_generation(pristine / "output")[MANIFEST]
    shutil.rmtree(pristine / "output")
    shutil.rmtree(pristine / "edits")
    (pristine / "edits").mkdir()
    run(command(pristine, "build"), check=True)
    rng, mixed, recovered = random.Random(1), 0, 0
    for _ in range(args.kills):
        root = work / "killed"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(pristine, root)
        writer = start(command(root, "update", str(patch), "--apply"))
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        try:
            seen = read_generation(root / "output")[MANIFEST]
        except Exception:  # counted as mixed
            seen = None
        mixed += seen not in (old, new)
        recovered += run(command(root, "build")).returncode == 0
    print(f"  mixed generations seen: {mixed} of {args.kills}; next run recovered: {recovered} of {args.kills}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
