"""Measure `wcokg serve`: start-up (process start to first answer) and requests/s with a bounded loopback load.

    python bench/bench_serve.py --requests 2000 --clients 1 8 32

Each client is a thread with its own keep-alive connection; the total number of requests is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

PATHS = {
    "resource Turtle": ("/id/goal-4", "text/turtle"),
    "resource HTML": ("/id/goal-4", "text/html"),
    "SPARQL goals-in-order": ("/sparql?query=SELECT%20%3Fn%20%3Ft%20%7B%20%3Fg%20wcokg%3AgoalNumber%20%3Fn%20%3B"
                              "%20skos%3AprefLabel%20%3Ft%20%7D%20ORDER%20BY%20%3Fn", "application/json"),
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int) -> tuple[subprocess.Popen, float]:
    """Start the server; seconds from process start to its first 200 answer."""
    begin = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "wcokg", "serve", "--port", str(port)], stderr=subprocess.DEVNULL)
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


def load(port: int, path: str, accept: str, clients: int, total: int) -> tuple[float, list[float]]:
    """``total`` GETs shared by ``clients`` threads; returns (requests/s, latencies in s)."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def client(count: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(count):
            begin = time.perf_counter()
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            assert response.status == 200, response.status
            mine.append(time.perf_counter() - begin)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(count,)) for count in per_client]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total / (time.perf_counter() - begin), latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement (bounded)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--starts", type=int, default=5, help="server starts timed")
    args = parser.parse_args()
    starts = []
    for _ in range(args.starts):
        process, seconds = start(free_port())
        starts.append(seconds)
        os.kill(process.pid, signal.SIGTERM)
        process.wait()
    print(f"start-up to first answer: median {statistics.median(starts):.2f} s (min {min(starts):.2f}, "
          f"max {max(starts):.2f}, {args.starts} starts)")  # fmt: skip
    port = free_port()
    process, _ = start(port)
    try:
        print("| request | clients | requests | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|")
        for name, (path, accept) in PATHS.items():
            total = args.requests if not name.startswith("SPARQL") else max(args.requests // 10, 50)
            load(port, path, accept, 1, 20)  # warm the caches
            for clients in args.clients:
                rate, latencies = load(port, path, accept, clients, total)
                cuts = statistics.quantiles(latencies, n=100)
                print(f"| {name} | {clients} | {total} | {rate:.0f} | {cuts[49] * 1000:.1f} | {cuts[98] * 1000:.1f} |")
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait()


if __name__ == "__main__":
    main()
