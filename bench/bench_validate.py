"""Time validation for editors: `wcokg validate` end to end (start-up, parse, validation), and an incremental
validation after a one-triple edit of a synthetic graph of about 10^5 triples against a full one.

Usage: cd bench && python bench_validate.py [--runs 5] [--size 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
from synthetic import scaled
from timing import median_seconds

from wcokg import layout
from wcokg.check.incremental import validate_edit
from wcokg.check.quotes import check_quotes
from wcokg.check.validate import validate_graph
from wcokg.edit.apply import apply_update, load_published
from wcokg.rdfio import load_turtle, parse_file, to_graph
from wcokg.sparql.query import default_files, load_dataset

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured

EDITS = {
    "conforming (a link retracted with its evidence)": """
        PREFIX ev: <https://w3id.org/wcokg/graph/evidence>
        DELETE DATA { wco:goal-4-copy0 wcokg:involvesStakeholder wco:international-organizations-copy0 } ;
        DELETE { GRAPH ev: { ?a ?p ?o . ?s ?q ?r } } WHERE { GRAPH ev: {
            ?s rdf:subject wco:goal-4-copy0 ; rdf:predicate wcokg:involvesStakeholder ;
               rdf:object wco:international-organizations-copy0 .
            ?a oa:hasBody ?s ; ?p ?o . ?s ?q ?r } }""",
    "violating (Goal 9 renumbered 8)": 'DELETE DATA { wco:goal-9-copy0 wcokg:goalNumber "9"^^xsd:integer } ;'
    ' INSERT DATA { wco:goal-9-copy0 wcokg:goalNumber "8"^^xsd:integer }',
}


def synthetic_output(size: int) -> Path:
    """A directory holding wcokg.trig with about ``size`` triples in its data, evidence and links graphs:
    renamed copies of the published graphs."""
    wco = load_dataset(default_files())
    named = [q.graph_name.value for q in wco.quads if isinstance(q.graph_name, pyoxigraph.NamedNode)]
    in_graphs = sum(1 for name in named if name.rsplit("/", 1)[-1] in ("data", "evidence", "links"))
    in_default = len(wco.quads)
    data = scaled(wco, size * in_default // in_graphs)
    quads = [q for q in data.quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    folder = Path(tempfile.mkdtemp(prefix="wcokg-synthetic-"))
    pyoxigraph.serialize(quads, folder / "wcokg.trig", format=pyoxigraph.RdfFormat.TRIG)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    published = layout.OUTPUT / "wcokg.ttl"
    cli = [sys.executable, "-m", "wcokg", "validate", str(published)]
    rows = [
        (
            "wcokg validate output/wcokg.ttl (new process)",
            median_seconds(lambda: subprocess.run(cli, check=True, capture_output=True), args.runs),
        ),
        (
            "start-up: import wcokg.cli",
            median_seconds(lambda: subprocess.run([sys.executable, "-c", "import wcokg.cli"], check=True), args.runs),
        ),
        ("parse wcokg.ttl (strict) into rdflib", median_seconds(lambda: to_graph(parse_file(published)), args.runs)),
    ]
    graph = to_graph(parse_file(published))
    _, shapes = load_turtle(layout.SHAPES)
    _, ontology = load_turtle(layout.ONTOLOGY)
    rows.append(
        (
            "validate (pyshacl, 85 constraints)",
            median_seconds(lambda: validate_graph(graph, shapes, ontology), args.runs),
        )
    )
    rows.append(
        (
            "evidence check (quotes against sources/)",
            median_seconds(lambda: check_quotes(graph, OVERVIEW.parent), args.runs),
        )
    )
    print(f"WCO graph ({len(graph)} triples), median of {args.runs} runs")
    for name, value in rows:
        print(f"  {name:<48} {value * 1000:8.0f} ms")

    kg = load_published(synthetic_output(args.size))
    print(f"\nsynthetic graph: {len(kg.merged())} triples; one-triple edits, full against incremental validation")
    for name, text in EDITS.items():
        edit = apply_update(kg, text, name=name)
        start = time.perf_counter()
        full = validate_graph(edit.after.merged(), shapes, edit.after.ontology)
        full_s = time.perf_counter() - start
        start = time.perf_counter()
        incremental = validate_edit(edit, shapes, incremental_from=0)
        incremental_s = time.perf_counter() - start
        same = full.conforms == incremental.conforms
        print(
            f"  {name:<48} full {full_s:6.2f} s ({'conforms' if full.conforms else 'violations'}), "
            f"incremental {incremental_s:5.2f} s: {full_s / incremental_s:4.1f}x faster, same verdict: {same}"
        )


if __name__ == "__main__":
    main()
