"""Releases: a frozen snapshot of the published dataset and its changes since the previous release (for people,
and as RDF Patch), kept in ``releases/`` and described in the dataset's VoID and in ``output/CHANGES.md``."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

from ..budgets import read_input
from ..edit.log import Patch
from ..errors import OptionError, PublishError, naming
from ..namespaces import PREFIXES, Iris
from ..rdfio import load_turtle
from .diff import diff_datasets, labels, rdf_patch, read_quads, summary
from .transaction import sha256, write_atomically

INDEX = "releases.json"
SNAPSHOT = "wcokg.nq"
VOID = "void.ttl"
ONTOLOGY = "ontology.ttl"
_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
DCAT = {term: URIRef(PREFIXES["dcat"] + term) for term in ("Dataset", "version", "previousVersion", "hasVersion")}


@dataclass(frozen=True)
class Release:
    """One release: its version and date, the release before it, how many edits of the log it includes,
    and the sha256 of its snapshot (``releases/VERSION/wcokg.nq``)."""

    version: str
    date: str
    previous: str | None
    edits: int
    sha256: str


def read_releases(folder: str | Path) -> tuple[Release, ...]:
    """The releases in order, from ``folder/releases.json`` (none where it does not exist)."""
    index = Path(folder) / INDEX
    if not index.exists():
        return ()
    return tuple(Release(**entry) for entry in json.loads(read_input(index)))


def describe_releases(void: Graph, iris: Iris, releases: tuple[Release, ...], snapshot: bytes) -> None:
    """Add each release to the VoID/DCAT description, and say which the current dataset is (or follows)."""
    dataset = iris.dataset()
    for release in releases:
        node = iris.dataset(release.version)
        void.add((node, RDF.type, DCAT["Dataset"]))
        void.add((node, DCAT["version"], Literal(release.version)))
        void.add((node, DCTERMS.issued, Literal(release.date, datatype=XSD.date)))
        void.add((dataset, DCAT["hasVersion"], node))
        if release.previous:
            void.add((node, DCAT["previousVersion"], iris.dataset(release.previous)))
            void.add((node, PROV.wasRevisionOf, iris.dataset(release.previous)))
    if not releases:
        return
    latest = releases[-1]
    if sha256(snapshot) == latest.sha256:
        void.add((dataset, DCAT["version"], Literal(latest.version)))
    else:
        void.add((dataset, DCAT["previousVersion"], iris.dataset(latest.version)))
        void.add((dataset, PROV.wasRevisionOf, iris.dataset(latest.version)))


def changelog(folder: str | Path, releases: tuple[Release, ...], log: tuple[Patch, ...], snapshot: bytes) -> bytes:
    """``CHANGES.md``: the edits not yet released, then each release's changes, newest first."""
    lines = ["# Changes to the published data", ""]
    released = releases[-1].edits if releases else 0
    if log[released:] or (releases and sha256(snapshot) != releases[-1].sha256):
        lines += ["## Unreleased", ""]
        lines += [f"- {patch.name} ({patch.date}, {patch.author}): {patch.reason}" for patch in log[released:]]
        lines.append("")
    for release in reversed(releases):
        lines.append((Path(folder) / release.version / "CHANGES.md").read_text(encoding="utf-8").rstrip("\n"))
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def make_release(
    version: str, day: str, out_dir: str | Path, folder: str | Path, log: tuple[Patch, ...], ontology: str | Path
) -> Release:
    """Freeze the published dataset of ``out_dir`` as release ``version``: write ``folder/VERSION/`` (the
    snapshot, CHANGES.md and changes.rdfp against the previous release) and add it to ``folder/releases.json``.

    Raises:
        OptionError: a version that is not MAJOR.MINOR.PATCH, or not new, or a bad date.
        PublishError: nothing changed since the previous release; the ontology changed but its version IRI did not.
    """
    if not _VERSION.fullmatch(version):
        raise OptionError(f"a release version is MAJOR.MINOR.PATCH, such as 1.0.0; got {version!r}")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise OptionError(f"--date {day!r} is not a date such as 2026-11-30") from None
    folder = Path(folder)
    releases = read_releases(folder)
    if any(r.version == version for r in releases):
        raise OptionError(f"release {version} exists already ({folder / version}); releases are never rewritten")
    snapshot = Path(out_dir) / SNAPSHOT
    data = read_input(snapshot)
    previous = releases[-1] if releases else None
    if previous and sha256(data) == previous.sha256:
        raise PublishError(f"nothing changed since release {previous.version}: no new release")
    notes, patch = _changes(folder, previous, snapshot, version, day, log)
    if previous:
        _check_ontology(folder / previous.version / ONTOLOGY, ontology, previous.version)
    release = Release(version, day, previous.version if previous else None, len(log), sha256(data))
    staging = folder / f".{version}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, content in (
        (SNAPSHOT, data),
        (ONTOLOGY, read_input(ontology)),
        ("CHANGES.md", notes.encode()),
        ("changes.rdfp", patch.encode()),
    ):
        with naming(staging / name):
            (staging / name).write_bytes(content)
    staging.rename(folder / version)
    index = [asdict(r) for r in (*releases, release)]
    write_atomically(folder / INDEX, (json.dumps(index, indent=2) + "\n").encode("utf-8"))
    return release


def keep_description(folder: str | Path, version: str, void: bytes) -> None:
    """Keep in ``folder/VERSION/void.ttl`` the VoID the output is published with as release ``version``, so
    that ``wcokg diff`` finds no difference between the release and that output."""
    write_atomically(Path(folder) / version / VOID, void)


def _changes(folder: Path, previous: Release | None, snapshot: Path, version: str, day: str, log) -> tuple[str, str]:
    """The release notes (its edits and the diff, for people) and the RDF Patch against the previous release."""
    new = read_quads(snapshot)
    old = read_quads(folder / previous.version / SNAPSHOT) if previous else set()
    diff = diff_datasets(old, new)
    since = previous.edits if previous else 0
    head = f"## {version} ({day})\n\n"
    if previous:
        head += f"Changes since {previous.version}"
    else:
        head += "First release"
    edits = log[since:]
    head += f": {len(edits)} edit{'s' if len(edits) != 1 else ''} of the log.\n\n"
    head += "".join(f"- {p.name} ({p.date}, {p.author}): {p.reason}\n" for p in edits)
    body = summary(diff, labels(new, old)) if previous else f"{len(new)} quads in {len(diff.graphs)} graphs."
    prev = f"urn:sha256:{previous.sha256}" if previous else None
    return head + ("\n" if edits else "") + "```\n" + body.rstrip("\n") + "\n```\n", rdf_patch(diff, prev)


def _check_ontology(previous: Path, ontology: str | Path, version: str) -> None:
    """Where the ontology changed since the previous release, its owl:versionIRI must have changed too."""
    if read_input(previous) == read_input(ontology):
        return
    old, new = load_turtle(previous)[1], load_turtle(ontology)[1]
    if set(old.objects(None, OWL.versionIRI)) == set(new.objects(None, OWL.versionIRI)):
        raise PublishError(
            f"the ontology changed since release {version} but its owl:versionIRI did not: give it a new one"
        )
