"""Every command block of README.md and docs/*.md runs in a copy of the project and prints what the page shows.

The convention (docs/tests.md, "Documentation"): in a ```console block a line starting with ``$ `` is a command
and the lines under it, up to the next command, are what it prints (stdout and stderr as they interleave; a line
``…`` stands for lines left out, and ``…`` inside a line for words left out); the command must exit 0 unless its
line ends with the comment ``# exit N`` (or ``# exit N: why``). In a ```sh block every line is a command, run
for its exit status 0 only. The line before a block may say ``<!-- not run: REASON -->``, REASON naming the test
that runs it instead.
A page's blocks run in order, in one fresh copy of the project, with the project's ``wcokg`` first on PATH; no
command may change a file of the copy (a walkthrough that edits works on a scratch copy of its own), and the real
project is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COPIED = ("sources", "ontology", "shapes", "output", "tests/data", "docs/jena")
"""What a page's commands may read: the project's inputs and output, the test data its examples use, docs/jena."""
NOT_RUN = re.compile(r"<!-- not run: (.+?) -->\s*$", re.MULTILINE)
EXIT = re.compile(r"#\s*exit (\d+)(:[^#]*)?$")
WORDS_LEFT_OUT = "[^\n]*"


@dataclass
class Command:
    line: int
    text: str
    status: int = 0
    shown: list[str] | None = None  # None: the output is not compared (a ```sh block)


@dataclass
class Block:
    page: Path
    line: int
    commands: list[Command] = field(default_factory=list)


def blocks(page: Path) -> list[Block]:
    """The command blocks of a page that the tests run, in order."""
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for token in MarkdownIt("commonmark").parse(text):
        info = token.info.strip() if token.type == "fence" else ""
        if info not in ("sh", "console"):
            continue
        start = token.map[0]  # the fence's line, 0-based
        if start and NOT_RUN.search(lines[start - 1]):
            continue
        block = Block(page, start + 1)
        for offset, row in enumerate(token.content.splitlines(), start + 2):
            if info == "sh":
                if row.strip() and not row.lstrip().startswith("#"):
                    block.commands.append(Command(offset, row, 0, None))
            elif row.startswith("$ "):
                status = EXIT.search(row)
                block.commands.append(Command(offset, row[2:], int(status.group(1)) if status else 0, []))
            elif block.commands:
                block.commands[-1].shown.append(row)
            else:
                raise AssertionError(f"{page.name}:{offset}: output before any `$ ` command")
        found.append(block)
    return found


def shown(printed: list[str], expected: list[str]) -> bool:
    """Whether ``printed`` is what a page shows: a line "…" stands for lines left out, "…" in a line for words."""
    expected = [line.rstrip() for line in expected]
    while expected and not expected[-1]:
        expected.pop()
    pattern = "\n".join(
        ".*" if line.strip() == "…" else WORDS_LEFT_OUT.join(map(re.escape, line.split("…"))) for line in expected
    )
    return re.fullmatch(pattern, "\n".join(line.rstrip() for line in printed).rstrip("\n"), re.S) is not None


def copy_project(target: Path) -> None:
    for name in COPIED:
        source, copy = ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy, symlinks=True)
        else:
            shutil.copy2(source, copy)


RUN = [page for page in PAGES if blocks(page)]


def test_the_pages_have_command_blocks_and_few_are_left_out_each_naming_the_test_that_runs_it() -> None:
    assert sum(len(blocks(page)) for page in PAGES) >= 20
    reasons = [reason for page in PAGES for reason in NOT_RUN.findall(page.read_text(encoding="utf-8"))]
    assert 0 < len(reasons) <= 5, reasons
    for reason in reasons:
        named = re.findall(r"tests/test_\w+\.py", reason)
        assert named and all((ROOT / name).exists() for name in named), reason


@pytest.mark.parametrize("page", RUN, ids=[page.name for page in RUN])
def test_every_command_of_the_page_prints_what_it_shows(page: Path, tmp_path: Path) -> None:
    copy_project(tmp_path)
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "XDG_CACHE_HOME": str(tmp_path / ".cache"),
        "COLUMNS": "120",
    }
    project = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    for block in blocks(page):
        for command in block.commands:
            done = subprocess.run(
                ["bash", "-c", command.text],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=600,  # a safety net for a hang, not a measure
            )
            printed = done.stdout.splitlines()
            where = f"{page.relative_to(ROOT)}:{command.line}: $ {command.text}\n" + done.stdout
            assert done.returncode == command.status, where
            assert command.shown is None or shown(printed, command.shown), where
    # The commands write new files only (a scratch copy, a store, a site), never the project's own.
    assert {path: path.read_bytes() for path in project} == project


def test_the_documentation_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run(
        [str(mkdocs), "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "index.html").exists() and (tmp_path / "editing" / "index.html").exists()
