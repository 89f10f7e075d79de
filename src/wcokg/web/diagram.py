"""Pictures of small graphs as inline SVG, laid out in Python: nodes in columns, each edge from one column to the
next with its label on a row of its own between them, so that no two labels or nodes overlap. The same nodes and
edges always give the same bytes (the static site is byte-identical run to run) and no script is needed."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

PITCH = 22.0
"""The height of a row: a node or an edge's label."""
BOX = 18.0
"""The height of a node's box."""
CHAR = 6.7
"""The width of a character at the pictures' 12 px (an estimate, generous for system-ui)."""
LONGEST = 40
"""Characters of a node's or label's text shown; a longer one is cut with … (its whole text is its tooltip)."""
PAD, BEND, MARGIN = 8.0, 36.0, 4.0
"""Padding inside a node's box; width of the curve from a label to its target; margin around the picture."""


@dataclass(frozen=True)
class Node:
    """A node: ``key`` names it among the picture's, ``column`` is where it stands (0 leftmost); ``href`` is the
    page it links to (none for the page's own resource); ``kind`` a CSS class."""

    key: str
    text: str
    column: int
    href: str = ""
    kind: str = ""


@dataclass(frozen=True, order=True)
class Edge:
    """An edge from ``source`` to ``target`` (a node of the next column), with its label."""

    source: str
    target: str
    label: str


def _cut(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "…"


def _width(text: str) -> float:
    return len(_cut(text)) * CHAR


def _stack(items: list, desired: dict) -> dict:
    """Rows for ``items`` (in this order) as near their ``desired`` y as rows ``PITCH`` apart allow, centred on them."""
    placed: dict = {}
    for item in items:
        y = desired[item]
        placed[item] = y if not placed else max(y, placed[items[len(placed) - 1]] + PITCH)
    if items:
        shift = sum(desired[i] - placed[i] for i in items) / len(items)
        placed = {i: y + shift for i, y in placed.items()}
    return placed


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def layout(nodes: list[Node], edges: list[Edge]) -> tuple[dict[str, float], dict[int, float], list[list[str]]]:
    """The y of each node and of each edge's label (by its index), and the columns' nodes in order: as given,
    then each column after the first by the mean rank of its nodes' sources, the first by that of its nodes'
    targets, and the others again (fewer crossings; ties keep their order); then rows spaced ``PITCH``, pulled
    level with their edges' other ends, forwards and backwards."""
    columns: list[list[str]] = [[] for _ in range(max((n.column for n in nodes), default=-1) + 1)]
    for node in nodes:
        columns[node.column].append(node.key)
    sources: dict[str, list[int]] = {}
    targets: dict[str, list[int]] = {}
    for index, edge in enumerate(edges):
        targets.setdefault(edge.source, []).append(index)
        sources.setdefault(edge.target, []).append(index)
    for sweep in range(3):  # forwards, backwards, forwards: stable sorts, so ties keep the order they had
        steps = range(min(1, len(columns) - 1)) if sweep == 1 else range(1, len(columns))
        for number in steps:
            near, ends, end = (number + 1, targets, "target") if sweep == 1 else (number - 1, sources, "source")
            rank = {key: r for r, key in enumerate(columns[near])}
            this = columns[number]
            mean = {k: _mean([rank[getattr(edges[i], end)] for i in ends.get(k, [])], len(rank)) for k in this}
            this.sort(key=lambda key: mean[key])
    order = {key: r for column in columns for r, key in enumerate(column)}
    column_of = {n.key: n.column for n in nodes}
    gaps: list[list[int]] = [[] for _ in columns]
    for index in sorted(range(len(edges)), key=lambda i: (order[edges[i].target], order[edges[i].source])):
        gaps[column_of[edges[index].source]].append(index)
    y: dict[str, float] = _stack(columns[0], {key: r * PITCH for r, key in enumerate(columns[0])}) if columns else {}
    at: dict[int, float] = {}
    for number in range(1, len(columns)):  # forwards: labels level with their sources, nodes with their labels
        at.update(_stack(gaps[number - 1], {i: y[edges[i].source] for i in gaps[number - 1]}))
        wanted = {key: _mean([at[i] for i in sources.get(key, [])], 0.0) for key in columns[number]}
        y.update(_stack(columns[number], wanted))
    for number in range(len(columns) - 2, -1, -1):  # backwards: labels level with their targets, nodes with them
        at.update(_stack(gaps[number], {i: y[edges[i].target] for i in gaps[number]}))
        wanted = {key: _mean([at[i] for i in targets.get(key, [])], y[key]) for key in columns[number]}
        y.update(_stack(columns[number], wanted))
    return y, at, columns


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def svg(nodes: list[Node], edges: list[Edge], title: str) -> Markup:
    """The picture of ``nodes`` and ``edges`` as an ``<svg>`` element (empty markup for no nodes): boxes linking
    to their pages, each edge a curve from its source to its label and on to an arrow at its target."""
    if not nodes:
        return Markup("")
    y, at, columns = layout(nodes, edges)
    by_key = {n.key: n for n in nodes}
    widths = [max(_width(by_key[k].text) for k in column) + 2 * PAD for column in columns]
    labels = [0.0] * len(columns)
    for edge in edges:
        column = by_key[edge.source].column
        labels[column] = max(labels[column], _width(edge.label))
    left, x = [], MARGIN
    for number, width in enumerate(widths):
        left.append(x)
        x += width + labels[number] + BEND + 3 * PAD + 40
    right = left[-1] + widths[-1] + MARGIN
    top = min([*y.values(), *at.values()]) - PITCH - MARGIN
    height = max([*y.values(), *at.values()]) - top + PITCH / 2 + MARGIN
    y = {key: value - top for key, value in y.items()}
    at = {index: value - top for index, value in at.items()}
    size = f'width="{_number(right)}" height="{_number(height)}" viewBox="0 0 {_number(right)} {_number(height)}"'
    parts = [
        f'<svg class="diagram" xmlns="http://www.w3.org/2000/svg" role="img" {size}>',
        f"<title>{escape(title)}</title>",
    ]
    for index, edge in enumerate(edges):
        source, target = by_key[edge.source], by_key[edge.target]
        start = left[source.column] + widths[source.column]
        parts.append(
            _edge(edge, source, target, (start, y[edge.source]), at[index], (left[target.column], y[edge.target]))
        )
    for node in nodes:
        parts.append(_node(node, left[node.column], y[node.key] - BOX / 2, widths[node.column]))
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _edge(
    edge: Edge, source: Node, target: Node, start: tuple[float, float], row: float, end: tuple[float, float]
) -> str:
    """An edge from ``start`` (its source's right side) through its label on ``row``, ended just before the
    label, to an arrow at ``end`` (its target's left side)."""
    (x0, y0), (x1, y1) = start, end
    label_end = x1 - BEND
    label_start = label_end - _width(edge.label) - 2 * PAD
    middle, bend = (x0 + label_start) / 2, x1 - BEND / 2
    n = _number
    path = (
        f"M{n(x0)} {n(y0)} C{n(middle)} {n(y0)} {n(middle)} {n(row)} {n(label_start)} {n(row)} H{n(label_end)}"
        f" C{n(bend)} {n(row)} {n(bend)} {n(y1)} {n(x1 - 6)} {n(y1)}"
    )
    arrow = f"M{n(x1 - 7)} {n(y1 - 4)} L{n(x1)} {n(y1)} L{n(x1 - 7)} {n(y1 + 4)}z"
    text = f'<text x="{n(label_end - PAD)}" y="{n(row - 4)}" text-anchor="end">{escape(_cut(edge.label))}</text>'
    title = f"{escape(source.text)} — {escape(edge.label)} → {escape(target.text)}"
    return f'<g class="edge"><title>{title}</title><path d="{path}"/><path class="arrow" d="{arrow}"/>{text}</g>'


def _node(node: Node, x: float, y: float, width: float) -> str:
    """A node's box at (``x``, ``y``), linked to its page when it has one."""
    n = _number
    box = (
        f'<title>{escape(node.text)}</title><rect x="{n(x)}" y="{n(y)}" width="{n(width)}" height="{n(BOX)}" rx="4"/>'
        f'<text x="{n(x + PAD)}" y="{n(y + BOX - 5)}">{escape(_cut(node.text))}</text>'
    )
    kind = f"node {node.kind}".strip()
    if node.href:
        return f'<a class="{kind}" href="{escape(node.href)}">{box}</a>'
    return f'<g class="{kind}">{box}</g>'
