"""Start `wcokg serve` as a real process on a free loopback port, wait for its first answer, stop it by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM by PID, then wait; SIGKILL if it does not stop within 10 s."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """SIGTERM by PID, then wait; SIGKILL if it does not stop within 10 s."""
        stop_process(self.process)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start(*args: str, timeout: float = 120, env: dict[str, str] | None = None) -> Server:
    """``python -m wcokg serve --port FREE ARGS…`` (with ``env`` added to the environment); returns once ``/``
    answers (or raises with the server's stderr). ``timeout`` is only a safety net for a server that never
    answers; a port taken by another test process between the probe and the server's bind is tried again."""
    for _ in range(3):
        try:
            return _start(free_port(), args, timeout, env)
        except PortTaken:
            continue
    raise RuntimeError("wcokg serve found its port taken three times")


class PortTaken(RuntimeError):
    """The free port was taken by another process (another pytest-xdist worker) before the server bound it."""


def _start(port: int, args: tuple[str, ...], timeout: float, env: dict[str, str] | None) -> Server:
    log = Path(tempfile.mkstemp(prefix="wcokg-serve-", suffix=".log")[1])
    deadline = time.monotonic() + timeout
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "wcokg", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            stdout=stream,
            stderr=stream,
            env={**os.environ, **(env or {})},
        )
    url = f"http://127.0.0.1:{port}"
    server = Server(url, process, log)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if "in use" in server.stderr():
                raise PortTaken(port)
            raise RuntimeError(f"wcokg serve exited with {process.returncode}: {server.stderr()}")
        try:
            requests.get(url + "/", timeout=10)
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.02)
            continue
        return server
    server.stop()
    raise RuntimeError(f"wcokg serve did not answer within {timeout} s: {server.stderr()}")
