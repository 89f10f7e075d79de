"""``wcokg claims locate``, ``check`` and ``coverage`` on the real source, and output/coverage.md."""

from __future__ import annotations

import re
import shutil
import tomllib
import unicodedata
from pathlib import Path

import pytest

from wcokg import layout
from wcokg.cli import cli
from wcokg.layout import MEDIA_TYPES
from wcokg.pipeline import BuildResult

from .conftest import OVERVIEW, claimed_triples

SOURCE = OVERVIEW
CLAIMS = SOURCE.with_name(SOURCE.stem + ".claims.toml")


def _run(runner, *args: str):
    return runner.invoke(cli, ["claims", *args, "--source", str(SOURCE)])


def test_locate_prints_the_line_the_characters_and_the_context(runner, source_text: str) -> None:
    result = _run(runner, "locate", "WCO  Goals")
    start = source_text.index("WCO Goals")
    assert source_text.count("\n", 0, start) + 1 == 13  # grep -n "WCO Goals" sources/…txt
    assert result.exit_code == 0, result.output
    assert result.output == (
        'quote = "WCO Goals"\n'
        f"# line 13, characters {start}-{start + 9}: …trade, takes on its full meaning. [WCO Goals] Goal 1 - "
        "International Co-operation an…\n"
    )


def test_locate_numbers_each_occurrence_where_the_words_recur(runner, source_text: str) -> None:
    result = _run(runner, "locate", "the WCO")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    starts = [m.start() for m in re.finditer("the WCO", source_text)]
    assert lines[0] == 'quote = "the WCO"'
    assert len(lines) == 1 + len(starts) == 11
    assert lines[1] == (
        f"occurrence = 1  # line 7, characters {starts[0]}-{starts[0] + 7}: …ency of Customs administrations. "
        "Today, [the WCO] represents 179 Customs administrations…"
    )
    assert lines[10].startswith(f"occurrence = 10  # line 32, characters {starts[9]}-{starts[9] + 7}: ")


def test_locate_names_quarantined_words_without_context(runner, source_text: str) -> None:
    result = _run(runner, "locate", "Contact him")
    start = source_text.index("Contact him")
    assert result.exit_code == 0, result.output
    assert result.output == (
        'quote = "Contact him"\n'
        f"# line 35, characters {start}-{start + 11}: quarantined (text after the end of the document; contact "
        "request; phone number; web link): it cannot be evidence\n"
    )


def test_locate_context_stops_at_quarantined_text(runner) -> None:
    result = _run(runner, "locate", "and drivers.")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "# line 32, characters 5202-5214: …reness of the international environment [and drivers.] …"
    )


def test_locate_not_found_prints_the_closest_passage(runner) -> None:
    result = _run(runner, "locate", "WCO Gaols")
    assert result.exit_code == 1
    assert result.output == (
        '"WCO Gaols" is not in sources/wco-overview-2013-06-24.txt; the closest passage, line 13: "WCO Goals"\n'
    )


def test_locate_without_words_is_bad_usage(runner) -> None:
    result = _run(runner, "locate", "  ")
    assert result.exit_code == 2
    assert "Error: WORDS is empty: give the words of the source to find" in result.output


def _counts(text: str) -> dict[str, int]:
    """The four counts recomputed from the claims file with tomllib and str.find, not with wcokg."""
    claims = tomllib.loads(CLAIMS.read_text(encoding="utf-8"))

    def spans(entries) -> list[tuple[int, int]]:
        found = []
        for entry in entries:
            quote = entry if isinstance(entry, str) else entry["quote"]
            occurrence = 1 if isinstance(entry, str) else entry.get("occurrence", 1)
            words = [m for m in re.finditer(r"\s+".join(map(re.escape, quote.split())), text)]
            found.append(words[occurrence - 1].span())
        return found

    document = claims["document"]
    end = text.index(document["ends-after"]) + len(document["ends-after"])
    rest = text[end:]
    quarantined = [(end + len(rest) - len(rest.lstrip()), len(text.rstrip()))]
    claimed = spans([document["title"], *document["issued-words"], *claims["claim"]])
    marks = [None] * len(text)
    for name, found in (
        ("layout", spans(claims.get("layout", []))),
        ("not-modelled", spans(claims.get("not-modelled", []))),
        ("claimed", claimed),
        ("quarantined", quarantined),
    ):
        for start, stop in found:
            marks[start:stop] = [name] * (stop - start)
    for index, character in enumerate(text):
        if marks[index] is None:
            assert character.isspace() or unicodedata.category(character).startswith("P"), (index, character)
            marks[index] = "layout"
    return {name: marks.count(name) for name in ("claimed", "not-modelled", "layout", "quarantined")}


def test_check_resolves_every_claim_in_one_pass(runner, source_text: str) -> None:
    counts = _counts(source_text)
    assert counts["quarantined"] == 392 and sum(counts.values()) == len(source_text) == 5614
    result = _run(runner, "check")
    assert result.exit_code == 0, result.output
    claims = len(tomllib.loads(CLAIMS.read_text(encoding="utf-8"))["claim"])
    triples = len(claimed_triples(CLAIMS))
    assert result.output == (
        f"sources/wco-overview-2013-06-24.claims.toml: {claims} claims, {triples} triples; characters: "
        f"{counts['claimed']} claimed, {counts['not-modelled']} not modelled, {counts['layout']} layout, "
        f"{counts['quarantined']} quarantined (5614 in all, 100% accounted for)\n"
    )


@pytest.fixture()
def copied(tmp_path: Path) -> Path:
    """A copy of the source and its claims file."""
    shutil.copy(SOURCE, tmp_path / SOURCE.name)
    shutil.copy(CLAIMS, tmp_path / CLAIMS.name)
    return tmp_path / SOURCE.name


def test_check_names_the_line_of_a_claim_that_does_not_hold(runner, copied: Path) -> None:
    claims = copied.with_name(CLAIMS.name)
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace('quote = "established in 1952"', 'quote = "established in 1953"'), "utf-8")
    line = text[: text.index('quote = "established in 1952"')].count("\n")  # the [[claim]] header's line
    result = runner.invoke(cli, ["claims", "check", "--source", str(copied)])
    assert result.exit_code == 2
    assert result.output == (
        f'wcokg: error: {claims}:{line}: the claim: "established in 1953" is not in wco-overview-2013-06-24.txt; '
        'the closest passage, line 6: "established in 1952"\n'
    )


def test_check_names_the_source_line_no_claim_accounts_for(runner, copied: Path) -> None:
    claims = copied.with_name(CLAIMS.name)
    text = claims.read_text(encoding="utf-8")
    declared = '[[not-modelled]]\nquote = "takes on its full meaning."\nreason = "rhetoric"\n'
    assert declared in text
    claims.write_text(text.replace(declared, ""), "utf-8")
    result = runner.invoke(cli, ["claims", "check", "--source", str(copied)])
    assert result.exit_code == 2
    assert result.output == (
        f'wcokg: error: {copied}:11: "takes on its full meaning" is accounted for by no claim: quote it in a '
        "[[claim]] of wco-overview-2013-06-24.claims.toml, or declare it [[not-modelled]], [[layout]] or "
        "[[quarantine]] with a reason\n"
    )


def test_coverage_counts_are_the_builds_and_recomputed(runner, source_text: str, built: BuildResult) -> None:
    counts = _counts(source_text)
    assert built.documents[0].coverage.counts == counts
    result = _run(runner, "coverage")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    shares = {name: f"{100 * n / 5614:.1f}%" for name, n in counts.items()}
    assert lines[0] == (
        f"sources/wco-overview-2013-06-24.txt: 5614 characters: {counts['claimed']} claimed ({shares['claimed']}), "
        f"{counts['not-modelled']} not modelled ({shares['not-modelled']}), {counts['layout']} layout "
        f"({shares['layout']}), {counts['quarantined']} quarantined ({shares['quarantined']})"
    )
    assert (
        'line 7   558-635     not modelled  "and can rightly call itself the voice of the international Customs '
        "community.\" (rhetoric: a self-description that adds no fact to the WCO's competence in Customs matters)"
        in lines
    )
    assert lines[-1] == (
        "line 35  5221-5613   quarantined   [quarantined: 392 characters: text after the end of the document; "
        "contact request; phone number; web link]"
    )
    assert "Thank" not in result.output and "WhatsApp" not in result.output


def test_coverage_md_is_published_and_is_the_reports_markdown(runner, built: BuildResult) -> None:
    assert MEDIA_TYPES["coverage.md"] == "text/markdown"
    published = built.files["coverage.md"]
    assert (layout.OUTPUT / "coverage.md").read_bytes() == published, "output/coverage.md is the build's"
    result = _run(runner, "coverage", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output.encode("utf-8") == published
    again = _run(runner, "coverage", "--format", "markdown")
    assert again.output == result.output
    text = published.decode("utf-8")
    assert "| quarantined | 392 | 7.0% |" in text and "| in all | 5614 | 100% |" in text
    assert (
        "| 6 | 110–171 | claimed | established in 1952 as the Customs Co-operation Council (CCC) | "
        "[wco:name-customs-co-operation-council](https://w3id.org/wcokg/id/name-customs-co-operation-council), "
        "[wco:world-customs-organization](https://w3id.org/wcokg/id/world-customs-organization) |"
    ) in text
    assert "| 35 | 5221–5613 | quarantined | \\[quarantined: 392 characters\\] | text after the end" in text
    assert "Thank" not in text and "WhatsApp" not in text
