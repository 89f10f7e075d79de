"""`wcokg serve --allow-update` under the update's budget, as a real process: an update past `--update-timeout`
or `--update-memory` is stopped in its own process and answered with one line; nothing is published, no lock is
left behind, and the server goes on reading and taking updates."""

from __future__ import annotations

from pathlib import Path

import requests

from wcokg.cli import cli
from wcokg.publish.transaction import Publication

from .server import Server, start
from .test_serve_update import BASE, CITES, SKOS, TOKEN, files, paths, post, served_graph

LABEL = 'INSERT DATA { wco:goal-4 skos:altLabel "Trade facilitation goal"@en }'
LABELLED = f'<{BASE}id/goal-4> <{SKOS}altLabel> "Trade facilitation goal"@en .'


def serve(project: Path, *limits: str) -> Server:
    return start("--allow-update", *paths(project), *limits, env={"WCOKG_TOKEN": TOKEN})


def leftovers(project: Path) -> list[str]:
    """What a writer stopped half-way would leave beside the output: a staged generation, a commit record."""
    return sorted(path.name for path in project.glob(".output.*") if path.name != ".output.lock")


def test_an_update_out_of_time_is_503_publishes_nothing_and_leaves_no_lock(runner, project, tmp_path) -> None:
    server = serve(project, "--update-timeout", "0.5")
    try:
        before, graph = files(project), served_graph(server)
        for _ in range(2):  # the second is taken at once: the writer is free again
            answer = post(server, LABEL, CITES)
            assert answer.status_code == 503, answer.text
            assert answer.json()["message"] == (
                "the update stopped after 0.5 s (raise --update-timeout to allow more); nothing was published"
            )
        assert files(project) == before and served_graph(server) == graph and not leftovers(project)
        assert (project / ".output.lock").exists()  # the update's process held the lock when it was killed
    finally:
        server.stop()
    assert "Traceback" not in server.stderr()
    # the lock went with the killed process and the output is whole: the command publishes at once, not waiting
    patch = tmp_path / "label.ru"
    patch.write_text(LABEL + "\n", encoding="utf-8")
    evidence = [f"--{key}={value}" for key, value in CITES.items()]
    result = runner.invoke(cli, ["update", str(patch), "--apply", "--wait", "0", *evidence, *paths(project)])
    assert result.exit_code == 0, result.stderr
    assert LABELLED in (project / "output" / "wcokg.nt").read_text(encoding="utf-8").splitlines()


def test_after_an_update_out_of_time_the_server_takes_the_next(project) -> None:
    """Another writer holds the output longer than --update-timeout: the update waiting for it is stopped; once
    the writer is done, the next update is applied and served."""
    server = serve(project, "--update-timeout", "15")
    try:
        before = files(project)
        with Publication(project / "output", project / "edits"):
            answer = post(server, LABEL, CITES)
            assert answer.status_code == 503 and "after 15 s" in answer.json()["message"], answer.text
            query = {"query": "ASK { wco:goal-4 a wcokg:StrategicGoal }"}
            assert requests.get(server.url + "/sparql", params=query, timeout=30).json()["boolean"] is True
        assert files(project) == before
        answer = post(server, LABEL, CITES)
        assert answer.status_code == 200, answer.text
        assert LABELLED in served_graph(server).decode("utf-8").splitlines()
    finally:
        server.stop()
    assert "Traceback" not in server.stderr()


def test_an_update_out_of_memory_is_413_and_publishes_nothing(project) -> None:
    """2 MB more than the server holds is far less than reading the published graph takes."""
    server = serve(project, "--update-memory", "2")
    try:
        before, graph = files(project), served_graph(server)
        for _ in range(2):
            answer = post(server, LABEL, CITES)
            assert answer.status_code == 413, answer.text
            assert answer.json()["message"] == (
                "the update needed more than 2 MB of memory (raise --update-memory to allow more); "
                "nothing was published"
            )
        assert files(project) == before and served_graph(server) == graph and not leftovers(project)
    finally:
        server.stop()
    assert "Traceback" not in server.stderr()
