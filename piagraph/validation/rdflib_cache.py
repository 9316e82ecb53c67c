"""A speed-up of rdflib that validation installs by an explicit call (`install`): the one place piagraph
changes a library's behaviour.

pyshacl runs each SPARQL-based constraint as text through rdflib, which parses it again for every
focus node; `install` makes rdflib reuse the parsed algebra of a text it has seen.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor


@lru_cache(maxsize=256)
def _translated(text: str, base: str | None, namespaces: tuple) -> object:
    return translateQuery(parseQuery(text), base, dict(namespaces))


def install() -> None:
    """Let rdflib reuse the algebra of a SPARQL query it has already parsed.

    pyshacl hands every SPARQL constraint to rdflib as text, once per focus node, and rdflib parses
    it every time (~0.1 s per query, most of a report's validation time). The parsed and translated
    query depends only on its text, base and namespaces, so it is cached on those; evaluation is
    unchanged. Once installed it stays, process-wide (a pure speed-up for every rdflib text query);
    installing again does nothing. `piagraph.validation.rules.validate_graph` calls it.
    """
    if getattr(SPARQLProcessor.query, "_piagraph_cached", False):
        return
    original = SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _translated(strOrQuery, base, namespaces)
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    query._piagraph_cached = True
    SPARQLProcessor.query = query
