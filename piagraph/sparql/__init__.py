"""SPARQL as piagraph writes it, in three modules:

* `piagraph.sparql.text` — the form of a query (read-only or not) and terms in N-Triples syntax;
* `piagraph.sparql.saved` — fixed queries as data: the saved auditor queries (``queries/*.rq``) and
  the queries behind the app's views (``queries/views/*.rq``), with their headers and parameters;
* `piagraph.sparql.builder` — the queries whose shape depends on their arguments (the flow model's
  scope, the catalog), and `select`, the one way to run a SELECT and get its rows.
"""

from piagraph.sparql.builder import PREFIXES, select, with_prefixes
from piagraph.sparql.saved import SavedQuery, list_queries, load_query, load_view_query
from piagraph.sparql.text import SerializedGraph, nt_lines, nt_term, query_form

__all__ = [
    "PREFIXES", "SavedQuery", "SerializedGraph", "list_queries", "load_query", "load_view_query", "nt_lines",
    "nt_term", "query_form", "select", "with_prefixes",
]
