"""Analysts' questions, answered by SPARQL over the published files on two engines (pyoxigraph, rdflib).

Expected answers are read off the source document, not off the program's output."""

from __future__ import annotations

from datetime import date

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from wcokg.namespaces import PREFIXES, sparql_prologue

from .test_overview_claims import TITLES

PROLOGUE = sparql_prologue(PREFIXES)

GOALS = """SELECT ?number ?title WHERE {
  ?goal a wcokg:StrategicGoal ; wcokg:goalNumber ?number ; skos:prefLabel ?title .
} ORDER BY ?number"""

NAMING_GOAL = """SELECT ?number WHERE {
  ?goal wcokg:goalNumber ?number ; wcokg:namesInstrument ?instrument .
  ?instrument skos:prefLabel "%s"@en .
}"""

FOUNDING = """SELECT ?year ?former WHERE {
  ?wco skos:prefLabel "World Customs Organization"@en ; schema:foundingDate ?year ; wcokg:hasFormerName ?name .
  ?name skos:prefLabel ?former .
}"""

MEMBERS = """SELECT ?count ?asOf WHERE {
  ?wco skos:prefLabel "World Customs Organization"@en ; wcokg:representsAdministrations ?figure .
  ?figure schema:value ?count ; wcokg:asOf ?asOf .
}"""

EVIDENCE = """SELECT ?exact ?start ?end WHERE {
  ?annotation oa:hasBody [ rdf:subject ?goal ; rdf:predicate wcokg:namesInstrument ; rdf:object ?rkc ] ;
              oa:hasTarget ?target .
  ?rkc skos:prefLabel "Revised Kyoto Convention"@en .
  ?target oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
}"""


def oxigraph_rows(store: pyoxigraph.Store, query: str) -> list[tuple]:
    solutions = store.query(PROLOGUE + query)
    names = [v.value for v in solutions.variables]
    return [tuple(_ox_value(solution[name]) for name in names) for solution in solutions]


def _ox_value(term):
    """A pyoxigraph literal as the Python value rdflib would give, for comparison by value."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else term.datatype.value).toPython()


def rdflib_rows(graph: Graph, query: str) -> list[tuple]:
    return [
        tuple(term.toPython() if hasattr(term, "toPython") else term for term in row)
        for row in graph.query(PROLOGUE + query)
    ]


@pytest.fixture(scope="module")
def engines(out_dir):
    store = pyoxigraph.Store()
    store.load(path=str(out_dir / "wcokg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = Graph().parse(out_dir / "wcokg.ttl", format="turtle")
    return {"pyoxigraph": lambda q: oxigraph_rows(store, q), "rdflib": lambda q: rdflib_rows(graph, q)}


@pytest.fixture(params=["pyoxigraph", "rdflib"])
def ask(request, engines):
    return engines[request.param]


def test_nine_goals_in_order_with_the_documents_titles(ask) -> None:
    assert ask(GOALS) == [(n, title) for n, title in enumerate(TITLES, start=1)]


def test_the_goal_that_names_the_revised_kyoto_convention_is_goal_4(ask) -> None:
    assert ask(NAMING_GOAL % "Revised Kyoto Convention") == [(4,)]


def test_the_goal_that_names_the_customs_enforcement_network_is_goal_3(ask) -> None:
    assert ask(NAMING_GOAL % "Customs Enforcement Network") == [(3,)]


def test_established_in_1952_as_the_customs_co_operation_council(ask) -> None:
    ((year, former),) = ask(FOUNDING)
    assert str(year).startswith("1952") and former == "Customs Co-operation Council"


def test_179_administrations_on_24_june_2013(ask) -> None:
    assert ask(MEMBERS) == [(179, date(2013, 6, 24))]


def test_the_evidence_behind_a_fact_is_its_quote_and_span(ask, source_text) -> None:
    ((exact, start, end),) = ask(EVIDENCE)
    assert exact == "Revised Kyoto Convention" and source_text[start:end] == exact


def test_share_of_world_trade_is_an_approximate_integer(ask) -> None:
    rows = ask(
        "SELECT DISTINCT ?v ?approx WHERE {"
        " ?o wcokg:shareOfWorldTrade ?f . ?f schema:value ?v ; wcokg:approximate ?approx }"
    )
    assert rows == [(98, True)] and isinstance(rows[0][0], int)


MEMBERS_PROCESS = """SELECT ?label ?count ?share WHERE {
  ?wco skos:prefLabel "World Customs Organization"@en ; wcokg:hasMembers ?members .
  ?members skos:prefLabel ?label ;
           wcokg:numberOfMembers [ schema:value ?count ] ;
           wcokg:shareOfWorldTrade [ schema:value ?share ] .
}"""


def test_the_179_administrations_are_the_members_and_process_98_percent(ask) -> None:
    """Line 7: the WCO represents 179 administrations that process about 98% of world trade; line 9: its Members."""
    assert ask(MEMBERS_PROCESS) == [("Members", 179, 98)]


def test_the_secretariat_takes_part_in_providing_the_services_the_wco_offers_its_members(ask) -> None:
    rows = ask("""SELECT ?service WHERE {
      ?secretariat skos:prefLabel "Secretariat"@en ; wcokg:takesPartInProviding ?s .
      ?s wcokg:offeredTo ?members ; skos:prefLabel ?service .
      ?wco skos:prefLabel "World Customs Organization"@en ; wcokg:offers ?s ; wcokg:hasMembers ?members .
    } ORDER BY ?service""")
    assert rows == [("technical assistance",), ("training",)]
