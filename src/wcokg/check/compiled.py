"""SHACL Core constraints evaluated set-at-a-time: one SPARQL query per constraint over all its focus nodes, on
a pyoxigraph store of the data and the ontology; pyshacl checks what is not compiled here (see split).

pyshacl walks every focus node and value node in Python through rdflib: minutes for 10^6 triples. Here each
constraint is a SELECT returning its violations (focus node, and value where SHACL reports one), so a
conforming graph costs the store's joins. The verdicts are pyshacl's, not the specification's where they differ
(tests/test_compiled.py runs every rule fixture both ways): sh:pattern is Python's ``re.search`` (pyshacl's),
sh:datatype accepts what rdflib parses, ranges compare as pyshacl's ``compare_literal``; these run as
Python functions the queries call on the values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph
from pyshacl.rdfutil.compare import compare_literal
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


class Compiler:
    """The shapes' constraints as SPARQL queries, with the Python functions they call."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.functions: dict[pyoxigraph.NamedNode, Callable] = {}
        self.term = written_term()

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

    def _function(self, name: str, test: Callable[[object], bool]) -> str:
        """A SPARQL call of ``test`` on a value (pyoxigraph term, converted to rdflib's), true or false."""
        iri = pyoxigraph.NamedNode(f"{FUNCTIONS}{name}-{len(self.functions)}")
        cache: dict = {}
        yes, no = pyoxigraph.Literal(True), pyoxigraph.Literal(False)

        def call(value: object) -> pyoxigraph.Literal:
            found = cache.get(value)
            if found is None:
                found = cache[value] = yes if test(self.term(value)) else no
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
        else:  # a property shape holding for ``var``: minimum counts of one only
            step = self.path(path)
            if step is None or parameters != {SH.minCount} or shapes.value(shape, SH.minCount) != Literal(1):
                return None
            tests.append(f"EXISTS {{ {var} {step} [] }}")
        for other in shapes.objects(shape, SH.property):
            tests.append(self.conforms(other, var))
        return None if None in tests else "(" + " && ".join(tests or ["true"]) + ")"

    # the constraints of a shape with targets ---------------------------------------------------------------

    def property_queries(self, shape: object, focus: str) -> Iterator[tuple[URIRef, str]] | None:
        """The queries of a property shape's constraints (component, SELECT ?this ?value), or None if one is
        not handled."""
        shapes = self.shapes
        step = self.path(shapes.value(shape, SH.path))
        if step is None:
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
        test = self.value_test(parameter, value, shape, "?value")
        if test is None:
            return None
        return f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {step} ?value . FILTER(!({test})) }}"

    def node_query(self, shape: object, parameter: object, value: object, focus: str) -> str | None:
        """The query of a node shape's own constraint (SELECT ?this ?value [?path]), or None if not handled."""
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


def _in_range(value: object, bound: Literal, sign: int) -> bool:
    """pyshacl's sh:minInclusive (``sign`` 1) or sh:maxInclusive (-1) on one value."""
    if not isinstance(value, Literal) or isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        return compare_literal(value, bound) * sign >= 0
    except (TypeError, NotImplementedError):
        return False


def _parameters(shapes: Graph, shape: object) -> set:
    """The constraint parameters of ``shape`` (companions such as sh:flags counted as the one they go with)."""
    found = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))} - NOT_CONSTRAINTS
    return {COMPANIONS.get(p, p) for p in found}


@dataclass
class Plan:
    """The compiled constraints, and the shapes left for pyshacl (the compiled constraints taken out)."""

    queries: list[tuple[object, URIRef, str]]
    """(source shape, constraint component, query) of each compiled constraint."""
    rest: Graph
    functions: dict


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
                queries.extend((shape, _component(p), q) for p, q in compiled)
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
                queries.extend((prop, _component(p), q) for p, q in compiled)
                for parent in parents:
                    rest.remove((parent, SH.property, prop))
        for parameter in _parameters(shapes, shape) - {SH.property}:
            values = list(shapes.objects(shape, parameter))
            compiled = [compiler.node_query(shape, parameter, value, focus) for value in values]
            if values and None not in compiled:
                queries.extend((shape, _component(parameter), q) for q in compiled)
                for companion in [parameter, *(c for c, main in COMPANIONS.items() if main == parameter)]:
                    rest.remove((shape, companion, None))
    return Plan(queries, rest, compiler.functions)


def _component(parameter: object) -> URIRef:
    return SH[_COMPONENTS.get(parameter, "Unknown") + "ConstraintComponent"]


def run(plan: Plan, store: pyoxigraph.Store, shapes: Graph) -> list[Violation]:
    """The violations the compiled constraints find in ``store`` (terms as rdflib's, literals as written)."""
    term = written_term()
    found = []
    for shape, component, query in plan.queries:
        solutions = store.query(query, custom_functions=plan.functions, use_default_graph_as_union=True)
        names = {variable.value for variable in solutions.variables}
        path = shapes.value(shape, SH.path)
        for row in solutions:
            value = term(row["value"]) if "value" in names else None
            found.append(
                Violation(shape, component, term(row["this"]), term(row["path"]) if "path" in names else path, value)
            )
    return found


def written_term() -> Callable[[object], object]:
    """A function from the store's terms to rdflib's, literals as written (see AS_WRITTEN)."""
    term = converter()

    def converted(node: object) -> object:
        if isinstance(node, pyoxigraph.Literal) and node.datatype.value.startswith(AS_WRITTEN):
            return Literal(node.value, datatype=URIRef(node.datatype.value[len(AS_WRITTEN) :]), normalize=False)
        return term(node)

    return converted


def load_store(quads: Iterable[pyoxigraph.Quad]) -> pyoxigraph.Store:
    """A store of ``quads`` whose literals keep their lexical forms: the store rewrites a literal it reads as a
    number, date or truth value in its canonical form, the shapes judge it as written (sh:pattern on "04")."""
    quads = list(quads)
    typed = list({q.object for q in quads if isinstance(q.object, pyoxigraph.Literal) and not q.object.language})
    scratch, predicate = pyoxigraph.Store(), pyoxigraph.NamedNode(FUNCTIONS + "stored")
    scratch.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{FUNCTIONS}{i}"), predicate, t) for i, t in enumerate(typed))
    stored = {int(q.subject.value[len(FUNCTIONS) :]): q.object for q in scratch}
    rewritten = {
        literal: pyoxigraph.Literal(literal.value, datatype=pyoxigraph.NamedNode(AS_WRITTEN + literal.datatype.value))
        for i, literal in enumerate(typed)
        if stored[i] != literal
    }
    store = pyoxigraph.Store()
    store.extend(
        pyoxigraph.Quad(q.subject, q.predicate, rewritten[q.object], q.graph_name) if q.object in rewritten else q
        for q in quads
    )
    return store
