"""The SPARQL endpoint's query-string reader gives what urllib's parse_qsl gives, on well-formed and odd input."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, quote

import pytest

from wcokg.namespaces import prefixes, sparql_prologue
from wcokg.sparql.query import catalog
from wcokg.web.sparql import query_fields


@pytest.mark.parametrize(
    ("query_string", "fields"),
    [
        (b"query=ASK%20%7B%7D", [("query", "ASK {}")]),
        (b"a=1&&b=&c", [("a", "1"), ("b", ""), ("c", "")]),
        (b"x=a+b%2Bc%3D%3d", [("x", "a b+c==")]),
        (b"x=caf%C3%A9", [("x", "café")]),
        (b"x=%C3", [("x", "\ufffd")]),
        (b"x=100%&y=%zz%4", [("x", "100%"), ("y", "%zz%4")]),
        (b"x=a=b", [("x", "a=b")]),
        (b"x=caf\xc3\xa9", [("x", "cafÃ©")]),
    ],
)
def test_fields_as_parse_qsl_reads_them(query_string: bytes, fields: list[tuple[str, str]]) -> None:
    assert query_fields(query_string) == fields == parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)


def test_every_catalog_query_and_random_strings_read_as_parse_qsl_reads_them() -> None:
    strings = [("query=" + quote(sparql_prologue(prefixes()) + text)).encode() for text in catalog().values()]
    alphabet = "ab=&%+ 4F\t\xe9c\n0123456789AFaf"
    generator = random.Random(20)
    strings += ["".join(generator.choices(alphabet, k=generator.randint(0, 14))).encode("latin-1") for _ in range(5000)]
    for query_string in strings:
        assert query_fields(query_string) == parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
