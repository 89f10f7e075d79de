"""Measure what one abusive client costs the others on `wcokg serve`: 200 expensive /sparql queries sent at once
from 127.0.0.1, then cheap ones from 127.0.0.2; how long each cheap answer took, and how the expensive ones
were answered (200 run to their end, 429 refused for the client's cap, 503 stopped by the time limit).

    python bench/bench_fairness.py [--abusive 200] [--cheap 10] [--timeout 20]

Bounded: every request has a 120 s client timeout and the server a query --timeout; loopback only.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import threading
import time
from pathlib import Path

import requests
from bench_serve import free_port, start
from requests.adapters import HTTPAdapter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from wcokg import layout  # noqa: E402

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"


class SourceAddress(HTTPAdapter):
    """Requests sent from a chosen loopback address (the server tells clients apart by address)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session(address: str) -> requests.Session:
    client = requests.Session()
    client.mount("http://", SourceAddress(address))
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abusive", type=int, default=200, help="expensive queries sent at once by one client")
    parser.add_argument("--cheap", type=int, default=10, help="cheap queries then sent by another client")
    parser.add_argument("--timeout", type=float, default=20, help="the server's query --timeout")
    args = parser.parse_args()
    port = free_port()
    server, _ = start(port, layout.OUTPUT, "--timeout", str(args.timeout), "--answer-cache", "0")
    url = f"http://127.0.0.1:{port}/sparql"
    statuses: collections.Counter[int] = collections.Counter()

    def abuse() -> None:
        answer = session("127.0.0.1").get(url, params={"query": EXPENSIVE}, timeout=120)
        statuses[answer.status_code] += 1

    try:
        threads = [threading.Thread(target=abuse) for _ in range(args.abusive)]
        for thread in threads:
            thread.start()
        time.sleep(1)  # the abusive queries are in
        cheap, waits = session("127.0.0.2"), []
        for _ in range(args.cheap):
            started = time.perf_counter()
            answer = cheap.get(url, params={"query": CHEAP}, timeout=120)
            waits.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()
    answered = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
    print(f"{args.abusive} expensive queries from 127.0.0.1 (query --timeout {args.timeout:g} s): {answered}")
    median, most = statistics.median(waits), max(waits)
    print(f"{args.cheap} cheap queries from 127.0.0.2 meanwhile: median {median:.3f} s, max {most:.3f} s")


if __name__ == "__main__":
    main()
