"""Hostile input: budgets checked before any parser, and every failure one line with exit 2, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import click
import pytest

from wcokg import layout
from wcokg.cli import cli
from wcokg.errors import BudgetExceeded, QueryError
from wcokg.limits import budget

from .conftest import OVERVIEW

WCOKG = [sys.executable, "-m", "wcokg"]


HEAD = '{"@context": {"p": "http://example.org/p"}, "@id": "http://example.org/s", "p": '


def deep_jsonld(depth: int) -> str:
    """A JSON-LD node with ``depth`` levels nested in it (3,500 levels crash pyoxigraph's recursive parser)."""
    return HEAD + '{"p": ' * depth + '"x"' + "}" * depth + "}"


def test_a_3500_deep_jsonld_document_is_refused_before_the_parser_crashes(tmp_path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text(deep_jsonld(3500) + " " * (175_000 - len(deep_jsonld(3500))), encoding="utf-8")
    # A subprocess: were the check missing, pyoxigraph would kill the process (exit 139), not raise.
    done = subprocess.run([*WCOKG, "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    # Level 101 is the 100th '{"p": ' after the head (the outer node is level 1).
    column = len(HEAD) + 99 * len('{"p": ') + 1
    assert done.stderr == f"wcokg: error: {path}:1:{column}: nested deeper than 100 levels (--max-depth)\n"


def test_max_depth_is_an_option(runner, tmp_path) -> None:
    path = tmp_path / "nested.jsonld"
    path.write_text(deep_jsonld(5), encoding="utf-8")
    refused = runner.invoke(cli, ["validate", "--max-depth", "5", str(path)])
    assert refused.exit_code == 2 and "nested deeper than 5 levels (--max-depth)" in refused.stderr
    allowed = runner.invoke(cli, ["validate", "--max-depth", "6", str(path)])
    assert allowed.exit_code == 1 and "nothing to validate" in allowed.stderr  # parsed; no resource of the ontology


def test_a_20_mb_literal_is_refused_with_its_place(runner, tmp_path) -> None:
    path = tmp_path / "big.nt"
    path.write_text('<http://example.org/s> <http://example.org/p> "' + "a" * 20_000_000 + '" .\n', encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"wcokg: error: {path}:1:47: a string of 20000000 bytes, over the 4194304-byte limit (--max-literal)\n"
    )
    smaller = runner.invoke(cli, ["validate", "--max-literal", "100", str(layout.output() / "wcokg.nt")])
    assert smaller.exit_code == 2 and "over the 100-byte limit (--max-literal)" in smaller.stderr


def test_max_bytes_is_checked_before_the_file_is_read(runner, tmp_path) -> None:
    published = layout.output() / "wcokg.ttl"
    result = runner.invoke(cli, ["validate", "--max-bytes", "1000", str(published)])
    size = published.stat().st_size
    assert result.exit_code == 2
    assert result.stderr == f"wcokg: error: {published}: {size} bytes, over the 1000-byte limit (--max-bytes)\n"


@pytest.mark.parametrize(
    "name, text, place, cause",
    [
        ("rtl.ttl", '<http://example.org/s> <http://example.org/p> "x"@ar--rtl .\n', "1:50", "directional language"),
        (
            "direction.jsonld",
            json.dumps({"@id": "http://example.org/s", "http://example.org/p": {"@value": "x", "@direction": "rtl"}}),
            "1:73",
            "JSON-LD @direction",
        ),
        (
            "triple-term.ttl",
            "<http://example.org/s> <http://example.org/p>\n"
            "  <<( <http://example.org/s> <http://example.org/p> 1 )>> .\n",
            "2:3",
            "triple terms",
        ),
        ("rtl.nt", '<http://example.org/s> <http://example.org/p> "x"@ar--rtl .\n', "1:50", "directional language"),
        (
            "triple-term.nq",
            '<http://example.org/s> <http://example.org/p> "a -- b" .\n'
            "<http://example.org/s> <http://example.org/p> <<( <http://example.org/s> <http://example.org/p> 1 )>> .\n",
            "2:47",
            "triple terms",
        ),
    ],
    ids=["directional language tag", "JSON-LD @direction", "triple term", "N-Triples tag", "N-Quads triple term"],
)
def test_rdf_12_terms_rdflib_cannot_hold_are_refused_with_a_position(runner, tmp_path, name, text, place, cause):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"wcokg: error: {path}:{place}: ") and cause in result.stderr
    assert result.stderr.count("\n") == 1


def test_jsonld_errors_name_the_line_and_column_where_the_parser_stopped(runner, tmp_path) -> None:
    path = tmp_path / "bad.jsonld"
    path.write_text('{"@id": "http://example.org/s",\n "http://example.org/p": {"@value": 1, "@language": "en"}}')
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    # The value object closes at line 2, column 58: there pyoxigraph knows the @language is misplaced.
    assert result.stderr == f"wcokg: error: {path}:2:58: @language can be used only on a string @value\n"


def test_a_full_disk_on_stdout_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*WCOKG, "query", "goals-in-order"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr == "wcokg: error: No space left on device\n"


@pytest.fixture
def failing_command():
    """A command that fails as a bug would: no command of wcokg is known to, so the test adds one."""

    @cli.command("fail-for-test")
    def fail() -> None:
        raise RecursionError("maximum recursion depth exceeded")

    yield
    cli.commands.pop("fail-for-test")


def test_an_unexpected_error_is_one_line_and_exit_2_with_the_traceback_only_under_debug(runner, failing_command):
    result = runner.invoke(cli, ["fail-for-test"])
    assert result.exit_code == 2
    assert result.stderr == (
        "wcokg: error: unexpected RecursionError: maximum recursion depth exceeded"
        " (run with --debug for the traceback)\n"
    )
    debug = runner.invoke(cli, ["--debug", "fail-for-test"])
    assert isinstance(debug.exception, RecursionError)
    assert not isinstance(debug.exception, click.ClickException)


# -- inputs that are not regular files, and the size and time budgets of every command that reads files ---------


def test_dev_zero_as_query_data_is_refused_before_a_byte_is_read() -> None:
    # A subprocess with a safety net: read, /dev/zero never ends (6.4 GB in 20 s before the check).
    done = subprocess.run(
        [*WCOKG, "query", "ASK {}", "--data", "/dev/zero"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == "wcokg: error: /dev/zero: not a regular file (a character device)\n"


def _fifo_commands(project, fifo):
    """Each command that reads input files, given the FIFO where it takes a path (or output/ holding one)."""
    with_fifo = project / "fifo-output"
    shutil.copytree(project / "output", with_fifo)
    (with_fifo / "wcokg.nq").unlink()
    os.mkfifo(with_fifo / "wcokg.nq")
    source = ["--source", str(fifo)]
    return {
        "query": (["query", "ASK {}", "--data", str(fifo)], fifo),
        "diff": (["diff", str(project / "output"), str(fifo)], fifo),
        "release": (["release", "1.0.0", "--out", str(project / "output"), "--releases", str(project), *source], fifo),
        "load": (["load", "--to-dir", str(project / "store"), "--out", str(with_fifo)], with_fifo / "wcokg.nq"),
        "site": (["site", str(project / "site"), "--out", str(project / "output"), *source], fifo),
    }


@pytest.mark.parametrize("command", ["query", "diff", "release", "load", "site"])
def test_a_fifo_is_refused_in_one_line_not_waited_on(project, command) -> None:
    fifo = project / "input.nq"
    os.mkfifo(fifo)
    args, named = _fifo_commands(project, fifo)[command]
    # A subprocess with a safety net: opened for reading, a FIFO without a writer blocks forever.
    done = subprocess.run([*WCOKG, *args], capture_output=True, text=True, timeout=60, cwd=project)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"wcokg: error: {named}: not a regular file (a FIFO)\n"


def test_a_directory_where_a_file_is_expected_is_refused(runner, tmp_path) -> None:
    folder = tmp_path / "folder.nt"
    folder.mkdir()
    result = runner.invoke(cli, ["query", "ASK {}", "--data", str(folder)])
    assert result.exit_code == 2
    assert result.stderr == f"wcokg: error: {folder}: not a regular file (a directory)\n"


@pytest.mark.parametrize("command", ["query", "diff"])
def test_max_bytes_of_query_data_and_diff(runner, out_dir, command) -> None:
    published = out_dir / "wcokg.nq"
    args = (
        ["query", "ASK {}", "--data", str(published)] if command == "query" else ["diff", str(published), str(out_dir)]
    )
    result = runner.invoke(cli, [*args, "--max-bytes", "1000"])
    size = published.stat().st_size
    assert result.exit_code == 2
    assert result.stderr == f"wcokg: error: {published}: {size} bytes, over the 1000-byte limit (--max-bytes)\n"


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "{out}", "{out}"],
        ["site", "{tmp}/site", "--out", "{out}"],
        ["load", "--to-dir", "{tmp}/store", "--out", "{out}"],
    ],
    ids=["diff", "site", "load"],
)
# The alarm may land inside open() after the file object is made: it is then closed by the collector, with a warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_timeout_of_diff_site_and_load_stops_them_with_nothing_written(runner, out_dir, tmp_path, args) -> None:
    command = [arg.format(out=out_dir, tmp=tmp_path) for arg in args]
    result = runner.invoke(cli, [*command, "--timeout", "0.001"])
    assert result.exit_code == 2, result.output
    assert (
        result.stderr
        == f"wcokg: error: {args[0]} stopped after 0.001 s (raise --timeout to allow more); nothing written\n"
    )
    assert not (tmp_path / "site").exists()


def test_timeout_of_release_stops_it_before_it_writes(runner, project) -> None:
    args = ["release", "1.0.0", "--date", "2026-12-01", "--timeout", "0.001"]
    paths = [
        "--out",
        "output",
        "--releases",
        "releases",
        "--edits",
        "edits",
        "--source",
        "sources/" + OVERVIEW.name,
    ]
    result = runner.invoke(cli, [*args, *[str(project / p) if p[0] != "-" else p for p in paths]])
    assert result.exit_code == 2, result.output
    assert (
        result.stderr
        == "wcokg: error: release stopped after 0.001 s (raise --timeout to allow more); nothing written\n"
    )
    assert not (project / "releases").exists()


def test_a_time_limit_passes_through_code_that_wraps_every_exception() -> None:
    """A reader that names its file on any Exception (``except Exception as exc: raise …(f"{path}: {exc}")``) must not
    turn the time limit into its own error: the limit reaches the command as it is, whatever ran when it struck."""
    with pytest.raises(BudgetExceeded) as stopped:
        with budget("reading", 0.05):
            try:
                time.sleep(60)
            except Exception as exc:  # what such a reader does
                raise QueryError(f"data.nt: {exc}") from None
    assert str(stopped.value) == "reading stopped after 0.05 s (raise --timeout to allow more); nothing written"
