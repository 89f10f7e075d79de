"""Compare two releases of the published data: quads added and removed per graph, a summary, an RDF Patch."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ..budgets import DEFAULT, Budgets
from ..errors import RdfFileError
from ..names import DEFAULT_BASE, PREFIXES, prefixes
from ..rdfio import parse_file

LABELS = (PREFIXES["skos"] + "prefLabel", PREFIXES["schema"] + "name", PREFIXES["rdfs"] + "label")
"""Where a resource's label is read from, in order of preference."""
SUMMARISED = ("evidence", "void")
"""Generated graphs whose churn is summarised per predicate; every other graph is listed resource by resource."""
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[\w.-]*[\w-])?")


@dataclass(frozen=True)
class GraphDiff:
    """The quads added to and removed from one graph (``""`` is the default graph), sorted as N-Quads."""

    graph: str
    added: tuple[pyoxigraph.Quad, ...]
    removed: tuple[pyoxigraph.Quad, ...]


@dataclass(frozen=True)
class DatasetDiff:
    """What changed from an old dataset to a new one: one GraphDiff per graph of either, in graph order."""

    graphs: tuple[GraphDiff, ...]
    base: str = DEFAULT_BASE

    @property
    def changed(self) -> bool:
        return any(g.added or g.removed for g in self.graphs)


def _nquad(quad: pyoxigraph.Quad) -> str:
    return f"{quad} ."


def _data_graph(quads: Iterable[pyoxigraph.Quad]) -> str | None:
    names = {q.graph_name.value for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)}
    return min((n for n in names if n.endswith("/graph/data")), default=None)


def _refuse_blank_nodes(path: Path, quads: Iterable[pyoxigraph.Quad]) -> None:
    for quad in quads:
        if isinstance(quad.subject, pyoxigraph.BlankNode) or isinstance(quad.object, pyoxigraph.BlankNode):
            raise RdfFileError(
                path, None, None, f"blank node in {_nquad(quad)}: published data has none, so it cannot be compared"
            )
        if isinstance(quad.graph_name, pyoxigraph.BlankNode):
            raise RdfFileError(path, None, None, f"blank node graph name {quad.graph_name}: it cannot be compared")


def read_quads(path: str | Path, budgets: Budgets = DEFAULT) -> set[pyoxigraph.Quad]:
    """The quads of a published directory (``wcokg.nq``, and ``void.ttl`` as graph ``…/graph/void``) or of
    one RDF file (.nq .trig .nt .ttl .jsonld), parsed strictly.

    Raises:
        RdfFileError: unreadable or malformed input (a FIFO, a device, a file over ``budgets``), a directory
            without a data graph, or a blank node.
    """
    path = Path(path)
    if not path.exists():
        raise RdfFileError(path, None, None, "no such file or directory")
    if not path.is_dir():
        quads = parse_file(path, budgets=budgets)
        _refuse_blank_nodes(path, quads)
        return set(quads)
    nquads = path / "wcokg.nq"
    quads = parse_file(nquads, budgets=budgets)
    _refuse_blank_nodes(nquads, quads)
    data = _data_graph(quads)
    if data is None:
        raise RdfFileError(nquads, None, None, "no data graph (…/graph/data): is this a wcokg output directory?")
    void = path / "void.ttl"
    if void.exists():
        described = parse_file(void, budgets=budgets)
        _refuse_blank_nodes(void, described)
        graph = pyoxigraph.NamedNode(data.removesuffix("graph/data") + "graph/void")
        quads.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in described)
    return set(quads)


def _by_graph(quads: Iterable[pyoxigraph.Quad]) -> dict[str, list[pyoxigraph.Quad]]:
    graphs: dict[str, list[pyoxigraph.Quad]] = defaultdict(list)
    for quad in quads:
        graphs["" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value].append(quad)
    return graphs


def diff_datasets(old: set[pyoxigraph.Quad], new: set[pyoxigraph.Quad]) -> DatasetDiff:
    """The quads of ``new`` not in ``old`` (added) and of ``old`` not in ``new`` (removed), graph by graph.

    Every graph of either dataset is listed, the default graph first, then by IRI; unchanged ones are empty.
    """
    added, removed = _by_graph(new - old), _by_graph(old - new)
    terms = {q.graph_name for q in old} | {q.graph_name for q in new}
    names = {"" if isinstance(term, pyoxigraph.DefaultGraph) else term.value for term in terms}
    graphs = tuple(
        GraphDiff(
            name,
            tuple(sorted(added.get(name, ()), key=_nquad)),
            tuple(sorted(removed.get(name, ()), key=_nquad)),
        )
        for name in sorted(names)
    )
    data = _data_graph(new) or _data_graph(old)
    return DatasetDiff(graphs, data.removesuffix("graph/data") if data else DEFAULT_BASE)


def labels(new: Iterable[pyoxigraph.Quad], old: Iterable[pyoxigraph.Quad] = ()) -> dict[str, str]:
    """A label for each resource (IRI → text): skos:prefLabel, else schema:name, else rdfs:label; English
    first; from ``new``, and from ``old`` for resources ``new`` no longer labels."""
    chosen: dict[str, tuple[tuple, str]] = {}
    for release, quads in enumerate((new, old)):
        for quad in quads:
            if quad.predicate.value not in LABELS or not isinstance(quad.object, pyoxigraph.Literal):
                continue
            language = quad.object.language or ""
            english = language == "en" or language.startswith("en-")
            rank = (release, LABELS.index(quad.predicate.value), not english, language, quad.object.value)
            subject = quad.subject.value
            if subject not in chosen or rank < chosen[subject][0]:
                chosen[subject] = (rank, quad.object.value)
    return {subject: label for subject, (_, label) in chosen.items()}


class _Names:
    """Terms as prefixed names where a prefix fits, N-Triples otherwise."""

    def __init__(self, base: str):
        self.namespaces = sorted(prefixes(base).items(), key=lambda item: -len(item[1]))

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.namespaces:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"

    def term(self, term) -> str:
        if isinstance(term, pyoxigraph.NamedNode):
            return self.iri(term.value)
        if isinstance(term, pyoxigraph.Literal):
            text = str(pyoxigraph.Literal(term.value))
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype.value == PREFIXES["xsd"] + "string":
                return text
            return f"{text}^^{self.iri(term.datatype.value)}"
        return str(term)

    def graph(self, name: str, base: str) -> str:
        if not name:
            return "default graph"
        return name.removeprefix(base + "graph/") if name.startswith(base + "graph/") else f"<{name}>"


def _facts(names: _Names, added: list[pyoxigraph.Quad], removed: list[pyoxigraph.Quad]) -> list[str]:
    """One resource's changes: a predicate with one value removed and one added is shown as changed."""
    by_predicate: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for quad in added:
        by_predicate[names.iri(quad.predicate.value)][0].append(quad.object)
    for quad in removed:
        by_predicate[names.iri(quad.predicate.value)][1].append(quad.object)
    lines = []
    for predicate, (new, old) in sorted(by_predicate.items()):
        if len(new) == 1 and len(old) == 1:
            lines.append(f"  ~ {predicate}: {names.term(old[0])} -> {names.term(new[0])}")
            continue
        lines.extend(sorted(f"  + {predicate} {names.term(o)}" for o in new))
        lines.extend(sorted(f"  - {predicate} {names.term(o)}" for o in old))
    return lines


def _resources(graph: GraphDiff, names: _Names, labels: Mapping[str, str]) -> list[str]:
    added, removed = defaultdict(list), defaultdict(list)
    for quad in graph.added:
        added[quad.subject.value].append(quad)
    for quad in graph.removed:
        removed[quad.subject.value].append(quad)
    lines = []
    for subject in sorted(added.keys() | removed.keys(), key=names.iri):
        label = f'  "{labels[subject]}"' if subject in labels else ""
        lines.append(f"{names.iri(subject)}{label}")
        lines.extend(_facts(names, added[subject], removed[subject]))
    return lines


def _predicates(graph: GraphDiff, names: _Names) -> list[str]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for index, quads in enumerate((graph.added, graph.removed)):
        for quad in quads:
            counts[names.iri(quad.predicate.value)][index] += 1
    subjects = {q.subject for q in (*graph.added, *graph.removed)}
    width = max(map(len, counts))
    return [f"{len(subjects)} resources changed"] + [
        f"  {predicate:<{width}}  +{plus} -{minus}" for predicate, (plus, minus) in sorted(counts.items())
    ]


def summary(diff: DatasetDiff, labels: Mapping[str, str]) -> str:
    """A reader's summary: counts per graph, then each graph's changes, resource by resource (with its
    label), or for generated graphs (SUMMARISED) per predicate. "no differences" when nothing changed."""
    if not diff.changed:
        return "no differences"
    names = _Names(diff.base)
    titles = {g.graph: names.graph(g.graph, diff.base) for g in diff.graphs}
    width = max(map(len, titles.values()))
    lines = [f"{titles[g.graph]:<{width}}  +{len(g.added)} -{len(g.removed)}" for g in diff.graphs]
    for graph in diff.graphs:
        if not (graph.added or graph.removed):
            continue
        title = titles[graph.graph]
        lines += ["", f"== {title}  +{len(graph.added)} -{len(graph.removed)}"]
        if title in SUMMARISED:
            lines += _predicates(graph, names)
        else:
            lines += _resources(graph, names, labels)
    return "\n".join(lines)


def rdf_patch(diff: DatasetDiff, prev: str | None = None) -> str:
    """The diff as an RDF Patch (https://afs.github.io/rdf-delta/rdf-patch.html): deletions, then additions,
    each sorted, in one transaction. Its ``H id`` is ``urn:sha256:`` of everything after that line, so the
    same change (and the same ``prev``) always gets the same id."""
    body = [f"H prev <{prev}> ."] if prev else []
    body.append("TX .")
    for code, part in (("D", "removed"), ("A", "added")):
        quads = [q for graph in diff.graphs for q in getattr(graph, part)]
        body.extend(sorted(f"{code} {_nquad(q)}" for q in quads))
    body.append("TC .")
    text = "".join(line + "\n" for line in body)
    return f"H id <urn:sha256:{hashlib.sha256(text.encode()).hexdigest()}> .\n{text}"
