"""The command line: output, exit codes 0/1/2, one-line errors on stderr, nothing written on failure."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from wcokg import layout
from wcokg.cli import cli
from wcokg.extraction.claims import claims_path

from .conftest import DATA, OVERVIEW, claimed_triples


def test_build_prints_a_summary_and_writes_the_files(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    claims = claims_path(OVERVIEW).read_text(encoding="utf-8").count("\n[[claim]]\n")
    assert f"{claims} claims in sources/wco-overview-2013-06-24.claims.toml" in result.stdout.splitlines()[0]
    assert "quarantined characters 5221-5613 (from line 35): text after the end of the document" in result.stdout
    # 5614 code points (the file's 5626 bytes hold six 3-byte characters: four ’ and two –); the spam is
    # characters 5221-5613 (392); every other character is claimed, not modelled or layout.
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("characters  ")]
    counts = re.fullmatch(
        r"characters  5614 in all: (\d+) claimed, (\d+) not modelled, (\d+) layout, 392 quarantined", line
    )
    assert counts and sum(map(int, counts.groups())) == 5614 - 392, line
    assert f"triples     data {len(claimed_triples(claims_path(OVERVIEW)))}, evidence " in result.stdout
    assert "wcokg:StrategicGoal 9" in result.stdout
    assert "shacl       conforms (0 violations, 0 warnings)" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in layout.OUTPUT.iterdir())


def test_the_summary_names_paths_from_the_current_directory_and_counts_the_edits(runner, tmp_path, monkeypatch):
    """Before: every path absolute, and no word of the edits replayed."""
    edits = tmp_path / "edits"
    edits.mkdir()
    shutil.copy(DATA / "patches" / "retract-a-link.ru", edits / "0001-retract-a-link.ru")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["build", "--source", str(OVERVIEW), "--out", "out", "--edits", str(edits)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"source      {OVERVIEW}: 5626 bytes")  # not under the current directory
    assert "edits       1 replayed from edits/" in lines
    size = (tmp_path / "out" / "wcokg.ttl").stat().st_size
    assert f"wrote       out/wcokg.ttl ({size} bytes)" in lines
    assert result.stderr.endswith(
        "next: `wcokg query source-document --data out/wcokg.nq`, `wcokg query --list`, "
        "`wcokg validate out/wcokg.ttl`\n"
    )


def test_a_missing_source_is_one_line_and_exit_2(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["build", "--source", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == f"wcokg: error: {tmp_path / 'nope.txt'}: cannot read the file: No such file or directory\n"
    assert not (tmp_path / "out").exists()


def _beside_its_claims(tmp_path, name: str, text: bytes) -> tuple:
    """A copy of the overview's claims file as NAME.claims.toml beside ``text`` written as NAME.txt."""
    source, claims = tmp_path / f"{name}.txt", tmp_path / f"{name}.claims.toml"
    source.write_bytes(text)
    shutil.copy(claims_path(OVERVIEW), claims)
    return source, claims


def test_a_source_that_no_longer_has_a_claims_words_names_the_claim_and_the_closest_passage(runner, tmp_path) -> None:
    text = OVERVIEW.read_bytes().replace(b"Goal 4 - Trade", b"Goal - Trade")
    source, claims = _beside_its_claims(tmp_path, "bad", text)
    line = claims.read_text(encoding="utf-8").splitlines().index('quote = "Goal 4 - Trade Facilitation"')
    result = runner.invoke(cli, ["build", "--source", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == (
        f'wcokg: error: {claims}:{line}: the claim: "Goal 4 - Trade Facilitation" is not in bad.txt; '
        'the closest passage, line 21: "Goal - Trade Facilitation"\n'
    )


def test_spam_between_two_goals_fails_the_build_and_writes_nothing(runner, tmp_path) -> None:
    text = OVERVIEW.read_text(encoding="utf-8")
    spam = text[text.index("    Thank you") :]
    # The spam's first line has contact details (quarantined by rule); its list "1: HIV/AIDS" … has none.
    source, _ = _beside_its_claims(
        tmp_path, "spam", text.replace("Goal 5 - Supply", "\n" + spam + "\nGoal 5 - Supply", 1).encode()
    )
    list_line = source.read_text(encoding="utf-8").splitlines().index("    1: HIV/AIDS") + 1
    result = runner.invoke(cli, ["build", "--source", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f'wcokg: error: {source}:{list_line}: "1: HIV/AIDS" is accounted for by no claim: quote it in a [[claim]] '
        "of spam.claims.toml, or declare it [[not-modelled]], [[layout]] or [[quarantine]] with a reason\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_source_without_its_claims_file_is_one_line(runner, tmp_path) -> None:
    source = tmp_path / "lonely.txt"
    source.write_bytes(OVERVIEW.read_bytes())
    result = runner.invoke(cli, ["build", "--source", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"wcokg: error: {tmp_path / 'lonely.claims.toml'}: cannot read the claims file: No such file or directory\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_build_past_its_time_limit_is_one_line_and_leaves_the_output_as_it_was(runner, out_dir, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(out_dir, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    edits = ["--edits", str(tmp_path / "edits")]
    result = runner.invoke(cli, ["build", "--out", str(out), *edits, "--timeout", "0.001"])
    assert result.exit_code == 2, result.output
    assert (
        result.stderr == "wcokg: error: build stopped after 0.001 s (raise --timeout to allow more); nothing written\n"
    )
    assert result.stdout == ""
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert not (tmp_path / ".out.next").exists() and not (tmp_path / ".out.commit").exists()


def test_malformed_shapes_name_file_line_and_column(runner, tmp_path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nex:Shape a sh:NodeShape .\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", "--shapes", str(shapes), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wcokg: error: {shapes}:3:1: ") and "ex:" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_graph_that_does_not_conform_exits_1_and_writes_nothing(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["build", "--shapes", str(DATA / "strict-shapes.ttl"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "DOES NOT CONFORM (9 violations" in result.stdout
    assert "Violation  wco:goal-1  skos:altLabel  A strategic goal needs an alternative label." in result.stdout
    assert "nothing written" in result.stdout
    assert not (tmp_path / "out").exists()


def test_bad_options_exit_2(runner) -> None:
    assert runner.invoke(cli, ["build", "--bogus"]).exit_code == 2
    result = runner.invoke(cli, ["build", "--base", "ftp://example.org/kg"])
    assert result.exit_code == 2 and "--base must be an absolute http(s) IRI" in result.stderr


def test_help_lists_exit_codes(runner) -> None:
    result = runner.invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    assert "1  the graph does not conform" in result.output and "2  bad usage" in result.output


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "wcokg", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("wcokg, version ")
