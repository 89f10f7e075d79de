"""Where a command finds its project (wcokg.layout): outside any, one line and exit 2; `wcokg init` makes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from wcokg import layout
from wcokg.cli import cli

from .conftest import OVERVIEW

NO_PROJECT = (
    "wcokg: error: no wcokg project here or above (no sources/, no output/): `wcokg init DIR` makes one; "
    "`wcokg build` here builds the example shipped with wcokg\n"
)
SHIPPED = sorted(p.relative_to(layout.EXAMPLE).as_posix() for p in layout.EXAMPLE.rglob("*") if p.is_file())
"""The example's files: the overview, its claims file, the dataset's description, the catalog's questions."""
MADE = sorted(
    ["proj/edits/", "proj/ontology/wcokg.ttl", "proj/shapes/wcokg-shapes.ttl", *(f"proj/sources/{f}" for f in SHIPPED)]
)


@pytest.mark.parametrize(
    "command",
    [
        ["query", "goals-in-order"],
        ["edits"],
        ["update", "x.ru"],
        ["release", "1.0.0"],
        ["serve", "--port", "0"],
        ["site", "out"],
        ["load", "--to-dir", "store"],
    ],
    ids=lambda command: command[0],
)
def test_outside_any_project_a_command_says_so_in_one_line(runner, tmp_path, monkeypatch, command) -> None:
    """Before: query said "run `wcokg build` first" and edits listed "0 edits" (exit 0) in any folder."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, command)
    assert (result.exit_code, result.stderr, result.stdout) == (2, NO_PROJECT, "")
    assert list(tmp_path.iterdir()) == []


def test_outside_any_project_the_paths_can_still_be_given(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["edits", "--edits", "log"])
    assert (result.exit_code, result.stderr) == (0, "0 edits in log\n")


def test_a_project_is_the_nearest_folder_with_sources_else_where_the_example_was_built(tmp_path) -> None:
    root = tmp_path.resolve()
    assert layout.find_project(root) is None
    (root / "output").mkdir()
    assert layout.find_project(root) is None  # an output/ that no build published is not a project
    (root / "output" / "manifest.json").write_text("{}", encoding="utf-8")
    assert layout.find_project(root) == root and layout.sources(root) == layout.EXAMPLE
    (root / "deep" / "sources").mkdir(parents=True)
    assert layout.find_project(root / "deep") == root / "deep"
    assert layout.find_project(root / "deep" / "sources") == root / "deep"


def test_init_makes_a_project_and_names_the_next_command(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["init", "proj"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == MADE
    assert result.stderr == "next: `cd proj && wcokg build`\n"
    project = tmp_path / "proj"
    assert {"wco-overview-2013-06-24.txt", "wco-overview-2013-06-24.claims.toml"} <= set(SHIPPED)
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == sorted(
        ["ontology/wcokg.ttl", "shapes/wcokg-shapes.ttl", *(f"sources/{f}" for f in SHIPPED)]
    )
    assert (project / "edits").is_dir() and not any((project / "edits").iterdir())
    assert (project / "ontology" / "wcokg.ttl").read_bytes() == layout.ONTOLOGY.read_bytes()
    assert (project / "shapes" / "wcokg-shapes.ttl").read_bytes() == layout.SHAPES.read_bytes()
    assert (project / "sources" / OVERVIEW.name).read_bytes() == (layout.EXAMPLE / OVERVIEW.name).read_bytes()


def test_init_fills_an_empty_folder(runner, tmp_path, monkeypatch) -> None:
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path / "proj")
    result = runner.invoke(cli, ["init", "."])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path().iterdir()) == ["edits", "ontology", "shapes", "sources"]


@pytest.mark.parametrize("occupied", ["a folder with a file", "a file"])
def test_init_refuses_a_folder_with_anything_in_it(runner, tmp_path, monkeypatch, occupied) -> None:
    monkeypatch.chdir(tmp_path)
    if occupied == "a file":
        Path("proj").write_text("mine\n", encoding="utf-8")
    else:
        Path("proj").mkdir()
        Path("proj", "notes.txt").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(cli, ["init", "proj"])
    assert result.exit_code == 2
    assert result.stderr == (
        "wcokg: error: proj: exists and is not an empty folder; wcokg init writes only in a new or empty one\n"
    )
    assert result.stdout == ""
    kept = Path("proj").read_text() if occupied == "a file" else Path("proj", "notes.txt").read_text()
    assert kept == "mine\n" and len(list(tmp_path.rglob("*"))) == (1 if occupied == "a file" else 2)


def test_the_projects_own_ontology_and_shapes_are_the_defaults(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert (layout.ontology(), layout.shapes()) == (layout.ONTOLOGY, layout.SHAPES)  # no project: the shipped ones
    assert runner.invoke(cli, ["init", "proj"]).exit_code == 0
    project = (tmp_path / "proj").resolve()
    (project / "ontology" / "wcokg.ttl").write_text("not turtle\n", encoding="utf-8")
    monkeypatch.chdir(project / "sources")
    assert layout.shapes() == project / "shapes" / "wcokg-shapes.ttl"
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wcokg: error: {project / 'ontology' / 'wcokg.ttl'}:1:")
    assert not (project / "output").exists()
