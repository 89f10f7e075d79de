"""rudof's SHACL engine (pyrudof) against pyshacl: agreement rule by rule, then time and memory at scale.

pyrudof is not a dependency of wcokg (see bench/README.md, issue 20): `pip install pyrudof` first.

1. Every rule fixture of tests/data/violations.toml (an edit breaking exactly one rule of shapes/), validated by
   pyshacl alone and by rudof alone on the whole shapes: per constraint component, how many fixtures give the
   same verdict and the same results (focus node, path, value, source shape, severity; for SHACL-SPARQL the
   message too, which rudof fills in as pyshacl does).
2. Whole processes at 10^4, 10^5, 10^6 triples of synthetic data (bench_scale.py's): pyshacl's command line on
   the shapes minus SHACL-SPARQL (pyshacl-Core), rudof alone on all the shapes, and `wcokg validate` (pyshacl and
   the Python evidence and quote rules);
   wall and CPU seconds, peak memory, the growth exponent b of CPU time.

Usage: cd bench && python bench_rudof.py [--sizes 10000 100000 1000000] [--skip-fixtures] [--peer-limit 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pyrudof
from bench_scale import core_shapes, exponent, measure, merged_file
from bench_validate import synthetic_output
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from wcokg import layout
from wcokg.check.pyshacl_engine import _path
from wcokg.check.validate import short, validate_graph
from wcokg.edit.apply import apply_update, load_published
from wcokg.namespaces import DEFAULT_BASE, PREFIXES
from wcokg.rdfio import load_turtle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_shapes import EVIDENCE_GRAPH, FIXTURES, with_evidence  # noqa: E402 (the repository's tests)

RUDOF_ALONE = """
import sys, pyrudof
engine = pyrudof.Rudof(pyrudof.RudofConfig())
engine.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
engine.read_data(sys.argv[2], format=pyrudof.RDFFormat.Turtle, merge=True)
engine.read_shacl(sys.argv[3])
sys.exit(0 if engine.validate_shacl().conforms else 1)
"""


NOT_CONSTRAINTS = {SH[n] for n in "path message name description order severity property flags".split()}
NOT_CONSTRAINTS |= {SH[n] for n in "qualifiedMinCount qualifiedMaxCount ignoredProperties targetClass".split()}
NOT_CONSTRAINTS |= {SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}


def components(shapes: Graph, name: str) -> list[str]:
    """The constraint parameters of the rule ``name`` (a wcosh: shape or SPARQL constraint)."""
    shape = URIRef(PREFIXES["wcosh"] + name)
    found = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))} - NOT_CONSTRAINTS
    if (None, SH.sparql, shape) in shapes:
        found.add(SH.sparql)
    return sorted(str(p).removeprefix(str(SH)) for p in found)


def rudof_results(data: Path, ontology: Path, shapes: Graph) -> set[tuple]:
    """rudof's results on the N-Triples file ``data`` with the ontology: severity, focus node, path, value and
    source shape as wcokg writes them, and the message where a SHACL-SPARQL constraint wrote it (for a core
    constraint rudof writes words of its own, where pyshacl writes the shape's sh:message)."""
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    engine.read_data(str(data), format=pyrudof.RDFFormat.NTriples)
    engine.read_data(str(ontology), format=pyrudof.RDFFormat.Turtle, merge=True)
    engine.read_shacl(str(layout.SHAPES))
    engine.validate_shacl()
    text = engine.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples)
    report = Graph().parse(data=text, format="nt")
    details = set(report.objects(None, SH.detail))
    found = set()
    for node in set(report.subjects(SH.resultSeverity, None)) - details:
        shape = report.value(node, SH.sourceShape)
        sparql = report.value(node, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
        message = report.value(node, SH.resultMessage) if sparql else None
        found.add(
            (
                short(report.value(node, SH.resultSeverity)).removeprefix("sh:"),
                short(report.value(node, SH.focusNode), DEFAULT_BASE),
                _path(report, node, shapes, DEFAULT_BASE),
                short(report.value(node, SH.value), DEFAULT_BASE),
                short(shape, DEFAULT_BASE),
                str(message or ""),
            )
        )
    return found


def fixtures() -> None:
    published = load_published(layout.OUTPUT)
    _, shapes = load_turtle(layout.SHAPES)
    seen, same, differ = Counter(), Counter(), []
    with tempfile.TemporaryDirectory() as folder:
        for name, fixture in sorted(FIXTURES.items()):
            text = f"PREFIX ev: <{EVIDENCE_GRAPH}>\n" + fixture["update"]
            edit = apply_update(published, text, name=name, graphs=("evidence", "links"))
            if fixture.get("evidence", True):
                with_evidence(edit)
            data = Path(folder) / "data.nt"
            edit.after.merged().serialize(data, format="nt", encoding="utf-8")
            reference = validate_graph(edit.after.merged(), shapes, edit.after.ontology)
            pyshacl = {
                (r.severity, r.focus, r.path, r.value, r.shape, r.message if r.constraint != r.shape else "")
                for r in reference.results
            }
            ok = pyshacl == rudof_results(data, layout.ONTOLOGY, shapes)
            for component in components(shapes, name):
                seen[component] += 1
                same[component] += ok
            if not ok:
                differ.append(name)
    print(f"{len(FIXTURES) - len(differ)} of {len(FIXTURES)} fixtures: the same results; differ: {differ or 'none'}")
    print("| constraint component | fixtures | same results |\n|---|---:|---:|")
    for component in sorted(seen):
        print(f"| sh:{component} | {seen[component]} | {same[component]} |")


def scale(sizes: list[int], peer_limit: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="wcokg-bench-rudof-"))
    core = core_shapes(work)
    python = sys.executable
    runs: dict[str, list[tuple[int, tuple]]] = {"pyshacl-Core": [], "rudof alone": [], "wcokg validate": []}
    print("| triples | command | wall s | CPU s | peak MiB |\n|---:|---|---:|---:|---:|")
    for size in sizes:
        data = merged_file(synthetic_output(size))
        commands = {
            "rudof alone": [python, "-c", RUDOF_ALONE, str(data), str(layout.ONTOLOGY), str(layout.SHAPES)],
            "wcokg validate": [python, "-m", "wcokg", "validate", str(data), "--sources", str(layout.SOURCE)],
        }
        if size <= peer_limit:
            commands["pyshacl-Core"] = [python, "-m", "pyshacl", "-s", str(core), "-e", str(layout.ONTOLOGY)]
            commands["pyshacl-Core"] += ["-i", "none", "-a", "-w", str(data)]
        for name, command in commands.items():
            measured = measure(command)
            runs[name].append((size, measured))
            print(f"| {size:,} | {name} | {measured[0]:.1f} | {measured[1]:.1f} | {measured[2]:.0f} |", flush=True)
    for name, points in runs.items():
        if len(points) > 1:
            b = exponent([n for n, _ in points], [m[1] for _, m in points])
            print(f"growth exponent b (CPU) of {name}: {b:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-fixtures", action="store_true")
    parser.add_argument("--peer-limit", type=int, default=100_000, help="Largest size pyshacl-Core is run at.")
    args = parser.parse_args()
    if not args.skip_fixtures:
        fixtures()
    scale(args.sizes, args.peer_limit)


if __name__ == "__main__":
    main()
