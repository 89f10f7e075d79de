"""No document in the code: what the 2013 overview says lives in its claims file, the ontology and the shapes,
never in src/ (the folders src/wcokg/ontology, shapes and example are links to the project's own files)."""

from __future__ import annotations

import re
from pathlib import Path

from wcokg.extraction.document import read_document

from .conftest import OVERVIEW

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wcokg"
LINKED = {"ontology", "shapes", "example"}
WORDS = re.compile(r"[\w’'-]+")


def code_files() -> list[Path]:
    """The package's own files: its modules, queries, templates, frames and styles."""
    return [
        path
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file()
        and path.relative_to(PACKAGE).parts[0] not in LINKED
        and path.suffix in {".py", ".rq", ".html", ".json", ".css", ".js"}
    ]


def test_the_linked_folders_are_the_projects_own() -> None:
    for name in LINKED:
        assert (PACKAGE / name).is_symlink(), name


def test_no_five_words_of_the_overview_are_in_the_code() -> None:
    doc = read_document(OVERVIEW)
    kept = "".join(" " if any(q.start <= i < q.end for q in doc.quarantined) else c for i, c in enumerate(doc.text))
    words = [w.lower() for w in WORDS.findall(kept)]
    phrases = {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}
    found = {}
    for path in code_files():
        text = " ".join(w.lower() for w in WORDS.findall(path.read_text(encoding="utf-8")))
        if hits := sorted(p for p in phrases if p in text):
            found[str(path.relative_to(PACKAGE))] = hits[:3]
    assert found == {}


def test_no_name_of_the_overview_is_in_the_code() -> None:
    # The acronym in capitals (wco: is the prefix of the project's resources, whatever its documents), the names,
    # and the overview's goals by IRI.
    names = re.compile(r"\bWCO\b|World Customs|Customs Co-operation|Kyoto|\bgoal-\d")
    found = {
        str(path.relative_to(PACKAGE)): sorted(set(names.findall(path.read_text(encoding="utf-8"))))
        for path in code_files()
        if names.search(path.read_text(encoding="utf-8"))
    }
    assert found == {}
