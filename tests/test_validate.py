"""Validation: the built graph conforms; edits that break a rule are reported with focus, path and message."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SDO, SKOS, XSD

from wcokg import layout
from wcokg.loader import load_turtle
from wcokg.namespaces import OA, WCOKG, Iris
from wcokg.validate import validate_graph

ID = Iris()


@pytest.fixture(scope="module")
def rules():
    return load_turtle(layout.SHAPES)[1], load_turtle(layout.ONTOLOGY)[1]


def test_the_published_graph_conforms_without_warnings(built) -> None:
    assert built.report.conforms
    assert built.report.results == ()


def broken(built, remove=(), add=()) -> Graph:
    graph = built.graph.merged()
    for triple in remove:
        graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return graph


CASES = {
    "goal without title": (
        [(ID.id("goal-4"), SKOS.prefLabel, None)],
        [],
        ("Violation", "wco:goal-4", "skos:prefLabel", "A strategic goal needs exactly one English title."),
    ),
    "goal with two titles": (
        [],
        [(ID.id("goal-4"), SKOS.prefLabel, Literal("Facilitation of Trade", lang="en"))],
        ("Violation", "wco:goal-4", "skos:prefLabel", "A strategic goal needs exactly one English title."),
    ),
    "goal number zero": (
        [(ID.id("goal-1"), WCOKG.goalNumber, None)],
        [(ID.id("goal-1"), WCOKG.goalNumber, Literal("0", datatype=XSD.positiveInteger))],
        (
            "Violation",
            "wco:goal-1",
            "wcokg:goalNumber",
            "A strategic goal needs exactly one number, a positive whole number such as 4.",
        ),
    ),
    "former name without language": (
        [(ID.id("world-customs-organization"), WCOKG.formerName, None)],
        [(ID.id("world-customs-organization"), WCOKG.formerName, Literal("CCC"))],
        ("Violation", "wco:world-customs-organization", "wcokg:formerName", "A former name must be English text."),
    ),
    "founding year in roman numerals": (
        [(ID.id("world-customs-organization"), SDO.foundingDate, None)],
        [(ID.id("world-customs-organization"), SDO.foundingDate, Literal("MCMLII", datatype=XSD.gYear))],
        (
            "Violation",
            "wco:world-customs-organization",
            "schema:foundingDate",
            "An organization has at most one founding year, written as four digits (xsd:gYear), such as 1952.",
        ),
    ),
    "figure without date": (
        [(ID.id("represented-administrations-2013-06-24"), WCOKG.asOf, None)],
        [],
        (
            "Violation",
            "wco:represented-administrations-2013-06-24",
            "wcokg:asOf",
            "A figure needs exactly one date it holds on (wcokg:asOf), written as a date such as 2013-06-24.",
        ),
    ),
    "quote without words": (
        [(ID.id("quote-76-102-text"), OA.exact, None)],
        [],
        (
            "Violation",
            "wco:quote-76-102-text",
            "oa:exact",
            "A text quote selector needs exactly one non-empty quote (oa:exact).",
        ),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_broken_edit_names_focus_path_and_message(built, rules, name) -> None:
    remove, add, expected = CASES[name]
    report = validate_graph(broken(built, remove, add), *rules)
    assert not report.conforms
    assert expected in {(r.severity, r.focus, r.path, r.message) for r in report.results}
