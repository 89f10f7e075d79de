"""README.md rendered by a CommonMark parser: every code fence closed, the sections where a reader expects them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from markdown_it import MarkdownIt

from .conftest import OVERVIEW

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
TOKENS = MarkdownIt("commonmark").parse(README)


def test_every_code_fence_is_closed() -> None:
    # An unclosed fence swallows the rest of the file: no fence may hold a Markdown heading line.
    fences = [token for token in TOKENS if token.type == "fence"]
    assert fences and README.count("\n```") == 2 * len(fences) - README.count("\n````")
    assert not any(line.startswith("## ") for fence in fences for line in fence.content.splitlines())


def test_the_headings_are_where_expected() -> None:
    headings = [TOKENS[i + 1].content for i, token in enumerate(TOKENS) if token.type == "heading_open"]
    assert headings[0].startswith("wcokg") or headings[0]
    assert headings.index("Quick start") < headings.index("What is published (`output/`)")


def test_the_python_examples_run(monkeypatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # the examples use the repository's project
    examples = [token.content for token in TOKENS if token.type == "fence" and token.info.strip() == "python"]
    assert examples
    for number, example in enumerate(examples, 1):
        exec(compile(example, f"README.md python example {number}", "exec"), {})  # noqa: S102 - the point


def test_the_quick_start_states_the_sources_sha256_and_the_packages_ci_installs() -> None:
    root = Path(__file__).resolve().parents[1]
    stated = re.search(r"sha256 ([0-9a-f]+)…", README).group(1)
    assert hashlib.sha256(OVERVIEW.read_bytes()).hexdigest().startswith(stated) and len(stated) >= 12
    script = (root / ".ci" / "run").read_text(encoding="utf-8").replace("\\\n", " ")
    apt = re.search(r"apt-get install -y -q (.+)", script).group(1)
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    assert f"sudo for {words[len(apt.split())]} Debian package" in README
