"""The README and docs/ stay true: the quick start, the tour of every command and the exit codes match the CLI."""

from __future__ import annotations

import re

from wcokg import layout
from wcokg.cli import cli

README = (layout.ROOT / "README.md").read_text(encoding="utf-8")
EXIT_CODES = (layout.ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")


def test_quick_start_is_two_commands_that_exist() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert len(commands) == 2
    assert commands[0].endswith("pip install -e . && wcokg build")
    assert commands[1] == "bash .ci/run" and (layout.ROOT / ".ci" / "run").exists()


def test_every_command_is_documented() -> None:
    # The README's tour has a section for every command, each with an example the tests run.
    tour = README.split("## A tour of the commands", 1)[1].split("\n## ", 1)[0]
    for name in cli.commands:
        assert re.search(rf"^### .*`wcokg {name}`", tour, re.MULTILINE), name
        assert re.search(rf"^\$ wcokg {name}\b", tour, re.MULTILINE) or name == "serve", name


def test_every_command_documents_its_exit_codes_in_help_and_docs() -> None:
    for name, command in cli.commands.items():
        codes = re.findall(r"^\s+(\d)  .+$", command.epilog or "", re.MULTILINE)
        publishing = name in ("build", "update", "release")  # 3: published, a later step failed
        assert codes == ["0", "1", "2", "3"][: 4 if publishing else 3], name
        section = EXIT_CODES.split(f"Exit codes of `wcokg {name}`", 1)[1].split("\n\n", 2)[1]
        assert [row.split("|")[1].strip() for row in section.splitlines()[2:]] == codes, name
