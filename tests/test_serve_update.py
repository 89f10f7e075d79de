"""`wcokg serve --allow-update` as a real process: updates by SPARQL Update and the Graph Store Protocol go
through `wcokg update --apply`; refused, violating and accepted updates; readers during updates."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef

from wcokg import layout
from wcokg.cli import cli
from wcokg.edit.log import read_log

from .conftest import OVERVIEW
from .server import Server, start

BASE = "https://w3id.org/wcokg/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TOKEN = "a-token-for-the-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WHO = {"author": "Ada Lovelace", "reason": "A test of the write path.", "date": "2026-11-30"}
CITES = {**WHO, "cites": "<https://www.wcoomd.org/en/about-us/wco-members.aspx> WCO Members"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}


def paths(project: Path) -> list[str]:
    return [
        *("--out", str(project / "output"), "--edits", str(project / "edits")),
        *("--source", str(project / "sources" / OVERVIEW.name), "--releases", str(project / "releases")),
        *("--ontology", str(project / "ontology" / layout.ONTOLOGY.name)),
        *("--shapes", str(project / "shapes" / layout.SHAPES.name)),
    ]


@pytest.fixture(scope="module")
def project(out_dir, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(layout.ROOT / "sources", root / "sources")
    for shipped in (layout.ONTOLOGY, layout.SHAPES):
        shutil.copytree(shipped.parent, root / shipped.parent.name)
    shutil.copytree(out_dir, root / "output")
    return root


@pytest.fixture(scope="module")
def server(project) -> Server:
    # The readers of test_readers_never_see_a_half_applied_update all query from 127.0.0.1.
    served = start("--allow-update", "--client-queries", "8", *paths(project), env={"WCOKG_TOKEN": TOKEN})
    yield served
    served.stop()
    assert "Traceback" not in served.stderr()


def files(project: Path) -> dict[str, bytes]:
    """Every file of the output and the edit log, by path."""
    found = {}
    for directory in (project / "output", project / "edits"):
        if directory.exists():
            found |= {str(p.relative_to(project)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}
    return found


def post(server: Server, text: str, params: dict | None = None, headers: dict | None = None) -> requests.Response:
    return requests.post(
        server.url + "/update", data=text.encode("utf-8"), params=params, headers=headers or UPDATE, timeout=120
    )


def served_graph(server: Server) -> bytes:
    return requests.get(server.url + "/graph/data.nt", timeout=30).content


def test_a_read_only_server_answers_405(out_dir) -> None:
    served = start("--out", str(out_dir), env={"WCOKG_TOKEN": TOKEN})
    try:
        for method, path in (("POST", "/update"), ("PUT", "/graph/data"), ("DELETE", "/graph/links")):
            answer = requests.request(method, served.url + path, headers=UPDATE, data=b"", timeout=30)
            assert answer.status_code == 405, (method, path)
            assert "read-only" in answer.json()["message"]
    finally:
        served.stop()


def test_allow_update_without_a_token_is_exit_2(runner, project, monkeypatch) -> None:
    monkeypatch.delenv("WCOKG_TOKEN", raising=False)
    result = runner.invoke(cli, ["serve", "--allow-update", *paths(project)])
    assert result.exit_code == 2 and "WCOKG_TOKEN" in result.stderr


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}])
def test_no_or_wrong_token_is_401_and_changes_nothing(server, project, headers) -> None:
    before = files(project)
    headers = {"Content-Type": "application/sparql-update", **headers}
    answer = post(server, 'INSERT DATA { wco:goal-4 skos:altLabel "x"@en }', CITES, headers)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert files(project) == before


@pytest.mark.parametrize(
    ("text", "params", "message"),
    [
        ('INSERT DATA { wco:goal-4 skos:altLabel "x"@en }', {"reason": "r", "cites": CITES["cites"]}, "author"),
        ('INSERT DATA { wco:goal-4 skos:altLabel "x"@en }', WHO, "evidence"),
        ("INSERT DATA { wco:goal-4 skos:altLabel ", CITES, "web-update.ru:1"),
        ("INSERT DATA { GRAPH <http://example.org/g> { wco:a wco:b wco:c } }", CITES, "refused"),
        ("DELETE WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, WHO, "web-update.ru:1:114: nested deeper than 100"),
    ],
)
def test_malformed_or_refused_updates_are_400_and_change_nothing(server, project, text, params, message) -> None:
    before, graph = files(project), served_graph(server)
    answer = post(server, text, params)
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["message"] and "\n" not in answer.json()["message"]
    assert "wcokg-update-" not in answer.text  # the scratch file is not named
    assert files(project) == before and served_graph(server) == graph


def test_a_violating_update_is_422_with_the_report_and_changes_nothing(server, project) -> None:
    """The shapes refuse markup in text: the <script> payload never reaches the graph."""
    before, graph = files(project), served_graph(server)
    text = "INSERT DATA { wco:goal-4 skos:altLabel \"<script>alert('x')</script>\"@en }"
    answer = post(server, text, CITES)
    assert answer.status_code == 422 and answer.headers["Content-Type"].startswith("application/json")
    report = answer.json()
    assert report["conforms"] is False and report["violations"] == 1
    assert report["results"][0]["shape"] == "wcosh:TextShape-markup"
    as_turtle = post(server, text, CITES, {**UPDATE, "Accept": "text/turtle"})
    assert as_turtle.status_code == 422 and as_turtle.headers["Content-Type"].startswith("text/turtle")
    report_graph = Graph().parse(data=as_turtle.text, format="turtle")
    conforms = list(report_graph.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms")))
    assert [c.toPython() for c in conforms] == [False]
    assert files(project) == before and served_graph(server) == graph
    assert "<script>" not in requests.get(server.url + "/id/goal-4", timeout=30).text


def test_an_accepted_update_is_served_next_and_escaped_on_the_page(server, project) -> None:
    """A payload the shapes let through (quotes, no angle brackets) breaks out of no attribute on the page."""
    payload = 'x" onmouseover="alert(1)'
    answer = post(server, 'INSERT DATA { wco:goal-4 skos:altLabel "x\\" onmouseover=\\"alert(1)"@en }', CITES)
    assert answer.status_code == 200, answer.text
    name = answer.json()["edit"]
    assert (project / "edits" / name).exists() and name.endswith("-web-update.ru")
    assert [patch.name for patch in read_log(project / "edits")][-1] == name
    triples = Graph().parse(data=requests.get(server.url + "/id/goal-4.nt", timeout=30).text, format="nt")
    assert payload in {str(o) for o in triples.objects(predicate=URIRef(SKOS + "altLabel"))}
    page = requests.get(server.url + "/id/goal-4", headers={"Accept": "text/html"}, timeout=30).text
    assert "x&#34; onmouseover=&#34;alert(1)" in page and payload not in page


def test_a_new_generation_gives_new_stored_answers(server) -> None:
    """A document's answer, kept and replayed while its generation is served, is made anew after an update."""
    url = server.url + "/id/goal-3.ttl"
    before = [requests.get(url, timeout=30) for _ in range(2)]
    assert before[0].content == before[1].content and "Stored anew" not in before[1].text
    answer = post(server, 'INSERT DATA { wco:goal-3 skos:altLabel "Stored anew"@en }', CITES)
    assert answer.status_code == 200, answer.text
    after = requests.get(url, timeout=30)
    assert '"Stored anew"@en' in after.text and after.headers["ETag"] != before[1].headers["ETag"]


def test_graph_store_post_adds_to_the_data_graph_and_delete_empties_the_links_graph(server, project) -> None:
    triple = f'<{BASE}id/goal-5> <{SKOS}altLabel> "Enforcement"@en .'
    headers = {**AUTH, "Content-Type": "text/turtle"}
    answer = requests.post(server.url + "/graph/data", data=triple, params=CITES, headers=headers, timeout=120)
    assert answer.status_code == 200, answer.text
    assert triple in served_graph(server).decode("utf-8").splitlines()
    links = {"query": f"ASK {{ GRAPH <{BASE}graph/links> {{ ?s ?p ?o }} }}"}
    assert requests.get(server.url + "/sparql", params=links, timeout=30).json()["boolean"] is True
    answer = requests.delete(server.url + "/graph/links", params=WHO, headers=AUTH, timeout=120)
    assert answer.status_code == 200, answer.text
    # the same question again: the answer kept for the old generation is not the new one's
    assert requests.get(server.url + "/sparql", params=links, timeout=30).json()["boolean"] is False
    assert (
        "DELETE WHERE { GRAPH <https://w3id.org/wcokg/graph/links>"
        in (project / "edits" / answer.json()["edit"]).read_text()
    )


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body", "status"),
    [
        ("PUT", "/graph/ontology", "text/turtle", "", 405),
        ("DELETE", "/graph/evidence", "text/turtle", "", 405),
        ("POST", "/graph/data", "text/plain", "x", 415),
        ("POST", "/graph/data", "text/turtle", "<a:s> <a:p> .", 400),
        ("POST", "/graph/data", "text/turtle", '_:b <a:p> "x" .', 400),
        (
            "PUT",
            "/graph/data",
            "application/ld+json",
            '{"@id": "a:s", "a:p": ' + '{"a:p": ' * 4000 + "1" + "}" * 4001,
            400,
        ),
        ("POST", "/update", "text/plain", "INSERT DATA {}", 415),
    ],
)
def test_graph_store_refusals(server, project, method, path, content_type, body, status) -> None:
    before = files(project)
    headers = {**AUTH, "Content-Type": content_type}
    answer = requests.request(method, server.url + path, data=body, params=CITES, headers=headers, timeout=60)
    assert answer.status_code == status, answer.text
    assert files(project) == before


def test_readers_never_see_a_half_applied_update(server) -> None:
    """Each update moves two facts together; readers of /sparql and of the data graph see both moved or neither."""
    find = f'SELECT ?s ?label WHERE {{ ?s <{SKOS}altLabel> ?label FILTER(STRSTARTS(STR(?label), "toggle-")) }}'
    stop, seen, problems = threading.Event(), set(), []

    def check(pairs: list[tuple[str, str]]) -> None:
        goal4 = {label for s, label in pairs if s.endswith("id/goal-4")}
        goal9 = {label for s, label in pairs if s.endswith("id/goal-9")}
        if goal4 != goal9 or len(goal4) > 1:
            problems.append((goal4, goal9))
        seen.update(goal4)

    def read(number: int) -> None:
        session = requests.Session()
        while not stop.wait(0.05):
            if number % 2:
                rows = session.get(server.url + "/sparql", params={"query": find}, timeout=60).json()
                check([(r["s"]["value"], r["label"]["value"]) for r in rows["results"]["bindings"]])
            else:
                graph = Graph().parse(data=session.get(server.url + "/graph/data.nt", timeout=60).text, format="nt")
                pairs = graph.subject_objects(URIRef(SKOS + "altLabel"))
                check([(str(s), str(o)) for s, o in pairs if str(o).startswith("toggle-")])

    readers = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for reader in readers:
        reader.start()
    try:
        for step in range(10):
            insert = (
                f'INSERT DATA {{ wco:goal-4 skos:altLabel "toggle-{step}"@en . '
                f'wco:goal-9 skos:altLabel "toggle-{step}"@en }}'
            )
            delete = (
                f'DELETE DATA {{ wco:goal-4 skos:altLabel "toggle-{step - 1}"@en . '
                f'wco:goal-9 skos:altLabel "toggle-{step - 1}"@en }} ;\n'
            )
            answer = post(server, (delete if step else "") + insert, CITES)
            assert answer.status_code == 200, answer.text
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not problems, problems[:3]
    assert len(seen) >= 3, seen  # the readers did watch the updates go by
    final = requests.get(server.url + "/sparql", params={"query": find}, timeout=60).json()["results"]["bindings"]
    assert sorted(r["label"]["value"] for r in final) == ["toggle-9", "toggle-9"]


def test_header_parameters_with_newlines_and_separators_rebuild_to_the_same_bytes(runner, server, project, tmp_path):
    """quote=, author=, reason= and cites= as POST parameters: the log entry reads back as given and a fresh
    clone of the project builds the output the server published, byte for byte."""
    awkward = ' "Ada"\n  Love#lace \\ \u2028 x\u0085y '
    quote = "Trade Facilitation\nThe WCO promotes the Revised Kyoto Convention"
    fields = {"author": awkward, "reason": awkward, "date": "2026-11-30", "quote": quote}
    answer = post(server, 'INSERT DATA { wco:revised-kyoto-convention skos:altLabel "RKC 22"@en }', fields)
    assert answer.status_code == 200, answer.text
    entry = read_log(project / "edits")[-1]
    assert (entry.author, entry.reason, entry.quote) == ('"Ada" Love#lace \\ x y', '"Ada" Love#lace \\ x y', quote)
    answer = post(
        server,
        'INSERT DATA { wco:goal-4 skos:altLabel "G4 22"@en }',
        {**CITES, "cites": f"<https://www.wcoomd.org/en/about-us/legal-instruments.aspx> Legal{awkward}"},
    )
    assert answer.status_code == 200, answer.text
    assert read_log(project / "edits")[-1].cites_title == 'Legal "Ada" Love#lace \\ x y'
    clone = tmp_path / "clone"
    for name in ("sources", "edits", "ontology", "shapes"):
        shutil.copytree(project / name, clone / name)
    built = runner.invoke(cli, ["build", *paths(clone)])
    assert built.exit_code == 0, built.output
    published = {name: data for name, data in files(project).items() if name.startswith("output/")}
    assert {name: data for name, data in files(clone).items() if name.startswith("output/")} == published
