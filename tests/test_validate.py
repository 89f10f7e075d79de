"""`wcokg validate`: every published syntax conforms; broken files are reported by resource and line;
literals are judged as written; malformed input is one line with file, line and column."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from wcokg import layout
from wcokg.check.review import validate_files
from wcokg.check.validate import short, validate_graph
from wcokg.cli import cli
from wcokg.namespaces import OA, WCOKG
from wcokg.rdfio import load_turtle


def test_the_published_graph_conforms_without_warnings(built) -> None:
    assert built.report.conforms
    assert built.report.results == ()


@pytest.mark.parametrize("name", ["wcokg.ttl", "wcokg.nt", "wcokg.jsonld", "wcokg.trig", "wcokg.nq"])
def test_every_published_syntax_validates(runner, out_dir, name) -> None:
    result = runner.invoke(cli, ["validate", str(out_dir / name)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": conforms: 0 violations, 0 warnings\n")


@pytest.fixture()
def broken_turtle(out_dir, tmp_path):
    """A copy of wcokg.ttl in which Goal 4 gets a second English title."""
    text = (out_dir / "wcokg.ttl").read_text(encoding="utf-8")
    old = 'skos:prefLabel "Trade Facilitation"@en ;'
    assert text.count(old) == 1
    path = tmp_path / "edited.ttl"
    path.write_text(
        text.replace(old, 'skos:prefLabel "Trade Facilitation"@en, "Facilitation of Trade"@en ;'), encoding="utf-8"
    )
    line = text[: text.index("\nwco:goal-4 a ")].count("\n") + 2
    return path, line


def test_a_broken_file_is_reported_by_resource_with_its_line(runner, broken_turtle) -> None:
    """The second title breaks two rules: one title per language, and evidence for every fact."""
    path, line = broken_turtle
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"wco:goal-4  ({path}:{line})"
    assert lines[1:4] == [
        "  Violation  skos:prefLabel",
        "    A concept (a goal, a subject area, a stakeholder …) needs exactly one label per language "
        "(skos:prefLabel), one of them in English.",
        "    rule wcosh:ConceptShape-prefLabel",
    ]
    assert lines[4:7] == [
        '  Violation  skos:prefLabel  "Facilitation of Trade"@en',
        "    Every fact needs evidence, but no annotation quotes the source for this value.",
        "    rule wcosh:EvidenceShape-quoted",
    ]
    assert lines[-1] == f"{path}: does not conform: 2 violations, 0 warnings, on 1 resource"


def test_json_and_turtle_reports(runner, broken_turtle) -> None:
    path, line = broken_turtle
    document = json.loads(runner.invoke(cli, ["validate", str(path), "--format", "json"]).stdout)
    assert document["conforms"] is False and document["violations"] == 2
    result = document["results"][0]
    assert result["focus"] == "wco:goal-4" and result["line"] == f"{path}:{line}"
    assert result["constraint"] == "wcosh:ConceptShape-prefLabel" and result["path"] == "skos:prefLabel"
    report = Graph().parse(
        data=runner.invoke(cli, ["validate", str(path), "--format", "turtle"]).stdout, format="turtle"
    )
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert str(report.value(node, SH.conforms)) == "false"


def test_literals_are_judged_as_written_not_as_rdflib_repairs_them(out_dir, tmp_path) -> None:
    text = (out_dir / "wcokg.ttl").read_text(encoding="utf-8")
    path = tmp_path / "padded.ttl"
    path.write_text(text.replace("wcokg:goalNumber 4 ;", 'wcokg:goalNumber "04"^^xsd:integer ;'))
    report, _ = validate_files([path])
    assert {(r.focus, r.constraint, r.value) for r in report.results} >= {
        (
            "wco:goal-4",
            "wcosh:StrategicGoalShape-goalNumber",
            '"04"^^xsd:integer',
        )
    }


def test_an_unusual_extension_with_input_format(runner, out_dir, tmp_path) -> None:
    path = tmp_path / "graph.txt"
    shutil.copy(out_dir / "wcokg.ttl", path)
    assert runner.invoke(cli, ["validate", str(path)]).exit_code == 2
    assert runner.invoke(cli, ["validate", str(path), "--input-format", "turtle"]).exit_code == 0


def test_a_directory_and_an_unknown_extension_are_named(runner, tmp_path) -> None:
    """Before: "unknown syntax None" for a directory (wcokg validate /etc)."""
    folder, text = tmp_path / "etc", tmp_path / "graph.txt"
    folder.mkdir()
    text.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    assert runner.invoke(cli, ["validate", str(folder)]).stderr == (
        f"wcokg: error: {folder}: not a regular file (a directory)\n"
    )
    assert runner.invoke(cli, ["validate", str(text)]).stderr == (
        f"wcokg: error: {text}: unknown syntax '.txt': name a file .ttl, .nt, .nq, .trig, .jsonld\n"
    )


PREFIXES = "@prefix ex: <http://example.org/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"


@pytest.mark.parametrize(
    "body, line, column, cause",
    [
        ('ex:a skos:prefLabel "unclosed .\n', 3, 21, "end of file"),
        ("ex:a nope:label ex:b .\n", 3, 6, "The prefix nope: has not been declared"),
        # the statement on line 3 has no dot: the parser notices at the next subject, line 4 column 1
        ("ex:a skos:prefLabel ex:b\nex:c skos:prefLabel ex:d .\n", 4, 1, "A dot is expected"),
        # the IRI token that holds the space starts at column 1
        ("<http://example.org/a b> skos:prefLabel ex:b .\n", 3, 1, "Invalid IRI code point ' '"),
        ('"literal" skos:prefLabel ex:b .\n', 3, 1, ""),
        ('ex:a skos:prefLabel "x"@en^^<http://www.w3.org/2001/XMLSchema#string> .\n', 3, 27, ""),
        # \u at columns 26-27, then "12", then a space at column 30: the first character that is not hexadecimal
        ('ex:a skos:prefLabel "bad \\u12 escape" .\n', 3, 30, "not a valid hexadecimal string"),
    ],
    ids=[
        "unclosed string",
        "undeclared prefix",
        "missing dot",
        "space in IRI",
        "literal as subject",
        "language and datatype",
        "bad unicode escape",
    ],
)
def test_malformed_turtle_names_file_line_and_column(runner, tmp_path, body, line, column, cause) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"wcokg: error: {path}:{line}:{column}: ")
    assert cause in result.stderr and result.stderr.count("\n") == 1


def test_a_remote_jsonld_context_is_refused(runner, tmp_path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "@id": "http://example.org/a", "name": "x"}))
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"wcokg: error: {path}:1:2: refers to a remote JSON-LD @context, which wcokg never fetches; embed it\n"
    )


def test_a_missing_file(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2 and "cannot read the file: No such file or directory" in result.stderr


@pytest.mark.parametrize("body", ["", "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"])
def test_nothing_to_validate_is_an_error(runner, tmp_path, body) -> None:
    """Before: "conforms: 0 violations, 0 warnings, on 0 resources", exit 0."""
    path = tmp_path / "input.ttl"
    path.write_text(body, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"wcokg: error: nothing to validate: {path} holds no resource of the ontology's classes\n")


def renumbered(out_dir, tmp_path, goal: int, number: str):
    """wcokg.ttl with goal ``goal`` numbered ``number``, its evidence statement too (so only numbering rules break)."""
    text = (out_dir / "wcokg.ttl").read_text(encoding="utf-8")
    # the number as skos:notation and wcokg:goalNumber, and the rdf:object of their two evidence statements
    pattern = re.compile(rf"\b(skos:notation|wcokg:goalNumber|rdf:object) {goal}(?= [;.]$)", re.MULTILINE)
    assert len(pattern.findall(text)) == 4
    path = tmp_path / "renumbered.ttl"
    path.write_text(pattern.sub(rf'\1 "{number}"^^xsd:integer', text), encoding="utf-8")
    return path


def test_the_gap_rule_names_the_missing_number(runner, out_dir, tmp_path) -> None:
    """Goal 7 numbered 12: the scheme is blamed once, for the number missing (before, the goal numbered above the
    count was blamed, and the WCO for the loss of its goal 7)."""
    path = renumbered(out_dir, tmp_path, 7, "12")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("wco:wco-goals  (")
    assert lines[1:] == [
        '  Violation  (Numbers without a gap within a scheme)  "7"^^xsd:integer',
        "    The numbers (skos:notation) of this scheme's concepts must run 1, 2, 3 … without a gap: it has 9 "
        "different numbers, the highest 12, so they should be 1 to 9, but 7 is missing. Give the number 7 to the "
        "concept it belongs to, or renumber the concepts that follow the gap.",
        "    rule wcosh:ConceptSchemeShape-gapFreeNotation",
        "",
        f"{path}: does not conform: 1 violation, 0 warnings, on 1 resource",
    ]


@pytest.mark.parametrize("number", ["0", "-1"])
def test_a_number_below_one_breaks_the_range_rules_and_leaves_1_missing(out_dir, tmp_path, number) -> None:
    report, _ = validate_files([renumbered(out_dir, tmp_path, 1, number)])
    assert sorted((r.focus, r.path, r.constraint, r.value) for r in report.results) == [
        ("wco:goal-1", "skos:notation", "wcosh:StrategicGoalShape-notation", f'"{number}"^^xsd:integer'),
        ("wco:goal-1", "wcokg:goalNumber", "wcosh:StrategicGoalShape-goalNumber", f'"{number}"^^xsd:integer'),
        (
            "wco:wco-goals",
            "(Numbers without a gap within a scheme)",
            "wcosh:ConceptSchemeShape-gapFreeNotation",
            '"1"^^xsd:integer',
        ),
    ]


def test_a_rule_on_the_node_itself_is_named_for_its_shape(out_dir, tmp_path) -> None:
    """Before, a result without sh:resultPath printed "-"."""
    text = (out_dir / "wcokg.ttl").read_text(encoding="utf-8")
    path = tmp_path / "both.ttl"
    old = "wco:revised-kyoto-convention a wcokg:Convention"
    assert old in text
    path.write_text(text.replace(old, old + ", org:FormalOrganization"), encoding="utf-8")
    report, _ = validate_files([path])
    assert report.results and all(r.path and r.path != "-" for r in report.results), report.results


def goal_4_titled_twice(out_dir, tmp_path, name: str):
    """The published file ``name`` with a second English title for Goal 4."""
    path = tmp_path / name
    if name.endswith(".jsonld"):
        text = (out_dir / name).read_text(encoding="utf-8")
        document = json.loads(text)
        node = next(n for n in document["@graph"] if n["@id"] == "wco:goal-4")
        node["skos:prefLabel"] = [node["skos:prefLabel"], {"@language": "en", "@value": "Facilitation of Trade"}]
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        return path
    text = (out_dir / name).read_text(encoding="utf-8")
    graph_name = " <https://w3id.org/wcokg/graph/data>" if name.endswith(".nq") else ""
    extra = f'<{GOAL_4}> <{SKOS.prefLabel}> "Facilitation of Trade"@en{graph_name} .\n'
    path.write_text(text + extra, encoding="utf-8")
    return path


GOAL_4 = URIRef("https://w3id.org/wcokg/id/goal-4")


@pytest.mark.parametrize("name", ["wcokg.nt", "wcokg.nq"])
def test_ntriples_and_nquads_results_name_the_line_of_the_first_triple(runner, out_dir, tmp_path, name) -> None:
    path = goal_4_titled_twice(out_dir, tmp_path, name)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if line.startswith(f"<{GOAL_4}> "))
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"wco:goal-4  ({path}:{first})"


def test_jsonld_results_name_the_json_pointer_of_the_node(runner, out_dir, tmp_path) -> None:
    path = goal_4_titled_twice(out_dir, tmp_path, "wcokg.jsonld")
    nodes = json.loads(path.read_text(encoding="utf-8"))["@graph"]
    index = next(i for i, node in enumerate(nodes) if node["@id"] == "wco:goal-4")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"wco:goal-4  ({path}#/@graph/{index})"


def test_trig_results_name_the_line(runner, out_dir, tmp_path) -> None:
    text = (out_dir / "wcokg.trig").read_text(encoding="utf-8")
    old = 'skos:prefLabel "Trade Facilitation"@en ;'
    assert text.count(old) == 1
    path = tmp_path / "edited.trig"
    path.write_text(text.replace(old, 'skos:prefLabel "Trade Facilitation"@en, "Facilitation of Trade"@en ;'))
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.strip().startswith("wco:goal-4 a "))
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.stdout.splitlines()[0] == f"wco:goal-4  ({path}:{line})"


TEXT_RULES = ("wcosh:TextShape-blank", "wcosh:TextShape-contactDetails", "wcosh:TextShape-markup")


def text_results(text: str) -> set[str]:
    """The text rules broken by a concept labelled ``text`` (the real shapes, through pyshacl)."""
    concept = URIRef("https://w3id.org/wcokg/id/concept")
    graph = Graph()
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.prefLabel, Literal(text, lang="en")))
    report = validate_graph(graph, load_turtle(layout.SHAPES)[1], load_turtle(layout.ONTOLOGY)[1])
    return {r.constraint for r in report.results} & set(TEXT_RULES)


@pytest.mark.parametrize(
    "text, broken",
    [
        ("Trade Facilitation", set()),
        ("Trade\nFacilitation", set()),
        ("Trade\n", {"wcosh:TextShape-blank"}),
        ("\tTrade", {"wcosh:TextShape-blank"}),
        ("Trade\nsee Http://spam.example", {"wcosh:TextShape-contactDetails"}),
        ("Trade\nWWW.spam.example", {"wcosh:TextShape-contactDetails"}),
        ("write to\nInfo@WCOOMD.example.org", {"wcosh:TextShape-contactDetails"}),
        ("Call +32 2 209 92 11", {"wcosh:TextShape-contactDetails"}),
        ("Goal 4 of 2013, 179 members", set()),
        ("Trade\n<b>Facilitation</b>", {"wcosh:TextShape-markup"}),
    ],
    ids=lambda value: repr(value)[:30] if isinstance(value, str) else None,
)
def test_text_rules_read_the_whole_text_across_lines(text, broken) -> None:
    assert text_results(text) == broken


@pytest.mark.parametrize(
    "text, broken",
    [
        ("a" * 1_000_000, set()),  # a run the old email pattern backtracked over from every position
        ("1 " * 500_000, {"wcosh:TextShape-contactDetails", "wcosh:TextShape-blank"}),  # the old phone pattern's
        ("x" * 999_999 + "<", {"wcosh:TextShape-markup"}),
        ("a@" * 500_000, set()),
    ],
    ids=["letters", "digits and spaces", "markup at the end", "at signs"],
)
def test_text_rules_judge_a_megabyte(text, broken) -> None:
    """The old contact-details pattern took 12.7 s on 100 KB and grew quadratically (hours on 1 MB, past the
    suite's per-test timeout); bench/bench_text_rules.py measures the rules' growth on these texts."""
    assert text_results(text) == broken


def test_a_value_with_a_backslash_is_reported_not_a_crash() -> None:
    """pyshacl 0.40.1 passes a SHACL-SPARQL result's values to re.sub as its replacement: "4\\q" raised re.error."""
    goal = URIRef("https://w3id.org/wcokg/id/goal-4")
    graph = Graph()
    graph.add((goal, RDF.type, WCOKG.StrategicGoal))
    graph.add((goal, SKOS.notation, Literal(4)))
    graph.add((goal, WCOKG.goalNumber, Literal("4\\q")))
    report = validate_graph(graph, load_turtle(layout.SHAPES)[1], load_turtle(layout.ONTOLOGY)[1])
    (result,) = [r for r in report.results if r.constraint == "wcosh:StrategicGoalShape-numberIsNotation"]
    assert "(wcokg:goalNumber 4\\q)" in result.message


@pytest.mark.parametrize("name", ["wcokg.ttl", "wcokg.trig"])
def test_a_fact_about_any_subject_needs_evidence(out_dir, tmp_path, name) -> None:
    """A subject outside the project's namespace, of no class of the ontology, is no way around the evidence."""
    text = (out_dir / name).read_text(encoding="utf-8")
    spam = '<http://spam.example/x> <http://www.w3.org/2004/02/skos/core#note> "cheap pills" .\n'
    if name == "wcokg.trig":  # inside the data graph
        start = text.index("<https://w3id.org/wcokg/graph/data> {") + len("<https://w3id.org/wcokg/graph/data> {")
        text = text[:start] + "\n" + spam + text[start:]
    else:
        text += spam
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report, _ = validate_files([path])
    assert {(r.focus, r.constraint) for r in report.results} == {
        ("<http://spam.example/x>", "wcosh:EvidenceShape-quoted")
    }


def test_a_fact_has_one_annotation_per_source(out_dir, tmp_path) -> None:
    """A second annotation of a fact from the same source (a copy of its first under another IRI) breaks the
    evidence rule."""
    graph = Graph().parse(out_dir / "wcokg.nt")
    annotation = sorted(graph.subjects(RDF.type, OA.Annotation))[0]
    statement = graph.value(annotation, OA.hasBody)
    fact = tuple(graph.value(statement, part) for part in (RDF.subject, RDF.predicate, RDF.object))
    for _, p, o in list(graph.triples((annotation, None, None))):
        graph.add((URIRef(f"{annotation}-again"), p, o))
    path = tmp_path / "twice.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    report, _ = validate_files([path])
    assert [(r.constraint, r.message) for r in report.results] == [
        (
            "wcosh:EvidenceShape-quoted",
            "A fact has one evidence annotation per source that states it, but 2 annotations of one source state it.",
        )
    ]
    assert report.results[0].focus == short(fact[0])


def test_a_validation_past_its_time_limit_is_one_line(runner, out_dir) -> None:
    result = runner.invoke(cli, ["validate", str(out_dir / "wcokg.trig"), "--timeout", "0.001"])
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr
        == "wcokg: error: validate stopped after 0.001 s (raise --timeout to allow more); nothing written\n"
    )


def test_build_and_validate_document_their_time_limits(runner) -> None:
    for command, default in (("build", "300.0"), ("validate", "600.0")):
        help_text = " ".join(runner.invoke(cli, [command, "--help"]).stdout.split())
        assert "--timeout FLOAT RANGE" in help_text and f"[default: {default}; x>=0.001]" in help_text
        assert "past --timeout or its memory limit (4096 MiB of address space)" in help_text


BOM = "\ufeff"
CONCEPT = {
    "@id": "https://w3id.org/wcokg/id/x",
    "@type": "http://www.w3.org/2004/02/skos/core#Concept",
    "http://www.w3.org/2004/02/skos/core#related": {"http://www.w3.org/2004/02/skos/core#prefLabel": "y"},
}


@pytest.mark.parametrize("name", ["wcokg.ttl", "wcokg.nt", "wcokg.jsonld", "wcokg.trig", "wcokg.nq"])
def test_a_byte_order_mark_is_skipped(runner, out_dir, tmp_path, name) -> None:
    """Before: Turtle "\\ufeff is not a valid subject", JSON-LD "unexpected JSONDecodeError" (Jena and rdflib
    read both)."""
    path = tmp_path / name
    path.write_text(BOM + (out_dir / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == f"{path}: conforms: 0 violations, 0 warnings\n"


def test_a_blank_node_value_with_a_byte_order_mark_is_reported(runner, tmp_path) -> None:
    """Before: "unexpected PluginException: No plugin registered for (None, Store)" (a blank node, written "[]"
    in a result, read back as a term), and with a BOM "unexpected JSONDecodeError" (where the nodes are)."""
    path = tmp_path / "concept.jsonld"
    path.write_text(BOM + json.dumps(CONCEPT), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and result.stderr == "", result.output
    assert f"wco:x  ({path}#)\n" in result.stdout
    assert "  Violation  skos:related  []\n" in result.stdout
    # (the sixth result, on 3 resources, was RequiredShape-wco's: no WCO; no rule names one document now)
    assert result.stdout.endswith(f"{path}: does not conform: 5 violations, 0 warnings, on 2 resources\n")
    report = Graph().parse(data=runner.invoke(cli, ["validate", str(path), "--format", "turtle"]).stdout)
    assert len(set(report.objects(None, SH.result))) == 5


@pytest.mark.parametrize(
    "body, where", [(PREFIXES + "ex:a nope:label ex:b .\n", "3:6"), ('"x" <http://example.org/p> 1 .\n', "1:1")]
)
def test_lines_and_columns_are_counted_after_a_byte_order_mark(runner, tmp_path, body, where) -> None:
    stderr = []
    for text in (body, BOM + body):
        path = tmp_path / "bad.ttl"
        path.write_text(text, encoding="utf-8")
        stderr.append(runner.invoke(cli, ["validate", str(path)]).stderr)
    assert stderr[0] == stderr[1] and stderr[0].startswith(f"wcokg: error: {path}:{where}: "), stderr


@pytest.mark.parametrize(
    "command",
    [["validate"], ["query", "SELECT * WHERE { ?s ?p ?o }", "--data"], ["diff", "PATH"], ["--debug", "validate"]],
    ids=["validate", "query", "diff", "debug"],
)
def test_an_ill_formed_xml_literal_is_not_logged_by_rdflib(runner, tmp_path, caplog, command) -> None:
    """Before: 18 lines of rdflib's logged traceback ("Failed to convert Literal lexical form to value") on
    stderr before the report; with --debug they are logged (pytest's handler takes them here, not stderr)."""
    path = tmp_path / "xml.ttl"
    path.write_text(
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/"
        'core#> .\n<https://w3id.org/wcokg/id/x> a skos:Concept ; skos:prefLabel "<a"^^rdf:XMLLiteral .\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, [*(str(path) if arg == "PATH" else arg for arg in command), str(path)])
    assert result.exit_code in (0, 1) and "Failed to convert" not in result.stderr, result.output
    logged = {record.getMessage().split(".")[0] for record in caplog.records if record.name.startswith("rdflib")}
    assert logged == ({"Failed to convert Literal lexical form to value"} if "--debug" in command else set())
