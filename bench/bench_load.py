"""Load the WCO graph and synthetic graphs of about 10^5 and 10^6 triples into each store, with `wcokg load`
(Graph Store Protocol) and with the store's own bulk loader, side by side.

Usage: cd bench && python bench_load.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
from synthetic import scaled

from wcokg import layout
from wcokg.publish.stores import STORES, load_directory, load_gsp
from wcokg.sparql.query import default_files, load_dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests import jena  # noqa: E402
from tests.stores import Virtuoso  # noqa: E402

GRAPHS = ("data", "evidence", "links", "ontology", "void")


def published_of_size(size: int | None) -> tuple[Path, int]:
    """A directory with wcokg.nq and void.ttl: the published files, or renamed copies of about ``size`` triples."""
    if size is None:
        return layout.OUTPUT, sum(1 for _ in (layout.OUTPUT / "wcokg.nq").open("rb"))
    folder = Path(tempfile.mkdtemp(prefix="wcokg-load-bench-"))
    data = scaled(load_dataset(default_files()), size)
    quads = [q for q in data.quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    pyoxigraph.serialize(quads, folder / "wcokg.nq", format=pyoxigraph.RdfFormat.N_QUADS)
    shutil.copy(layout.OUTPUT / "void.ttl", folder / "void.ttl")
    return folder, len(quads)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(size: int | None, virtuoso: Virtuoso, classpath: str, work: Path) -> None:
    """Load one graph size four ways and print the times."""
    folder, quads = published_of_size(size)
    clear = "\n".join(f"SPARQL CLEAR GRAPH <https://w3id.org/wcokg/graph/{g}>;" for g in GRAPHS)
    virtuoso.isql(clear)
    gsp_url, query_url = f"{virtuoso.url}/sparql-graph-crud-auth", f"{virtuoso.url}/sparql"
    gsp = timed(lambda: load_gsp(gsp_url, query_url, folder, STORES["virtuoso"], "dba", "dba", replace=True))
    virtuoso.isql(clear)
    bulk_dir = virtuoso.directory / f"bulk-{quads}"
    bulk_dir.mkdir(exist_ok=True)
    shutil.copy(folder / "wcokg.nq", bulk_dir / "wcokg.nq")
    commands = (f"ld_dir('{bulk_dir}', 'wcokg.nq', 'urn:unused');", "rdf_loader_run();", "checkpoint;")
    bulk = timed(lambda: virtuoso.isql(*commands))
    nquads = str(folder / "wcokg.nq")
    tdb = timed(
        lambda: jena.run(classpath, "tdb2.tdbloader", "--loc", str(work / f"tdb-{quads}"), nquads, timeout=3600)
    )
    oxigraph = timed(lambda: load_directory(work / f"oxigraph-{quads}", folder))
    label = "WCO" if size is None else f"{size:.0e}"
    rows = [
        ("Virtuoso, wcokg load (GSP)", gsp),
        ("Virtuoso, ld_dir + rdf_loader_run", bulk),
        ("Jena TDB2, tdb2.tdbloader", tdb),
        ("pyoxigraph, wcokg load --to-dir", oxigraph),
    ]
    for method, seconds in rows:
        print(f"{label:<10} {quads:>9}  {method:<34} {seconds:8.2f} {quads / seconds:10.0f}")
    print(f"{'':<10} {'':>9}  GSP / Virtuoso bulk = {gsp / bulk:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wcokg-load-bench-"))
    (work / "virtuoso").mkdir()
    virtuoso = Virtuoso(work / "virtuoso")
    classpath = jena.classpath(work)
    try:
        print(f"{'graph':<10} {'quads':>9}  {'store and method':<34} {'seconds':>8} {'triples/s':>10}")
        for size in [None, *args.sizes]:
            measure(size, virtuoso, classpath, work)
    finally:
        virtuoso.stop()


if __name__ == "__main__":
    main()
