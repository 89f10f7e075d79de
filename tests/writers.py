"""What the transaction and crash tests share: a private project's command lines, patches that toggle two
facts, and a check that the output is one whole generation built from the log as it is."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from wcokg import layout
from wcokg.edit.apply import load_published
from wcokg.edit.log import listing
from wcokg.extraction.graph import annotation_iris
from wcokg.namespaces import OA, WCOKG, Iris
from wcokg.publish.transaction import MANIFEST, read_generation, sha256

from .conftest import OVERVIEW

WCO = Iris()
# Two facts that concurrent edits remove and put back (with the quote the source states them with).
FACTS = {
    "a": (WCO.id("goal-4"), WCOKG.involvesStakeholder, WCO.id("international-organizations")),
    "b": (WCO.id("goal-5"), WCOKG.involvesStakeholder, WCO.id("business-partners")),
}
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def wcokg(project: Path, *args: str, out: Path | None = None) -> list[str]:
    """The command line of `wcokg ARGS` on the private project (publishing to ``out``, else its output/)."""
    paths = ["--out", str(out or project / "output"), "--edits", str(project / "edits")]
    paths += ["--source", str(project / "sources" / OVERVIEW.name)]
    paths += ["--shapes", str(project / "shapes" / layout.SHAPES.name)]
    return [sys.executable, "-m", "wcokg", *args, *paths]


def patch(project: Path, name: str, key: str, present: bool) -> Path:
    """A patch that removes FACTS[key] if ``present``, else puts it back with the quote the source gives for it."""
    s, p, o = (term.n3() for term in FACTS[key])
    path = project / f"{name}.ru"
    header = "# author: Concurrency Test\n# date: 2026-11-30\n# reason: toggles a fact\n"
    if present:
        path.write_text(f"{header}DELETE DATA {{ {s} {p} {o} }}\n", encoding="utf-8")
    else:
        exact, start = QUOTES[key]
        path.write_text(f"{header}# quote: {exact}\n# quote-start: {start}\nINSERT DATA {{ {s} {p} {o} }}\n")
    return path


QUOTES: dict[str, tuple[str, int]] = {}


@pytest.fixture(autouse=True)
def quotes(out_dir):
    """Where the source states each fact of FACTS (read from the published evidence)."""
    evidence = load_published(out_dir).evidence
    for key, fact in FACTS.items():
        target = evidence.value(annotation_iris(WCO, fact, WCO.source(OVERVIEW.stem))[0], OA.hasTarget)
        selectors = list(evidence.objects(target, OA.hasSelector))
        exact = next(evidence.value(s, OA.exact) for s in selectors if evidence.value(s, OA.exact) is not None)
        start = next(evidence.value(s, OA.start) for s in selectors if evidence.value(s, OA.start) is not None)
        QUOTES[key] = (str(exact), int(start))


def check_consistent(project: Path) -> dict:
    """The output is one whole generation (every file as its manifest says), built from the log as it is,
    and nothing half-written lies around. Returns the manifest."""
    files = read_generation(project / "output")
    manifest = json.loads(files[MANIFEST])
    assert set(files) == {*manifest["files"], MANIFEST}
    for name, meta in manifest["files"].items():
        assert sha256(files[name]) == meta["sha256"], name
    assert [(e["name"], e["sha256"]) for e in manifest["edits"]] == list(listing(project / "edits"))
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".output.") and p.name != ".output.lock"]
    assert set(leftovers) <= {".output.prev"}, leftovers
    assert not list((project / "edits").glob(".*")) if (project / "edits").exists() else True
    return manifest


def has(project: Path, key: str) -> bool:
    return FACTS[key] in load_published(project / "output").data
