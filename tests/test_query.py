"""The query catalog answers its questions as a person reading the source would, on three engines:
pyoxigraph, rdflib and Apache Jena ARQ. Expected answers live in tests/expected/."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from wcokg.namespaces import PREFIXES, sparql_prologue
from wcokg.sparql.query import _ox_term, catalog, default_files, load_dataset, question, run_query
from wcokg.sparql.results import compact

from . import jena

EXPECTED = Path(__file__).parent / "expected"
NUMERIC = re.compile(r"http://www\.w3\.org/2001/XMLSchema#(integer|decimal|double|float|\w*Integer|long|int|short)$")
CATALOG = catalog()


def normalize(term: dict | None, prefixes: dict[str, str]) -> str:
    """A SPARQL JSON term as the expected files write it: prefixed IRIs, numbers by value, other text as is."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return compact(term["value"], prefixes)
    if NUMERIC.match(term.get("datatype", "")):
        return format(Decimal(term["value"]).normalize(), "f")
    return term["value"]


def rows_of(document: dict, prefixes: dict[str, str]) -> list[list[str]]:
    variables = document["head"]["vars"]
    return [[normalize(b.get(v), prefixes) for v in variables] for b in document["results"]["bindings"]]


def expected_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with (EXPECTED / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    return header, rows


def check(name: str, kind: str, payload: bytes | str, prefixes: dict[str, str]) -> None:
    if kind == "graph":
        expected = Graph().parse(EXPECTED / f"{name}.nt", format="nt")
        actual = Graph().parse(data=payload, format="nt")
        assert isomorphic(actual, expected), actual.serialize(format="nt")
        return
    document = json.loads(payload)
    if "boolean" in document:
        assert str(document["boolean"]).lower() == (EXPECTED / f"{name}.txt").read_text().strip()
        return
    header, rows = expected_rows(name)
    assert document["head"]["vars"] == header
    assert rows_of(document, prefixes) == rows


@pytest.fixture(scope="module")
def dataset(out_dir):
    return load_dataset(default_files(out_dir))


def test_the_catalog_has_at_least_15_questions_each_with_an_expected_answer() -> None:
    assert len(CATALOG) >= 15
    for name, text in CATALOG.items():
        assert question(text).endswith("?"), name
        assert any((EXPECTED / f"{name}{ext}").exists() for ext in (".csv", ".txt", ".nt")), name


def test_the_catalog_covers_every_term_of_the_ontology(dataset) -> None:
    texts = "\n".join(CATALOG.values())
    namespace = PREFIXES["wcokg"]
    terms = {q.subject.value for q in dataset.quads if q.subject.value.startswith(namespace)}
    named = {t for t in terms if re.search(rf"wcokg:{re.escape(t[len(namespace) :])}\b", texts)}
    # a query asking for the sub-properties of a term (wco-actions: rdfs:subPropertyOf+ wcokg:actsThrough) uses them
    asked = {t for t in named if re.search(rf"rdfs:subPropertyOf\+? wcokg:{re.escape(t[len(namespace) :])}\b", texts)}
    sub_property = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
    below = {q.subject.value for q in dataset.quads if q.predicate.value == sub_property and q.object.value in asked}
    missing = sorted(terms - named - below)
    assert not missing


@pytest.mark.parametrize("engine", ["pyoxigraph", "rdflib"])
@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_query_answers_on_python_engines(dataset, name, engine) -> None:
    answer = run_query(dataset, CATALOG[name], engine=engine, name=name)
    check(name, answer.kind, answer.payload, dataset.prefixes)


@pytest.fixture(scope="module")
def jena_classpath(tmp_path_factory) -> str:
    return jena.classpath(tmp_path_factory.mktemp("jena"))


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_query_answers_on_jena_arq(dataset, out_dir, jena_classpath, tmp_path, name) -> None:
    query = tmp_path / f"{name}.rq"
    prologue = sparql_prologue(dataset.prefixes)
    query.write_text(prologue + CATALOG[name], encoding="utf-8")
    kind = "graph" if "CONSTRUCT" in CATALOG[name] else "results"
    data = [arg for f in ("wcokg.ttl", "ontology.ttl", "void.ttl") for arg in ("--data", str(out_dir / f))]
    done = jena.run(
        jena_classpath, "arq.sparql", *data, "--query", str(query), "--results", "nt" if kind == "graph" else "json"
    )
    check(name, kind, done.stdout, dataset.prefixes)


def test_the_evidence_answer_is_the_source_at_its_offsets(source_text) -> None:
    _, ((exact, start, end, _),) = expected_rows("fact-evidence")
    assert source_text[int(start) : int(end)] == exact


def _typed_rows(payload: bytes) -> list[list[tuple[str, str, str]]]:
    """Every binding as (type, lexical form, datatype): nothing normalized."""
    document = json.loads(payload)
    return [
        sorted((var, term["value"], term.get("datatype", term.get("xml:lang", ""))) for var, term in b.items())
        for b in document["results"]["bindings"]
    ]


@pytest.mark.parametrize("name", sorted(n for n, t in CATALOG.items() if "CONSTRUCT" not in t and "ASK" not in t))
def test_the_two_python_engines_return_the_same_datatypes_and_lexical_forms(dataset, name) -> None:
    oxigraph = _typed_rows(run_query(dataset, CATALOG[name], engine="pyoxigraph", name=name).payload)
    rdflib_rows = _typed_rows(run_query(dataset, CATALOG[name], engine="rdflib", name=name).payload)
    assert oxigraph == rdflib_rows


@pytest.mark.parametrize("limit", [10_000, 3])
def test_pyoxigraph_solutions_are_written_as_json_dumps_writes_their_terms(dataset, limit) -> None:
    """The answers are written from each term's JSON, kept once written: the bytes json.dumps gives the rows."""
    extra = {"unbound": "SELECT ?s ?x ?o { ?s ?p ?o OPTIONAL { ?s <urn:none> ?x } }", "none": "SELECT ?s {}"}
    for name, text in {**CATALOG, **extra}.items():
        answer = run_query(dataset, text, limit=limit, name=name)
        if answer.kind != "solutions":
            continue
        solutions = dataset.store.query(text, prefixes=dataset.prefixes, use_default_graph_as_union=True)
        variables = [v.value for v in solutions.variables]
        rows = [{v: _ox_term(s[v]) for v in variables if s[v] is not None} for s in solutions]
        expected = {"head": {"vars": variables}, "results": {"bindings": rows[:limit]}}
        assert answer.payload == json.dumps(expected).encode("utf-8"), name
        assert answer.truncated == (len(rows) > limit), name
