"""wcokg.rdfio.stream_file: the quads parse_file reads, an N-Triples or N-Quads file parsed as it is read (what
`wcokg validate` loads a large file with), and the same errors."""

from __future__ import annotations

import pytest

from wcokg.budgets import BOM, Budgets
from wcokg.errors import RdfFileError
from wcokg.rdfio import parse_file, stream_file

LINES = [f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n' for i in range(3000)]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("plain.nt", "".join(LINES)),
        ("bom.nt", BOM.decode() + "".join(LINES)),
        # "--" after 2,000 lines: the file is judged by the token scan, and the quads not yet given follow
        ("dashes.nt", "".join(LINES[:2000]) + '<http://example.org/x> <http://example.org/p> "a--b" .\n'),
        ("graphs.nq", "".join(line.replace(" .", " <http://example.org/g> .") for line in LINES)),
        ("turtle.ttl", "".join(LINES)),
    ],
)
def test_the_quads_are_parse_files(tmp_path, name, text) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert list(stream_file(path)) == parse_file(path)


@pytest.mark.parametrize(
    ("text", "budgets"),
    [
        ("".join(LINES[:2000]) + "<http://example.org/s> <http://example.org/p> bad .\n", Budgets()),
        ("".join(LINES[:2000]) + "<< <http://a/s> <http://a/p> <http://a/o> >> <http://a/p> 1 .\n", Budgets()),
        ("".join(LINES), Budgets(max_bytes=4096)),
        ('<http://example.org/s> <http://example.org/p> "' + "x" * 300 + '" .\n', Budgets(max_literal=200)),
    ],
)
def test_the_errors_are_parse_files(tmp_path, text, budgets) -> None:
    path = tmp_path / "bad.nt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RdfFileError) as expected:
        parse_file(path, budgets=budgets)
    with pytest.raises(RdfFileError) as streamed:
        list(stream_file(path, budgets=budgets))
    assert str(streamed.value) == str(expected.value)
