"""The newcomer's mistakes of issue 21, each with the one line wcokg answers and its exit code.

Each row runs in a private copy of the project (or, ``outside``, in an empty folder): the files it writes
first, the command, then the exact first line of stderr (``None``: nothing on stderr) and the exit code.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from wcokg.cli import cli

from .conftest import DATA

NO_PROJECT = (
    "wcokg: error: no wcokg project here or above (no sources/, no output/): `wcokg init DIR` makes one; "
    "`wcokg build` here builds the example shipped with wcokg"
)
HEADER = "# author: Ada Lovelace\n# reason: A newcomer's edit.\n# quote: work with other international organizations\n"
LONG = "SELECT ?s WHERE { ?s ?p ?o . FILTER(CONTAINS(STR(?o), '" + "a" * 240 + "')) }"  # 300 characters, no /
BOM = b"\xef\xbb\xbf"

MISTAKES = {
    "query: a misspelt keyword": (
        "project",
        {},
        ["query", "SELEC * WHERE {?s ?p ?o}"],
        'wcokg: error: query:1:1: syntax error at "SELEC": unknown keyword; did you mean SELECT?',
        2,
    ),
    "query: a triple without its object": (
        "project",
        {},
        ["query", "SELECT * WHERE { ?s ?p }"],
        'wcokg: error: query:1:24: syntax error at "}": expected an object after ?p',
        2,
    ),
    "update: a misspelt keyword": (
        "project",
        {"insrt.ru": HEADER + 'INSRT DATA { wco:goal-4 skos:altLabel "Facilitation"@en }\n'},
        ["update", "insrt.ru"],
        'wcokg: error: insrt.ru:4:1: syntax error at "INSRT": unknown keyword; did you mean INSERT?',
        2,
    ),
    "update: a README given as the patch": (
        "project",
        {"README.md": "# wcokg\n\nwcokg is a linked-data publisher.\n"},
        ["update", "README.md"],
        'wcokg: error: README.md:3:1: syntax error at "wcokg": this does not look like SPARQL at all: an update '
        "begins with INSERT, DELETE, LOAD, CLEAR …",
        2,
    ),
    "update: DELETE DATA without the language tag": (
        "project",
        {"nolang.ru": HEADER + 'DELETE DATA { wco:goal-4 skos:prefLabel "Trade Facilitation" }\n'},
        ["update", "nolang.ru"],
        'wcokg: error: nolang.ru:4: does not apply: wco:goal-4 skos:prefLabel "Trade Facilitation" is not in the '
        'graph; the graph has "Trade Facilitation"@en: the same text with the language tag @en',
        2,
    ),
    "query outside a project": ("outside", {}, ["query", "goals-naming-an-instrument"], NO_PROJECT, 2),
    "edits outside a project": ("outside", {}, ["edits"], NO_PROJECT, 2),
    "build outside a project": (
        "outside",
        {},
        ["build"],
        "wcokg: no sources/ here or above: building the example shipped with wcokg (wco-overview-2013-06-24) into "
        "output/; `wcokg init DIR` starts a project of your own",
        0,
    ),
    "update: --author and a '# author:' line": (
        "project",
        {
            "retract.ru": HEADER
            + "DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }\n"
        },
        ["update", "retract.ru", "--author", "Grace Hopper"],
        'wcokg: --author overrides the patch\'s "# author: Ada Lovelace"',
        0,
    ),
    "update: the docs' diff recipe, into a scratch copy": (
        "project",
        {},
        ["update", str(DATA / "patches" / "retract-a-link.ru"), "--apply", "--out", "edited/output"]
        + ["--edits", "edited/edits"],
        "applied: edited/edits/0001-retract-a-link.ru; published edited/output",
        0,
    ),
    "validate a directory": (
        "project",
        {},
        ["validate", "/etc"],
        "wcokg: error: /etc: not a regular file (a directory)",
        2,
    ),
    "query: inline SPARQL longer than a file name": ("project", {}, ["query", LONG], None, 0),
    "update: an rdf:XMLLiteral not well-formed": (
        "project",
        {"xml.ru": HEADER + 'INSERT DATA { wco:x rdfs:comment "<a"^^rdf:XMLLiteral }\n'},
        ["update", "xml.ru"],
        'wcokg: error: xml.ru:4: the rdf:XMLLiteral "<a" is not well-formed XML (invalid token); write its markup '
        "whole, or make it a plain string",
        2,
    ),
    "update: a literal as subject": (
        "project",
        {"subject.ru": HEADER + 'INSERT DATA { "x" skos:note "y" }\n'},
        ["update", "subject.ru"],
        "wcokg: error: subject.ru:4:15: a literal cannot be the subject of a triple",
        2,
    ),
    "validate: JSON-LD with a byte order mark": (
        "project",
        {"bom.jsonld": "wcokg.jsonld"},
        ["validate", "bom.jsonld"],
        None,
        0,
    ),
    "validate: Turtle with a byte order mark": ("project", {"bom.ttl": "wcokg.ttl"}, ["validate", "bom.ttl"], None, 0),
}


def _write(folder: Path, files: dict[str, str]) -> None:
    """Each file's text, or for a .jsonld or .ttl one a byte order mark and the published file it names."""
    for name, text in files.items():
        if name.startswith("bom."):
            (folder / name).write_bytes(BOM + (folder / "output" / text).read_bytes())
        else:
            (folder / name).write_text(text, encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    """The project's own files (all but the scratch copy edited/) and their bytes."""
    files = (path for path in folder.rglob("*") if path.is_file() and "edited" not in path.relative_to(folder).parts)
    return {str(path.relative_to(folder)): path.read_bytes() for path in files}


@pytest.mark.parametrize(("where", "files", "args", "line", "code"), MISTAKES.values(), ids=MISTAKES.keys())
def test_a_newcomers_mistake_gets_one_clear_line(
    runner, project, tmp_path_factory, monkeypatch, where, files, args, line, code
) -> None:
    folder = project if where == "project" else tmp_path_factory.mktemp("outside")  # (project is tmp_path)
    _write(folder, files)
    if "edited/output" in args:
        shutil.copytree(project / "output", project / "edited" / "output")
    before = _files(project)
    monkeypatch.chdir(folder)
    result = runner.invoke(cli, args)
    assert (result.stderr.splitlines()[:1] or [None])[0] == line, result.output
    assert result.exit_code == code, result.output
    if "edited/output" in args:  # the project's own edits/ and output/ stay as they were
        assert _files(project) == before


def test_a_diff_right_after_a_release_finds_no_differences(runner, project, monkeypatch) -> None:
    monkeypatch.chdir(project)
    released = runner.invoke(cli, ["release", "1.0.0"])
    assert released.stderr.splitlines()[-1] == "released 1.0.0: releases/1.0.0; published output again"
    result = runner.invoke(cli, ["diff", "releases/1.0.0", "output"])
    assert (result.stdout, result.stderr, result.exit_code) == ("no differences\n", "", 0)


def test_serve_on_a_busy_port_names_the_port_and_the_option(runner, out_dir) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--out", str(out_dir), "--port", str(port)])
    assert result.stderr == (
        f"wcokg: error: cannot listen on 127.0.0.1:{port}: Address already in use (choose another --port)\n"
    )
    assert result.exit_code == 2
