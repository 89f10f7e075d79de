"""The hostile inputs of issue 11, each run through the real command in a new process: exit code, the first
line it printed on stderr, wall time and peak resident memory. Usage: python bench/bench_hostile.py

Expected: exit 2 and one line for every input that breaks a rule or a budget (never 139, a traceback, or a
hang), exit 0 for the 20,000-triple update (a dry run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wcokg import layout

OVERVIEW = layout.SOURCE / "wco-overview-2013-06-24.txt"  # the document measured

WCOKG = [sys.executable, "-m", "wcokg"]


def run(command: list[str], work: Path) -> tuple[int, str, float, float]:
    """Exit code, what it said (the first stderr line, or a build's summary of its source), wall seconds and
    peak resident MiB of one run of ``command``."""
    with open(work / "stdout", "w+") as stdout, open(work / "stderr", "w+") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stdout.seek(0), stderr.seek(0)
        said = [line for line in stdout.read().splitlines() if line.startswith("source ")]
        said += stderr.read().splitlines()
    return os.waitstatus_to_exitcode(status), (said[0] if said else ""), wall, usage.ru_maxrss / 1024


def inputs(work: Path) -> dict[str, list[str]]:
    """Each hostile input, written under ``work``, and the command that reads it."""
    source = OVERVIEW.read_text(encoding="utf-8")
    spam = work / "spam" / OVERVIEW.name
    spam.parent.mkdir()
    goal5 = source.index("Goal 5")
    spam.write_text(source[:goal5] + "Buy cheap watches today, best prices\n\n" + source[goal5:], "utf-8")
    link = work / "link" / OVERVIEW.name
    link.parent.mkdir()
    link.write_text(source[:goal5] + "Buy cheap watches at http://spam.example\n\n" + source[goal5:], "utf-8")
    two_goals = work / "two" / OVERVIEW.name
    two_goals.parent.mkdir()
    two_goals.write_text(source[: source.index("Goal 3")], encoding="utf-8")
    deep = work / "deep.jsonld"
    deep.write_text('{"http://e/p": ' * 3500 + "1" + "}" * 3500, encoding="utf-8")
    literal = work / "literal.nt"
    literal.write_text('<http://e/s> <http://e/p> "' + "x" * 20_000_000 + '" .\n', encoding="utf-8")
    direction = work / "direction.ttl"
    direction.write_text('<http://e/s> <http://e/p> "x"@ar--rtl .\n', encoding="utf-8")
    values = work / "values.rq"
    values.write_text(
        "SELECT ?x WHERE { VALUES ?x { " + " ".join(str(n) for n in range(100_000)) + " } }", encoding="utf-8"
    )
    empty = work / "empty.ru"
    empty.write_text("# author: Probe\n# reason: nothing\n", encoding="utf-8")
    insert = work / "insert.ru"
    header = "# author: Bench\n# reason: bulk\n# quote: The WCO promotes the Revised Kyoto Convention\n"
    triples = "\n".join(f'  wco:term-{i} skos:altLabel "term {i}"@en .' for i in range(20_000))
    insert.write_text(header + "INSERT DATA {\n" + triples + "\n}\n", encoding="utf-8")
    nested = "DELETE { ?s ?p ?o } WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000 + "\n"
    (work / "n.ru").write_text(nested, encoding="utf-8")
    (work / "deep-log").mkdir()
    (work / "deep-log" / "0001-deep.ru").write_text(
        "# author: Probe\n# date: 2026-11-30\n# reason: deep\n" + nested, encoding="utf-8"
    )
    out = ["--out", str(work / "out"), "--edits", str(work / "edits")]
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    return {
        "a spam line between Goal 4 and Goal 5: build": [*WCOKG, "build", "--source", str(spam), *out],
        "a line with a link between Goal 4 and Goal 5: build": [*WCOKG, "build", "--source", str(link), *out],
        "two goals: build": [*WCOKG, "build", "--source", str(two_goals), *out],
        "3,500-deep JSON-LD: validate": [*WCOKG, "validate", str(deep)],
        "3,500-deep JSON-LD: validate --max-depth 500": [*WCOKG, "validate", str(deep), "--max-depth", "500"],
        "20 MB literal: validate": [*WCOKG, "validate", str(literal)],
        '"x"@ar--rtl: validate': [*WCOKG, "validate", str(direction)],
        "100,000-value VALUES: query --timeout 5": [*WCOKG, "query", str(values), "--timeout", "5"],
        "cartesian ORDER BY: query --memory 300": [*WCOKG, "query", cartesian, "--memory", "300"],
        "ORDER BY DESC(?o) over the published graph": [*WCOKG, "query", "SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o)"],
        "ORDER BY DESC(?o) over tests/data/order-by-panic.nt": [
            *WCOKG,
            "query",
            "SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o)",
            "--data",
            str(Path(__file__).parents[1] / "tests" / "data" / "order-by-panic.nt"),
        ],
        "3,000-deep SPARQL query: query": [*WCOKG, "query", nested.replace("DELETE { ?s ?p ?o }", "SELECT *")],
        "3,000-deep SPARQL Update (6 KB): update": [
            *WCOKG,
            "update",
            str(work / "n.ru"),
            "--edits",
            str(work / "edits"),
        ],
        "the same update in edits/: build": [*WCOKG, "build", "--edits", str(work / "deep-log"), *out[:2]],
        "empty update": [*WCOKG, "update", str(empty), "--edits", str(work / "edits")],
        "20,000-triple INSERT DATA (dry run)": [*WCOKG, "update", str(insert), "--edits", str(work / "edits")],
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="wcokg-hostile-") as folder:
        print("| input | exit | first line | wall s | peak MiB |\n|---|---|---|---|---|")
        for name, command in inputs(Path(folder)).items():
            code, line, wall, memory = run(command, Path(folder))
            line = line.replace(folder, "…").replace("|", "\\|")[:110]
            print(f"| {name} | {code} | {line} | {wall:.2f} | {memory:.0f} |", flush=True)


if __name__ == "__main__":
    main()
