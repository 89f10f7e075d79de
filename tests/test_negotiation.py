"""Accept headers, read as RFC 9110 §12.5.1 says: q-values, the most specific range wins, q=0 means never."""

from __future__ import annotations

import pytest

from wcokg.web.negotiation import MAX_ACCEPT, RDF_TYPES, NegotiationError, choose

OFFERED = list(RDF_TYPES)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("TEXT/Turtle", "text/turtle"),
        ("text/turtle;charset=utf-8", "text/turtle"),
        ("application/n-triples;q=0.9, text/turtle;q=0.8", "application/n-triples"),
        ("text/*", "text/html"),
        ("text/*, text/html;q=0", "text/turtle"),
        ("*/*;q=0.1, application/rdf+xml", "application/rdf+xml"),
        ("application/*;q=0.5, application/ld+json;q=0", "application/n-triples"),
        ("image/png", None),
        ("*/*;q=0", None),
        ("text/turtle;q=0", None),
        ("text/turtle;q=abc, application/ld+json;q=0.2", "application/ld+json"),
        ("text/turtle;q=2", "text/html"),  # an invalid q: the range is ignored, and no valid range means anything
        ("garbage", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", "text/html"),
    ],
)
def test_choose(accept, expected) -> None:
    assert choose(accept, OFFERED) == expected


def test_an_accept_header_over_the_limit_is_refused() -> None:
    with pytest.raises(NegotiationError, match=str(MAX_ACCEPT)):
        choose("text/turtle, " * 400, OFFERED)
