"""SHACL constraints evaluated set-at-a-time: one SPARQL query per constraint over all its focus nodes, on a
pyoxigraph store of the data and the ontology; pyshacl checks what is not compiled here (see compile_shapes).

pyshacl walks every focus node and value node in Python through rdflib: minutes for 10^6 triples. Here each
constraint is a SELECT returning its violations (focus node, and value where SHACL reports one), so a
conforming graph costs the store's joins. The verdicts are pyshacl's, not the specification's where they differ
(tests/test_compiled.py runs every rule fixture both ways): sh:pattern is Python's ``re.search`` (pyshacl's),
sh:datatype accepts what rdflib parses, ranges compare as pyshacl's ``compare_literal`` and sh:lessThan as its
``<`` on rdflib's values; these run as Python functions the queries call on the values. A SHACL-SPARQL
constraint's SELECT runs once, joined with its shape's focus nodes on $this, where pyshacl runs it once per
focus node with $this bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..edit.overlay import oxigraph_term
from ..rdfio import converter

FUNCTIONS = "urn:wcokg:shacl:"
"""Namespace of the Python functions the compiled queries call."""
AS_WRITTEN = "urn:wcokg:shacl:as-written:"
"""Prefix of the datatype a literal is stored with when the store would rewrite it ("04"^^xsd:integer is kept
as ``"04"^^<urn:wcokg:shacl:as-written:http://www.w3.org/2001/XMLSchema#integer>``, not made "4")."""

VALUE_PARAMETERS = frozenset(
    SH[n] for n in "class datatype nodeKind languageIn pattern minLength maxLength minInclusive maxInclusive".split()
) | {SH["or"], SH["not"], SH.hasValue}
"""Parameters that test each value node on its own."""

COUNT_PARAMETERS = frozenset({SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape})
COMPANIONS = {
    SH.flags: SH.pattern,
    SH.qualifiedMinCount: SH.qualifiedValueShape,
    SH.qualifiedMaxCount: SH.qualifiedValueShape,
    SH.ignoredProperties: SH.closed,
}
"""Parameters that go with another: compiled with it."""

NOT_CONSTRAINTS = frozenset(
    {SH.path, SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, SH.property, SH.defaultValue}
    | {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
)
"""The SHACL terms a shape holds besides its constraint parameters."""

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

_TYPES = {XSD.integer: int, XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool}
_TYPES |= {XSD.date: date, XSD.time: time, XSD.dateTime: datetime}
"""The datatypes whose values pyshacl checks by their Python type (rdflib's parse of the lexical form)."""

_COMPONENTS = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH.languageIn: "LanguageIn",
    SH.pattern: "Pattern",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH["or"]: "Or",
    SH["not"]: "Not",
    SH.hasValue: "HasValue",
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.uniqueLang: "UniqueLang",
    SH.qualifiedValueShape: "QualifiedMinCount",
    SH.closed: "Closed",
    SH.lessThan: "LessThan",
    SH.sparql: "SPARQL",
}


def _n3(term: object) -> str:
    """An IRI or a literal of the shapes as SPARQL writes it."""
    if not isinstance(term, URIRef | Literal):
        raise ValueError(term)
    return str(oxigraph_term(term))


@dataclass(frozen=True)
class Violation:
    """A result of a compiled constraint: the focus node, its path, value (terms of the data) and the rule."""

    shape: object
    component: URIRef
    focus: object
    path: object
    value: object
    constraint: object = None
    """The SHACL-SPARQL constraint that found it (None for a Core constraint)."""
    bound: tuple[tuple[str, object], ...] = ()
    """A SHACL-SPARQL result's other variables (name, term), which its messages may name."""


class Compiler:
    """The shapes' constraints as SPARQL queries, with the Python functions they call."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.functions: dict[pyoxigraph.NamedNode, Callable] = {}
        self.term = written_term()
        self.variables = 0

    def fresh(self) -> str:
        """A variable no other part of a query uses."""
        self.variables += 1
        return f"?inner{self.variables}"

    # paths, targets, conditions -------------------------------------------------------------------------------

    def path(self, path: object) -> str | None:
        """A SHACL path as a SPARQL property path; None for one not handled."""
        shapes = self.shapes
        if isinstance(path, URIRef):
            return f"<{path}>"
        if not isinstance(path, BNode):
            return None
        if (path, RDF.first, None) in shapes:
            steps = [self.path(step) for step in Collection(shapes, path)]
            return None if None in steps or not steps else "(" + "/".join(steps) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            if (inner := shapes.value(path, predicate)) is not None:
                step = self.path(inner)
                return None if step is None else template.format(step)
        if (alternatives := shapes.value(path, SH.alternativePath)) is not None:
            steps = [self.path(step) for step in Collection(shapes, alternatives)]
            return None if None in steps or not steps else "(" + "|".join(steps) + ")"
        return None

    def targets(self, shape: object) -> str | None:
        """A pattern binding ?this to each focus node of ``shape``; None if it has no target."""
        patterns = []
        for cls in self.shapes.objects(shape, SH.targetClass):
            patterns.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(cls)} .")
        for node in self.shapes.objects(shape, SH.targetNode):
            patterns.append(f"VALUES ?this {{ {_n3(node)} }}")
        for predicate in self.shapes.objects(shape, SH.targetSubjectsOf):
            patterns.append(f"?this {_n3(predicate)} [] .")
        for predicate in self.shapes.objects(shape, SH.targetObjectsOf):
            patterns.append(f"[] {_n3(predicate)} ?this .")
        if not patterns:
            return None
        return " UNION ".join(f"{{ {p} }}" for p in patterns)

    def _function(self, name: str, test: Callable[..., bool]) -> str:
        """A SPARQL call of ``test`` on values (pyoxigraph terms, converted to rdflib's), true or false."""
        iri = pyoxigraph.NamedNode(f"{FUNCTIONS}{name}-{len(self.functions)}")
        cache: dict = {}
        yes, no = pyoxigraph.Literal(True), pyoxigraph.Literal(False)

        def call(*values: object) -> pyoxigraph.Literal:
            found = cache.get(values)
            if found is None:
                found = cache[values] = yes if test(*map(self.term, values)) else no
            return found

        self.functions[iri] = call
        return f"<{iri.value}>"

    def value_test(self, parameter: object, value: object, shape: object, var: str) -> str | None:
        """A SPARQL expression true where ``var`` passes the constraint ``parameter value`` of ``shape``."""
        shapes = self.shapes
        if parameter == SH["class"]:
            return f"EXISTS {{ {var} <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(value)} }}"
        if parameter == SH.datatype:
            if value == RDFS.Literal:
                return f"isLiteral({var})"
            test = f"(isLiteral({var}) && datatype({var}) IN ({_n3(value)}, <{AS_WRITTEN}{value}>)"
            if value in _TYPES:
                kind = _TYPES[value]
                typed = self._function("datatype", lambda v: v.ill_typed is not True and isinstance(v.value, kind))
                test += f" && {typed}({var})"
            return test + ")"
        if parameter == SH.nodeKind:
            kinds = {
                SH.IRI: "isIRI({0})",
                SH.BlankNode: "isBlank({0})",
                SH.Literal: "isLiteral({0})",
                SH.BlankNodeOrIRI: "(isBlank({0}) || isIRI({0}))",
                SH.BlankNodeOrLiteral: "(isBlank({0}) || isLiteral({0}))",
                SH.IRIOrLiteral: "(isIRI({0}) || isLiteral({0}))",
            }
            return kinds[value].format(var) if value in kinds else None
        if parameter == SH.languageIn:
            languages = {str(tag).lower() for tag in Collection(shapes, value)}
            if "*" in languages:
                return f'(isLiteral({var}) && lang({var}) != "")'
            listed = ", ".join(_n3(Literal(tag)) for tag in sorted(languages))
            return (
                f'(isLiteral({var}) && lang({var}) != "" && (LCASE(lang({var})) IN ({listed}) '
                f'|| LCASE(IF(CONTAINS(lang({var}), "-"), STRBEFORE(lang({var}), "-"), lang({var}))) IN ({listed})))'
            )
        if parameter == SH.pattern:
            flags = str(shapes.value(shape, SH.flags) or "").lower()
            matcher = re.compile(str(value), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))
            matches = self._function("pattern", lambda v: bool(matcher.search(str(v))))
            return f"(!isBlank({var}) && {matches}({var}))"
        if parameter in (SH.minLength, SH.maxLength):
            op = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {op} {int(value)})"
        if parameter in (SH.minInclusive, SH.maxInclusive):
            sign = 1 if parameter == SH.minInclusive else -1
            within = self._function("range", lambda v: _in_range(v, value, sign))
            return f"{within}({var})"
        if parameter == SH.hasValue:
            return f"sameTerm({var}, {_n3(value)})"
        if parameter == SH["or"]:
            tests = [self.conforms(member, var) for member in Collection(shapes, value)]
            return None if None in tests or not tests else "(" + " || ".join(tests) + ")"
        if parameter == SH["not"]:
            test = self.conforms(value, var)
            return None if test is None else f"!({test})"
        return None

    def conforms(self, shape: object, var: str) -> str | None:
        """A SPARQL expression true where ``var`` conforms to ``shape`` (inside sh:or, sh:not, a qualified
        shape); None if a constraint of it is not handled."""
        shapes = self.shapes
        parameters = _parameters(shapes, shape)
        path = shapes.value(shape, SH.path)
        tests = []
        if path is None:
            for parameter in parameters:
                for value in shapes.objects(shape, parameter):
                    tests.append(self.value_test(parameter, value, shape, var))
        else:  # a property shape holding for ``var``
            step = self.path(path)
            if step is None:
                return None
            for parameter in parameters:
                for value in shapes.objects(shape, parameter):
                    tests.append(self.values_test(parameter, value, shape, var, step))
        for other in shapes.objects(shape, SH.property):
            tests.append(self.conforms(other, var))
        return None if None in tests else "(" + " && ".join(tests or ["true"]) + ")"

    def values_test(self, parameter: object, value: object, shape: object, var: str, step: str) -> str | None:
        """A SPARQL expression true where the values of ``var`` on the path ``step`` pass the constraint
        ``parameter value`` of the property shape ``shape``; None if not handled."""
        if parameter == SH.minCount and value in (Literal(0), Literal(1)):
            return f"EXISTS {{ {var} {step} [] }}" if value == Literal(1) else "true"
        if parameter == SH.maxCount and value == Literal(0):
            return f"NOT EXISTS {{ {var} {step} [] }}"
        if parameter == SH.hasValue:
            return f"EXISTS {{ {var} {step} {_n3(value)} }}"
        if parameter not in VALUE_PARAMETERS:
            return None
        inner = self.fresh()
        test = self.value_test(parameter, value, shape, inner)
        return None if test is None else f"NOT EXISTS {{ {var} {step} {inner} FILTER(!({test})) }}"

    # the constraints of a shape with targets ---------------------------------------------------------------

    def property_queries(self, shape: object, focus: str) -> Iterator[tuple[URIRef, str]] | None:
        """The queries of a property shape's constraints (component, SELECT ?this ?value), or None if one is
        not handled."""
        shapes = self.shapes
        step = self.path(shapes.value(shape, SH.path))
        if step is None or (shape, SH.message, None) not in shapes:  # pyshacl's generic messages are its own
            return None
        queries = []
        for parameter in _parameters(shapes, shape):
            for value in shapes.objects(shape, parameter):
                query = self._property_query(shape, parameter, value, focus, step)
                if query is None:
                    return None
                queries.append((parameter, query))
        return iter(queries)

    def _property_query(self, shape: object, parameter: object, value: object, focus: str, step: str) -> str | None:
        shapes = self.shapes
        if parameter in (SH.minCount, SH.maxCount):
            op = "<" if parameter == SH.minCount else ">"
            return (
                f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
                f"OPTIONAL {{ ?this {step} ?v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {op} {int(value)})"
            )
        if parameter == SH.hasValue:
            return f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {step} {_n3(value)} }} }}"
        if parameter == SH.uniqueLang:
            if value != Literal(True):
                return None
            return (
                f"SELECT DISTINCT ?this (LCASE(lang(?a)) AS ?lang) WHERE {{ {focus} "
                f"?this {step} ?a . ?this {step} ?b . "
                f'FILTER(isLiteral(?a) && isLiteral(?b) && lang(?a) != "" && !sameTerm(?a, ?b) '
                f"&& LCASE(lang(?a)) = LCASE(lang(?b))) }}"
            )
        if parameter == SH.qualifiedValueShape:
            test = self.conforms(value, "?v")
            least, most = shapes.value(shape, SH.qualifiedMinCount), shapes.value(shape, SH.qualifiedMaxCount)
            if test is None or (shape, SH.qualifiedValueShapesDisjoint, None) in shapes:
                return None
            bounds = [f"COUNT(DISTINCT ?v) < {int(least)}"] if least is not None else []
            bounds += [f"COUNT(DISTINCT ?v) > {int(most)}"] if most is not None else []
            return (
                f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
                f"OPTIONAL {{ ?this {step} ?v FILTER({test}) }} }} GROUP BY ?this HAVING ({' || '.join(bounds)})"
            )
        if parameter == SH.lessThan:
            if not isinstance(value, URIRef):
                return None
            less = self._function("lessThan", _less_than)
            return (
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {step} ?value . ?this {_n3(value)} ?other . "
                f"FILTER(!{less}(?value, ?other)) }}"
            )
        test = self.value_test(parameter, value, shape, "?value")
        if test is None:
            return None
        return f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {step} ?value . FILTER(!({test})) }}"

    def node_query(self, shape: object, parameter: object, value: object, focus: str) -> str | None:
        """The query of a node shape's own constraint (SELECT ?this ?value [?path]), or None if not handled."""
        if (shape, SH.message, None) not in self.shapes:  # pyshacl's generic messages are its own
            return None
        if parameter == SH.closed:
            if value != Literal(True):
                return None
            allowed = {p for ps in self.shapes.objects(shape, SH.property) for p in self.shapes.objects(ps, SH.path)}
            allowed = {p for p in allowed if isinstance(p, URIRef)}
            for ignored in self.shapes.objects(shape, SH.ignoredProperties):
                allowed.update(Collection(self.shapes, ignored))
            excluded = f"FILTER(?path NOT IN ({', '.join(map(_n3, sorted(allowed)))}))" if allowed else ""
            return f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . {excluded} }}"
        if parameter not in VALUE_PARAMETERS:
            return None
        test = self.value_test(parameter, value, shape, "?this")
        if test is None:
            return None
        return f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER(!({test})) }}"

    def sparql_query(self, shape: object, constraint: object, focus: str) -> str | None:
        """A node shape's SHACL-SPARQL constraint as one query: its SELECT (with the prefixes it declares) joined
        with the shape's focus nodes on ?this; None where pyshacl's per-node pre-binding could differ from that
        join (a SELECT that does not return $this, or that names $PATH, $currentShape, $shapesGraph or ?failure)."""
        shapes = self.shapes
        select = shapes.value(constraint, SH.select)
        if select is None or (shape, SH.path, None) in shapes or _UNCOMPILED.search(str(select)):
            return None
        if (constraint, SH.message, None) not in shapes and (shape, SH.message, None) not in shapes:
            return None  # pyshacl's generic message is not reproduced here
        head = _PROJECTION.match(str(select))
        if head is None or not (head.group(1).strip() == "*" or _THIS.search(head.group(1))):
            return None
        declared = [
            (shapes.value(d, SH.prefix), shapes.value(d, SH.namespace))
            for p in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(p, SH.declare)
        ]
        prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(declared))
        query = f"{prologue}SELECT * WHERE {{ {{ {focus} }} {{ {_THIS.sub('?this', str(select))} }} }}"
        try:
            pyoxigraph.Store().query(query)
        except SyntaxError:
            return None
        return query


_UNCOMPILED = re.compile(r"\$(PATH|currentShape|shapesGraph)\b|[?$]failure\b|^\s*(?i:PREFIX|BASE)\b", re.M)
_PROJECTION = re.compile(r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\b|\{)", re.I | re.S)
_THIS = re.compile(r"[$?]this\b")


def _less_than(value: object, other: object) -> bool:
    """pyshacl's sh:lessThan on a pair of values: strings (IRIs, plain literals) with strings, other values by
    rdflib's ``<``. Where pyshacl stops with an error (a blank node, values rdflib cannot order), not less."""

    def comparable(term: object) -> tuple[bool, object]:
        if isinstance(term, URIRef):
            return True, str(term)
        if isinstance(term, Literal) and isinstance(term.value, str):
            return True, term.value
        return False, term

    if isinstance(value, BNode) or isinstance(other, BNode):
        return False
    (value_is_string, left), (other_is_string, right) = comparable(value), comparable(other)
    try:
        return value_is_string == other_is_string and bool(left < right)
    except TypeError:
        return False


def _in_range(value: object, bound: Literal, sign: int) -> bool:
    """pyshacl's sh:minInclusive (``sign`` 1) or sh:maxInclusive (-1) on one value."""
    if not isinstance(value, Literal) or isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        return _compare(value, bound) * sign >= 0
    except (TypeError, NotImplementedError):
        return False


def _compare(left: Literal, right: Literal) -> int:
    """pyshacl's ``compare_literal`` (pyshacl.rdfutil.compare, 0.40): 0, 1 or -1 as ``left`` equals, follows or
    precedes ``right``; datetimes and times by their values, not by rdflib's total order. Written out here because
    importing pyshacl for it costs 0.15 s of a validation that otherwise never imports it."""
    if left.eq(right):
        return 0
    if isinstance(left.value, datetime | time):
        return 0 if left.value == right.value else 1 if left.value > right.value else -1
    return 1 if left > right else -1


def _parameters(shapes: Graph, shape: object) -> set:
    """The constraint parameters of ``shape`` (companions such as sh:flags counted as the one they go with)."""
    found = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))} - NOT_CONSTRAINTS
    return {COMPANIONS.get(p, p) for p in found}


@dataclass
class Plan:
    """The compiled constraints, and the shapes left for pyshacl (the compiled constraints taken out)."""

    queries: list[tuple[object, URIRef, str, object]]
    """(source shape, constraint component, query, SHACL-SPARQL constraint or None) of each compiled constraint."""
    rest: Graph
    functions: dict

    @property
    def complete(self) -> bool:
        """Whether every constraint of the shapes with targets is compiled, which leaves pyshacl nothing."""
        rest = self.rest
        shapes = {shape for target in TARGETS for shape in rest.subjects(target, None)}
        return not any(
            (shape, SH.property, None) in rest or _parameters(rest, shape)
            for shape in shapes
            if (shape, SH.deactivated, Literal(True)) not in rest
        )


def compile_shapes(shapes: Graph) -> Plan:
    """Compile each constraint of a shape with targets that the compiler handles (a property shape as a whole,
    a node shape's own parameters one by one); the others stay in ``rest``, the shapes pyshacl checks."""
    compiler = Compiler(shapes)
    rest = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace)
    for triple in shapes:
        rest.add(triple)
    queries = []
    targeted = {s for t in TARGETS for s in shapes.subjects(t, None)}
    done = set()
    for shape in sorted(targeted, key=str):
        focus = compiler.targets(shape)
        if (shape, SH.deactivated, None) in shapes:
            continue
        if (shape, SH.path, None) in shapes:  # a property shape with targets of its own
            compiled = compiler.property_queries(shape, focus)
            if compiled is not None:
                queries.extend((shape, _component(p), q, None) for p, q in compiled)
                for target in TARGETS:  # pyshacl no longer checks it
                    rest.remove((shape, target, None))
            continue
        for prop in shapes.objects(shape, SH.property):
            if (prop, SH.deactivated, None) in shapes:
                continue
            parents = [p for p in shapes.subjects(SH.property, prop) if p in targeted]
            if prop in done:
                continue
            union = " UNION ".join(f"{{ {compiler.targets(p)} }}" for p in parents)
            compiled = compiler.property_queries(prop, union)
            if compiled is not None:
                done.add(prop)
                queries.extend((prop, _component(p), q, None) for p, q in compiled)
                for parent in parents:
                    rest.remove((parent, SH.property, prop))
        for constraint in list(shapes.objects(shape, SH.sparql)):
            deactivated = (constraint, SH.deactivated, Literal(True)) in shapes  # pyshacl skips it too
            query = None if deactivated else compiler.sparql_query(shape, constraint, focus)
            if query is not None:
                queries.append((shape, SH.SPARQLConstraintComponent, query, constraint))
            if deactivated or query is not None:
                rest.remove((shape, SH.sparql, constraint))
        for parameter in _parameters(shapes, shape) - {SH.property, SH.sparql}:
            values = list(shapes.objects(shape, parameter))
            compiled = [compiler.node_query(shape, parameter, value, focus) for value in values]
            if values and None not in compiled:
                queries.extend((shape, _component(parameter), q, None) for q in compiled)
                for companion in [parameter, *(c for c, main in COMPANIONS.items() if main == parameter)]:
                    rest.remove((shape, companion, None))
    return Plan(queries, rest, compiler.functions)


def _component(parameter: object) -> URIRef:
    return SH[_COMPONENTS.get(parameter, "Unknown") + "ConstraintComponent"]


def run(plan: Plan, store: pyoxigraph.Store, shapes: Graph) -> list[Violation]:
    """The violations the compiled constraints find in ``store`` (terms as rdflib's, literals as written)."""
    term = written_term()
    found = []
    for shape, component, query, constraint in plan.queries:
        solutions = store.query(query, custom_functions=plan.functions, use_default_graph_as_union=True)
        names = [variable.value for variable in solutions.variables]
        others = [name for name in names if name not in ("this", "path", "value")]
        shape_path = shapes.value(shape, SH.path)
        for row in solutions:
            focus = term(row["this"])
            path = term(row["path"]) if "path" in names and row["path"] is not None else shape_path
            value = term(row["value"]) if "value" in names and row["value"] is not None else None
            if constraint is None:
                found.append(Violation(shape, component, focus, path, value))
                continue
            bound = tuple((name, term(row[name])) for name in others if row[name] is not None)
            found.append(Violation(shape, component, focus, path, focus if value is None else value, constraint, bound))
    return found


def written_term() -> Callable[[object], object]:
    """A function from the store's terms to rdflib's, literals as written (see AS_WRITTEN)."""
    term = converter()

    def converted(node: object) -> object:
        if isinstance(node, pyoxigraph.Literal) and node.datatype.value.startswith(AS_WRITTEN):
            return Literal(node.value, datatype=URIRef(node.datatype.value[len(AS_WRITTEN) :]), normalize=False)
        return term(node)

    return converted


def store_of(graphs: dict[URIRef, Graph]) -> pyoxigraph.Store:
    """A store (see load_store) of rdflib graphs, each as the named graph of its key."""
    return load_store(
        pyoxigraph.Quad(*map(oxigraph_term, triple), oxigraph_term(name))
        for name, graph in graphs.items()
        for triple in graph
    )


def load_store(quads: Iterable[pyoxigraph.Quad], batch: int = 100_000) -> pyoxigraph.Store:
    """A store of ``quads`` whose literals keep their lexical forms: the store rewrites a literal it reads as a
    number, date or truth value in its canonical form, the shapes judge it as written (sh:pattern on "04").

    The quads are read ``batch`` at a time: a stream of them (see wcokg.rdfio.stream_file) is never all in
    memory beside the store.
    """
    store, written, seen = pyoxigraph.Store(), {}, set()
    quads = iter(quads)
    while chunk := list(islice(quads, batch)):
        fresh = {
            q.object
            for q in chunk
            if isinstance(q.object, pyoxigraph.Literal)
            and q.object.datatype.value not in _NEVER_REWRITTEN
            and q.object not in seen
        }
        seen |= fresh
        written.update(_as_written(fresh))
        store.extend(_kept(chunk, written))
    return store


def _kept(quads: list[pyoxigraph.Quad], written: dict) -> Iterator[pyoxigraph.Quad]:
    """The quads with each literal as ``written`` keeps it."""
    for quad in quads:
        kept = written.get(quad.object)
        yield quad if kept is None else pyoxigraph.Quad(quad.subject, quad.predicate, kept, quad.graph_name)


_NEVER_REWRITTEN = {str(XSD.string), str(RDF.langString)}


def _as_written(literals: set[pyoxigraph.Literal]) -> dict[pyoxigraph.Literal, pyoxigraph.Literal]:
    """Of ``literals``, each the store would rewrite, as the literal of AS_WRITTEN's datatype that keeps it."""
    typed = list(literals)
    scratch, predicate = pyoxigraph.Store(), pyoxigraph.NamedNode(FUNCTIONS + "stored")
    scratch.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{FUNCTIONS}{i}"), predicate, t) for i, t in enumerate(typed))
    stored = {int(q.subject.value[len(FUNCTIONS) :]): q.object for q in scratch}
    return {
        literal: pyoxigraph.Literal(literal.value, datatype=pyoxigraph.NamedNode(AS_WRITTEN + literal.datatype.value))
        for i, literal in enumerate(typed)
        if stored[i] != literal
    }
