"""Cold `wcokg query` as a user runs it, side by side with its peers: a bare pyoxigraph script (bare_query.py)
at 10^4, 10^5 and 10^6 triples, and Apache Jena's `arq` on the WCO graph. Whole processes, medians.

    python bench/bench_query_cold.py [--runs 5] [--sizes 10000 100000 1000000] [--query goals-in-order]

Reports each median, the ratio wcokg / peer, the peak memory of each (GNU time's maximum resident set), and
the growth exponent b of time against size (log-log least squares).
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import scaled, write_nquads

from wcokg import layout
from wcokg.names import prefixes, sparql_prologue
from wcokg.sparql.query import catalog, default_files, load_dataset

HERE = Path(__file__).resolve().parent
WCOKG = Path(sys.executable).parent / "wcokg"
sys.path.insert(0, str(HERE.parent))
from tests import jena  # noqa: E402


def run(command: list[str], runs: int, folder: Path) -> tuple[float, float]:
    """Median wall seconds and the largest peak memory (MB) of ``runs`` runs of ``command`` (after one warm-up).

    Memory is GNU time's maximum resident set of the process and the workers it waited for, measured from a
    small parent (a process forked from this one would report this one's memory).
    """
    times, peaks, report = [], [], folder / "time.txt"
    for attempt in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), *command], capture_output=True)
        elapsed = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(f"{command[:3]} failed: {done.stderr.decode()[-300:]}")
        if attempt:
            times.append(elapsed)
            peaks.append(int(report.read_text().split()[-1]) / 1024)
    return statistics.median(times), max(peaks)


def exponent(sizes: list[int], times: list[float]) -> float:
    """b of time ≈ a · size^b, by least squares on the logarithms."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--query", default="goals-in-order")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wcokg-query-bench-"))
    query = folder / f"{args.query}.rq"
    query.write_text(catalog()[args.query], encoding="utf-8")
    print(f"`wcokg query {args.query}`, cold, median of {args.runs} runs; peak = maximum resident set")
    print("| data | triples | wcokg s | peer | peer s | ratio | wcokg MB | peer MB |")
    print("|---|---|---|---|---|---|---|---|")

    def row(label: str, triples: int, files: list[Path], peer: str, peer_command: list[str]) -> tuple[float, float]:
        data = [arg for path in files for arg in ("--data", str(path))]
        ours, our_peak = run([str(WCOKG), "query", args.query, *data], args.runs, folder)
        theirs, their_peak = run(peer_command, args.runs, folder)
        print(
            f"| {label} | {triples:,} | {ours:.3f} | {peer} | {theirs:.3f} | {ours / theirs:.2f} "
            f"| {our_peak:.0f} | {their_peak:.0f} |"
        )
        return ours, theirs

    wco_files = default_files(layout.output())
    wco = load_dataset(wco_files)
    bare = [sys.executable, str(HERE / "bare_query.py"), str(query)]
    row("WCO", len(wco.store), wco_files, "bare pyoxigraph", [*bare, *map(str, wco_files)])
    jena_query = folder / "jena.rq"
    jena_query.write_text(sparql_prologue(prefixes()) + catalog()[args.query], encoding="utf-8")
    jena_data = [
        arg for name in ("wcokg.ttl", "ontology.ttl", "void.ttl") for arg in ("--data", str(layout.output() / name))
    ]
    arq = ["java", "-cp", jena.classpath(folder), "arq.sparql", *jena_data, "--query", str(jena_query)]
    row("WCO", len(wco.store), wco_files, "Jena arq", arq)
    sizes, ours, theirs = [], [], []
    for size in args.sizes:
        path = folder / f"synthetic-{size}.nq"
        triples = write_nquads(scaled(wco, size), path)
        mine, peer = row(f"10^{round(math.log10(size))}", triples, [path], "bare pyoxigraph", [*bare, str(path)])
        sizes.append(triples)
        ours.append(mine)
        theirs.append(peer)
    if len(sizes) > 1:
        print(f"\ngrowth exponent b: wcokg {exponent(sizes, ours):.2f}, bare pyoxigraph {exponent(sizes, theirs):.2f}")


if __name__ == "__main__":
    main()
