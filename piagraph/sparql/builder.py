"""Every SPARQL query piagraph composes in code, and the one way to run a SELECT (`select`).

A query whose text is fixed lives in a ``.rq`` file (`piagraph.sparql.saved`); a query whose shape
depends on its arguments — the scope of the flow model, one series of the catalog — is built here,
from the pieces below, always with the one prefix block of `ontology.sparql_prefixes`.

The pieces keep queries cheap on Oxigraph at any store size. Oxigraph looks the right side of a
join or OPTIONAL up once per row found so far only when it is one triple pattern (or a FILTER, BIND
or UNION of such) sharing a variable other than ``?g`` with the row; anything else (a group of two
triples, a sub-SELECT, a GROUP BY) it first evaluates over every graph of the store. Hence the shape
of every composed query: the required triples in one flat block beside the scope, then each
OPTIONAL at the top level around one triple about a variable the block binds (`optional`). A node's
own facts (the label of a department) nest under the OPTIONAL that reaches the node (`optional_via`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH, sparql_prefixes
from piagraph.sparql.text import nt_term


class Answer(Protocol):
    """A SELECT answer (`piagraph.store.results.QueryResult`): variables and rows of terms."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]


class Queryable(Protocol):
    """Anything that answers SPARQL (a `piagraph.store.Store`; the stores build on this module)."""

    def query(self, text: str) -> Answer: ...


PREFIXES = sparql_prefixes()
"""The prefix block of every composed query (and of the app's SPARQL editor)."""

JA_LABEL = 'FILTER(LANG({var}) = "ja" || LANG({var}) = "")'

CURRENT_REPORTS = f"GRAPH <{CATALOG_GRAPH}> {{ ?g pia:isCurrent true }}"
"""Binds ``?g`` to every current report graph (the catalog's newest version of each report)."""


def with_prefixes(body: str) -> str:
    """A complete query: the prefix block, then `body`."""
    return PREFIXES + body


# --- pieces --------------------------------------------------------------------------------------

def graphs_pattern(graphs: Iterable[URIRef]) -> str:
    """``VALUES ?g { … }``: the given report graphs."""
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def optional(triple: str, *nested: str, graph: str = "?g") -> str:
    """``OPTIONAL { GRAPH ?g { triple } nested… }``, at the top level of a query."""
    return "OPTIONAL { GRAPH " + graph + " { " + triple + " } " + " ".join(nested) + " }"


def optional_via(link: str, *facts: str) -> str:
    """An optional node reached by `link` (``?affair pia:responsibleDepartment ?dept``), each of its
    `facts` (``?dept rdfs:label ?deptLabel``) optional in turn.

    Each nested OPTIONAL repeats `link`: Oxigraph looks a nested OPTIONAL up with the variables of
    the enclosing row, not with those `link` binds, so it must start from the row's own ``?affair``.
    """
    return optional(link, *(optional(f"{link} . {fact}") for fact in facts))


def label(node: str, var: str = "?label") -> str:
    """The Japanese (or untagged) rdfs:label of a node, as a triple pattern for `optional`."""
    return f"{node} rdfs:label {var} {JA_LABEL.format(var=var)}"


def evidence(node: str, section: str = "?section", line: str = "?line") -> tuple[str, str]:
    """The triple patterns of a node's evidence: section and source line."""
    return f"{node} pia:sourceSection {section}", f"{node} pia:sourceLine {line}"


def scoped_select(scope_pattern: str, variables: str, required: str, *optionals: str) -> str:
    """A SELECT of the `required` triples in each report graph ?g that `scope_pattern` binds, then
    `optionals`."""
    lines = "\n  ".join(optionals)
    return with_prefixes(f"""
SELECT {variables} WHERE {{
  {scope_pattern}
  GRAPH ?g {{ {required} }}
  {lines}
}}""")


# --- running a SELECT ----------------------------------------------------------------------------

def rows(result: Answer, *, python: bool = False) -> list[dict]:
    """SELECT rows as dicts of variable → rdflib term (unbound variables left out), or with
    `python`, of every variable → Python value (strings, numbers, dates; None when unbound)."""
    if python:
        return [{name: python_value(value) for name, value in zip(result.variables, row)} for row in result.rows]
    return [{v: t for v, t in zip(result.variables, row) if t is not None} for row in result.rows]


def select(store: Queryable, query: str, *, python: bool = False) -> list[dict]:
    """Run a complete SELECT (a `with_prefixes` text or a ``.rq`` file's) and return its `rows`."""
    return rows(store.query(query), python=python)


def python_value(value: Node | None):
    """An rdflib term as a Python value: a literal's value (str, int, date …), an IRI as str."""
    if value is None:
        return None
    return value.toPython() if isinstance(value, Literal) else str(value)


# --- the store's own queries ---------------------------------------------------------------------

def catalog_entries_query(series_key: str | None = None, *, superseded: bool = False) -> str:
    """The catalog entries of every report graph, or of one series (`piagraph.store.catalog`);
    with `superseded`, the superseded contents (pia:SupersededGraph) as well."""
    # One series: the key is a constant of the pattern (an index lookup, not a FILTER over every
    # entry), so storing one report costs the same at 50,000 reports as at 10. Each OPTIONAL is one
    # triple outside the required block, so that it is looked up per entry.
    series = nt_term(Literal(series_key)) if series_key is not None else "?series"
    series_bind = f"BIND({series} AS ?series)" if series_key is not None else ""
    catalog = f"<{CATALOG_GRAPH}>"
    kinds = "VALUES ?kind { pia:ReportGraph pia:SupersededGraph }" if superseded else "VALUES ?kind { pia:ReportGraph }"
    fields = [("?graph pia:isCurrent ?current"), ("?graph pia:versionDate ?date"), ("?graph pia:loadedFrom ?source"),
              ("?graph pia:loadedBy ?loadedBy"), ("?graph pia:sourceDigest ?sourceDigest"),
              ("?graph pia:graphDigest ?graphDigest"), ("?graph pia:supersededBy ?supersededBy"),
              ("?graph pia:supersededAt ?supersededAt"), ("?graph pia:summaryVersion ?summaryVersion")]
    optionals = "\n  ".join(optional(field, graph=catalog) for field in fields)
    return with_prefixes(f"""
SELECT ?graph ?assessment ?series ?date ?source ?count ?loaded ?current ?loadedBy ?sourceDigest ?graphDigest
       ?supersededBy ?supersededAt ?summaryVersion WHERE {{
  {kinds}
  GRAPH {catalog} {{
    ?graph pia:seriesKey {series} .
    ?graph a ?kind ;
      pia:aboutAssessment ?assessment ;
      pia:tripleCount ?count ;
      pia:loadedAt ?loaded .
    {series_bind}
  }}
  {optionals}
}} ORDER BY ?series ?date ?graph
""")


def missing_summaries_query(version: int) -> str:
    """How many report graphs lack summary rows of this version (`piagraph.store.summaries`): the
    report graphs counted less those marked with this version, each a scan of one predicate joined by
    hash (a NOT EXISTS per report took 0.7 s at 50,000 reports — on every first page of the app)."""
    return with_prefixes(f"""
SELECT ((?reports - ?summarized) AS ?missing) WHERE {{
  {{ SELECT (COUNT(?graph) AS ?reports) WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?graph a pia:ReportGraph }} }} }}
  {{ SELECT (COUNT(?graph) AS ?summarized) WHERE {{
    {{ SELECT ?graph WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?graph a pia:ReportGraph }} }} }}
    {{ SELECT ?graph WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?graph pia:summaryVersion {int(version)} }} }} }}
  }} }}
}}""")


def state_query() -> str:
    """How many catalog entries there are and the newest load: changes with every write of a
    report (a remote store's change token for the app's caches)."""
    return with_prefixes(f"""
SELECT (COUNT(*) AS ?entries) (MAX(?loaded) AS ?last) WHERE {{
  GRAPH <{CATALOG_GRAPH}> {{ ?entry pia:loadedAt ?loaded }}
}}""")


def named_graph_query(graph: URIRef | str) -> str:
    """CONSTRUCT every triple of one named graph."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def graph_sizes_query(graphs: Iterable[URIRef]) -> str:
    """SELECT the number of triples (``?n``) of each of these named graphs (``?g``); a graph
    without triples has no row."""
    return f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {graphs_pattern(graphs)} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"


def named_graphs_query() -> str:
    """SELECT every named graph that holds a triple."""
    return "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def ontology_digest_query(digest: Literal) -> str:
    """ASK whether the stored ontology graph carries this content digest."""
    return with_prefixes(
        f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_GRAPH}> pia:contentDigest {nt_term(digest)} }} }}"
    )


__all__ = [
    "CURRENT_REPORTS", "PREFIXES", "catalog_entries_query", "evidence", "graph_sizes_query", "graphs_pattern", "label",
    "named_graph_query", "named_graphs_query", "ontology_digest_query", "optional", "optional_via", "python_value", "rows",
    "scoped_select", "select", "state_query", "with_prefixes",
]


_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*(?:\n|\Z)|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>))*", re.IGNORECASE)


def page_query(query: str, limit: int | None, offset: int = 0) -> str:
    """A SELECT with one page of its answer: ``LIMIT``/``OFFSET`` appended (the saved queries end
    with their solution modifiers; a listing's order is a key its summary rows hold, so pages are
    stable — docs/queries.md)."""
    page = (f"\nLIMIT {int(limit)}" if limit is not None else "") + (f"\nOFFSET {int(offset)}" if offset else "")
    return query.rstrip() + page + "\n"


def total_query(query: str) -> str:
    """How many rows a SELECT answers in all: the query as a sub-SELECT, counted."""
    prologue = _PROLOGUE.match(query).group(0)
    return f"{prologue}\nSELECT (COUNT(*) AS ?total) WHERE {{\n{{\n{query[len(prologue):].strip()}\n}}\n}}"
