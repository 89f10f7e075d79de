"""Real triple stores for the tests: a Virtuoso server started on loopback ports, and a fault-injecting proxy."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Virtuoso:
    """A Virtuoso server of Debian's virtuoso-opensource-7-bin, in its own directory, on loopback ports."""

    def __init__(self, directory: Path):
        binary = shutil.which("virtuoso-t")
        assert binary, "virtuoso-t (Debian package virtuoso-opensource-7-bin) must be installed: .ci/run installs it"
        self.directory, self.sql_port, self.http_port = directory, free_port(), free_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=self.sql_port, http_port=self.http_port))
        self.process = subprocess.Popen(
            [binary, "-f", "-c", str(ini)], cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.http_port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (directory / "virtuoso.log").read_text(errors="replace")[-2000:]
            try:
                if requests.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.5)
        self.stop()
        raise AssertionError("Virtuoso did not start within 90 s")

    def isql(self, *commands: str) -> str:
        """Run SQL commands through isql-vt as dba (the bulk loader is driven this way)."""
        script = "\n".join(commands) + "\n"
        done = subprocess.run(
            ["isql-vt", str(self.sql_port), "dba", "dba"], input=script, capture_output=True, text=True, check=True
        )
        return done.stdout

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class FailingProxy:
    """A loopback HTTP proxy in front of a store that answers 500 to every upload after the first ``allow``."""

    def __init__(self, upstream: str, allow: int):
        proxy = self
        self.uploads, self.allow = 0, allow

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                if self.command in ("PUT", "POST") and "graph" in self.path and "Authorization" in self.headers:
                    proxy.uploads += 1
                    if proxy.uploads > proxy.allow:
                        self.send_response(500, "Internal Server Error")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(self.command, upstream + self.path, data=body, headers=headers, timeout=60)
                self.send_response(answer.status_code, answer.reason)
                for key, value in answer.headers.items():
                    if key.lower() not in ("transfer-encoding", "content-length", "connection", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_PUT = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
