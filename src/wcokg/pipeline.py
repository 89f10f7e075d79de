"""The build and the edit: the published graph is the source plus the reviewed edit log, published in one
locked transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, layout
from .check.incremental import validate_edit, validate_knowledge_graph
from .check.validate import Report
from .edit.log import Patch, compose, listing, overridden, parse_patch, read_log, read_text
from .errors import OptionError, PublishError
from .extraction.document import Document, read_documents
from .extraction.extract import Claim, extract, vocabulary
from .extraction.graph import KnowledgeGraph, build_graph
from .namespaces import DEFAULT_BASE
from .publish.about import read_about
from .publish.release import INDEX, VOID, changelog, keep_description, make_release, read_releases
from .publish.serialize import serialize
from .publish.transaction import MANIFEST, Publication, manifest_bytes, read_generation, sha256
from .rdfio import load_turtle, read_file

if TYPE_CHECKING:
    from .edit.apply import Edit

_BASE = re.compile(r"https?://[^\s<>\"{}|\\^`/]+(?:/[^\s<>\"{}|\\^`#?]*)?/")


@dataclass(frozen=True)
class BuildResult:
    """What a build read, made and wrote (``written`` is empty when the graph does not conform).

    ``culprit`` names the first edit of the log after which the graph no longer conforms (None when the
    source alone does not conform, or when all is well).
    """

    documents: tuple[Document, ...]
    graph: KnowledgeGraph
    report: Report
    files: dict[str, bytes]
    written: tuple[Path, ...]
    edits: tuple[Patch, ...] = ()
    culprit: str | None = None
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class UpdateResult:
    """An edit checked against the published graph: its entry in the log, the change, the verdict, what was written."""

    patch: Patch
    edit: Edit
    report: Report
    written: tuple[Path, ...] = ()


def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute http(s) IRI ending in "/", else raise OptionError.

    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    """
    if not _BASE.fullmatch(base):
        raise OptionError(f'--base must be an absolute http(s) IRI ending in "/", such as {DEFAULT_BASE}; got "{base}"')
    return base


def _releases_digest(releases: str | Path | None) -> str | None:
    index = Path(releases) / INDEX if releases is not None else None
    return sha256(index.read_bytes()) if index is not None and index.exists() else None


def _sources(docs: tuple[Document, ...]) -> list[dict[str, str]]:
    """What the manifest records of the documents: each text and claims file, by name and sha256."""
    return [
        {"name": d.path.name, "sha256": d.sha256, "claims": d.claims.path.name, "claims_sha256": d.claims.sha256}
        for d in docs
    ]


def _files(kg: KnowledgeGraph, docs, ontology: bytes, shapes: bytes, log: tuple[Patch, ...], releases):
    """The published files of ``kg``: the graphs, CHANGES.md and the VoID (with the releases), and the manifest."""
    known = read_releases(releases) if releases is not None else ()
    about = read_about(docs[0].path.parent, [doc.title.clean for doc in docs])
    files = serialize(kg, ontology, shapes, known, lambda nquads: changelog(releases, known, log, nquads), about)
    listed = tuple((patch.name, sha256(patch.text.encode("utf-8"))) for patch in log)
    files[MANIFEST] = manifest_bytes(files, _sources(docs), listed, __version__, _releases_digest(releases))
    return files


def build(
    source: str | Path = layout.SOURCE,
    out_dir: str | Path | None = layout.OUTPUT,
    base: str = DEFAULT_BASE,
    ontology: str | Path = layout.ONTOLOGY,
    shapes: str | Path = layout.SHAPES,
    edits: str | Path | None = layout.EDITS,
    releases: str | Path | None = layout.RELEASES,
    wait: float = 0.0,
    tell: Callable[[str], None] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the graph from ``source``, replay the edit log ``edits`` in order, validate, and, if it conforms,
    publish it to ``out_dir`` as one transaction (see transaction.py), described with the ``releases``.

    With ``out_dir=None`` nothing is written (the files are still returned); ``edits=None`` replays nothing.
    ``before_commit`` is called once the graph conforms, just before publishing (to end a time limit).

    Raises:
        WcoKgError: unreadable or malformed source, ontology, shapes or log; a bad base IRI; an edit that no
            longer applies (EditLogError, naming the patch and line); another writer holding ``out_dir``.
    """
    check_base(base)
    if out_dir is None:
        return _build(source, base, ontology, shapes, edits, releases, None)
    with Publication(out_dir, edits, wait, tell) as publication:
        return _build(source, base, ontology, shapes, edits, releases, publication, before_commit)


def _build(
    source, base, ontology, shapes, edits, releases, publication: Publication | None, before_commit=None
) -> BuildResult:
    docs = read_documents(source)
    ontology_bytes, ontology_graph = load_turtle(ontology)
    shapes_bytes, shapes_graph = load_turtle(shapes)
    known = vocabulary(ontology_graph, shapes_graph)
    stated = tuple(extract(doc, base, known) for doc in docs)
    claims = tuple(claim for facts in stated for claim in facts)
    kg = build_graph(docs, stated, ontology_graph, base)
    log = read_log(edits) if edits is not None else ()
    stages = [kg]
    if log:
        from .edit.apply import apply_patch  # rdflib's SPARQL: imported where an edit is applied, not by every build

        for patch in log:
            stages.append(apply_patch(stages[-1], patch, docs).after)
    report = validate_knowledge_graph(stages[-1], shapes_graph)
    if not report.conforms:
        culprit = _culprit(stages, log, shapes_graph)
        return BuildResult(docs, stages[-1], report, {}, (), log, culprit, claims)
    files = _files(stages[-1], docs, ontology_bytes, shapes_bytes, log, releases)
    if before_commit is not None:
        before_commit()
    written = tuple(publication.commit(files)) if publication is not None else ()
    return BuildResult(docs, stages[-1], report, files, written, log, claims=claims)


def _culprit(stages, log, shapes_graph) -> str | None:
    """The first edit after which the graph no longer conforms (validating again only on this failure path)."""
    for patch, kg in zip((None, *log), stages, strict=True):
        if not validate_knowledge_graph(kg, shapes_graph).conforms:
            return patch.origin if patch is not None else None
    return None


def update(
    patch_path: str | Path,
    options: dict[str, str | None],
    apply: bool = False,
    source: str | Path = layout.SOURCE,
    out_dir: str | Path = layout.OUTPUT,
    edits: str | Path = layout.EDITS,
    ontology: str | Path = layout.ONTOLOGY,
    shapes: str | Path = layout.SHAPES,
    releases: str | Path = layout.RELEASES,
    wait: float = 0.0,
    tell: Callable[[str], None] | None = None,
    before_commit: Callable[[], None] | None = None,
    defaults: dict[str, str | None] | None = None,
) -> UpdateResult:
    """Check a patch against the published graph and, with ``apply`` and if it conforms, append it to the
    edit log and publish the result, all in one locked transaction.

    ``options`` (author, date, reason, quote, quote-start, cites; None where not given) win over the patch's
    header lines, each one that replaces another value told to ``tell``; ``defaults`` fill the fields neither
    gives (see :func:`log.parse_patch`).
    The output must be the build of the source, log, releases, ontology and shapes as they are.
    ``before_commit`` is called once the edit conforms, just before publishing (to end a time limit).

    Raises:
        WcoKgError: an unreadable or malformed patch or input; a refused update; an edit without evidence
            for what it adds; a stale output; another writer holding ``out_dir``.
    """
    patch_path = Path(patch_path)
    text = read_text(patch_path)
    for notice in overridden(text, str(patch_path), options) if tell is not None else ():
        tell(notice)
    fields = (options, defaults)
    docs = read_documents(source)
    if not apply:
        return _check(text, patch_path, fields, docs, out_dir, edits, shapes)[0]
    with Publication(out_dir, edits, wait, tell) as publication:
        _require_current(out_dir, docs, edits, ontology, shapes, releases)
        result, log = _check(text, patch_path, fields, docs, out_dir, edits, shapes)
        if not result.report.conforms:
            return result
        files = _files(result.edit.after, docs, load_turtle(ontology)[0], load_turtle(shapes)[0], log, releases)
        if before_commit is not None:
            before_commit()
        written = publication.commit(files, (result.patch.name, result.patch.text.encode("utf-8")))
        return UpdateResult(result.patch, result.edit, result.report, tuple(written))


def _check(text, patch_path: Path, fields, docs, out_dir, edits, shapes) -> tuple[UpdateResult, tuple]:
    """The patch, its header ``fields`` given as (options, defaults), applied to the published graph and
    validated; and the log it would make."""
    from .edit.apply import apply_patch, load_published

    log = read_log(edits)
    patch = parse_patch(text, patch_path.name, str(patch_path), *fields)
    entry = compose(patch, len(log) + 1, patch_path.stem)
    _, shapes_graph = load_turtle(shapes)
    # checked as the editor wrote it (errors name its lines), recorded under its name in the log
    edit = apply_patch(load_published(out_dir), replace(patch, name=entry.name), docs, logged=False)
    report = validate_edit(edit, shapes_graph, sources=docs[0].path.parent)
    return UpdateResult(entry, edit, report), (*log, entry)


def release(
    version: str,
    day: str,
    source: str | Path = layout.SOURCE,
    out_dir: str | Path = layout.OUTPUT,
    edits: str | Path = layout.EDITS,
    releases: str | Path = layout.RELEASES,
    ontology: str | Path = layout.ONTOLOGY,
    shapes: str | Path = layout.SHAPES,
    wait: float = 0.0,
    tell: Callable[[str], None] | None = None,
    before_write: Callable[[], None] | None = None,
) -> BuildResult:
    """Freeze the published dataset as release ``version`` (see release.py) and publish it again, its VoID
    and CHANGES.md now naming the release, in one locked transaction; the release keeps that VoID, so that
    the release and the output it was published as compare equal. ``before_write`` is called once the
    inputs are read and checked, just before the release is written (to end a time limit).

    Raises:
        WcoKgError: a bad or existing version; nothing changed since the last release; a stale output.
    """
    docs = read_documents(source)
    with Publication(out_dir, edits, wait, tell) as publication:
        _require_current(out_dir, docs, edits, ontology, shapes, releases)
        if before_write is not None:
            before_write()
        make_release(version, day, out_dir, releases, read_log(edits), ontology)
        result = _build(source, read_base(out_dir), ontology, shapes, edits, releases, None)
        assert result.report.conforms, "a release of a conforming output conforms"
        keep_description(releases, version, result.files[VOID])
        return replace(result, written=tuple(publication.commit(result.files)))


def read_base(out_dir: str | Path) -> str:
    """The base IRI the output was published under."""
    from .edit.apply import load_published

    return load_published(out_dir).iris.base


def _require_current(out_dir, docs: tuple[Document, ...], edits, ontology, shapes, releases) -> None:
    """Refuse to publish onto an output that is not the build of today's source and claims, log, releases,
    ontology and shapes."""
    manifest = json.loads(read_generation(out_dir, [MANIFEST])[MANIFEST])
    built = manifest["files"]
    current = (
        manifest.get("sources") == _sources(docs)
        and [(e["name"], e["sha256"]) for e in manifest["edits"]] == list(listing(edits))
        and manifest["wcokg"] == __version__
        and manifest.get("releases") == _releases_digest(releases)
        and built.get("ontology.ttl", {}).get("sha256") == sha256(read_file(ontology))
        and built.get("shapes.ttl", {}).get("sha256") == sha256(read_file(shapes))
    )
    if not current:
        raise PublishError(
            f"{out_dir} is not the build of the source, the edit log, the releases, the ontology and the shapes "
            "as they are now: run `wcokg build` first"
        )
