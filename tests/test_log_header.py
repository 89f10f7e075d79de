"""Header values of the edit log round-trip whatever they hold (newlines, white space at the ends, '#', double
quotes, backslashes, Unicode line separators): the entry written reads back as the patch applied, and a build
of the project after the edit reproduces the published output byte for byte. The dry run and --apply give the
same answer on literals that hold line separators, and XML literals with a DOCTYPE are refused in one line."""

from __future__ import annotations

import shutil

import pytest

from wcokg import layout
from wcokg.cli import cli
from wcokg.edit import log
from wcokg.edit.log import compose, parse_patch, read_log

from .conftest import OVERVIEW
from .test_update import run, snapshot, write_patch

INSERT = 'INSERT DATA { wco:revised-kyoto-convention skos:altLabel "RKC"@en }\n'
CITED = ["--cites", "<https://www.wcoomd.org/en/about-us/wco-members.aspx> WCO Members"]
AWKWARD = ' "Ada"\n  Love#lace \\ \u2028 x\u0085y\u000cz\u001e '
"""Every character the header's own syntax cannot carry as it is."""
QUOTE = "Trade Facilitation\nThe WCO promotes the Revised Kyoto Convention"


def rebuilt(runner, project, tmp_path):
    """The output a fresh clone of the project (source, log, ontology, shapes) builds."""
    clone = tmp_path / "clone"
    for name in ("sources", "edits", "ontology", "shapes"):
        if (project / name).exists():
            shutil.copytree(project / name, clone / name)
    result = runner.invoke(
        cli,
        [
            "build",
            *("--source", str(clone / "sources" / OVERVIEW.name), "--edits", str(clone / "edits")),
            *("--out", str(clone / "output"), "--shapes", str(clone / "shapes" / layout.SHAPES.name)),
            *("--ontology", str(clone / "ontology" / layout.ONTOLOGY.name)),
        ],
    )
    assert result.exit_code == 0, result.output
    return snapshot(clone / "output")


@pytest.mark.parametrize(
    "value",
    [AWKWARD, "trailing ", " leading", '"quoted" words', "a # b", "back\\slash", "tab\tinside", "line\rfeed", "é"],
)
@pytest.mark.parametrize("field", ["author", "reason", "quote", "cites"])
def test_every_header_value_reads_back_as_it_was_given(field, value) -> None:
    given = f"<https://example.org/doc> {value}" if field == "cites" else value
    defaults = {"author": "A", "reason": "R", "date": "2026-11-30", field: given}
    patch = parse_patch(INSERT, "patch.ru", "patch.ru", defaults)
    entry = compose(patch, 1, "patch")
    again = parse_patch(entry.text, entry.name, entry.name)
    for attribute in ("author", "date", "reason", "quote", "quote_start", "cites", "cites_title"):
        assert getattr(again, attribute) == getattr(patch, attribute)
    lines = entry.text.split("\n")
    assert all(line.startswith("# ") for line in lines[: entry.body_line - 1])  # each value on its own line
    assert lines[entry.body_line - 1 :] == [INSERT.rstrip("\n"), ""]
    if field == "quote":  # the words of the source, kept exactly
        assert again.quote == value


def test_a_value_is_kept_as_it_is_where_it_can_be_and_written_as_json_where_it_cannot() -> None:
    assert log.encode_value('work with "other" organizations # 4 \\ tab\there') == (
        'work with "other" organizations # 4 \\ tab\there'
    )
    assert log.encode_value(QUOTE) == '"Trade Facilitation\\nThe WCO promotes the Revised Kyoto Convention"'
    assert (
        log.encode_value('"x" \u2028\u2029\u0085\u000b\u000c\u001c\r ')
        == '"\\"x\\" \\u2028\\u2029\\u0085\\u000b\\f\\u001c\\r "'
    )


def test_a_body_that_opens_with_a_header_like_comment_stays_in_the_body() -> None:
    text = f"# author: A\n# date: 2026-11-30\n# reason: R\n\n# quote: not a field of this edit\n{INSERT}"
    entry = compose(parse_patch(text, "patch.ru", "patch.ru"), 1, "patch")
    assert entry.quote is None and "\n\n# quote: not a field of this edit\n" in entry.text


JSON_ONLY = 'reason starts with a double quote, so it must be one JSON string literal ("…", \\" for ")'


@pytest.mark.parametrize(
    "line, message",
    [
        ('# reason: "unterminated', f"patch.ru:2: {JSON_ONLY}"),
        ('# reason: "two" "strings"', f"patch.ru:2: {JSON_ONLY}"),
        ('# reason: "\\ud800"', "patch.ru:1: reason holds '\\ud800', which is not a character: give it as UTF-8 text"),
    ],
    ids=["unterminated", "two strings", "lone surrogate"],
)
def test_a_malformed_json_value_is_refused_with_its_line(line, message) -> None:
    with pytest.raises(log.EditLogError) as caught:
        parse_patch(f"# date: 2026-11-30\n{line}\n{INSERT}", "patch.ru", "patch.ru", {"author": "A"})
    assert str(caught.value) == message


APPLIED = [
    (["--author", AWKWARD, *CITED], "author", '"Ada" Love#lace \\ x y z'),
    (["--reason", AWKWARD, *CITED], "reason", '"Ada" Love#lace \\ x y z'),
    (["--cites", f"<https://example.org/doc> {AWKWARD}"], "cites_title", '"Ada" Love#lace \\ x y z'),
    (["--quote", QUOTE], "quote", QUOTE),
    (
        ["--quote", "The WCO promotes the Revised Kyoto Convention "],
        "quote",
        "The WCO promotes the Revised Kyoto Convention ",
    ),
    (
        ["--quote", "\nThe WCO promotes the Revised Kyoto Convention"],
        "quote",
        "\nThe WCO promotes the Revised Kyoto Convention",
    ),
]
"""Each header field given a value its syntax cannot carry as it is: the options, the field, the value read back
(author, reason and the cites title have their white space folded; a quote is kept exactly)."""


def test_applied_header_values_read_back_and_rebuild_to_the_same_bytes(runner, project, tmp_path) -> None:
    """Six edits, one a field, applied one after the other: each entry reads back as given, and the log of six
    replays to the published output byte for byte."""
    defaults = {"--author": "Ada Lovelace", "--reason": "A test of the header.", "--date": "2026-11-30"}
    for number, (options, field, expected) in enumerate(APPLIED, start=1):
        given = [item for key, value in defaults.items() if key not in options for item in (key, value)]
        patch = write_patch(tmp_path, INSERT.replace("RKC", f"RKC {number}"), f"p{number}.ru")
        result = run(runner, project, "update", str(patch), "--apply", *given, *options)
        assert result.exit_code == 0, result.output
        assert getattr(read_log(project / "edits")[-1], field) == expected, field
    assert rebuilt(runner, project, tmp_path) == snapshot(project / "output")


def test_the_issue_reproducer_rebuilds(runner, project, tmp_path) -> None:
    patch = write_patch(tmp_path, INSERT.rstrip("\n"), "q.ru")
    result = run(runner, project, "update", str(patch), "--apply", "--author", "a", "--reason", "r", "--quote", QUOTE)
    assert result.exit_code == 0, result.output
    lines = (project / "edits" / "0001-q.ru").read_text(encoding="utf-8").split("\n")
    assert lines[3:] == [
        '# quote: "Trade Facilitation\\nThe WCO promotes the Revised Kyoto Convention"',
        INSERT.rstrip("\n"),
        "",
    ]
    assert rebuilt(runner, project, tmp_path) == snapshot(project / "output")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--date", "2026-11-30\n"], "date '2026-11-30\\n' is not a date such as 2026-11-30"),
        (["--date", " 2026-11-30"], "date ' 2026-11-30' is not a date such as 2026-11-30"),
        (["--quote", QUOTE, "--quote-start", "²"], "quote-start must be a character offset, and goes with quote"),
    ],
    ids=["date with a newline", "date with a space", "superscript offset"],
)
def test_a_value_that_cannot_be_meant_is_one_line_and_writes_nothing(runner, project, tmp_path, options, message):
    patch = write_patch(tmp_path, INSERT)
    result = run(runner, project, "update", str(patch), "--apply", "--author", "a", "--reason", "r", *options)
    assert result.exit_code == 2 and result.stderr == f"wcokg: error: {patch}:1: {message}\n"
    assert not (project / "edits").exists()


def test_an_entry_that_would_not_read_back_is_refused_and_nothing_is_published(
    runner, project, tmp_path, monkeypatch
) -> None:
    """The check behind the encoding: with the old writer (every value as it is), nothing is published."""
    monkeypatch.setattr(log, "encode_value", lambda value: value)
    before = snapshot(project / "output")
    patch = write_patch(tmp_path, INSERT)
    result = run(runner, project, "update", str(patch), "--apply", "--author", "a", "--reason", "r", "--quote", QUOTE)
    assert result.exit_code == 2
    assert result.stderr == (
        f"wcokg: error: {patch}: 0001-patch.ru would not read back as it was meant: quote 'Trade Facilitation', "
        "not 'Trade Facilitation\\nThe WCO promotes the Revised Kyoto Convention'; nothing written\n"
    )
    assert snapshot(project / "output") == before and not (project / "edits").exists()


SEPARATORS = ["\u2028", "\u0085", "\u000c", "\u001e"]


def test_literals_with_line_separators_get_the_same_answer_from_the_dry_run_and_apply(
    runner, project, tmp_path
) -> None:
    labels = " , ".join(f'"R{character}KC"@en' for character in SEPARATORS)
    patch = write_patch(tmp_path, f"INSERT DATA {{ wco:revised-kyoto-convention skos:altLabel {labels} }}\n")
    dry = run(runner, project, "update", str(patch), "--author", "a", "--reason", "r", *CITED)
    applied = run(runner, project, "update", str(patch), "--apply", "--author", "a", "--reason", "r", *CITED)
    assert (dry.exit_code, applied.exit_code) == (0, 0), applied.output
    assert rebuilt(runner, project, tmp_path) == snapshot(project / "output")
    nt = (project / "output" / "wcokg.nt").read_text(encoding="utf-8")
    for character in SEPARATORS:
        assert f'"R{character}KC"@en .\n' in nt, ascii(character)


@pytest.mark.parametrize(
    "xml",
    [
        "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
        "<!DOCTYPE x><x/>",
        "<!DOCTYPE x [<!ENTITY e 'e'>]><x>&e;</x>",
    ],
    ids=["system entity", "doctype", "internal entity"],
)
@pytest.mark.parametrize("apply", [[], ["--apply"]], ids=["dry run", "apply"])
def test_an_xml_literal_with_a_doctype_is_refused_in_one_line(runner, project, tmp_path, xml, apply) -> None:
    patch = write_patch(
        tmp_path, f'PREFIX ex: <https://example.org/>\n\nINSERT DATA {{ wco:x ex:note "{xml}"^^rdf:XMLLiteral }}\n'
    )
    result = run(runner, project, "update", str(patch), *apply, "--author", "a", "--reason", "r", *CITED)
    assert result.exit_code == 2
    assert result.stderr == (
        f"wcokg: error: {patch}:3: an rdf:XMLLiteral may not declare a DOCTYPE or entities (XML literals are XML "
        "content, without a DTD)\n"
    )
    assert not (project / "edits").exists()


def test_an_xml_literal_without_declarations_is_accepted(runner, project, tmp_path) -> None:
    patch = write_patch(tmp_path, 'INSERT DATA { wco:x rdfs:comment "<a>x</a><b/>"^^rdf:XMLLiteral }\n')
    result = run(runner, project, "update", str(patch), "--author", "a", "--reason", "r", *CITED)
    assert result.exit_code == 0 and result.stderr.endswith("run again with --apply to publish it as 0001-patch.ru\n")
