"""The pictures' layout (wcokg.web.diagram): the same graph gives the same bytes, rows never overlap, text is
escaped and a long text cut with its whole in the tooltip; the SVG is well-formed XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wcokg.web.diagram import PITCH, Edge, Node, layout, svg

SVG = "{http://www.w3.org/2000/svg}"
HUB = [Node("hub", "hub", 0, "/id/hub", "centre")] + [Node(f"n{i}", f"node {i}", 1, f"/id/n{i}") for i in range(6)]
EDGES = [Edge("hub", f"n{i}", verb) for i in range(6) for verb in ("one", "two")[: 1 + i % 2]]


def test_the_same_graph_gives_the_same_bytes() -> None:
    assert svg(HUB, EDGES, "a hub") == svg(list(HUB), list(EDGES), "a hub")


def test_rows_never_overlap() -> None:
    nodes = HUB + [Node("m", "m", 2), Node("k", "k", 2)]
    edges = EDGES + [Edge("n0", "m", "a"), Edge("n5", "m", "b"), Edge("n3", "k", "c")]
    y, at, columns = layout(nodes, edges)
    stacks = [[y[key] for key in column] for column in columns]
    stacks += [[at[i] for i, e in enumerate(edges) if e.source in columns[gap]] for gap in (0, 1)]
    for stack in stacks:
        rows = sorted(stack)
        assert all(b - a >= PITCH - 1e-9 for a, b in zip(rows, rows[1:], strict=False)), rows


def test_text_is_escaped_and_a_long_text_cut() -> None:
    long = "a name of sixty characters, far longer than a box may show it"
    picture = ET.fromstring(
        svg([Node("a", "<A & B>", 0), Node("b", long, 1, "/id/b?x=1&y=2")], [Edge("a", "b", "r")], "t")
    )
    texts = [t.text for t in picture.iter(SVG + "text")]
    assert texts == ["r", "<A & B>", long[:38] + "…"]
    link = picture.find(f"{SVG}a")
    assert link.get("href") == "/id/b?x=1&y=2" and link.find(f"{SVG}title").text == long
    assert picture.find(f"{SVG}g[@class='edge']/{SVG}title").text == "<A & B> — r → " + long


def test_no_nodes_no_picture() -> None:
    assert svg([], [], "nothing") == ""
