"""SPARQL and N-Triples text: reading a query's form, writing terms (shared by the stores and the builder).

* `query_form` tells a read-only query (SELECT / ASK / CONSTRUCT / DESCRIBE) from an update
  (INSERT, DELETE, LOAD, CLEAR, DROP …), so `piagraph query` can refuse updates with one line.
* `nt_term` / `nt_lines` write rdflib terms and triples in N-Triples syntax, which is at once valid
  N-Triples, Turtle (the body of a Graph Store Protocol PUT) and SPARQL (the body of ``INSERT DATA``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ontology.errors import NotAQueryError

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
"""The four read-only query forms of SPARQL 1.1."""

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
"""Keywords that open a SPARQL 1.1 update operation."""


_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s]*)?|:[^\s]*)
    | (?P<other>.)
    """,
    re.VERBOSE,
)


def query_form(text: str) -> str:
    """The form of a SPARQL request: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Skips comments and the prologue (``BASE <…>``, ``PREFIX p: <…>``) and reads the first keyword.
    Raises `NotAQueryError` for an update (``INSERT DATA``, ``DROP GRAPH`` …) or unrecognised text.
    """
    expect_prologue_arg = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        token = match.group()
        if expect_prologue_arg:
            expect_prologue_arg -= 1
            continue
        upper = token.upper()
        if kind == "word" and upper == "BASE":
            expect_prologue_arg = 1
            continue
        if kind == "word" and upper == "PREFIX":
            expect_prologue_arg = 2  # the prefix name, then its IRI
            continue
        if kind == "word" and upper in QUERY_FORMS:
            return upper
        if kind == "word" and upper in UPDATE_KEYWORDS:
            raise NotAQueryError(f"this is a SPARQL update ({upper} …); `query` is read-only")
        raise NotAQueryError(f"not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {token[:30]!r}")
    raise NotAQueryError("empty SPARQL query")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')


def nt_string(value: str) -> str:
    """A plain string literal in N-Triples syntax."""
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], value) + '"'


def nt_term(term: Node) -> str:
    """One term in N-Triples syntax (also valid Turtle and SPARQL)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = nt_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{_bnode_label(term)}"
    raise TypeError(f"cannot write {term!r} as an RDF term")


def _bnode_label(node: BNode) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", str(node)) or "b"


class SerializedGraph:
    """A graph already written as N-Triples (by a loader worker process), with its triple count.

    Accepted wherever a report graph is only counted (`len`) and written (`nt_lines`), so a parent
    process stores what its workers parsed without rebuilding rdflib graphs.
    """

    __slots__ = ("text", "count")

    def __init__(self, text: str, count: int):
        self.text = text
        self.count = count

    def __len__(self) -> int:
        return self.count


def nt_lines(triples: Iterable[tuple[Node, Node, Node]] | SerializedGraph) -> str:
    """Triples as N-Triples text, one ``s p o .`` per line."""
    if isinstance(triples, SerializedGraph):
        return triples.text
    return "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples)


_POSITION = re.compile(r"(?:\bat\s+|line\s+)(?P<line>\d+)(?::|,\s*column\s+)(?P<column>\d+)", re.IGNORECASE)


def syntax_error_position(message: str) -> tuple[int, int] | None:
    """(line, column) of a SPARQL parser's message — Oxigraph's ``error at 3:17: …``, Jena's
    ``… at line 3, column 17`` — or None when the message names no position."""
    match = _POSITION.search(message)
    return (int(match.group("line")), int(match.group("column"))) if match else None
