"""`wcokg update` options as --help states them: an option given wins over the patch's header line (the log
entry records the option's value, and stderr says so where the two differ); --date defaults to today."""

from __future__ import annotations

import datetime as dt

import pytest

from wcokg.cli import cli

from .conftest import OVERVIEW

HEADER = {
    "author": "Ada Lovelace",
    "date": "2026-11-30",
    "reason": "Goal 4 names international organizations only in passing.",
    "quote": "work with other international organizations",
    "quote-start": "1",
}
BODY = "DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }\n"
CASES = {
    "author": (["--author", "Grace Hopper"], {"author": "Grace Hopper"}, ["author"]),
    "reason": (["--reason", "Too weak."], {"reason": "Too weak."}, ["reason"]),
    "date": (["--date", "2026-12-01"], {"date": "2026-12-01"}, ["date"]),
    "quote": (["--quote", "the WCO"], {"quote": "the WCO", "quote-start": None}, ["quote", "quote-start"]),
    "quote-start": (["--quote-start", "2"], {"quote-start": "2"}, ["quote-start"]),
    "cites": (
        ["--cites", "<https://example.org/doc> A document"],
        {"quote": None, "quote-start": None, "cites": "<https://example.org/doc> A document"},
        ["quote", "quote-start"],
    ),
    "the same value": (["--author", "Ada Lovelace"], {}, []),
}


def apply(runner, project, header, *options):
    """`wcokg update --apply` of a patch with ``header`` lines and BODY on the private project; the log entry's
    header fields and the result."""
    patch = project / "retract.ru"
    patch.write_text("".join(f"# {key}: {value}\n" for key, value in header.items()) + BODY, encoding="utf-8")
    paths = ["--edits", str(project / "edits"), "--out", str(project / "output")]
    paths += ["--source", str(project / "sources" / OVERVIEW.name)]
    result = runner.invoke(cli, ["update", str(patch), "--apply", *options, *paths])
    assert result.exit_code == 0, result.output
    entry = (project / "edits" / "0001-retract.ru").read_text(encoding="utf-8")
    fields = dict(line[2:].split(": ", 1) for line in entry.splitlines() if line.startswith("# "))
    return fields, result


@pytest.mark.parametrize(("options", "changed", "replaced"), CASES.values(), ids=CASES.keys())
def test_an_option_wins_over_the_header_line_and_says_so(runner, project, options, changed, replaced) -> None:
    fields, result = apply(runner, project, HEADER, *options)
    expected = {key: value for key, value in (HEADER | changed).items() if value is not None}
    assert fields == expected
    notices = [f'wcokg: {options[0]} overrides the patch\'s "# {key}: {HEADER[key]}"' for key in replaced]
    assert result.stderr.splitlines()[:-1] == notices


def test_the_date_is_today_where_neither_option_nor_header_gives_it(runner, project) -> None:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    fields, _ = apply(runner, project, {k: v for k, v in HEADER.items() if k != "date"})
    assert fields["date"] == today  # (the header's date where no option is given: the cases above)
