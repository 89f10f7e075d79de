"""Measure the latency of one accepted one-triple update: `wcokg serve --allow-update` (POST /update) beside
`wcokg update --apply` (the command line), each on its own copy of the project.

    python bench/bench_serve_update.py --runs 5

Each run adds one label to Goal 4 and removes the previous run's, so the graph keeps its size; the figure is
the median wall time of ``--runs`` requests (the server: the whole HTTP round trip, the reload of the new
generation included; the command: the whole process); then what the update's own process costs the server:
forking it (from a process that has loaded the site, as the server has), one round trip and killing it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from wcokg import layout  # noqa: E402
from wcokg.pipeline import build  # noqa: E402
from wcokg.sparql.worker import Worker  # noqa: E402
from wcokg.web.app import create_app  # noqa: E402

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured

TOKEN = "a-token-for-the-benchmark-0123456789"
FIELDS = {
    "author": "Bench",
    "reason": "Latency of one update.",
    "date": "2026-11-30",
    "cites": "<https://www.wcoomd.org/en/about-us/wco-members.aspx> WCO Members",
}


def project(root: Path) -> list[str]:
    """A copy of the project's inputs with a fresh build in ``root``; the options that name them."""
    shutil.copytree(ROOT / "sources", root / "sources")
    for shipped in (layout.ONTOLOGY, layout.SHAPES):
        shutil.copytree(shipped.parent, root / shipped.parent.name)
    source = root / "sources" / OVERVIEW.name
    ontology, shapes = root / "ontology" / layout.ONTOLOGY.name, root / "shapes" / layout.SHAPES.name
    build(source, root / "output", ontology=ontology, shapes=shapes, edits=root / "edits", releases=root / "releases")
    return [
        *("--out", str(root / "output"), "--edits", str(root / "edits"), "--source", str(source)),
        *("--releases", str(root / "releases"), "--ontology", str(ontology), "--shapes", str(shapes)),
    ]


def patch(step: int) -> str:
    delete = f'DELETE DATA {{ wco:goal-4 skos:altLabel "bench-{step - 1}"@en }} ;\n' if step else ""
    return delete + f'INSERT DATA {{ wco:goal-4 skos:altLabel "bench-{step}"@en }}\n'


def serve_times(options: list[str], runs: int) -> list[float]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "wcokg", "serve", "--port", str(port), "--allow-update", *options]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, env={**os.environ, "WCOKG_TOKEN": TOKEN})
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        times = []
        for step in range(runs + 1):  # the first is a warm-up
            request = urllib.request.Request(
                f"{url}/update?{urllib.parse.urlencode(FIELDS)}",
                data=patch(step).encode(),
                headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
            )
            start = time.perf_counter()
            urllib.request.urlopen(request, timeout=600).read()
            times.append(time.perf_counter() - start)
        return times[1:]
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait()


def cli_times(options: list[str], root: Path, runs: int) -> list[float]:
    times = []
    for step in range(runs):
        path = root / f"step-{step}.ru"
        path.write_text(patch(step), encoding="utf-8")
        fields = [f"--{key}={value}" for key, value in FIELDS.items()]
        command = [sys.executable, "-m", "wcokg", "update", str(path), "--apply", *fields, *options]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def fork_times(out_dir: Path, source: Path, runs: int) -> list[float]:
    create_app(out_dir, source=source)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        worker = Worker(len, 4 << 30, "update")
        worker.call("x", 30)
        worker.stop()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        served = serve_times(project(Path(scratch) / "served"), args.runs)
        command = cli_times(project(Path(scratch) / "cli"), Path(scratch), args.runs)
        cli = Path(scratch) / "cli"
        forks = fork_times(cli / "output", cli / "sources" / OVERVIEW.name, 21)
    for name, times in (("serve POST /update", served), ("wcokg update --apply", command)):
        listed = ", ".join(f"{t:.3f}" for t in times)
        print(f"{name:22} median {statistics.median(times):.3f} s  ({listed})")
    print(f"{'fork + call + kill':22} median {statistics.median(forks) * 1000:.1f} ms  (of {len(forks)})")


if __name__ == "__main__":
    main()
