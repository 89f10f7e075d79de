"""Measure how the shapes' text rules (blank, markup, contact details) grow with the length of a text: the CPU
seconds of validating a concept labelled with each hostile text at 1/8, 1/4, 1/2 and 1 MB, over those of a
ten-character label (the validation's fixed cost), and the growth exponent b of that extra time ~ size^b between
the smallest and the largest (1 is linear; the old contact-details pattern was quadratic: 12.7 s on 100 KB).
tests/test_validate.py checks the verdicts on the same texts.

Usage: cd bench && python bench_text_rules.py [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import time

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from wcokg import layout
from wcokg.check.validate import validate_graph
from wcokg.rdfio import load_turtle

TEXTS = {
    "letters": lambda n: "a" * n,
    "digits and spaces": lambda n: "1 " * (n // 2),
    "markup at the end": lambda n: "x" * (n - 1) + "<",
    "at signs": lambda n: "a@" * (n // 2),
}
SIZES = (125_000, 250_000, 500_000, 1_000_000)
NOISE = 0.005
"""CPU seconds below which a difference is noise."""


def cpu_seconds(text: str, shapes: Graph, ontology: Graph, runs: int) -> float:
    """The least CPU time of ``runs`` validations of one concept labelled ``text`` (the least is the least noisy)."""
    concept = URIRef("https://w3id.org/wcokg/id/concept")
    graph = Graph()
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.prefLabel, Literal(text, lang="en")))
    best = math.inf
    for _ in range(runs):
        started = time.process_time()
        validate_graph(graph, shapes, ontology)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    shapes, ontology = load_turtle(layout.SHAPES)[1], load_turtle(layout.ONTOLOGY)[1]
    fixed = cpu_seconds("Ten chars.", shapes, ontology, args.runs)
    print(f"a ten-character label: {fixed:.3f} s of CPU; below, the CPU seconds over that")
    print("| text | " + " | ".join(f"{size // 1000} KB" for size in SIZES) + " | growth exponent |")
    print("|---|" + "---|" * (len(SIZES) + 1))
    for name, make in TEXTS.items():
        seconds = [cpu_seconds(make(size), shapes, ontology, args.runs) - fixed for size in SIZES]
        if min(seconds) < NOISE:  # a match found near the start: the text is not read to its end
            growth = f"none to measure (under {NOISE * 1000:.0f} ms)"
        else:
            growth = f"{math.log(seconds[-1] / seconds[0]) / math.log(SIZES[-1] / SIZES[0]):.2f}"
        print(f"| {name} | " + " | ".join(f"{s:.3f} s" for s in seconds) + f" | {growth} |")


if __name__ == "__main__":
    main()
