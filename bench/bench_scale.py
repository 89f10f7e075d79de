"""Validation and edits at scale, side by side with their peers (whole processes, cold), at 10^4, 10^5, 10^6
triples of synthetic data (renamed copies of the published graphs):

- `wcokg validate FILE` against the pyshacl command line with the same shapes minus SHACL-SPARQL and the
  ontology (peak memory too);
- `wcokg update PATCH` (a one-triple edit, dry run) against the full validation path (the same edit applied
  and the whole edited graph validated: shapes, evidence, quotes);
- the growth exponent b of each (time ~ n^b, least squares over the sizes) and a 20,000-triple INSERT DATA.

Wall time is shown with CPU time (user + system of the process): on a shared machine the CPU time is the
steadier figure. Usage: python bench/bench_scale.py [--sizes 10000 100000 1000000] [--insert 20000]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
from bench_validate import synthetic_output
from rdflib import Graph
from rdflib.namespace import SH

from wcokg import layout

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured
PATCH = """# author: Bench
# reason: one link retracted
DELETE DATA { wco:goal-4-copy0 wcokg:involvesStakeholder wco:international-organizations-copy0 }
"""
FULL_PATH = """
import sys
from wcokg import layout
from wcokg.extraction.document import read_documents
from wcokg.edit.apply import apply_patch, load_published
from wcokg.edit.log import parse_patch
from wcokg.check.incremental import validate_edit
from wcokg.rdfio import load_turtle

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured
patch = parse_patch(open(sys.argv[2], encoding="utf-8").read(), "0001-bench.ru", sys.argv[2], {"date": "2026-11-30"})
edit = apply_patch(load_published(sys.argv[1]), patch, read_documents(OVERVIEW))
report = validate_edit(edit, load_turtle(layout.SHAPES)[1], incremental_from=10**12)
sys.exit(0 if report.conforms else 1)
"""


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MiB) of one run of ``command``.

    GNU time runs it: a process forked from this one, which holds the synthetic graph, would report this
    one's memory as its own peak (Linux carries the resident high-water mark across fork and exec).
    """
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        timed = ["/usr/bin/time", "-f", "%U %S %M", "-o", report.name, *command]
        process = subprocess.run(timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
        if process.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command[:4])} … failed: {process.stderr.decode()[-500:]}")
        user, system, peak = report.read().split()[-3:]
    return wall, float(user) + float(system), int(peak) / 1024


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """b of seconds ~ a * size^b, least squares on the logarithms."""
    xs, ys = [math.log(n) for n in sizes], [math.log(s) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def core_shapes(folder: Path) -> Path:
    """The shapes without their SHACL-SPARQL constraints (the peer's shapes)."""
    shapes = Graph().parse(layout.SHAPES)
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    path = folder / "shapes-core.ttl"
    core.serialize(path, format="turtle")
    return path


def merged_file(output: Path) -> Path:
    """Data, evidence and links of a synthetic output as one N-Triples file (what wcokg.nt is)."""
    quads = pyoxigraph.parse(path=output / "wcokg.trig", format=pyoxigraph.RdfFormat.TRIG)
    triples = [
        pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads if "ontology" not in str(q.graph_name)
    ]
    path = output / "wcokg.nt"
    pyoxigraph.serialize(triples, path, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return path


def row(name: str, ours: tuple, peer: tuple, size: int) -> None:
    print(
        f"  {size:>9,}  {name:<9} wcokg {ours[0]:7.1f} s wall {ours[1]:7.1f} s cpu {ours[2]:6.0f} MiB | "
        f"peer {peer[0]:7.1f} s wall {peer[1]:7.1f} s cpu {peer[2]:6.0f} MiB | ratio (cpu) {ours[1] / peer[1]:5.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--insert", type=int, default=20_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wcokg-bench-scale-"))
    patch = work / "patch.ru"
    patch.write_text(PATCH, encoding="utf-8")
    shapes = core_shapes(work)
    wcokg = [sys.executable, "-m", "wcokg"]
    sources = str(OVERVIEW.parent)
    results: dict[str, list[tuple[tuple, tuple]]] = {"validate": [], "update": []}
    print("size (triples), command: wcokg against its peer (whole processes)")
    for size in args.sizes:
        output = synthetic_output(size)
        data = merged_file(output)
        ours = measure([*wcokg, "validate", str(data), "--sources", sources])
        peer = measure(
            [sys.executable, "-m", "pyshacl", "-s", str(shapes), "-e", str(layout.ONTOLOGY), "-i", "none"]
            + ["-a", "-w", str(data)]
        )
        results["validate"].append((ours, peer))
        row("validate", ours, peer, size)
        edit = ["--out", str(output), "--edits", str(work / "edits"), "--source", str(OVERVIEW)]
        ours = measure([*wcokg, "update", str(patch), *edit])
        peer = measure([sys.executable, "-c", FULL_PATH, str(output), str(patch)])
        results["update"].append((ours, peer))
        row("update", ours, peer, size)
    if len(args.sizes) > 1:
        for name, runs in results.items():
            ours_b = exponent(args.sizes, [ours[1] for ours, _ in runs])
            peer_b = exponent(args.sizes, [peer[1] for _, peer in runs])
            print(f"  growth exponent b (cpu) of {name}: wcokg {ours_b:.2f}, peer {peer_b:.2f}")
    lines = [f'  wco:term-{i} skos:altLabel "term {i}"@en .' for i in range(args.insert)]
    insert = work / "insert.ru"
    header = "# author: Bench\n# reason: bulk\n# quote: The WCO promotes the Revised Kyoto Convention\n"
    insert.write_text(header + "INSERT DATA {\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")
    wall, cpu, memory = measure([*wcokg, "update", str(insert), "--edits", str(work / "edits")])
    print(f"  INSERT DATA of {args.insert:,} triples (WCO graph): {wall:.1f} s wall, {cpu:.1f} s cpu, {memory:.0f} MiB")


if __name__ == "__main__":
    main()
