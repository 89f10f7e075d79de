"""Every option whose --help states a default or a precedence, and a test that it holds.

TABLE names, for each such option, what its help says and how it is observed; a row whose observation is another
test module names it. ``test_the_table_holds_every_option_that_states_a_default`` keeps the table complete: an
option added with a default (or a help that says "default", "wins over", "replaces", "instead" …) fails it until
it has a row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import click
import pytest

from wcokg import layout
from wcokg.cli import cli
from wcokg.errors import NoProject

from .conftest import OVERVIEW

STATES = re.compile(r"default|wins over|overrides|replaces|instead|not stdout|\(or WCOKG_", re.IGNORECASE)
FOLDERS = {"--out": "output", "--edits": "edits", "--releases": "releases", "--source": "sources"}
ARGUMENTS = {"update": ["x.ru"], "release": ["1.0.0"], "diff": ["a", "b"], "validate": ["x.ttl"], "site": ["s"]}
ARGUMENTS |= {"locate": ["words"]}
"""Arguments a command needs before its options are read (they are not opened by make_context)."""
BUILD_ANYWHERE = {("build", "--source"), ("build", "--out"), ("build", "--edits"), ("build", "--releases")}
BUILD_ANYWHERE |= {("serve", "--edits"), ("serve", "--releases")}
"""Folder options that outside a project name the current directory's (layout.workspace), not NoProject (serve's
--out and --source given: they need a project)."""


def commands():
    """(name, command) of every command, a group's subcommands as "claims check"."""
    for name, command in cli.commands.items():
        if isinstance(command, click.Group):
            yield from ((f"{name} {sub}", subcommand) for sub, subcommand in command.commands.items())
        else:
            yield name, command


def stating() -> dict[tuple[str, str], click.Option]:
    """(command, option) → option, for every option whose help shows a default or states one or a precedence."""
    found = {("", "--debug"): next(p for p in cli.params if p.name == "debug")}
    for name, command in commands():
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                if param.show_default or STATES.search(param.help or ""):
                    found[name, param.opts[0]] = param
    return found


def params(command: str, *args: str) -> dict:
    """The values ``wcokg COMMAND ARGS`` hands the command, read by click as it runs it (defaults included)."""
    *group, name = command.split()
    target = cli.commands[group[0]].commands[name] if group else cli.commands[name]
    with target.make_context(name, [*ARGUMENTS.get(name, []), *args]) as ctx:
        return ctx.params


def _in(folder, monkeypatch):
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(folder)


# -- how each kind of row is observed ------------------------------------------------------------------------------


def value_shown(command, option, project, monkeypatch, **_):
    """The value the command receives when the option is not given is the one --help shows as [default: …]."""
    _in(project, monkeypatch)
    param = stating()[command, option]
    with cli.make_context("wcokg", [*command.split(), "--help"], resilient_parsing=True) as ctx:
        help_text = param.get_help_record(ctx)[1]
    said = re.search(r"\[default: ([^;\]]+)", help_text)
    assert said, help_text
    assert str(params(command)[param.name]) == said[1]


def project_folder(command, option, project, tmp_path_factory, monkeypatch, **_):
    """ "X/ of the project": from a folder inside the project, its X/; outside any, NoProject (or, for build and
    a serve's edit options, the current directory's X/)."""
    _in(project / "notes" / "deep", monkeypatch)
    param = stating()[command, option]
    assert params(command)[param.name] == project.resolve() / FOLDERS[option]
    outside = tmp_path_factory.mktemp("outside").resolve()
    monkeypatch.chdir(outside)
    if (command, option) in BUILD_ANYWHERE:
        expected = layout.EXAMPLE if option == "--source" else outside / FOLDERS[option]
        given = ["--out", "o", "--source", "s"] if command == "serve" else []
        assert params(command, *given)[param.name] == expected
    else:
        with pytest.raises(NoProject):
            params(command)


def own_else_shipped(command, option, project, monkeypatch, **_):
    """ "X of the project, else the one shipped with wcokg": the project's file where it has one, else the package's."""
    _in(project, monkeypatch)
    param = stating()[command, option]
    own = {"--shapes": (project / "shapes", layout.SHAPES), "--ontology": (project / "ontology", layout.ONTOLOGY)}
    own |= {"--sources": (project / "sources", layout.EXAMPLE)}
    folder, shipped = own[option]
    mine = folder if option == "--sources" else folder / shipped.name
    assert params(command)[param.name] == mine.resolve()
    shutil.rmtree(folder)
    assert params(command)[param.name] == shipped


def elsewhere(module):
    def observed(**_):
        """Observed by another module's tests (named in the table)."""

    observed.__doc__ = f"observed in {module}"
    return observed


# -- the rows whose help states more than a value ----------------------------------------------------------------


def query_data(project, runner, monkeypatch, **_):
    """Without --data, the query runs over output/wcokg.nq (its named graphs) and output/void.ttl (the VoID)."""
    _in(project, monkeypatch)
    result = runner.invoke(cli, ["query", "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g", "--format", "csv"])
    graphs = ["data", "evidence", "links", "ontology"]
    assert result.stdout.split() == ["g", *(f"https://w3id.org/wcokg/graph/{name}" for name in graphs)]
    described = ["query", "ASK { ?dataset a void:Dataset }", "--fail-empty"]
    assert runner.invoke(cli, described).exit_code == 0
    assert runner.invoke(cli, [*described, "--data", "output/wcokg.nq"]).exit_code == 1


def query_limit(project, runner, monkeypatch, **_):
    """--limit: the rows printed; "a note on stderr tells when more were found"."""
    _in(project, monkeypatch)
    result = runner.invoke(cli, ["query", "goals-naming-an-instrument", "--limit", "1", "--format", "csv"])
    assert len(result.stdout.splitlines()) == 2  # the header and one row
    assert result.stderr == "wcokg: only the first 1 results are shown (--limit)\n"
    assert params("query")["limit"] == 10_000


def input_format(project, runner, monkeypatch, **_):
    """--input-format: "by default from each extension": Turtle named .nt is read as N-Triples, and refused."""
    _in(project, monkeypatch)
    turtle = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n"
    for name in ("x.ttl", "x.nt"):
        (project / name).write_text(turtle, encoding="utf-8")
    as_turtle, as_ntriples = (runner.invoke(cli, ["validate", name]) for name in ("x.ttl", "x.nt"))
    assert as_turtle.exit_code == 1 and "nothing to validate" in as_turtle.stderr  # read, and of no class
    assert as_ntriples.exit_code == 2 and as_ntriples.stderr.startswith("wcokg: error: x.nt:1:")
    forced = runner.invoke(cli, ["validate", "x.nt", "--input-format", "turtle"])
    assert forced.exit_code == 1 and "nothing to validate" in forced.stderr


def diff_out(out_dir, runner, tmp_path, **_):
    """diff --out FILE: "Write to FILE, not stdout"."""
    result = runner.invoke(cli, ["diff", str(out_dir), str(out_dir), "--out", str(tmp_path / "diff.txt")])
    assert (result.exit_code, result.stdout) == (0, "")
    assert (tmp_path / "diff.txt").read_text(encoding="utf-8") == "no differences\n"


def release_date(project, runner, monkeypatch, **_):
    """release --date: "default: today, UTC"; and the release lands in the project's releases/."""
    _in(project, monkeypatch)
    result = runner.invoke(cli, ["release", "1.0.0"])
    assert result.exit_code == 0, result.output
    listed = json.loads((project / "releases" / "releases.json").read_text(encoding="utf-8"))
    assert json.dumps(listed).count(dt.datetime.now(dt.UTC).date().isoformat()) >= 1, listed


def credentials(project, monkeypatch, **_):
    """load --user/--password "(or WCOKG_STORE_USER/PASSWORD)": the variable where the option is not given; the
    option wins over it."""
    _in(project, monkeypatch)
    monkeypatch.setenv("WCOKG_STORE_USER", "from-env")
    monkeypatch.setenv("WCOKG_STORE_PASSWORD", "secret-env")
    assert (params("load")["user"], params("load")["password"]) == ("from-env", "secret-env")
    given = params("load", "--user", "given", "--password", "secret-given")
    assert (given["user"], given["password"]) == ("given", "secret-given")


def store_auth(**_):
    """load --auth: "the store's usual one by default"; given, it wins over the store's."""
    from wcokg.publish.stores import STORES, endpoints

    for kind, store in STORES.items():
        assert endpoints("http://127.0.0.1:9/", kind, None, None)[2].auth == store.auth
        assert endpoints("http://127.0.0.1:9/", kind, None, "basic")[2].auth == "basic"


def client_queries(project, monkeypatch, **_):
    """serve --client-queries: "one less than the query workers (one per CPU, at least two)"."""
    import os

    from wcokg.web.clients import CLIENT_QUERIES

    _in(project, monkeypatch)
    assert params("serve")["client_queries"] is None  # the server then takes CLIENT_QUERIES
    assert CLIENT_QUERIES == max(2, os.cpu_count() or 1) - 1


UPDATE_OPTIONS = elsewhere("tests/test_update_options.py (the log entry records the option; stderr says it won)")
TABLE = {
    ("", "--debug"): ("the traceback instead of one line", elsewhere("tests/test_budgets.py")),
    ("update", "--author"): ("wins over the patch's '# author:' line", UPDATE_OPTIONS),
    ("update", "--reason"): ("wins over the patch's '# reason:' line", UPDATE_OPTIONS),
    ("update", "--date"): ("wins over '# date:'; default: today, UTC", UPDATE_OPTIONS),
    ("update", "--quote"): ("replaces the patch's evidence lines", UPDATE_OPTIONS),
    ("update", "--quote-start"): ("wins over '# quote-start:'", UPDATE_OPTIONS),
    ("update", "--cites"): ("replaces the patch's evidence lines", UPDATE_OPTIONS),
    ("release", "--date"): ("default: today, UTC", release_date),
    ("query", "--data"): ("Default: output/wcokg.nq and output/void.ttl", query_data),
    ("query", "--limit"): ("[default: 10000]; a note on stderr tells when more were found", query_limit),
    ("validate", "--input-format"): ("by default from each extension", input_format),
    ("validate", "--sources"): ("sources/ of the project, else the example shipped with wcokg", own_else_shipped),
    ("diff", "--out"): ("Write to FILE, not stdout", diff_out),
    ("load", "--user"): ("or WCOKG_STORE_USER", credentials),
    ("load", "--password"): ("or WCOKG_STORE_PASSWORD", credentials),
    ("load", "--auth"): ("the store's usual one by default", store_auth),
    ("load", "--replace"): ("PUT instead of adding (POST)", elsewhere("tests/test_load.py (Virtuoso)")),
    ("load", "--to-dir"): ("a local store instead", elsewhere("tests/test_load.py::test_pyoxigraph_store_on_disk")),
    ("serve", "--client-queries"): ("one less than the query workers (one per CPU, at least two)", client_queries),
}
for (_command, _option), _param in stating().items():
    if (_command, _option) in TABLE:
        continue
    if _option in FOLDERS:
        TABLE[_command, _option] = (str(_param.show_default), project_folder)
    elif _option in ("--shapes", "--ontology"):
        TABLE[_command, _option] = (str(_param.show_default), own_else_shipped)
    elif _param.show_default is True:
        TABLE[_command, _option] = (f"[default: {_param.default}]", value_shown)


def test_the_table_holds_every_option_that_states_a_default() -> None:
    assert sorted(stating()) == sorted(TABLE)


@pytest.mark.parametrize(
    ("command", "option", "says", "observe"),
    [(command, option, says, observe) for (command, option), (says, observe) in TABLE.items()],
    ids=[f"{command or 'wcokg'} {option}" for command, option in TABLE],
)
def test_the_option_does_what_its_help_says(
    command, option, says, observe, project, out_dir, runner, tmp_path, tmp_path_factory, monkeypatch
) -> None:
    observe(
        command=command,
        option=option,
        project=project,
        out_dir=out_dir,
        runner=runner,
        tmp_path=tmp_path,
        tmp_path_factory=tmp_path_factory,
        monkeypatch=monkeypatch,
    )


def test_the_source_default_is_every_document_of_the_project(project, runner, monkeypatch) -> None:
    """build, run in the project with no path option, reads sources/, replays edits/ and writes output/ there."""
    monkeypatch.chdir(project)
    shutil.rmtree(project / "output")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"source      sources/{OVERVIEW.name}: ")
    assert "edits       0 replayed from edits/" in lines
    assert (project / "output" / "wcokg.ttl").is_file()
