"""Time a build of N documents of the overview's size (a generated set), to show the time grows linearly with N.

Each generated document is the 2013 overview under another name with its claims file, its figures and goals
renamed apart (``wco:goal-4`` → ``wco:goal-4-copy7``), so that N documents make N times the data and evidence.
The build reads, resolves every claim, replays nothing, validates and serializes; nothing is written.

Usage: python bench/bench_documents.py [--sizes 1 10 25 50 100] [--runs 1]
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from pathlib import Path

from wcokg import layout
from wcokg.pipeline import build

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document copied
RENAMED = re.compile(
    r"\bwco:(goal-\d+|wco-goals|represented-administrations-[\d-]+|share-of-world-trade-[\d-]+|secretariat-staff-[\d-]+)\b"
)


def generate(folder: Path, count: int) -> None:
    """``count`` copies of the overview and its claims file in ``folder``, their dated resources renamed apart."""
    text = OVERVIEW.read_bytes()
    claims = OVERVIEW.with_name(OVERVIEW.stem + ".claims.toml").read_text(encoding="utf-8")
    for n in range(count):
        name = f"overview-copy-{n:03d}"
        (folder / f"{name}.txt").write_bytes(text)
        (folder / f"{name}.claims.toml").write_text(RENAMED.sub(rf"wco:\1-copy{n}", claims), encoding="utf-8")


def measure(count: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and data triples of a build of ``count`` documents (nothing written)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, count)
        cpu, wall = time.process_time(), time.perf_counter()
        result = build(source=folder, out_dir=None, edits=None, releases=None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert result.report.conforms, result.report.results[:3]
        return wall, cpu, len(result.graph.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 25, 50, 100])
    args = parser.parse_args()
    print("documents  data triples  wall s  cpu s  cpu s per document")
    for count in args.sizes:
        wall, cpu, triples = measure(count)
        print(f"{count:>9}  {triples:>12}  {wall:>6.1f}  {cpu:>5.1f}  {cpu / count:>18.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
