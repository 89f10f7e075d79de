"""What one client may hold of the server: time to send a request's headers and its body, and queries at once.

uvicorn closes idle keep-alive connections, but waits for ever on a request whose headers or body arrive a
byte at a time; and one client's many slow queries would take every query worker.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from functools import partial

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..limits import BODY_TIMEOUT, HEADER_TIMEOUT
from ..sparql.query import QUERY_WORKERS

CLIENT_QUERIES = QUERY_WORKERS - 1
"""Queries one client address may have running at once: one worker is always left for the others."""


class _HeaderTimer:
    """Closes a connection whose request headers are not all in within ``header_timeout`` seconds of its opening
    or of the previous response (uvicorn has no such limit). Mixed into one of uvicorn's HTTP/1.1 protocols."""

    def __init__(self, *args, header_timeout: float = HEADER_TIMEOUT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self._headers_due: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._wait_for_headers()

    def on_response_complete(self) -> None:
        self._wait_for_headers()  # before: uvicorn may start on a pipelined request now
        super().on_response_complete()  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)  # type: ignore[misc]

    def _wait_for_headers(self) -> None:
        self._stop_waiting()
        self._headers_due = self.loop.call_later(self.header_timeout, self._headers_late)  # type: ignore[attr-defined]

    def _stop_waiting(self) -> None:
        if self._headers_due is not None:
            self._headers_due.cancel()
            self._headers_due = None

    def _headers_late(self) -> None:
        self._headers_due = None
        if not self.transport.is_closing():  # type: ignore[attr-defined]
            self.transport.close()  # type: ignore[attr-defined]


class TimedH11Protocol(_HeaderTimer, H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11), with the header timeout."""

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request's headers are in
            self._stop_waiting()


def timed_protocol(header_timeout: float) -> Callable[..., asyncio.Protocol]:
    """The HTTP/1.1 protocol the server runs, with the header timeout: uvicorn's on httptools (a C parser, about
    twice the requests a second) where that is installed, else its h11 one."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return partial(TimedH11Protocol, header_timeout=header_timeout)

    class TimedHttpToolsProtocol(_HeaderTimer, HttpToolsProtocol):
        """A connection whose first request asks to upgrade to anything but a WebSocket (Java's HttpClient sends
        ``Upgrade: h2c``) is handed to the h11 protocol, which ignores the header: httptools stops parsing at it
        and uvicorn then answers the request's body 400."""

        opening: bytes | None = b""
        """The connection's bytes until its first request's headers are parsed (then None)."""
        handing_over = False

        def data_received(self, data: bytes) -> None:
            if self.opening is not None:
                self.opening += data
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._stop_waiting()
            if self.parser.should_upgrade() and not self._should_upgrade() and self.opening is not None:
                self.handing_over = True  # the parser stops at the upgrade, then uvicorn calls the method below
                return
            self.opening = None
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self.handing_over:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if not self.handing_over:
                super().on_message_complete()

        def _unsupported_upgrade_warning(self) -> None:
            if self.handing_over:
                self._hand_over()
            else:
                super()._unsupported_upgrade_warning()

        def _hand_over(self) -> None:
            self._stop_waiting()
            self.connections.discard(self)
            h11 = TimedH11Protocol(
                self.config, self.server_state, self.app_state, self.loop, header_timeout=self.header_timeout
            )
            h11.connection_made(self.transport)
            self.transport.set_protocol(h11)
            h11.data_received(self.opening or b"")

    return partial(TimedHttpToolsProtocol, header_timeout=header_timeout)


class BodyTimeout:
    """ASGI middleware: a request's body must be in whole within ``seconds`` of its headers; otherwise the client
    is answered 408 and the connection closed, and the application sees the client gone."""

    def __init__(self, app: ASGIApp, seconds: float = BODY_TIMEOUT) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        state = {"body_in": False, "cut": False, "answered": False}

        async def timed_receive() -> Message:
            if state["cut"]:
                return {"type": "http.disconnect"}
            if state["body_in"]:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                state["cut"] = True
                if not state["answered"]:
                    await self._too_slow(send)
                return {"type": "http.disconnect"}
            state["body_in"] = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def guarded_send(message: Message) -> None:
            if state["cut"]:
                return
            state["answered"] = True
            await send(message)

        try:
            await self.app(scope, timed_receive, guarded_send)
        except Exception:
            if not state["cut"]:  # else the application failed reading a body that was cut: answered already
                raise

    async def _too_slow(self, send: Send) -> None:
        message = f"the request body did not arrive within {self.seconds:g} s (--body-timeout)"
        body = (json.dumps({"status": 408, "message": message}) + "\n").encode()
        length = str(len(body)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", length), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 408, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class ClientQueries:
    """How many queries each client address has running, at most ``per_client`` at once: one client cannot take
    every query worker. Used from the event loop only (no lock)."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self.running: Counter[str] = Counter()

    def take(self, client: str) -> bool:
        """Start a query for ``client``, unless it has ``per_client`` running; then False."""
        if self.running[client] >= self.per_client:
            return False
        self.running[client] += 1
        return True

    def give_back(self, client: str) -> None:
        self.running[client] -= 1
        if not self.running[client]:
            del self.running[client]
