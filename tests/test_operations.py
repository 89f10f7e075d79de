"""An update of INSERT DATA and DELETE DATA only is read by pyoxigraph's TriG parser (wcokg.edit.operations), not
by rdflib's SPARQL parser: both must read the same operations and triples, and anything else must be left to
the SPARQL parser (which polices it and names its errors)."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

from tests.test_w3c import suites
from wcokg.edit.operations import operation_lines, read_data
from wcokg.names import prefixes
from wcokg.rdfio import converter, raw_literals


class Everything:
    """Every graph allowed."""

    def __contains__(self, item: object) -> bool:
        return True


XSD = "http://www.w3.org/2001/XMLSchema#"


def value(term: object) -> object:
    """A term as RDF 1.1 compares it: "x"^^xsd:string is "x"; and a double by its value (rdflib's SPARQL parser
    rewrites -2e3 as -2000.0, the TriG reading keeps it as written)."""
    if isinstance(term, Literal) and term.datatype == URIRef(XSD + "string"):
        return Literal(str(term))
    if isinstance(term, Literal) and term.datatype == URIRef(XSD + "double"):
        return ("double", float(term))
    return term


def by_rdflib(text: str) -> list[tuple[bool, frozenset]]:
    """The operations as rdflib's SPARQL parser reads them: INSERT DATA or not, and their (graph, s, p, o)."""
    with raw_literals():
        update = translateUpdate(parseUpdate(text), initNs=prefixes())
    read = []
    for operation in update.algebra:
        assert operation.name in ("InsertData", "DeleteData")
        quads = {(None, *map(value, t)) for t in operation.get("triples") or []}
        quads |= {(g, *map(value, t)) for g, triples in (operation.get("quads") or {}).items() for t in triples}
        read.append((operation.name == "InsertData", frozenset(quads)))
    return read


def by_oxigraph(text: str) -> list[tuple[bool, frozenset]] | None:
    operations = read_data(text, prefixes(), Everything())
    if operations is None:
        return None
    term = converter()
    read = []
    for operation in operations:
        quads = set()
        for q in operation.quads:
            graph = None if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else term(q.graph_name)
            quads.add((graph, term(q.subject), term(q.predicate), value(term(q.object))))
        read.append((operation.inserting, frozenset(quads)))
    return read


SAME = [
    'INSERT DATA { wco:goal-4 skos:altLabel \'a;b}\' , """x\n} ; DELETE DATA {"""@en-GB }',
    "PREFIX x: <http://x/>\n# a comment { ; }\nINSERT DATA { x:a x:b 01, 1.50, -2e3, true ; a x:C . } ;\n"
    "BASE <http://b/>\nDELETE DATA { GRAPH <g> { <s> x:p 'o' } } ;",
    'INSERT DATA { } ; INSERT DATA { <a:s> <a:p> "x"^^<http://www.w3.org/2001/XMLSchema#string> . }',
    "insert   data{<a:s><a:p><a:o>}",
    "PREFIX : <http://e/>\nINSERT DATA { :s :p :o } ; PREFIX : <http://f/>\nDELETE DATA { :s :p :o }",
]
SLOW = {
    "LOAD somewhere": "INSERT DATA { <a:s> <a:p> <a:o> } ; LOAD <http://example.org/x>",
    "the word service in a literal": "INSERT DATA { <a:s> <a:p> 'a customs service' }",
    "a \\u escape": "INSERT DATA { <a:s> <a:p> '\\u0041' }",
    "an escaped # in a local name": "PREFIX x: <http://x/>\nINSERT DATA { x:a\\#b x:p x:c }",
    "a blank node": "INSERT DATA { _:b <a:p> <a:o> }",
    "a blank node to delete": "DELETE DATA { <a:s> <a:p> [] }",
    "a variable": "INSERT DATA { <a:s> <a:p> ?o }",
    "triples and a GRAPH": "INSERT DATA { <a:s> <a:p> <a:o> . GRAPH <a:g> { <a:s> <a:p> <a:o> } }",
    "an empty operation": "INSERT DATA { <a:s> <a:p> <a:o> } ;;",
    "a pattern": "DELETE WHERE { <a:s> <a:p> ?o }",
    "nested braces": "INSERT DATA { GRAPH <a:g> { <a:s> <a:p> <a:o> } } }",
    "a relative IRI without BASE": "INSERT DATA { <s> <a:p> <a:o> }",
}


@pytest.mark.parametrize("text", SAME)
def test_data_blocks_read_as_rdflib_reads_them(text: str) -> None:
    assert by_oxigraph(text) == by_rdflib(text)


@pytest.mark.parametrize("text", SLOW.values(), ids=SLOW.keys())
def test_anything_else_is_left_to_the_sparql_parser(text: str) -> None:
    assert read_data(text, prefixes(), Everything()) is None


def test_a_graph_not_allowed_is_left_to_the_sparql_parser() -> None:
    text = "INSERT DATA { GRAPH <http://x/g> { <a:s> <a:p> <a:o> } }"
    assert read_data(text, prefixes(), {"http://x/g"}) is not None
    assert read_data(text, prefixes(), {"http://x/other"}) is None


def test_operations_start_where_their_keyword_is() -> None:
    text = "PREFIX a: <x:>\nINSERT DATA { a:b a:c 'x;y' } ;\n\n# why\nDELETE DATA { a:b a:c '''a\n;b''' }"
    assert operation_lines(text) == [2, 5]


def test_every_data_update_of_the_w3c_suites_is_read_as_rdflib_reads_it() -> None:
    """Every .ru file of the SPARQL 1.1 suites that the fast reading accepts (the syntax tests' negatives are
    checked in test_w3c: each is refused) holds the same operations and triples for rdflib."""
    read = 0
    for path in sorted((suites() / "data" / "suites" / "w3c" / "sparql11").glob("*/*.ru")):
        text = path.read_text(encoding="utf-8")
        fast = by_oxigraph(text)
        if fast is not None:
            assert fast == by_rdflib(text), path.name
            read += 1
    assert read >= 10  # of 11 in rdflib 7's copy of the suites


def test_two_thousand_triples() -> None:
    text = "INSERT DATA {\n" + "\n".join(f'  wco:term-{i} skos:altLabel "term {i}"@en .' for i in range(2000)) + "\n}"
    assert by_oxigraph(text) == by_rdflib(text)
