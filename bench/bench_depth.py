"""How deep each parser wcokg uses can nest before it gives up (an exception) or dies (a signal), each depth tried
in a new process. Usage: python bench/bench_depth.py

wcokg's depth limits (sparql/nesting.py MAX_DEPTH, budgets.py DEPTH_CEILING) are set well below these.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

OBJECTS = '{"@id": "http://x/a", "http://x/p": '
PYOXIGRAPH = "import pyoxigraph\ntry: pyoxigraph.Store().query(t)\nexcept SyntaxError: pass"
RDFLIB = "from rdflib.plugins.sparql.parser import parseQuery\nparseQuery(t)"


def _braces(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


def _parentheses(depth: int) -> str:
    return "ASK { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def _objects(depth: int) -> str:
    return OBJECTS + '{"http://x/p": ' * depth + "1" + "}" * (depth + 1)


def _parse(syntax: str) -> str:
    return f"import pyoxigraph\nlist(pyoxigraph.parse(t.encode(), format=pyoxigraph.RdfFormat.{syntax}))"


CASES: dict[str, tuple[Callable[[int], str], str]] = {
    "pyoxigraph SPARQL, braces": (_braces, PYOXIGRAPH),
    "pyoxigraph SPARQL, parentheses": (_parentheses, PYOXIGRAPH),
    "rdflib SPARQL, braces": (_braces, RDFLIB),
    "rdflib SPARQL, parentheses": (_parentheses, RDFLIB),
    "pyoxigraph JSON-LD, objects": (_objects, _parse("JSON_LD")),
    "pyoxigraph JSON-LD, arrays": (lambda d: OBJECTS + "[" * d + "1" + "]" * d + "}", _parse("JSON_LD")),
    "json.loads": (lambda d: "[" * d + "]" * d, "import json\njson.loads(t)"),
    "pyld to_rdf": (_objects, "import json\nfrom pyld import jsonld\njsonld.to_rdf(json.loads(t))"),
    "pyoxigraph Turtle, [ ]": (
        lambda d: "<http://x/a> <http://x/p> " + "[ <http://x/p> " * d + "1" + " ]" * d + " .",
        _parse("TURTLE"),
    ),
}
MOST = 20_000


def outcome(text: Callable[[int], str], parse: str, depth: int) -> str:
    """ "ok", "exception NAME" or "signal N" for one parse of ``text(depth)`` in a new process."""
    code = "import sys\nt = sys.stdin.read()\n" + parse
    done = subprocess.run([sys.executable, "-c", code], input=text(depth), capture_output=True, text=True)
    if done.returncode < 0:
        return f"signal {-done.returncode}"
    if done.returncode:
        return "exception " + (done.stderr.strip().splitlines() or ["?"])[-1].split(":")[0]
    return "ok"


def main() -> None:
    print("| parser | deepest read | first depth that fails | how |\n|---|---|---|---|")
    for name, (text, parse) in CASES.items():
        if outcome(text, parse, MOST) == "ok":
            print(f"| {name} | {MOST:,} (the most tried) | | |", flush=True)
            continue
        good, bad = 1, MOST
        while bad - good > max(1, good // 100):
            middle = (good + bad) // 2
            good, bad = (middle, bad) if outcome(text, parse, middle) == "ok" else (good, middle)
        print(f"| {name} | {good:,} | {bad:,} | {outcome(text, parse, bad)} |", flush=True)


if __name__ == "__main__":
    main()
