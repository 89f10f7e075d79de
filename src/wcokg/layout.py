"""Where the project's inputs and outputs live; every default path is defined here and only here.

What wcokg needs to run (the queries, the JSON-LD frame, and the ontology and shapes a project does not have
of its own) ships inside the package and is read from there. What the user works on (``sources/``, ``edits/``,
``releases/``, ``output/``, and ``ontology/wcokg.ttl`` and ``shapes/wcokg-shapes.ttl`` when it has them) belongs
to the project, found from the current directory (:func:`find_project`):

- the nearest folder, from the current directory up, that holds ``sources/`` (as git finds its repository);
- else the current directory itself when it holds ``output/manifest.json``: there ``wcokg build`` published the
  example shipped with wcokg (:data:`EXAMPLE`), which stands for its ``sources/``;
- else there is none: ``wcokg build`` builds the shipped example into ``./output``, and a command that takes a
  path from the project (its ``--source``, ``--out``, ``--edits``, ``--releases`` not given) stops with
  :class:`~wcokg.errors.NoProject`.
"""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from importlib import resources
from pathlib import Path

from .errors import NoProject, OptionError

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
EXAMPLE = packaged("example")
"""The example shipped in the wheel (its documents, claims files, questions, dataset description): a copy of the
repository's ``sources/``."""
BUILT = Path("output", "manifest.json")
"""What ``wcokg build`` leaves in a folder it published (``output/`` and its manifest, publish.transaction)."""


def find_project(start: Path | None = None) -> Path | None:
    """The project holding ``start`` (default: the current directory): the nearest folder with ``sources/``, else
    ``start`` itself when the example was built there (it holds ``output/manifest.json``), else None.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     alone = find_project(root)
    ...     (root / "sources").mkdir(); (root / "output" / "deep").mkdir(parents=True)
    ...     alone, find_project(root / "output" / "deep") == root
    (None, True)
    """
    here = (start or Path.cwd()).resolve()
    found = next((folder for folder in (here, *here.parents) if (folder / "sources").is_dir()), None)
    return here if found is None and (here / BUILT).is_file() else found


def project() -> Path:
    """The current directory's project.

    Raises:
        NoProject: there is none (no ``sources/`` here or above, no ``output/`` built here).
    """
    root = find_project()
    if root is None:
        raise NoProject()
    return root


def workspace() -> Path:
    """Where ``wcokg build`` works: the current directory's project, else the current directory."""
    return find_project() or Path.cwd().resolve()


def sources(root: Path | None = None) -> Path:
    """The source documents of the project at ``root`` (default: the current directory's project): its
    ``sources/``, or the example shipped with wcokg where it has none."""
    folder = (root or project()) / "sources"
    return folder if folder.is_dir() else EXAMPLE


def output(root: Path | None = None) -> Path:
    """The published files of the project."""
    return (root or project()) / "output"


def edits(root: Path | None = None) -> Path:
    """The project's edit log."""
    return (root or project()) / "edits"


def releases(root: Path | None = None) -> Path:
    """The project's releases."""
    return (root or project()) / "releases"


def ontology() -> Path:
    """The current directory's project's ``ontology/wcokg.ttl`` where it has one, else the shipped ontology."""
    return _own(Path("ontology", ONTOLOGY.name), ONTOLOGY)


def shapes() -> Path:
    """The current directory's project's ``shapes/wcokg-shapes.ttl`` where it has one, else the shipped shapes."""
    return _own(Path("shapes", SHAPES.name), SHAPES)


def _own(name: Path, shipped: Path) -> Path:
    root = find_project()
    return root / name if root is not None and (root / name).is_file() else shipped


ROOT = workspace()
"""The project of the current directory when wcokg was imported (or that directory): the library's default paths."""
SOURCE = sources(ROOT)
"""The documents the library builds by default: every document of the project's ``sources/``."""
OUTPUT = output(ROOT)
EDITS = edits(ROOT)
RELEASES = releases(ROOT)


def make_project(folder: Path) -> list[Path]:
    """Make a project in ``folder`` (new, or an empty folder): the shipped example in ``sources/`` (its document,
    claims file, questions and description of the dataset), an empty ``edits/``, and copies of the shipped
    ontology and shapes to extend. Returns what it made, relative to ``folder``. All or nothing: the files are
    written into a hidden folder inside, then renamed into place; on failure the folder is left as it was (a
    folder it made is removed).

    Raises:
        OptionError: ``folder`` exists and is not an empty folder (nothing in it is touched).
    """
    copies = {Path("sources", path.relative_to(EXAMPLE)): path for path in EXAMPLE.rglob("*") if path.is_file()}
    copies |= {Path("ontology", ONTOLOGY.name): ONTOLOGY, Path("shapes", SHAPES.name): SHAPES}
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        empty = not any(folder.iterdir())
    except (FileExistsError, NotADirectoryError):
        empty = False
    if not empty:
        raise OptionError(f"{folder}: exists and is not an empty folder; wcokg init writes only in a new or empty one")
    staging = folder / f".wcokg-init-{os.getpid()}"
    tops = ("sources", "edits", "ontology", "shapes")
    try:
        (staging / "edits").mkdir(parents=True)
        for name, shipped in copies.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shipped, staging / name)
        for top in tops:
            (staging / top).rename(folder / top)
        staging.rmdir()
    except BaseException:
        for part in (staging, *(folder / top for top in tops)):
            shutil.rmtree(part, ignore_errors=True)
        if made:
            with suppress(OSError):
                folder.rmdir()
        raise
    return sorted([*copies, Path("edits")])


def shown(path: str | Path) -> str:
    """A path as messages name it: relative to the current directory when it is under it, else as given.

    >>> shown(Path.cwd() / "output" / "wcokg.ttl"), shown("/nowhere/x")
    ('output/wcokg.ttl', '/nowhere/x')
    """
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
