"""Where the project's inputs and outputs live; every default path is defined here and only here.

What wcokg needs to run (the ontology, the shapes, the queries, the JSON-LD frame) ships inside the package
and is read from there. What the user works on (``sources/``, ``edits/``, ``releases/``, ``output/``) belongs
to the project: the nearest folder, from the current directory up, that holds ``sources/`` (as git finds its
repository), or the current directory when there is none.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SOURCE_NAME = "wco-overview-2013-06-24.txt"
"""The overview document, in the project's ``sources/``."""
MEDIA_TYPES = {
    "wcokg.ttl": "text/turtle",
    "wcokg.nt": "application/n-triples",
    "wcokg.nq": "application/n-quads",
    "wcokg.trig": "application/trig",
    "wcokg.jsonld": "application/ld+json",
    "wcokg-facts.jsonld": "application/ld+json",
    "wcokg-facts.ttl": "text/turtle",
    "context.jsonld": "application/ld+json",
    "ontology.ttl": "text/turtle",
    "shapes.ttl": "text/turtle",
    "CHANGES.md": "text/markdown",
    "coverage.md": "text/markdown",
    "void.ttl": "text/turtle",
}
"""Every published file and its media type, in the order the build reports them."""


def packaged(*parts: str) -> Path:
    """A file shipped inside the wcokg package, as a path (packages are installed unzipped)."""
    return Path(str(resources.files("wcokg").joinpath(*parts)))


ONTOLOGY = packaged("ontology", "wcokg.ttl")
"""The ontology shipped in the wheel: a copy of the repository's top-level ``ontology/``."""
SHAPES = packaged("shapes", "wcokg-shapes.ttl")
"""The shapes shipped in the wheel: a copy of the repository's top-level ``shapes/``."""


def find_project(start: Path | None = None) -> Path:
    """The project holding ``start`` (default: the current directory): the nearest folder with ``sources/``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     (root / "sources").mkdir(); (root / "output" / "deep").mkdir(parents=True)
    ...     find_project(root / "output" / "deep") == root
    True
    """
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / "sources").is_dir()), here)


def source(root: Path | None = None) -> Path:
    """The overview document of the project at ``root`` (default: the current directory's project)."""
    return (root or find_project()) / "sources" / SOURCE_NAME


def output(root: Path | None = None) -> Path:
    """The published files of the project."""
    return (root or find_project()) / "output"


def edits(root: Path | None = None) -> Path:
    """The project's edit log."""
    return (root or find_project()) / "edits"


def releases(root: Path | None = None) -> Path:
    """The project's releases."""
    return (root or find_project()) / "releases"


ROOT = find_project()
"""The project of the current directory when wcokg was imported: the library's default paths below."""
SOURCE = source(ROOT)
OUTPUT = output(ROOT)
EDITS = edits(ROOT)
RELEASES = releases(ROOT)


def shown(path: str | Path) -> str:
    """A path as messages name it: relative to the current directory when it is under it, else as given.

    >>> shown(Path.cwd() / "output" / "wcokg.ttl"), shown("/nowhere/x")
    ('output/wcokg.ttl', '/nowhere/x')
    """
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
