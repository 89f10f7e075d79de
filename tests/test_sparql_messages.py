"""SPARQL syntax errors in plain words: each typical mistake and its exact message (the first line of the error),
from the library; then as `wcokg query` and `wcokg update` print them, with the source line and a caret."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wcokg.cli import cli
from wcokg.namespaces import prefixes
from wcokg.sparql.messages import explain
from wcokg.sparql.query import default_files

PREDECLARED = ", ".join(f"{prefix}:" for prefix in prefixes())
MISTAKES = [
    ("query", "SELEC * WHERE { ?s ?p ?o }", '1:1: syntax error at "SELEC": unknown keyword; did you mean SELECT?'),
    ("query", "SELECT * WHRE { ?s ?p ?o }", '1:10: syntax error at "WHRE": unknown keyword; did you mean WHERE?'),
    (
        "update",
        "INSRT DATA { wco:a wco:b wco:c }",
        '1:1: syntax error at "INSRT": unknown keyword; did you mean INSERT?',
    ),  # noqa: E501
    ("query", "SELECT * WHERE { ?s ?p }", '1:24: syntax error at "}": expected an object after ?p'),
    (
        "query",
        "SELECT * WHERE {\n  ?s a wcokg:Convention\n  ?s skos:prefLabel ?label\n}",
        '3:3: syntax error at "?s": a "." is missing after wcokg:Convention (between two triple patterns)',
    ),
    ("query", "SELECT * WHERE { ?s ?p ?o ", '1:16: syntax error at "{": it is never closed; add "}"'),
    ("query", "SELECT * WHERE { FILTER(?o > 1 }", '1:32: syntax error at "}": expected ")" to close the "("'),
    ("query", "SELECT * WHERE { ?s ?p ?o FILTER(?o > ) }", '1:39: syntax error at ")": expected a value after >'),
    (
        "query",
        "SELECT * WHERE { ?s sko:prefLabel ?o }",
        '1:21: syntax error at "sko:prefLabel": unknown prefix "sko:"; did you mean "skos:"? '
        "Else declare it with a line PREFIX sko: <…>",
    ),
    (
        "update",
        "INSERT DATA { ex:a ex:b ex:c }",
        '1:15: syntax error at "ex:a": unknown prefix "ex:"; declare it with a line PREFIX ex: <…> '
        f"(predeclared: {PREDECLARED})",
    ),
    (
        "update",
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",
        '1:1: syntax error at "@prefix": this looks like Turtle data, not a SPARQL update: '
        "wrap it in INSERT DATA { … }",
    ),
    (
        "update",
        "# wcokg\n\nA linked-data publisher for the WCO overview.\n\n## Install\n",
        '3:1: syntax error at "A": this does not look like SPARQL at all: an update begins with INSERT, DELETE, '
        "LOAD, CLEAR …",
    ),
    (
        "update",
        "SELECT * WHERE { ?s ?p ?o }",
        '1:1: syntax error at "SELECT": this is a query, not an update: run it with wcokg query',
    ),
    (
        "query",
        "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
        '2:1: syntax error at "INSERT": this is an update, not a query: '
        "run it with wcokg update (or POST it to /update)",
    ),
    ("query", 'SELECT * WHERE { ?s ?p "open }', "1:24: syntax error at '\"': this string is not closed on its line"),
]


@pytest.mark.parametrize(("kind", "text", "message"), MISTAKES, ids=[m[2].split(": ", 2)[-1][:40] for m in MISTAKES])
def test_each_typical_mistake_has_its_message(kind, text, message) -> None:
    assert str(explain(text, kind, kind, prefixes())) == f"{kind}:{message}"


def test_wcokg_query_prints_the_line_and_a_caret(out_dir) -> None:
    data = [arg for path in default_files(out_dir) for arg in ("--data", str(path))]
    result = CliRunner().invoke(cli, ["query", "SELECT * WHERE {\n  ?s skos:prefLabel\n}", *data])
    assert result.exit_code == 2
    assert result.stderr == (
        'wcokg: error: query:3:1: syntax error at "}": expected an object after skos:prefLabel\n}\n^\n'
    )


def test_wcokg_update_prints_the_line_and_a_caret(project, tmp_path) -> None:
    patch = tmp_path / "fix.ru"
    patch.write_text("INSERT DATA {\n  wco:goal-4 skos:altLabel 'x'@en\n  wco:goal-4 skos:altLabel 'y'@en\n}\n")
    paths = ["--edits", str(project / "edits"), "--out", str(project / "output")]
    result = CliRunner().invoke(cli, ["update", str(patch), *paths])
    assert result.exit_code == 2
    assert result.stderr == (
        f'wcokg: error: {patch}:3:3: syntax error at "wco:goal-4": a "." is missing after \'x\' '
        "(between two triple patterns)\n"
        "  wco:goal-4 skos:altLabel 'y'@en\n"
        "  ^\n"
    )
