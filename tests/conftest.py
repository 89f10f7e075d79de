"""Shared fixtures: the real source, one build per test run, and a guard that refuses network access."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wcokg import layout
from wcokg.pipeline import BuildResult, build

DATA = Path(__file__).parent / "data"
OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"
"""The 2013 overview, the document this repository publishes (tests check its facts against its words)."""


def claimed_triples(claims: Path) -> set:
    """The triples a claims file states, read with rdflib's Turtle parser (not the build's pyoxigraph path)."""
    import tomllib

    from rdflib import Graph

    from wcokg.names import prefixes

    prologue = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes().items())
    triples: set = set()
    for claim in tomllib.loads(claims.read_text(encoding="utf-8"))["claim"]:
        triples |= set(Graph().parse(data=prologue + claim["states"], format="turtle"))
    return triples


def _refuse_network(event: str, args: tuple) -> None:
    """Audit hook: any connection to a non-loopback address fails the test run."""
    if event == "socket.connect" and len(args) > 1:
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("localhost", "::1") and not host.startswith("127."):
            raise OSError(f"network access refused during tests: {address!r}")
    elif event == "socket.getaddrinfo" and args and args[0] not in (None, "localhost", "127.0.0.1", "::1"):
        raise OSError(f"name lookup refused during tests: {args[0]!r}")


sys.addaudithook(_refuse_network)

# The files that take longest, started first so that pytest-xdist's other workers share out the rest meanwhile
# (measured with --durations: the 131 rule fixtures, then the crash and concurrency tests).
SLOWEST_FIRST = ("test_shapes.py", "test_crash.py", "test_serve_update.py", "test_transaction.py", "test_log_header.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest files first; every other test keeps its place."""
    rank = {name: place for place, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source document exactly as a reader of the file sees it (UTF-8, no newline translation)."""
    return OVERVIEW.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One real build of the real source into a temporary directory."""
    return build(out_dir=tmp_path_factory.mktemp("output"))


@pytest.fixture(scope="session")
def out_dir(built: BuildResult) -> Path:
    return built.written[0].parent


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def project(out_dir: Path, tmp_path: Path) -> Path:
    """A private project: the real source, ontology and shapes, an empty edit log, a fresh build in output/."""
    shutil.copytree(layout.ROOT / "sources", tmp_path / "sources")
    for shipped in (layout.ONTOLOGY, layout.SHAPES):  # copies of the packaged files, which a test may alter
        shutil.copytree(shipped.parent, tmp_path / shipped.parent.name)
    shutil.copytree(out_dir, tmp_path / "output")
    return tmp_path
