"""Nesting past what a parser survives is refused before any parser sees the text: SPARQL queries and updates
(wcokg query, update, build) and JSON-LD at the highest --max-depth, each as a real process that would otherwise
die of a stack overflow."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wcokg import layout
from wcokg.cli import cli
from wcokg.errors import QueryError
from wcokg.sparql.nesting import check_nesting
from wcokg.sparql.query import default_files

from .conftest import OVERVIEW

DEEP_UPDATE = "DELETE { ?s ?p ?o } WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000 + "\n"
"""The measured reproducer: 6 KB that made pyoxigraph's parser overflow the stack of `wcokg update` and `build`."""


def wcokg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wcokg", *args], capture_output=True, text=True, check=False)


def project_paths(project) -> list[str]:
    return ["--edits", str(project / "edits"), "--out", str(project / "output")] + [
        *("--source", str(project / "sources" / OVERVIEW.name)),
        *("--shapes", str(project / "shapes" / layout.SHAPES.name)),
    ]


def test_the_deep_patch_is_refused_by_wcokg_update_in_one_line(project, tmp_path) -> None:
    patch = tmp_path / "n.ru"
    patch.write_text(DEEP_UPDATE, encoding="utf-8")
    done = wcokg("update", str(patch), *project_paths(project))
    assert done.returncode == 2
    assert done.stderr == f"wcokg: error: {patch}:1:127: nested deeper than 100 levels\n"


def test_the_deep_patch_in_the_edit_log_is_refused_by_wcokg_build_in_one_line(project) -> None:
    entry = project / "edits" / "0001-deep.ru"
    entry.parent.mkdir()
    entry.write_text("# author: Ada Lovelace\n# date: 2026-11-30\n# reason: A test.\n" + DEEP_UPDATE, encoding="utf-8")
    before = {path.name: path.read_bytes() for path in (project / "output").iterdir()}
    done = wcokg("build", *project_paths(project))
    assert done.returncode == 2
    assert done.stderr == "wcokg: error: edits/0001-deep.ru:4:127: nested deeper than 100 levels\n"
    assert {path.name: path.read_bytes() for path in (project / "output").iterdir()} == before


def test_a_deep_query_is_refused_by_wcokg_query_in_one_line(out_dir) -> None:
    text = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    done = wcokg("query", text, *(arg for path in default_files(out_dir) for arg in ("--data", str(path))))
    assert done.returncode == 2
    assert done.stderr == "wcokg: error: query:1:116: nested deeper than 100 levels\n"


def test_deep_jsonld_is_refused_at_the_highest_max_depth_in_one_line(tmp_path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text('{"@id": "http://x/a", "http://x/p": ' + '{"http://x/p": ' * 3500 + "1" + "}" * 3501)
    done = wcokg("validate", "--max-depth", "500", str(path))
    assert done.returncode == 2
    assert done.stderr == f"wcokg: error: {path}:1:7522: nested deeper than 500 levels (--max-depth)\n"


def test_max_depth_above_the_ceiling_is_refused(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["validate", "--max-depth", "501", str(tmp_path / "any.jsonld")])
    assert result.exit_code == 2
    assert "Invalid value for '--max-depth': 501 is not in the range 1<=x<=500." in result.stderr


def test_braces_in_a_string_are_not_nesting(runner, out_dir) -> None:
    text = 'SELECT ?x WHERE { BIND("' + "{" * 5000 + '" AS ?x) }'
    data = [arg for path in default_files(out_dir) for arg in ("--data", str(path))]
    result = runner.invoke(cli, ["query", text, "--format", "csv", *data])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["x", "{" * 5000]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("SELECT * {\n  FILTER(((1)))\n}", "2:11"),
        ('ASK { FILTER("{{{{" = """((((\n((((""") } # ((((', None),
        ("ASK { <x:a#> <x:p> [ <x:q> ((1)) ] }", "1:29"),
        ("ASK { ?s ex:a\\# ((( ) }", "1:19"),
        ("ASK { ?s ex:a\\' (((( ')' }", "1:19"),
        ("ASK { FILTER(?a <x:)))>((( 1))) }", "1:25"),
        ("ASK { FILTER(?a <x:((((>1) }", "1:21"),
        ("ASK \\u007B \\u007B \\u007B \\u007B ?s ?p ?o } } } }", "1:26"),
        ("ASK { ?s ?p <x:\\u0041#> ((( ) }", "1:27"),
    ],
    ids=[
        "second line",
        "strings and comments",
        "hash in an IRI",
        "escaped hash in a name",
        "escaped quote in a name",
        "closing brackets in an IRI",
        "opening brackets in an IRI",
        "escaped braces (rdflib's reading)",
        "escape in an IRI",
    ],
)
def test_what_counts_as_nesting(text, place) -> None:
    if place is None:
        check_nesting(text, "q", 3)
        return
    with pytest.raises(QueryError) as raised:
        check_nesting(text, "q", 3)
    assert str(raised.value) == f"q:{place}: nested deeper than 3 levels"
