"""One result type for SPARQL answers, whichever store produced them.

The embedded store (pyoxigraph) and a remote server (SPARQL 1.1 JSON results) both answer with a
`QueryResult` whose cells are rdflib terms, so saved queries can be compared row by row across
stores and rendered by one set of formatters (`piagraph.render`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

Row = tuple[Node | None, ...]
Triple = tuple[Node, Node, Node]


@dataclass
class QueryResult:
    """The answer to one query.

    `form` is SELECT, ASK, CONSTRUCT or DESCRIBE. SELECT fills `variables` and `rows` (unbound
    cells are None); ASK fills `boolean`; CONSTRUCT and DESCRIBE fill `triples`.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def column(self, name: str) -> list[Node | None]:
        """All values of one variable, in row order."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts of variable → plain string (unbound variables left out)."""
        return [
            {var: str(value) for var, value in zip(self.variables, row) if value is not None}
            for row in self.rows
        ]


# --- pyoxigraph → rdflib -------------------------------------------------------------------------


def from_oxigraph_term(term) -> Node | None:
    """A pyoxigraph term as the equivalent rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.Triple):  # RDF-star quoted triple: shown as text
        return Literal(str(term))
    raise TypeError(f"unexpected pyoxigraph term {term!r}")


def from_oxigraph(answer, form: str) -> QueryResult:
    """Convert what `pyoxigraph.Store.query` returned."""
    if form == "ASK":
        return QueryResult(form=form, boolean=bool(answer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(
            form=form,
            triples=[
                (from_oxigraph_term(t.subject), from_oxigraph_term(t.predicate), from_oxigraph_term(t.object))
                for t in answer
            ],
        )
    variables = [v.value for v in answer.variables]
    converted: dict = {}  # the same terms recur across rows: convert each once

    def term(value):
        if value is None:
            return None
        node = converted.get(value)
        if node is None:
            node = converted[value] = from_oxigraph_term(value)
        return node

    width = range(len(variables))
    rows = [tuple(term(solution[i]) for i in width) for solution in answer]
    return QueryResult(form=form, variables=variables, rows=rows)


# --- SPARQL 1.1 JSON results → rdflib --------------------------------------------------------------


def from_json_term(binding: dict | None) -> Node | None:
    """A term of the SPARQL 1.1 Query Results JSON format as an rdflib term."""
    if binding is None:
        return None
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: older Virtuoso
        language = binding.get("xml:lang")
        datatype = binding.get("datatype")
        if language:
            return Literal(value, lang=language)
        if datatype and datatype not in (str(XSD.string), str(RDF.langString)):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    if kind == "triple":
        return Literal(str(value))
    raise ValueError(f"unexpected term type {kind!r} in SPARQL JSON results")


def from_json(document: dict, form: str) -> QueryResult:
    """Convert a SPARQL 1.1 JSON results document (SELECT or ASK)."""
    if "boolean" in document:
        return QueryResult(form="ASK", boolean=bool(document["boolean"]))
    variables = list(document.get("head", {}).get("vars", []))
    rows = [
        tuple(from_json_term(binding.get(var)) for var in variables)
        for binding in document.get("results", {}).get("bindings", [])
    ]
    return QueryResult(form=form, variables=variables, rows=rows)


def from_triples(triples: Iterable[Triple], form: str) -> QueryResult:
    """Wrap triples (e.g. an rdflib Graph parsed from a CONSTRUCT answer)."""
    return QueryResult(form=form, triples=list(triples))
