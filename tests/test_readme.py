"""README.md and docs/*.md rendered by a CommonMark parser: every code fence closed, the sections where a reader
expects them, every link to a file that exists, every Python example run."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from .conftest import OVERVIEW

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README = PAGES[0].read_text(encoding="utf-8")


def tokens(page: Path) -> list:
    return MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))


def headings(page: Path) -> list[str]:
    found = tokens(page)
    return [found[i + 1].content for i, token in enumerate(found) if token.type == "heading_open"]


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_code_fence_is_closed(page: Path) -> None:
    # An unclosed fence swallows the rest of the file: no fence may hold a Markdown heading line.
    text = page.read_text(encoding="utf-8")
    fences = [token for token in tokens(page) if token.type == "fence"]
    assert text.count("\n```") == 2 * len(fences) - text.count("\n````")
    assert not any(line.startswith("## ") for fence in fences for line in fence.content.splitlines())


def test_the_headings_are_where_expected() -> None:
    readme = headings(PAGES[0])
    assert readme[0] == "wcokg"
    assert readme.index("Quick start") < readme.index("A tour of the commands") < readme.index("Where to go next")
    assert headings(ROOT / "docs" / "model.md")[:2] == ["The model", "What is published (`output/`)"]


def test_the_readme_links_to_files_that_exist() -> None:
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README)
    assert "docs/getting-started.md" in links
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_the_python_examples_run(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples use the repository's project, and write nothing
    examples = [
        (page, token.content)
        for page in PAGES
        for token in tokens(page)
        if token.type == "fence" and token.info.strip() == "python"
    ]
    assert len(examples) >= 3
    for number, (page, example) in enumerate(examples, 1):
        exec(compile(example, f"{page.name} python example {number}", "exec"), {})  # noqa: S102 - the point


def test_the_quick_start_states_the_sources_sha256_and_the_packages_ci_installs() -> None:
    root = Path(__file__).resolve().parents[1]
    stated = re.search(r"sha256 ([0-9a-f]+)…", README).group(1)
    assert hashlib.sha256(OVERVIEW.read_bytes()).hexdigest().startswith(stated) and len(stated) >= 12
    script = (root / ".ci" / "run").read_text(encoding="utf-8").replace("\\\n", " ")
    apt = re.search(r"apt-get install -y -q (.+)", script).group(1)
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    assert f"sudo for {words[len(apt.split())]} Debian package" in README
