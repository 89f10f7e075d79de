"""The query guard reads tokens as SPARQL defines them: no SERVICE reaches the engine however it is written,
and a keyword inside a string, an IRI, a variable or a comment refuses nothing."""

from __future__ import annotations

import socket

import pytest

from wcokg.errors import QueryError
from wcokg.names import prefixes
from wcokg.sparql.guard import police
from wcokg.sparql.query import default_files, load_dataset, run_query

GRAPHS = frozenset({"https://w3id.org/wcokg/graph/data", "https://w3id.org/wcokg/graph/links"})
ENDPOINT = "http://127.0.0.1:{port}/sparql"
HIDDEN = [
    "SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{endpoint}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }}",
    "PREFIX ep: <{endpoint}#> SELECT * WHERE {{ SERVICE ep:x {{ ?s ?p ?o }} }}",
    "# a comment\nSELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\U00000053ERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s wco:a\\' . SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 'it''s' . SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ ?s ?p "a\\"" . SERVICE <{endpoint}> {{ ?s ?p ?o }} }}',
    "SELECT * WHERE {{ FILTER(?a<?b) SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o }} ; SERVICE <{endpoint}> {{ ?s ?p ?o }}",
]


@pytest.fixture()
def endpoint():
    """A loopback port that counts the connections made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    yield ENDPOINT.format(port=server.getsockname()[1]), server
    server.close()


@pytest.mark.parametrize("template", HIDDEN)
def test_no_spelling_of_service_reaches_the_engine(out_dir, endpoint, template) -> None:
    url, server = endpoint
    with pytest.raises(QueryError, match="SERVICE <.*> refused"):
        run_query(load_dataset(default_files(out_dir)), template.format(endpoint=url), timeout=10)
    with pytest.raises(BlockingIOError):
        server.accept()  # nothing called the endpoint


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/> { }" }',
        "SELECT * WHERE { ?s ?p '''a 'SERVICE' <http://example.org/> {} b''' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/> { }",
        "SELECT ?service WHERE { ?service a wcokg:StrategicGoal }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "SELECT * WHERE { ?s schema:service ?o }",
        "SELECT * FROM <https://w3id.org/wcokg/graph/links> WHERE { ?s ?p ?o }",
        "PREFIX g: <https://w3id.org/wcokg/graph/> SELECT * FROM g:links WHERE { ?s ?p ?o }",
        "BASE <https://w3id.org/wcokg/graph/> SELECT * FROM NAMED <data> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_keywords_in_strings_names_and_comments_refuse_nothing(text) -> None:
    police(text, prefixes(), GRAPHS)


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }", "SERVICE ?where refused"),
        (
            "BASE <http://example.org/> SELECT * FROM <data.ttl> WHERE { ?s ?p ?o }",
            "FROM <http://example.org/data.ttl>",
        ),
        ("SELECT * FROM wd:Q1 WHERE { ?s ?p ?o }", "FROM <http://www.wikidata.org/entity/Q1> refused"),
        (
            "PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }",
            "this is an update, not a query: run it with wcokg update",
        ),
        (
            "WITH <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "this is an update, not a query: run it with wcokg update",
        ),
    ],
)
def test_refusals_name_what_is_refused(text, message) -> None:
    with pytest.raises(QueryError, match=message.replace("?", r"\?")):
        police(text, prefixes(), GRAPHS)
