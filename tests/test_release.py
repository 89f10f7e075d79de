"""`wcokg release`: a frozen snapshot per release, its exact changes since the previous one (for people and as
RDF Patch), the releases in the VoID description and in output/CHANGES.md, rebuilt identically from a clone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef

from wcokg import layout
from wcokg.cli import cli
from wcokg.namespaces import PREFIXES, Iris

from .conftest import OVERVIEW

WCO = Iris()
DCAT = PREFIXES["dcat"]
STAKEHOLDER = "<https://w3id.org/wcokg/id/goal-5> <https://w3id.org/wcokg/ontology#involvesStakeholder>"


def paths(project, *names):
    options = {
        "out": ["--out", str(project / "output")],
        "edits": ["--edits", str(project / "edits")],
        "releases": ["--releases", str(project / "releases")],
        "source": ["--source", str(project / "sources" / OVERVIEW.name)],
        "shapes": ["--shapes", str(project / "shapes" / layout.SHAPES.name)],
        "ontology": ["--ontology", str(project / "ontology" / layout.ONTOLOGY.name)],
    }
    return [arg for name in names for arg in options[name]]


def release(runner, project, version):
    args = [
        "release",
        version,
        "--date",
        "2026-12-01",
        *paths(project, "out", "edits", "releases", "source", "shapes", "ontology"),
    ]
    return runner.invoke(cli, args)


def edit(runner, project, text, name):
    patch = project / f"{name}.ru"
    patch.write_text("# author: Release Test\n# date: 2026-11-30\n# reason: " + name + "\n" + text, encoding="utf-8")
    args = [
        "update",
        str(patch),
        "--apply",
        *paths(project, "out", "edits", "releases", "source", "shapes", "ontology"),
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result


def void(project) -> Graph:
    return Graph().parse(project / "output" / "void.ttl", format="turtle")


def test_edit_release_edit_release_the_second_changelog_is_exactly_the_second_edit(
    runner, project, tmp_path_factory
) -> None:
    edit(
        runner, project, "DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }", "first"
    )
    first = release(runner, project, "1.0.0")
    assert first.exit_code == 0, first.output
    assert "## 1.0.0 (2026-12-01)\n\nFirst release: 1 edit of the log." in first.stdout
    edit(runner, project, "DELETE DATA { wco:goal-5 wcokg:involvesStakeholder wco:other-border-agencies }", "second")
    changes = (project / "output" / "CHANGES.md").read_text(encoding="utf-8")
    assert "## Unreleased\n\n- 0002-second.ru (2026-11-30, Release Test): second" in changes
    assert (URIRef(WCO.dataset()), URIRef(DCAT + "previousVersion"), WCO.dataset("1.0.0")) in void(project)
    second = release(runner, project, "1.1.0")
    assert second.exit_code == 0, second.output
    # the machine changelog's data lines are exactly the second edit's change
    patch = (project / "releases" / "1.1.0" / "changes.rdfp").read_text(encoding="utf-8").splitlines()
    data = [line for line in patch if line.endswith("<https://w3id.org/wcokg/graph/data> .")]
    assert data == [
        f"D {STAKEHOLDER} <https://w3id.org/wcokg/id/other-border-agencies> <https://w3id.org/wcokg/graph/data> ."
    ]
    notes = (project / "releases" / "1.1.0" / "CHANGES.md").read_text(encoding="utf-8")
    assert "Changes since 1.0.0: 1 edit of the log.\n\n- 0002-second.ru" in notes and "0001-first" not in notes
    assert "  - wcokg:involvesStakeholder wco:other-border-agencies" in notes
    assert "international-organizations" not in notes
    described = void(project)
    assert (URIRef(WCO.dataset()), URIRef(DCAT + "version"), Literal("1.1.0")) in described
    assert (WCO.dataset("1.1.0"), URIRef(DCAT + "previousVersion"), WCO.dataset("1.0.0")) in described
    changes = (project / "output" / "CHANGES.md").read_text(encoding="utf-8")
    assert "Unreleased" not in changes and changes.index("## 1.1.0") < changes.index("## 1.0.0")
    index = json.loads((project / "releases" / "releases.json").read_text())
    assert [(r["version"], r["previous"], r["edits"]) for r in index] == [("1.0.0", None, 1), ("1.1.0", "1.0.0", 2)]
    # a clone of the project's inputs (no output) rebuilds the same bytes, releases included
    clone = tmp_path_factory.mktemp("clone")
    for name in ("sources", "edits", "releases", "ontology", "shapes"):
        shutil.copytree(project / name, clone / name)
    args = paths(clone, "out", "edits", "releases", "source", "shapes", "ontology")
    done = subprocess.run([sys.executable, "-m", "wcokg", "build", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in sorted(p.name for p in (project / "output").iterdir()):
        assert (clone / "output" / name).read_bytes() == (project / "output" / name).read_bytes(), name


@pytest.mark.parametrize(
    "version, message",
    [("1.0", "a release version is MAJOR.MINOR.PATCH"), ("01.0.0", "a release version is MAJOR.MINOR.PATCH")],
)
def test_a_bad_version_is_refused(runner, project, version, message) -> None:
    result = release(runner, project, version)
    assert result.exit_code == 2 and message in result.stderr and not (project / "releases").exists()


def test_a_release_is_never_rewritten_nor_made_of_nothing(runner, project) -> None:
    assert release(runner, project, "1.0.0").exit_code == 0
    again = release(runner, project, "1.0.0")
    assert again.exit_code == 2 and "release 1.0.0 exists already" in again.stderr
    empty = release(runner, project, "1.0.1")
    assert empty.exit_code == 2 and "nothing changed since release 1.0.0" in empty.stderr


def test_an_ontology_changed_without_a_new_version_iri_is_refused(runner, project) -> None:
    assert release(runner, project, "1.0.0").exit_code == 0
    ontology = project / "ontology" / layout.ONTOLOGY.name
    ontology.write_text(ontology.read_text().replace('"Edit"@en ;', '"Edit of the log"@en ;', 1), encoding="utf-8")
    args = ["build", *paths(project, "out", "edits", "releases", "source", "shapes", "ontology")]
    assert runner.invoke(cli, args).exit_code == 0
    edit(runner, project, "DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }", "x")
    result = release(runner, project, "1.1.0")
    assert result.exit_code == 2 and "its owl:versionIRI did not" in result.stderr


def test_diff_right_after_a_release_finds_no_difference(runner, project) -> None:
    """A release keeps the VoID the output is published with as that release, so the two compare equal."""
    assert release(runner, project, "1.0.0").exit_code == 0
    kept = sorted(path.name for path in (project / "releases" / "1.0.0").iterdir())
    assert kept == ["CHANGES.md", "changes.rdfp", "ontology.ttl", "void.ttl", "wcokg.nq"]
    assert (project / "releases" / "1.0.0" / "void.ttl").read_bytes() == (project / "output" / "void.ttl").read_bytes()
    result = runner.invoke(cli, ["diff", str(project / "releases" / "1.0.0"), str(project / "output")])
    assert (result.exit_code, result.stdout) == (0, "no differences\n")
