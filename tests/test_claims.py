"""Claims files: every way one can be wrong, each a one-line error naming the file, the line and the cause.

Each test writes a small document of its own (a text of three lines and its claims file) in tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wcokg import layout
from wcokg.cli import cli
from wcokg.errors import ClaimsError, SourceError
from wcokg.extraction.document import read_document
from wcokg.extraction.extract import extract, vocabulary
from wcokg.names import DEFAULT_BASE
from wcokg.rdfio import load_turtle

TEXT = "A Report\nThe WCO was established in 1952.\nThe WCO has a Council.\n"
# Lines 1-10 of every claims file below: the document, then the words of TEXT no test claims.
HEAD = """\
[document]
title = "A Report"
issued = 2020-01-02
[[not-modelled]]
quote = "The WCO was"
reason = "connective words"
[[not-modelled]]
quote = "The WCO has a Council."
reason = "not modelled yet"

"""
FOUNDED = 'wco:wco schema:foundingDate "1952"^^xsd:gYear .'
VOCABULARY = vocabulary(load_turtle(layout.ONTOLOGY)[1], load_turtle(layout.SHAPES)[1])


def claim(quote: str, states: str, more: str = "") -> str:
    """A [[claim]] table: its header, quote and ``more`` lines, then ``states = '''`` and the Turtle's lines."""
    return f"[[claim]]\nquote = \"{quote}\"\n{more}states = '''\n{states}\n'''\n"


def write(tmp_path: Path, claims: str, text: str = TEXT) -> Path:
    """The source ``r.txt`` holding ``text``, its claims file ``r.claims.toml`` holding ``claims``."""
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    (tmp_path / "r.claims.toml").write_text(claims, encoding="utf-8")
    return tmp_path / "r.txt"


def build_claims(source: Path):
    return extract(read_document(source), DEFAULT_BASE, VOCABULARY)


def claims_error(tmp_path: Path, claims: str, text: str = TEXT) -> tuple[ClaimsError, list[str]]:
    """The error the claims file raises, and the lines of the claims file (to check what its line number names)."""
    with pytest.raises(ClaimsError) as raised:
        build_claims(write(tmp_path, claims, text))
    assert raised.value.path == str(tmp_path / "r.claims.toml")
    assert "\n" not in str(raised.value)
    return raised.value, claims.splitlines()


def test_a_good_claims_file_gives_its_fact_quoted(tmp_path) -> None:
    (fact,) = build_claims(write(tmp_path, HEAD + claim("established in 1952", FOUNDED)))
    assert str(fact.subject) == "https://w3id.org/wcokg/id/wco"
    assert (fact.evidence.text, fact.evidence.line, fact.evidence.start) == ("established in 1952", 2, 21)
    assert fact.origin == f"{tmp_path / 'r.claims.toml'}:11"


@pytest.mark.parametrize(
    "body, line, message",
    [
        (
            claim("established in 1953", FOUNDED),
            11,
            'the claim: "established in 1953" is not in r.txt; the closest passage, line 2: "established in 1952."',
        ),
        (
            claim("The WCO", 'wco:wco schema:name "WCO" .'),
            11,
            'the claim: "The WCO" occurs 2 times in r.txt (lines 2, 3): say which with occurrence = N',
        ),
        (
            claim("The WCO", 'wco:wco schema:name "WCO" .', "occurrence = 3\n"),
            11,
            'the claim: "The WCO" occurs 2 times in r.txt, not 3',
        ),
        (
            claim("The WCO", 'wco:wco schema:name "WCO" .', "occurrence = 0\n"),
            11,
            '[[claim]]: "occurrence" must be a whole number from 1, not 0',
        ),
        (
            "[[claim]]\nquote = \"established in 1952\"\nstates = ''\n",
            11,
            "this claim states nothing: give its triples in \"states = '''…'''\"",
        ),
        (
            claim("established in 1952", "# a comment, no triple"),
            11,
            "this claim states nothing: its Turtle has no triple",
        ),
        (
            claim("established in 1952", f'{FOUNDED}\nwco:wco ex:foo "1952" .'),
            15,
            "ex: is the prefix of no known vocabulary (known: dcat:, dcterms:, eli:, foaf:, oa:, org:, owl:, prov:, "
            "rdf:, rdfs:, schema:, sd:, sh:, skos:, vann:, void:, wco:, wcokg:, wcosh:, wd:, xsd:)",
        ),
        (
            claim("established in 1952", f'{FOUNDED}\nwco:wco wcokg:nonsense "1952" .'),
            15,
            "wcokg:nonsense is a term of no known vocabulary (not in the ontology nor the shapes)",
        ),
        (
            claim("established in 1952", 'wco:wco schema:foundingDate "1952"^^xsd:gYear ;\n    a skos:nonsense .'),
            15,
            "skos:nonsense is a term of no known vocabulary (not in the ontology nor the shapes)",
        ),
        (
            claim("established in 1952", "wco:wco <http://example.org/founded> 1952 ."),
            14,
            "<http://example.org/founded> is a term of no known vocabulary (not in the ontology nor the shapes)",
        ),
        (
            claim("established in 1952", f'{FOUNDED}\nwco:wco schema:name "x" ;\n    schema:name .'),
            16,
            "the Turtle of this claim cannot be read: . is not a valid RDF object",
        ),
        (
            claim("established in 1952", f'{FOUNDED}\n# "[a comment" with a bracket\nwco:wco schema:member [] .'),
            16,
            "a blank node ([ … ] or _:) cannot be cited or edited: name the resource with an IRI, such as wco:…",
        ),
        (
            claim("established in 1952", FOUNDED) + claim("1952", FOUNDED),
            16,
            "wco:wco schema:foundingDate … is stated already, by the claim at line 11: "
            "a fact rests on one quote of a document",
        ),
        (
            claim("established in 1952", FOUNDED, 'source = "p. 1"\n'),
            11,
            '[[claim]] has an unknown key "source" (known: note, occurrence, quote, states)',
        ),
        (
            '[[claims]]\nquote = "1952"\n',
            11,
            'unknown table "claims": expected [document], [wikidata], [[claim]], [[not-modelled]], [[layout]], '
            "[[quarantine]]",
        ),
        (
            claim("established in 1952", FOUNDED) + '[[quarantine]]\nquote = "in 1952."\nreason = "spam"\n',
            11,
            'the claim: "established in 1952" (line 2) is inside quarantined text (spam): it cannot be evidence',
        ),
        (
            '[[layout]]\nquote = "1952"\n',
            11,
            '[[layout]] has no "reason": say why these words are layout',
        ),
    ],
    ids=[
        "words not found",
        "words found twice",
        "occurrence beyond the count",
        "occurrence zero",
        "empty states",
        "turtle without a triple",
        "undeclared prefix",
        "unknown term",
        "unknown class of a known vocabulary",
        "unknown full iri",
        "malformed turtle",
        "blank node",
        "triple stated twice",
        "unknown key",
        "unknown table",
        "quote in quarantined text",
        "declaration without reason",
    ],
)
def test_a_wrong_claim_is_one_line_naming_its_line(tmp_path, body: str, line: int, message: str) -> None:
    error, _ = claims_error(tmp_path, HEAD + body)
    assert str(error) == f"{tmp_path / 'r.claims.toml'}:{line}: {message}"


@pytest.mark.parametrize(
    "turtle, bad",
    [
        ('wco:wco schema:name "x" ,, .', 'wco:wco schema:name "x" ,, .'),
        (f'{FOUNDED}\n\nwco:wco schema:name "x"\nwco:other schema:name "y" .', 'wco:other schema:name "y" .'),
        (f'{FOUNDED}\nwco:wco schema:name "unterminated .', 'wco:wco schema:name "unterminated .'),
        (f"{FOUNDED}\nwco:wco schema:name _:someone .", "wco:wco schema:name _:someone ."),
        (
            f"{FOUNDED}\nwco:wco wcokg:nonsense <http://example.org/#a> .",
            "wco:wco wcokg:nonsense <http://example.org/#a> .",
        ),
    ],
    ids=["first line", "after a blank line", "unterminated literal", "blank node label", "unknown term"],
)
def test_the_line_of_a_turtle_error_is_the_line_that_holds_it(tmp_path, turtle: str, bad: str) -> None:
    error, lines = claims_error(tmp_path, HEAD + claim("established in 1952", turtle))
    assert lines[error.line - 1] == bad, error


def test_turtle_on_the_line_of_states_counts_from_that_line(tmp_path) -> None:
    body = "[[claim]]\nquote = \"established in 1952\"\nstates = '''wco:wco schema:name \"x\" ;\n  schema:name .\n'''\n"
    error, lines = claims_error(tmp_path, HEAD + body)
    assert (error.line, lines[error.line - 1]) == (14, "  schema:name .")


@pytest.mark.parametrize(
    "claims, line, message",
    [
        (
            HEAD + '[[claim]]\nquote = "established in 1952\n',
            12,
            "not a valid TOML claims file: illegal character '\\n'",
        ),
        (HEAD + "[[claim]]\nquote = 'x'\nquote = 'y'\n", 13, "not a valid TOML claims file: cannot overwrite a value"),
        (
            HEAD.replace("[document]", "[doc]", 1),
            1,
            'unknown table "doc": expected [document], [wikidata], [[claim]], '
            "[[not-modelled]], [[layout]], [[quarantine]]",
        ),
        (
            HEAD[HEAD.index("[[not-modelled]]") :],
            None,
            "the claims file has no [document] table (its title and date)",
        ),
        (HEAD.replace('title = "A Report"\n', ""), 1, '[document] has no "title"'),
        (
            HEAD.replace("2020-01-02", '"2 January 2020"'),
            1,
            '"issued" must be a TOML date or date-time, such as 2013-06-24T19:28:00',
        ),
        (
            HEAD.replace("[document]", "[document]\npages = 2"),
            1,
            '[document] has an unknown key "pages" (known: ends-after, issued, issued-words, language, title)',
        ),
        (
            HEAD + '[wikidata]\n"wco:wco" = "WCO"\n',
            11,
            '[wikidata] maps a resource to a Wikidata item: "wco:name" = "Q123"',
        ),
    ],
    ids=[
        "unterminated string",
        "duplicate key",
        "unknown table",
        "no document",
        "no title",
        "issued not a date",
        "unknown document key",
        "wikidata not an item",
    ],
)
def test_a_malformed_claims_file_is_one_line(tmp_path, claims: str, line: int | None, message: str) -> None:
    error, _ = claims_error(tmp_path, claims)
    where = f"{tmp_path / 'r.claims.toml'}" + (f":{line}" if line else "")
    assert str(error) == f"{where}: {message}"


def test_a_missing_claims_file_is_named(tmp_path) -> None:
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(ClaimsError) as raised:
        read_document(tmp_path / "r.txt")
    assert str(raised.value) == f"{tmp_path / 'r.claims.toml'}: cannot read the claims file: No such file or directory"


def test_words_on_a_contact_line_are_quarantined_and_cannot_be_evidence(tmp_path) -> None:
    text = TEXT + "Write to info@wco.example for more.\n"
    error, _ = claims_error(tmp_path, HEAD + claim("info@wco.example", 'wco:wco schema:email "x" .'), text)
    assert error.line == 11
    assert error.message == (
        'the claim: "info@wco.example" (line 4) is inside quarantined text (email address): it cannot be evidence'
    )


def test_text_no_claim_accounts_for_is_a_source_error_naming_its_line(tmp_path) -> None:
    claims = HEAD.replace('[[not-modelled]]\nquote = "The WCO has a Council."\nreason = "not modelled yet"\n', "")
    source = write(tmp_path, claims + claim("established in 1952", FOUNDED))
    with pytest.raises(SourceError) as raised:
        read_document(source)
    assert str(raised.value) == (
        f'{source}:3: "The WCO has a Council" is accounted for by no claim: quote it in a [[claim]] of '
        "r.claims.toml, or declare it [[not-modelled]], [[layout]] or [[quarantine]] with a reason"
    )


def test_the_cli_reports_a_claims_error_in_one_line_and_writes_nothing(runner, tmp_path) -> None:
    source = write(tmp_path, HEAD + claim("established in 1952", f'{FOUNDED}\nwco:wco ex:foo "1952" .'))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--source", str(source), "--out", str(out), "--edits", str(tmp_path / "e")])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"wcokg: error: {tmp_path / 'r.claims.toml'}:15: ex: is the prefix of no known vocabulary (known: dcat:, "
        "dcterms:, eli:, foaf:, oa:, org:, owl:, prov:, rdf:, rdfs:, schema:, sd:, sh:, skos:, vann:, void:, wco:, "
        "wcokg:, wcosh:, wd:, xsd:)\n"
    )
    assert not out.exists()


def test_the_cli_reports_unaccounted_text_in_one_line(runner, tmp_path) -> None:
    source = write(tmp_path, HEAD + claim("established in 1952", FOUNDED), TEXT + "Buy cheap watches!\n")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--source", str(source), "--out", str(out), "--edits", str(tmp_path / "e")])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    assert result.stderr == (
        f'wcokg: error: {source}:4: "Buy cheap watches" is accounted for by no claim: quote it in a [[claim]] of '
        "r.claims.toml, or declare it [[not-modelled]], [[layout]] or [[quarantine]] with a reason\n"
    )
