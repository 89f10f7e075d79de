"""Answers sent again as stored bytes: a document does not change while its generation is served, so the whole
answer the application gave to a GET of it (status, headers, body) is kept and replayed, without routing,
middleware or rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STORED_ANSWERS = 4096
"""Answers kept per generation (a resource in each of five types is five); beyond, the oldest goes."""
VARYING = frozenset((b"origin", b"if-none-match", b"if-modified-since", b"range"))
"""Request headers besides Accept that an answer with an ETag depends on (CORS, the 304s): a request sending
any of them takes the full path."""


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class StoredAnswers:
    """ASGI: the answer given before to a GET of the same path, query string and Accept header in the same
    generation, replayed; an answer is kept when it was a 200 with an ETag in one body (a document's
    representation or a published file: fixed for the generation; /sparql answers, errors and the home page
    have none). ``store`` gives the current generation's dictionary: a new generation starts empty."""

    def __init__(self, app: ASGIApp, store: Callable[[], dict[tuple, StoredAnswer]]) -> None:
        self.app, self.store = app, store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        accept = []
        for name, value in scope["headers"]:
            if name in VARYING:
                await self.app(scope, receive, send)
                return
            if name == b"accept":
                accept.append(value)
        key = (scope["path"], scope.get("raw_path"), scope["query_string"], tuple(accept))
        store = self.store()
        stored = store.get(key)
        if stored is not None:
            await send({"type": "http.response.start", "status": stored.status, "headers": stored.headers})
            await send({"type": "http.response.body", "body": stored.body})
            return
        sent: list[Message] = []

        async def recording_send(message: Message) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, recording_send)
        if len(sent) == 2 and sent[0]["status"] == 200 and not sent[1].get("more_body", False):
            headers = list(sent[0].get("headers", ()))
            if any(name == b"etag" for name, _ in headers):
                if len(store) >= STORED_ANSWERS:
                    del store[next(iter(store))]
                store[key] = StoredAnswer(200, headers, sent[1].get("body", b""))
