"""Why a triple an edit deletes is not in the graph: what the graph has instead, nearest first (the same text
with another language tag or datatype, the same text in other white space or case, the closest IRI)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Graph, Literal, URIRef


def distance(a: str, b: str) -> int:
    """The Levenshtein distance of two strings (insertions, deletions and substitutions of one character).

    >>> distance("item-4", "item-44"), distance("kitten", "sitting")
    (1, 3)
    """
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def closest(wanted: str, candidates: Iterable, name: Callable[[object], str]) -> object | None:
    """The candidate whose ``name`` is nearest ``wanted`` by edit distance (ties: the first name in order)."""
    return min(candidates, key=lambda c: (distance(wanted, name(c)), name(c)), default=None)


def why_missing(triple: tuple, graph: Graph, name: Callable[[object], str]) -> str:
    """What the graph has where ``triple`` is missing, as a clause after "… is not in the graph; ", with terms
    written by ``name``: the nearest object of the same subject and predicate and how it differs, else that the
    subject lacks the predicate, else the closest subject the graph has."""
    subject, predicate, wanted = triple
    objects = list(graph.objects(subject, predicate))
    if objects:
        found = closest(name(wanted), objects, name)
        relation = _relation(wanted, found, name)
        if relation:
            return f"the graph has {name(found)}: {relation}"
        of = f"{name(predicate)} of {name(subject)} in the graph is {name(found)}"
        return f"the only {of}" if len(objects) == 1 else f"the closest of the {len(objects)} {of}"
    if (subject, None, None) in graph:
        return f"{name(subject)} has no {name(predicate)} in the graph"
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    near = closest(name(subject), subjects, name)
    return f"nothing in the graph has the subject {name(subject)}" + (f" (closest: {name(near)})" if near else "")


def _relation(wanted: object, found: object, name: Callable[[object], str]) -> str | None:
    """How a literal the graph has differs from the one wanted, where the texts are alike; None otherwise."""
    if not (isinstance(wanted, Literal) and isinstance(found, Literal)):
        return None
    a, b = str(wanted), str(found)
    if a == b:
        text = "the same text"
    elif " ".join(a.split()) == " ".join(b.split()):
        text = "white space"
    elif a.casefold() == b.casefold():
        text = "case"
    elif " ".join(a.casefold().split()) == " ".join(b.casefold().split()):
        text = "white space and case"
    else:
        return None
    if found.language and found.language != wanted.language:
        tag = f"with the language tag @{found.language}"
    elif found.datatype and (found.datatype != wanted.datatype or wanted.language):
        tag = f"with the datatype {name(found.datatype)}"
    elif wanted.language and not found.language:
        tag = "without a language tag"
    elif wanted.datatype != found.datatype:
        tag = "without a datatype"
    elif text == "the same text":
        return None
    else:
        return f"differs in {text} only"
    return f"the same text {tag}" if text == "the same text" else f"differs in {text}, {tag}"
