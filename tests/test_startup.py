"""Each command imports only what it uses: a query or `--version` starts without rdflib, pyshacl or an HTTP client."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wcokg.sparql.query import default_files

HEAVY = ("rdflib", "pyshacl", "requests", "urllib3", "html5rdf", "pyparsing")
RUN = """
import json, sys
from wcokg.cli import main
sys.argv = ["wcokg", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {heavy})), file=sys.stderr)
"""


def imported(*args: str) -> set[str]:
    """The heavy packages a fresh interpreter has imported after running `wcokg ARGS`."""
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(heavy=set(HEAVY)), *args], capture_output=True, text=True, timeout=120
    )
    return {name.split(".")[0] for name in json.loads(done.stderr.splitlines()[-1])}


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--version"], set()),
        (["--help"], set()),
        (["query", "--list"], set()),
        (["query", "goals-in-order"], set()),
        (["query", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"], set()),
        (["query", "goals-in-order", "--format", "csv"], set()),
        (["query", "goals-in-order", "--engine", "rdflib"], set()),  # rdflib runs in the query's worker
        (["query", "goal-4-instruments-graph", "--format", "turtle"], {"rdflib", "html5rdf"}),  # rdflib writes Turtle
        (["edits"], set()),
        (["diff", "OUT", "OUT"], set()),
        # the shapes are read with rdflib; every constraint is compiled, so neither pyshacl nor rdflib's SPARQL
        (["validate", "OUT/wcokg.ttl"], {"rdflib", "html5rdf"}),
    ],
    ids=[
        "version",
        "help",
        "query list",
        "query",
        "refused query",
        "query csv",
        "query rdflib",
        "construct",
        "edits",
        "diff",
        "validate",
    ],
)
def test_a_command_imports_only_what_it_uses(out_dir, args, expected) -> None:
    data = [arg for path in default_files(out_dir) for arg in ("--data", str(path))] if args[0] == "query" else []
    args = [arg.replace("OUT", str(out_dir)) for arg in args]
    assert imported(*args, *data) & set(HEAVY) == expected


def test_checking_an_edit_imports_no_http_client(out_dir, tmp_path) -> None:
    """An edit needs rdflib (and its SPARQL, pyparsing), not pyshacl (every constraint is compiled) nor the HTTP
    client pyld brings: JSON-LD is written only on publishing."""
    patch = tmp_path / "patch.ru"
    patch.write_text(
        "# author: Tester\n# reason: a link retracted\n"
        "DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }\n",
        encoding="utf-8",
    )
    args = ("update", str(patch), "--out", str(out_dir), "--edits", str(tmp_path / "edits"))
    assert imported(*args) == {"rdflib", "pyparsing", "html5rdf"}


def test_a_build_without_edits_imports_neither_rdflibs_sparql_nor_pyshacl(out_dir, tmp_path) -> None:
    """rdflib's SPARQL (its pyparsing grammar, built as it is imported) is what applies an edit; every constraint is
    compiled, so pyshacl is not needed either."""
    (tmp_path / "edits").mkdir()
    args = ("build", "--out", str(tmp_path / "out"), "--edits", str(tmp_path / "edits"))
    assert imported(*args) & {"pyparsing", "pyshacl"} == set()
    assert (tmp_path / "out" / "wcokg.nq").read_bytes() == (out_dir / "wcokg.nq").read_bytes()
