"""The built wheel, installed (not editable) into a fresh venv, runs every command from a folder holding only
sources/: what wcokg needs ships inside the package, what the user works on is found from the current directory;
in an empty folder it builds the example it ships, and `wcokg init` makes a project that builds at once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from wcokg import layout

from .conftest import DATA, OVERVIEW

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a new venv holding wcokg from its wheel; the dependencies come from this environment."""
    wheels = tmp_path_factory.mktemp("wheels")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # --no-index and no build isolation: the build must not reach for the network
    built = pip + ["wheel", "--no-deps", "--no-index", "--no-build-isolation", "-w", str(wheels), str(REPOSITORY)]
    subprocess.run(built, check=True, capture_output=True)
    (wheel,) = wheels.glob("wcokg-*.whl")
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=False)
    (site,) = env.glob("lib/python*/site-packages")
    # A path line, not a copy: .pth files found through it (this environment's editable wcokg) are not run.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        pip + ["--python", str(env / "bin" / "python"), "install", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return env / "bin"


def wcokg(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "wcokg"), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_the_wheel_ships_what_wcokg_reads_and_nothing_of_the_project(installed) -> None:
    done = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "import wcokg, wcokg.layout as l; print(wcokg.__file__, l.ONTOLOGY, l.SHAPES)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    package, ontology, shapes = map(Path, done.stdout.split())
    assert package.is_relative_to(installed.parent), "wcokg must come from the wheel, not from the repository"
    assert ontology.read_bytes() == layout.ONTOLOGY.read_bytes() and ontology.is_relative_to(installed.parent)
    assert shapes.read_bytes() == layout.SHAPES.read_bytes() and shapes.is_relative_to(installed.parent)
    assert (package.parent / "frames" / "facts.json").is_file() and (package.parent / "queries").is_dir()
    example = package.parent / "example"  # the repository's sources/: the overview, its claims, questions, dataset
    assert {p.name for p in example.iterdir()} == {p.name for p in OVERVIEW.parent.iterdir()}
    assert {p.name for p in (example / "queries").iterdir()} == {
        p.name for p in (OVERVIEW.parent / "queries").iterdir()
    }


def test_every_command_runs_from_a_folder_holding_only_sources(installed, tmp_path) -> None:
    project = tmp_path / "project"
    shutil.copytree(OVERVIEW.parent, project / "sources")
    work = project / "sources"  # a subfolder: the project is found upwards, as git finds its repository
    built = wcokg(installed, work, "build")
    assert built.returncode == 0, built.stderr
    assert (project / "output" / "manifest.json").is_file() and not (work / "output").exists()
    names = json.loads((project / "output" / "manifest.json").read_text())["files"]
    assert {"wcokg.ttl", "ontology.ttl", "shapes.ttl", "wcokg-facts.jsonld"} <= set(names)
    assert (project / "output" / "ontology.ttl").read_bytes() == layout.ONTOLOGY.read_bytes()

    asked = wcokg(installed, project, "query", "goals-in-order", "--format", "csv")
    assert asked.returncode == 0, asked.stderr
    assert len(asked.stdout.splitlines()) == 1 + 9  # the header and the nine goals of the source

    checked = wcokg(installed, project, "validate", "output/wcokg.ttl")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    patch = DATA / "patches" / "retract-a-link.ru"
    applied = wcokg(installed, project, "update", str(patch), "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (project / "edits" / f"0001-{patch.name}").is_file()
    assert not (REPOSITORY / "edits").exists() or not (REPOSITORY / "edits" / f"0001-{patch.name}").exists()


def test_outside_any_project_build_builds_the_shipped_example_and_query_reads_it(installed, tmp_path) -> None:
    """Before: `wcokg build` in an empty folder failed for want of sources/; now the example the wheel ships."""
    empty = tmp_path / "empty"
    empty.mkdir()
    built = wcokg(installed, empty, "build")
    assert built.returncode == 0, built.stderr
    assert built.stderr.splitlines()[0] == (
        "wcokg: no sources/ here or above: building the example shipped with wcokg (wco-overview-2013-06-24) into "
        "output/; `wcokg init DIR` starts a project of your own"
    )
    assert (empty / "output" / "manifest.json").is_file() and not (empty / "sources").exists()
    shipped = f"/site-packages/wcokg/example/{OVERVIEW.name}: 5626 bytes"
    assert built.stdout.startswith("source      ") and shipped in built.stdout.splitlines()[0]
    asked = wcokg(installed, empty, "query", "goals-in-order", "--format", "csv")
    assert asked.returncode == 0, asked.stderr
    assert len(asked.stdout.splitlines()) == 1 + 9


def test_init_makes_a_project_that_builds_and_takes_a_new_document(installed, tmp_path) -> None:
    made = wcokg(installed, tmp_path, "init", "proj")
    assert made.returncode == 0, made.stderr
    assert made.stderr == "next: `cd proj && wcokg build`\n"
    project = tmp_path / "proj"
    built = wcokg(installed, project, "build")
    assert built.returncode == 0, built.stderr
    assert "shipped" not in built.stderr and (project / "output" / "manifest.json").is_file()
    # A new document of another kind: its text and its claims file, copied into sources/ and nothing else; the
    # build reads both documents. The press release says the WCO represents 180 administrations on 28 June 2014.
    release = "wco-council-press-release-2014-06-28"
    for suffix in (".txt", ".claims.toml"):
        shutil.copy(DATA / "documents" / f"{release}{suffix}", project / "sources")
    rebuilt = wcokg(installed, project, "build")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    sources = [line.split(":")[0] for line in rebuilt.stdout.splitlines() if line.startswith("source ")]
    assert sources == [f"source      sources/{release}.txt", f"source      sources/{OVERVIEW.name}"]
    asked = wcokg(installed, project, "query", "figures-over-time", "--format", "csv")
    assert asked.returncode == 0, asked.stderr
    represented = [row for row in asked.stdout.splitlines() if "representsAdministrations" in row]
    assert [(row.split(",")[2], row.split(",")[5], row.split(",")[-1]) for row in represented] == [
        ("180", "2014-06-28", "yes"),
        ("179", "2013-06-24", "no"),
    ]


def test_outside_any_project_the_paths_are_options(installed, tmp_path) -> None:
    nowhere = tmp_path / "empty"
    nowhere.mkdir()
    missing = wcokg(installed, nowhere, "build", "--source", "nope.txt")
    assert missing.returncode == 2
    assert missing.stderr == "wcokg: error: nope.txt: cannot read the file: No such file or directory\n"
    source = OVERVIEW
    elsewhere = wcokg(installed, nowhere, "build", "--source", str(source), "--out", str(tmp_path / "out"))
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert not (nowhere / "output").exists() and (tmp_path / "out" / "wcokg.nt").is_file()
