"""SPARQL syntax errors in words a person knows: the line and column, the token found there, what would fit there,
and the source line with a caret under the token.

The engines' own words are grammar expectations ("expected one of LATERAL, SERVICE"), at the furthest point their
parser reached. The mistakes people make are found here first, by reading the tokens: a text that is not SPARQL
(Turtle, Markdown), a query given as an update and the reverse, a misspelled keyword, an undeclared prefix, a
bracket never closed, a triple pattern without its object or without the "." after it. Only what none of these
explains is placed where pyoxigraph stopped, which then says what it would accept only if that is punctuation.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pyoxigraph

from ..errors import SparqlSyntaxError

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
KEYWORDS = frozenset(
    (
        *QUERY_FORMS,
        *UPDATE_FORMS,
        *"BASE PREFIX DISTINCT REDUCED AS WHERE FROM NAMED GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET VALUES".split(),
        *"SILENT INTO TO DATA USING DEFAULT GRAPH ALL OPTIONAL SERVICE BIND UNDEF MINUS UNION FILTER NOT IN".split(),
        *"EXISTS SEPARATOR LATERAL VERSION A TRUE FALSE".split(),
    )
)
"""SPARQL 1.1's keywords (and pyoxigraph's LATERAL and VERSION), upper case; ``a`` stands for rdf:type."""
FUNCTIONS = frozenset(
    """STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE
    ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW
    UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL
    ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT TRIPLE SUBJECT PREDICATE OBJECT
    ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR""".split()
)
"""SPARQL 1.1's built-in functions and aggregates, and SPARQL 1.2's that pyoxigraph reads."""

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<unclosed>["'])
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
    | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:.%-]|\\[_~.!$&'()*+,;=/?\#@%-])*(?<!\.))
    | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    | (?P<word>[^\W\d]\w*)
    | (?P<other>\^\^|\|\||&&|!=|<=|>=|\S)""",
    re.VERBOSE | re.DOTALL,
)
_TERMS = frozenset(("string", "iri", "var", "pname", "number"))
_READING = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_PUNCTUATION = re.compile(r'"([^\w"\\]{1,2})"')


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text, comments and whitespace left out."""
    return [Token(m.lastgroup, m[0], m.start()) for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]  # type: ignore[arg-type]


def engine_reading(text: str, kind: str, prefixes: dict[str, str]) -> tuple[int, str] | None:
    """Where pyoxigraph stops reading ``text`` (an offset into it) and what it expected there; None if it reads it
    all. pyoxigraph runs what it parses (LOAD, SERVICE, WHERE clauses that run for hours), so it only gets the text
    followed by a line "!", which nothing can follow: it never runs it."""
    try:
        if kind == "query":
            pyoxigraph.Store().query(text + "\n!", prefixes=prefixes)
        else:
            pyoxigraph.Store().update(text + "\n!", prefixes=prefixes)
        return None  # not reached: the line "!" never parses
    except SyntaxError as exc:
        found = _READING.match(str(exc))
    if found is None:
        return None
    line, column, expected = int(found[1]), int(found[2]), found[3]
    rows = (text + "\n!").split("\n")
    offset = sum(len(row) + 1 for row in rows[: line - 1]) + column - 1
    return None if offset > len(text) + 1 else (min(offset, len(text)), expected)


def located(text: str, offset: int, name: str, message: str) -> SparqlSyntaxError:
    """An error at ``offset`` of ``text``, with its line, column and source line."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return SparqlSyntaxError(name, line, offset - start + 1, message, text[start : None if end < 0 else end])


def explain(text: str, kind: str, name: str, prefixes: dict[str, str]) -> SparqlSyntaxError:
    """The first mistake in ``text``, a ``kind`` ("query" or "update") an engine refused, in plain words.

    ``prefixes`` are those predeclared (the project's), which need no PREFIX line.
    """
    found = tokens(text)
    noun = "a query" if kind == "query" else "an update"
    if not found:
        return located(text, len(text), name, f"{noun} is empty")
    checks = (_unclosed_string, _unknown_word, _unknown_prefix, _brackets, _operands, _triples)
    mistakes = [mistake for check in checks if (mistake := check(found, prefixes)) is not None]
    if (start := _start(text, found, kind)) is not None:
        mistakes.insert(0, start)  # first among mistakes at the same token
    if mistakes:
        offset, message = min(mistakes, key=lambda mistake: mistake[0])
        return located(text, offset, name, message)
    reading = engine_reading(text, kind, prefixes)
    if reading is None:  # pyoxigraph reads it (RDF 1.2 terms, say); rdflib's parser, which refused it, does not
        message = f"syntax error in the {kind} that starts here: rdflib cannot read it"
        return located(text, found[0].start, name, message)
    if reading[0] >= len(text.rstrip()):
        return located(text, len(text.rstrip()), name, f"syntax error at the end of the {kind}: it ends too early")
    offset, expected = reading
    token = next((t for t in reversed(found) if t.start <= offset), found[0])
    if token.start + len(token.text) < offset:  # pyoxigraph stopped between tokens: the next one is at fault
        token = next((t for t in found if t.start >= offset), token)
    wanted = list(dict.fromkeys(_PUNCTUATION.findall(expected)))
    hint = "; expected " + " or ".join(f'"{w}"' for w in wanted) if 0 < len(wanted) <= 4 else ""
    return located(text, token.start, name, f"syntax error at {_shown(token)}: SPARQL cannot read it here{hint}")


def _shown(token: Token) -> str:
    text = token.text if len(token.text) <= 30 else token.text[:29] + "…"
    return '"' + text.replace('"', '\\"') + '"' if '"' in text else f'"{text}"'


Mistake = tuple[int, str]


def _declared(found: list[Token]) -> set[str]:
    return {
        found[i + 1].text.split(":", 1)[0]
        for i, token in enumerate(found[:-1])
        if token.kind == "word" and token.text.upper() == "PREFIX" and found[i + 1].kind == "pname"
    }


def _first(found: list[Token]) -> Token | None:
    """The first token after the PREFIX and BASE declarations."""
    index = 0
    while index < len(found) and found[index].kind == "word" and found[index].text.upper() in ("PREFIX", "BASE"):
        index += 3 if found[index].text.upper() == "PREFIX" else 2
    return found[index] if index < len(found) else None


def _start(text: str, found: list[Token], kind: str) -> Mistake | None:
    """A text that does not begin as ``kind`` does: Turtle, the other kind, a misspelled first keyword, not SPARQL."""
    first = _first(found)
    if first is None:
        return None
    word = first.text.upper() if first.kind == "word" else ""
    forms, others = (QUERY_FORMS, UPDATE_FORMS) if kind == "query" else (UPDATE_FORMS, QUERY_FORMS)
    if word in forms:
        return None
    at, noun = f"syntax error at {_shown(first)}: ", "a query" if kind == "query" else "an update"
    if word in others:
        if kind == "query":
            return first.start, at + "this is an update, not a query: run it with wcokg update (or POST it to /update)"
        return first.start, at + "this is a query, not an update: run it with wcokg query"
    begins = ", ".join(forms[:4])
    if first.text.lower() in ("@prefix", "@base") or _is_turtle(text):
        advice = "wrap it in INSERT DATA { … }" if kind == "update" else f"a query begins with {begins} …"
        return first.start, at + f"this looks like Turtle data, not a SPARQL {kind}: {advice}"
    words = [token.text.upper() for token in found if token.kind == "word"]
    known = sum(word in KEYWORDS or word in FUNCTIONS for word in words)
    if 2 * known < len(words):
        return first.start, at + f"this does not look like SPARQL at all: {noun} begins with {begins} …"
    if word and word not in KEYWORDS and word not in FUNCTIONS:
        return None  # a misspelled keyword, or a name without its "?" or ":": _unknown_word says which
    return first.start, at + f"{noun} begins with a keyword such as {begins}"


def _is_turtle(text: str) -> bool:
    try:
        return any(True for _ in pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    except (SyntaxError, ValueError):
        return False


def _closest(word: str) -> str | None:
    """The keyword ``word`` is most likely a misspelling of: at most one edit in four letters away."""
    candidates = sorted((KEYWORDS | FUNCTIONS) - {"A"})
    limit = max(1, len(word) // 4)
    best = min(candidates, key=lambda keyword: (_distance(word, keyword), keyword))
    return best if _distance(word, best) <= limit else None


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, a transposition counting as one edit."""
    previous = list(range(len(b) + 1))
    before: list[int] = []
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


def _unknown_word(found: list[Token], prefixes: dict[str, str]) -> Mistake | None:
    """The first bare word that is no keyword or function: a misspelling, or a name without its ``?`` or ``:``."""
    for token in found:
        word = token.text.upper()
        if token.kind == "word" and word not in KEYWORDS and word not in FUNCTIONS:
            at = f"syntax error at {_shown(token)}: "
            if close := _closest(word):
                return token.start, at + f"unknown keyword; did you mean {close}?"
            return token.start, at + 'not a keyword of SPARQL (a variable begins with "?", a prefixed name has a ":")'
    return None


def _unknown_prefix(found: list[Token], prefixes: dict[str, str]) -> Mistake | None:
    """The first prefixed name whose prefix is neither declared in the text nor predeclared."""
    declared = _declared(found) | set(prefixes)
    for token in found:
        prefix = token.text.split(":", 1)[0]
        if token.kind == "pname" and prefix not in declared and prefix != "_":
            message = f'syntax error at {_shown(token)}: unknown prefix "{prefix}:"; '
            close = difflib.get_close_matches(prefix, sorted(prefixes), n=1, cutoff=0.6)
            if close:
                message += f'did you mean "{close[0]}:"? Else declare it with a line PREFIX {prefix}: <…>'
            else:
                message += f"declare it with a line PREFIX {prefix}: <…>"
                if prefixes:
                    message += " (predeclared: " + ", ".join(f"{p}:" for p in sorted(prefixes)) + ")"
            return token.start, message
    return None


def _unclosed_string(found: list[Token], prefixes: dict[str, str]) -> Mistake | None:
    """A quote that opens a string never closed on its line."""
    token = next((token for token in found if token.kind == "unclosed"), None)
    if token is None:
        return None
    return token.start, f"syntax error at '{token.text}': this string is not closed on its line"


_OPERATORS = frozenset(("=", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/"))


def _operands(found: list[Token], prefixes: dict[str, str]) -> Mistake | None:
    """An operator with no value after it: ``FILTER(?o > )``."""
    for before, operator, after in zip(found, found[1:], found[2:], strict=False):
        if operator.kind == "other" and operator.text in _OPERATORS and after.text in (")", ","):
            if before.kind in _TERMS or before.text == ")":
                return after.start, f'syntax error at "{after.text}": expected a value after {operator.text}'
    return None


_CLOSE = {"{": "}", "(": ")", "[": "]"}


def _brackets(found: list[Token], prefixes: dict[str, str]) -> Mistake | None:
    """A bracket closed by the wrong one, closing nothing, or never closed."""
    opened: list[Token] = []
    for token in found:
        if token.kind == "other" and token.text in _CLOSE:
            opened.append(token)
        elif token.kind == "other" and token.text in _CLOSE.values():
            if not opened:
                return token.start, f'syntax error at "{token.text}": it closes nothing'
            last = opened.pop()
            if _CLOSE[last.text] != token.text:
                wanted = _CLOSE[last.text]
                return token.start, f'syntax error at "{token.text}": expected "{wanted}" to close the "{last.text}"'
    if opened:
        last = opened[-1]
        return last.start, f'syntax error at "{last.text}": it is never closed; add "{_CLOSE[last.text]}"'
    return None


def _triples(found: list[Token], prefixes: dict[str, str]) -> Mistake | None:
    """A triple pattern (in braces) without its object, or followed by another without a "." between them.

    Only runs of plain terms (variables, IRIs, prefixed names, literals, ``a``) that start a triple pattern (after
    "{", ".", or a group's "}") or its predicate list (after ";") or its object list (after ",") are read.
    """
    groups: list[bool] = []  # for each open bracket: whether it holds triple patterns
    run: list[Token] = []
    needed = 0  # terms a pattern needs from where the run started; 0 while not at such a start
    last_word = ""
    for index, token in enumerate(found):
        text = token.text
        if token.kind == "word" and text.upper() not in ("A", "TRUE", "FALSE"):
            last_word = text.upper()
        is_term = token.kind in _TERMS or token.kind == "word" and text.upper() in ("A", "TRUE", "FALSE")
        in_triples = bool(groups) and groups[-1]
        if is_term and in_triples and needed:
            previous = found[index - 1]
            if previous.kind == "other" and previous.text == "^^" or token.kind == "lang":
                continue
            if len(run) == needed:
                missing = f'a "." is missing after {run[-1].text} (between two triple patterns)'
                return token.start, f"syntax error at {_shown(token)}: {missing}"
            run.append(token)
            continue
        if token.kind == "lang" or (token.kind == "other" and text == "^^"):
            continue
        if in_triples and needed and run and token.kind == "other" and text in ".}" and len(run) < needed:
            missing = {1: "an object", 2: "a predicate and an object"}.get(needed - len(run))
            if missing and len(run) < needed:
                return token.start, f"syntax error at {_shown(token)}: expected {missing} after {run[-1].text}"
        if token.kind == "other" and text == "{":
            groups.append(last_word != "VALUES")
        elif token.kind == "other" and text in "([":
            groups.append(False)
        elif token.kind == "other" and text in ")]}" and groups:
            groups.pop()
        run = []
        needed = {"{": 3, ".": 3, "}": 3, ";": 2, ",": 1}.get(text, 0) if token.kind == "other" else 0
        if token.kind == "word":
            needed = 0
    return None
