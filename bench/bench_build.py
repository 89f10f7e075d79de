"""Time `wcokg build` end to end (fresh processes, start-up included) and phase by phase (in-process).

Usage: python bench/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import median_seconds

from wcokg import layout
from wcokg.check.validate import validate_graph
from wcokg.extraction.document import read_document
from wcokg.extraction.extract import extract, vocabulary
from wcokg.extraction.graph import build_graph
from wcokg.namespaces import DEFAULT_BASE
from wcokg.publish.serialize import serialize
from wcokg.publish.transaction import MANIFEST, Publication, manifest_bytes
from wcokg.rdfio import load_turtle

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured


def subprocess_seconds(args: list[str], runs: int) -> float:
    return median_seconds(lambda: subprocess.run(args, check=True, capture_output=True), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement; the median is reported")
    runs = parser.parse_args().runs
    out = Path(tempfile.mkdtemp(prefix="wcokg-bench-"))
    rows = [
        (
            "end to end: wcokg build (new process)",
            subprocess_seconds([sys.executable, "-m", "wcokg", "build", "--out", str(out)], runs),
        ),
        (
            "start-up: python -c 'import wcokg.cli'",
            subprocess_seconds([sys.executable, "-c", "import wcokg.cli"], runs),
        ),
    ]
    state: dict = {}

    def phase(name, action):
        rows.append((f"phase: {name}", median_seconds(lambda: state.update({name: action()}), runs)))

    phase("read (text and claims file)", lambda: read_document(OVERVIEW))
    phase("load ontology + shapes", lambda: (load_turtle(layout.ONTOLOGY), load_turtle(layout.SHAPES)))
    ontology, shapes = state["load ontology + shapes"]
    known = vocabulary(ontology[1], shapes[1])
    phase("extract (the claims' Turtle)", lambda: extract(state["read (text and claims file)"], DEFAULT_BASE, known))
    state["read"], state["extract"] = state["read (text and claims file)"], state["extract (the claims' Turtle)"]
    phase("graph", lambda: build_graph((state["read"],), (state["extract"],), ontology[1], DEFAULT_BASE))
    kg = state["graph"]
    phase("validate (pyshacl)", lambda: validate_graph(kg.merged(), shapes[1], ontology[1]))
    phase("serialize (9 files, VoID included)", lambda: serialize(kg, ontology[0], shapes[0]))
    files = state["serialize (9 files, VoID included)"]
    doc = state["read"]
    sources = [{"name": doc.path.name, "sha256": doc.sha256, "claims": doc.claims.path.name}]
    files[MANIFEST] = manifest_bytes(files, sources, (), "bench")

    def publish():
        with Publication(out) as publication:
            return publication.commit(files)

    phase("publish (one transaction, fsynced)", publish)
    print(f"wcokg build, median of {runs} runs, {len(kg.merged())} triples published")
    for name, seconds in rows:
        print(f"  {name:<42} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
