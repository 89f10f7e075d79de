"""Median warm latency of every catalog query on pyoxigraph and rdflib, on the WCO graph and on synthetic
graphs of about 10^5 and 10^6 triples shaped like it (bench/synthetic.py).

Usage: python bench/bench_query.py [--sizes 100000 1000000] [--runs 5] [--rdflib-timeout 60]
"""

from __future__ import annotations

import argparse
import time

from synthetic import scaled
from timing import median_seconds

from wcokg.errors import QueryTimeout
from wcokg.sparql.query import catalog, default_files, load_dataset, run_query


def engine_ms(dataset, text: str, name: str, engine: str, runs: int) -> float:
    """Median warm latency of one query on one engine, in process."""
    return 1000 * median_seconds(lambda: run_query(dataset, text, engine, name=name), runs, warm_up=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--rdflib-timeout", type=float, default=60.0, help="seconds per rdflib query on synthetic graphs"
    )
    args = parser.parse_args()
    queries = catalog()
    wco = load_dataset(default_files())
    datasets = [("WCO", wco)] + [(f"{size:.0e}", scaled(wco, size)) for size in args.sizes]
    for label, dataset in datasets:
        start = time.perf_counter()
        dataset.store  # noqa: B018  (load outside the timings)
        load_ox = time.perf_counter() - start
        triples = len(dataset.store)
        print(f"\n{label}: {triples} triples in the default graph (pyoxigraph load {load_ox:.2f} s)")
        print(f"  {'query':<28} {'pyoxigraph ms':>14} {'rdflib ms':>12} {'ratio':>8}")
        for name, text in queries.items():
            ox = engine_ms(dataset, text, name, "pyoxigraph", args.runs)
            if label == "WCO":
                rd = engine_ms(dataset, text, name, "rdflib", args.runs)
            else:
                dataset.rdflib  # noqa: B018  (parse once, outside the timing)
                start = time.perf_counter()
                try:
                    run_query(dataset, text, "rdflib", timeout=args.rdflib_timeout, name=name)
                    rd = (time.perf_counter() - start) * 1000
                except QueryTimeout:
                    rd = float("inf")
            ratio = f"{rd / ox:8.0f}" if rd != float("inf") and ox else "       -"
            stopped = f">{args.rdflib_timeout:g} s"
            rdflib_text = f"{rd:12.1f}" if rd != float("inf") else f"{stopped:>12}"
            print(f"  {name:<28} {ox:14.2f} {rdflib_text} {ratio}")


if __name__ == "__main__":
    main()
