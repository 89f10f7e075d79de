"""The compiled engine (every constraint of the shapes as SPARQL on pyoxigraph) against pyshacl, issue 20.

Whole processes at each size of synthetic data (bench_scale.py's): `wcokg validate --engine compiled`,
`wcokg validate --engine pyshacl` (the same command on pyshacl alone, up to --peer-limit triples), pyshacl's
command line on the shapes minus SHACL-SPARQL (pyshacl-Core, up to --peer-limit triples), and the bare engine:
a process that only loads the file into a pyoxigraph store; wall and CPU seconds, peak memory, the growth
exponent b of CPU time.

Usage: cd bench && python bench_compiled.py [--sizes 10000 100000 1000000] [--peer-limit 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench_scale import core_shapes, exponent, measure, merged_file
from bench_validate import synthetic_output

from wcokg import layout

BARE = "import sys, pyoxigraph; pyoxigraph.Store().load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)"
"""The bare engine: the file loaded into an in-memory pyoxigraph store, nothing else."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--peer-limit", type=int, default=100_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wcokg-bench-compiled-"))
    core = core_shapes(work)
    python = sys.executable
    runs: dict[str, list[tuple[int, tuple]]] = {}
    print("| triples | command | wall s | CPU s | peak MiB |\n|---:|---|---:|---:|---:|")
    for size in args.sizes:
        data = merged_file(synthetic_output(size))
        validate = [python, "-m", "wcokg", "validate", str(data), "--sources", str(layout.SOURCE)]
        commands = {"wcokg validate --engine compiled": [*validate, "--engine", "compiled"]}
        commands["bare pyoxigraph (load only)"] = [python, "-c", BARE, str(data)]
        if size <= args.peer_limit:
            commands["wcokg validate --engine pyshacl"] = [*validate, "--engine", "pyshacl"]
            commands["pyshacl-Core"] = [python, "-m", "pyshacl", "-s", str(core), "-e", str(layout.ONTOLOGY)]
            commands["pyshacl-Core"] += ["-i", "none", "-a", "-w", str(data)]
        for name, command in commands.items():
            measured = measure(command)
            runs.setdefault(name, []).append((size, measured))
            print(f"| {size:,} | {name} | {measured[0]:.1f} | {measured[1]:.1f} | {measured[2]:.0f} |", flush=True)
    for name, points in runs.items():
        if len(points) > 1:
            b = exponent([n for n, _ in points], [m[1] for _, m in points])
            print(f"growth exponent b (CPU) of {name}: {b:.2f}")


if __name__ == "__main__":
    main()
