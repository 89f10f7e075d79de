"""Measure `wcokg serve` side by side with `oxigraph serve`: start-up and requests/s with a bounded loopback load.

    python bench/bench_serve.py --seconds 5 --clients 1 8 32     (needs wrk: apt-get install wrk)

The load comes from wrk, a native generator: each client is a keep-alive connection, each measurement lasts
``--seconds`` (bounded), and latencies are wrk's percentiles. The
Oxigraph server (pip's `oxigraph` binary) holds the same files (wcokg.nq, and void.ttl in the default graph)
and answers the same SPARQL with its default graph as the union; a resource's Turtle or JSON-LD is `DESCRIBE`
there, and so is its HTML page, which Oxigraph has not (its Turtle stands in).
CPU µs/req is the server's user and system CPU time (its query workers' included) over the requests it answered.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from wcokg.namespaces import prefixes, sparql_prologue  # noqa: E402
from wcokg.sparql.query import catalog  # noqa: E402

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
WRK = os.environ.get("WRK") or shutil.which("wrk") or "wrk"
"""The load generator (Debian's ``wrk``; ``$WRK`` names another copy)."""
QUERIES = ("goals-in-order", "instruments-by-goal")


def paths(prologue: str) -> dict[str, dict[str, tuple[str, str]]]:
    """What each server is asked, by measurement: (path, Accept) for wcokg, for wcokg without its answer cache
    (SPARQL only: every request runs the query) and for Oxigraph."""
    describe = "/query?query=" + quote(prologue + "DESCRIBE <https://w3id.org/wcokg/id/goal-4>")
    asked = {
        f"resource {name}": {"wcokg": ("/id/goal-4", media_type), "oxigraph": (describe, peer)}
        for name, media_type, peer in [
            ("Turtle", "text/turtle", "text/turtle"),
            ("JSON-LD", "application/ld+json", "application/ld+json"),
            ("HTML", "text/html", "text/turtle"),  # Oxigraph has no page of a resource: its Turtle is the peer
        ]
    }
    for name in QUERIES:
        text = quote(prologue + catalog()[name])
        asked[f"SPARQL {name}"] = {
            "wcokg": ("/sparql?query=" + text, "application/sparql-results+json"),
            "uncached": ("/sparql?query=" + text, "application/sparql-results+json"),
            "oxigraph": ("/query?query=" + text, "application/sparql-results+json"),
        }
    return asked


def start_oxigraph(port: int, location: Path, out_dir: Path) -> subprocess.Popen:
    """``oxigraph serve`` over a store loaded with the published files."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([OXIGRAPH, "load", "--location", location, "--file", out_dir / "wcokg.nq"], check=True, **quiet)
    subprocess.run([OXIGRAPH, "load", "--location", location, "--file", out_dir / "void.ttl"], check=True, **quiet)
    command = [OXIGRAPH, "serve", "--location", location, "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, **quiet)
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/query?query=ASK%7B%7D")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.01)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, out_dir: Path, *options: str) -> tuple[subprocess.Popen, float]:
    """Start the server; seconds from process start to its first 200 answer."""
    begin = time.perf_counter()
    command = [sys.executable, "-m", "wcokg", "serve", "--port", str(port), "--out", str(out_dir), *options]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/id/goal-4", headers={"Accept": "text/turtle"})
            if connection.getresponse().status == 200:
                return process, time.perf_counter() - begin
        except OSError:
            time.sleep(0.005)
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` and its living descendants (the query workers)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def load(port: int, path: str, accept: str, clients: int, seconds: int) -> tuple[float, float, float]:
    """``clients`` keep-alive connections for ``seconds`` from wrk (a native load generator, so that the client's
    own cost is not counted as the server's); returns (requests/s, p50 ms, p99 ms)."""
    threads = str(min(clients, os.cpu_count() or 1))
    url = f"http://127.0.0.1:{port}{path}"
    command = [WRK, "-t", threads, "-c", str(clients), "-d", f"{seconds}s", "--latency", "-H", f"Accept: {accept}", url]
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in report or "Socket errors" in report:
        raise SystemExit(f"{url}: not every answer was 200:\n{report}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    p50, p99 = (_milliseconds(re.search(rf"^\s+{p}%\s+(\S+)$", report, re.M).group(1)) for p in (50, 99))
    return rate, p50, p99


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each measurement")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--starts", type=int, default=5, help="server starts timed (0: none)")
    parser.add_argument("--out", type=Path, default=Path("output"), help="the published files served")
    parser.add_argument("--only", nargs="+", metavar="WORD", help="only the requests whose name holds one of these")
    args = parser.parse_args()
    starts = []
    for _ in range(args.starts):
        process, seconds = start(free_port(), args.out)
        starts.append(seconds)
        os.kill(process.pid, signal.SIGTERM)
        process.wait()
    if starts:
        print(f"start-up to first answer: median {statistics.median(starts):.2f} s (min {min(starts):.2f}, "
              f"max {max(starts):.2f}, {args.starts} starts)")  # fmt: skip
    asked = paths(sparql_prologue(prefixes()))
    if args.only:
        asked = {name: by_server for name, by_server in asked.items() if any(word in name for word in args.only)}
    ports = {"wcokg": free_port(), "uncached": free_port(), "oxigraph": free_port()}
    scratch = tempfile.TemporaryDirectory(prefix="bench-oxigraph-")
    # every load comes from one address: the per-client cap (--client-queries) would answer 429 past it
    anyone = ("--client-queries", str(max(args.clients)))
    processes = [
        start(ports["wcokg"], args.out, *anyone)[0],
        start(ports["uncached"], args.out, "--answer-cache", "0", *anyone)[0],
        start_oxigraph(ports["oxigraph"], Path(scratch.name), args.out),
    ]
    pids = dict(zip(ports, (process.pid for process in processes), strict=True))
    try:
        print("| request | clients | wcokg req/s | p50 / p99 ms | CPU µs/req | Oxigraph req/s | p50 / p99 ms "
              "| CPU µs/req | ratio | `--answer-cache 0` req/s | p50 / p99 ms | CPU µs/req | ratio |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name, by_server in asked.items():
            for clients in args.clients:
                rates, cells = {}, {}
                for server, (path, accept) in by_server.items():
                    load(ports[server], path, accept, 1, 1)  # warm the caches
                    before = cpu_seconds(pids[server])
                    rate, p50, p99 = load(ports[server], path, accept, clients, args.seconds)
                    cpu = (cpu_seconds(pids[server]) - before) / (rate * args.seconds) * 1e6
                    rates[server] = rate
                    cells[server] = f"{rate:,.0f} | {p50:.1f} / {p99:.1f} | {cpu:.0f}"
                row = [cells["wcokg"], cells["oxigraph"], f"{rates['wcokg'] / rates['oxigraph']:.2f}"]
                if "uncached" in cells:
                    row += [cells["uncached"], f"{rates['uncached'] / rates['oxigraph']:.2f}"]
                else:
                    row += ["– | – | –", "–"]
                print(f"| {name} | {clients} | {' | '.join(row)} |", flush=True)
    finally:
        for process in processes:
            os.kill(process.pid, signal.SIGTERM)
            process.wait()
        scratch.cleanup()


if __name__ == "__main__":
    main()
