"""A shared SPARQL server as the store: SPARQL 1.1 Protocol for queries, Graph Store Protocol for loads.

Queries go to the query endpoint through SPARQLWrapper (``--endpoint URL``). Report graphs, the
ontology graph and the catalog graph are written with Graph Store Protocol ``PUT …?graph=IRI``
(``--gsp URL``), which replaces a named graph in one request on every standard server. When no GSP URL
is given it is derived from the endpoint where the server's convention is known:

=====================  ======================================  ==============================================
server                 query endpoint                          Graph Store Protocol
=====================  ======================================  ==============================================
Oxigraph               ``http://host:7878/query``              ``http://host:7878/store``
Apache Jena Fuseki     ``http://host:3030/DS/query`` (/sparql) ``http://host:3030/DS/data``
GraphDB, RDF4J         ``http://host:7200/repositories/REPO``  ``http://host:7200/repositories/REPO/rdf-graphs/service``
Virtuoso               ``http://host:8890/sparql``             ``http://host:8890/sparql-graph-crud`` (or ``-auth``)
=====================  ======================================  ==============================================

Credentials, when the server needs them, come from ``PIAGRAPH_REMOTE_USER`` and
``PIAGRAPH_REMOTE_PASSWORD``; ``PIAGRAPH_REMOTE_AUTH=digest`` switches queries from HTTP Basic to
Digest (Virtuoso's ``sparql-auth``); Graph Store requests answer either challenge.

Failures are one-line `StoreError`s: the server cannot be reached, gives no answer within the
timeout, or answers with an HTTP error. Requests that are safe to repeat — GET and PUT of a graph
(PUT replaces the graph: twice is the same as once) and read-only queries — are tried up to
`ATTEMPTS` times when the connection fails or the server answers 5xx, waiting `BACKOFF_SECONDS`,
then twice as long, between attempts. A timeout is not retried: a slow server stays slow.

A report is written as a few PUTs: when its earlier content is superseded, that content (graph, text,
findings, its own nodes renamed) is first PUT to its superseded graphs; then the report graph, its text graph
and its findings graph; last the whole catalog graph. A load interrupted before the catalog PUT
leaves graphs the catalog does not list yet (queries on current versions do not see them) until it
is loaded again; the earlier content is copied before anything is overwritten. Run one loader at a
time per server: two loaders would overwrite each other's catalog.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from typing import BinaryIO, TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from SPARQLWrapper import DIGEST, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from ontology import CATALOG_GRAPH
from ontology.errors import StoreError, TransientStoreError
from piagraph.sparql.builder import named_graphs_query
from piagraph.sparql.text import nt_lines
from piagraph.store.base import ReportGraph, Store, dump_oxigraph
from piagraph.store.catalog import CatalogEntry, entry_triples
from piagraph.store.formats import export_format
from piagraph.store.graphs import companions, text_triples
from piagraph.store.results import QueryResult, from_json, from_triples

T = TypeVar("T")

USER_ENV = "PIAGRAPH_REMOTE_USER"
PASSWORD_ENV = "PIAGRAPH_REMOTE_PASSWORD"
AUTH_ENV = "PIAGRAPH_REMOTE_AUTH"
TIMEOUT_SECONDS = 120
ATTEMPTS = 3
"""Tries of a request that is safe to repeat, when the connection fails or the server answers 5xx."""
BACKOFF_SECONDS = 0.5
"""Wait before the second try; doubled before each further one."""

_GSP_CONVENTIONS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^/query$"), "/store"),  # Oxigraph server
    (re.compile(r"^/sparql$"), "/sparql-graph-crud"),  # Virtuoso
    (re.compile(r"^(/.+)/(?:query|sparql)$"), r"\1/data"),  # Fuseki dataset services
    (re.compile(r"^(.*/repositories/[^/]+)$"), r"\1/rdf-graphs/service"),  # GraphDB, RDF4J
]


def derive_gsp_url(endpoint: str) -> str | None:
    """The Graph Store Protocol URL matching a query endpoint, if the server convention is known."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/") or "/"
    for pattern, replacement in _GSP_CONVENTIONS:
        if pattern.match(path):
            return urllib.parse.urlunsplit(parts._replace(path=pattern.sub(replacement, path), query=""))
    return None


class RemoteStore(Store):
    """A SPARQL 1.1 server: queries through `endpoint`, loads through the Graph Store Protocol."""

    def __init__(self, endpoint: str, gsp: str | None = None, *, timeout: float | None = None,
                 attempts: int | None = None, backoff: float | None = None):
        self.endpoint = endpoint
        self.timeout = TIMEOUT_SECONDS if timeout is None else timeout
        self.attempts = ATTEMPTS if attempts is None else attempts
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self.location = endpoint
        self.gsp = gsp or derive_gsp_url(endpoint)
        self._user = os.environ.get(USER_ENV)
        self._password = os.environ.get(PASSWORD_ENV, "")
        self._digest = os.environ.get(AUTH_ENV, "basic").strip().lower() == "digest"
        self._opener = self._build_opener()

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list = []
        if self._user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, [self.endpoint, self.gsp]):
                passwords.add_password(None, url, self._user, self._password)
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        return urllib.request.build_opener(*handlers)

    # -- Graph Store Protocol -----------------------------------------------------------------------

    def _graph_url(self, graph: URIRef) -> str:
        if not self.gsp:
            raise StoreError(
                f"{self.endpoint}: no Graph Store Protocol URL known for this server; pass --gsp URL"
            )
        separator = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{separator}{urllib.parse.urlencode({'graph': str(graph)})}"

    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Run a request that is safe to repeat, again after a `TransientStoreError` failure, at most
        `attempts` times in all."""
        number = 1
        while True:
            try:
                return attempt()
            except TransientStoreError as error:
                if number >= self.attempts:
                    tries = f" ({number} attempts)" if number > 1 else ""
                    raise StoreError(f"{error}{tries}") from None
                time.sleep(self.backoff * 2 ** (number - 1))
                number += 1

    def _transport_failure(self, error: BaseException, where: str, action: str, *, with_body: bool = False) -> StoreError:
        """The StoreError for an HTTP or connection failure; `TransientStoreError` (retried) for 5xx and for
        connections that failed, not for a timeout (the server may still be working) or a 4xx."""
        if isinstance(error, urllib.error.HTTPError):
            detail = error.read().decode("utf-8", "replace").strip().splitlines() if with_body else []
            reason = f"HTTP {error.code} {error.reason}" + (f": {detail[0][:200]}" if detail else "")
            failure = TransientStoreError if error.code >= 500 else StoreError
            return failure(f"{where}: {action} failed: {reason}")
        if isinstance(error, (TimeoutError, socket.timeout)):
            return StoreError(f"{where}: {action}: no answer within {self.timeout:g} s")
        return TransientStoreError(f"{where}: cannot reach server: {_reason(error)}")

    def _http(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None, *,
              missing_ok: bool = False) -> bytes | None:
        """One Graph Store Protocol request (GET, PUT or DELETE: all safe to repeat); with
        `missing_ok`, None when the server answers 404 (no such graph)."""
        where = url.split("?")[0]

        def attempt() -> bytes | None:
            request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                if missing_ok and error.code == 404:
                    return None
                raise self._transport_failure(error, where, method, with_body=True) from None
            except TRANSPORT_ERRORS as error:
                raise self._transport_failure(error, where, method, with_body=True) from None

        return self._retrying(attempt)

    def put_graph(self, graph: URIRef, triples: Iterable) -> None:
        """Replace one named graph (GSP PUT, body in Turtle)."""
        body = nt_lines(triples).encode("utf-8")
        self._http("PUT", self._graph_url(graph), body, {"Content-Type": "text/turtle; charset=utf-8"})

    def get_graph(self, graph: URIRef) -> rdflib.Graph:
        """One named graph (GSP GET; empty when the server has no such graph)."""
        data = self._http("GET", self._graph_url(graph), headers=_READ_HEADERS, missing_ok=True)
        result = rdflib.Graph()
        if data:
            result.parse(data=data.decode("utf-8"), format="turtle")
        return result

    def named_graph(self, graph: URIRef | str) -> rdflib.Graph:
        """One named graph, by a Graph Store Protocol GET (every server answers it in N-Triples or
        Turtle; a CONSTRUCT's answer format is the server's choice — Virtuoso refuses N-Triples)."""
        return self.get_graph(URIRef(graph))

    def drop_graph(self, graph: URIRef) -> None:
        """Remove one named graph (GSP DELETE; no error when it does not exist)."""
        self._http("DELETE", self._graph_url(graph), missing_ok=True)

    # -- Store interface ----------------------------------------------------------------------------

    def _write_report(self, report: ReportGraph, series: list[CatalogEntry], superseded: CatalogEntry | None,
                      copies: dict[URIRef, list]) -> None:
        graph = report.graph_iri
        text, findings = companions(graph)
        for copy, triples in copies.items():  # the earlier content is kept before anything is overwritten
            if triples:
                self.put_graph(copy, triples)
        self.put_graph(graph, report.graph)
        for companion, triples in ((text, list(text_triples(graph, report.source_lines)) or None),
                                   (findings, report.findings)):
            if triples is not None:
                self.put_graph(companion, triples)
            else:
                self.drop_graph(companion)
        existing = self.catalog(superseded=True)
        written = {e.graph for e in series} | ({superseded.graph} if superseded is not None else set())
        others = [e for e in existing if e.graph not in written and (e.is_superseded or e.series_key != report.series_key)]
        entries = [*others, *series, *([superseded] if superseded is not None else [])]
        self.put_graph(CATALOG_GRAPH, [t for e in entries for t in entry_triples(e)])

    def _client(self, text: str, form: str) -> SPARQLWrapper:
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.timeout = self.timeout  # setTimeout would round it down to whole seconds (0.5 → none)
        client.setQuery(text)
        # SPARQLWrapper guesses the form with a regex that words like "dropped" in a comment can fool;
        # `query_form` has already read it properly.
        client.queryType = form
        if self._user:
            client.setCredentials(self._user, self._password)
            if self._digest:
                client.setHTTPAuth(DIGEST)
        return client

    def _select(self, text: str, form: str) -> QueryResult:
        """A read-only query (POST, but safe to repeat)."""
        def attempt() -> QueryResult:
            client = self._client(text, form)
            try:
                if form in ("SELECT", "ASK"):
                    client.setReturnFormat(JSON)
                    body = client.query().response.read()
                    return from_json(json.loads(body), form)
                client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
                body = client.query().response.read()
                graph = rdflib.Graph()
                graph.parse(data=body.decode("utf-8"), format="turtle")
                return from_triples(graph, form)
            except EndPointInternalError as error:  # HTTP 500
                raise TransientStoreError(f"{self.endpoint}: query failed: {_one_line(error)}") from None
            except SPARQLWrapperException as error:
                raise StoreError(f"{self.endpoint}: query failed: {_one_line(error)}") from None
            except TRANSPORT_ERRORS as error:
                raise self._transport_failure(error, self.endpoint, "query") from None
            except (ValueError, json.JSONDecodeError) as error:
                raise StoreError(f"{self.endpoint}: unreadable answer: {_one_line(error)}") from None

        return self._retrying(attempt)

    def named_graphs(self) -> list[URIRef]:
        result = self.query(named_graphs_query())
        return [URIRef(g) for g in result.column("g") if isinstance(g, URIRef)]

    def export(self, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None = None) -> None:
        export_format(fmt)
        names = list(graphs) if graphs is not None else self.named_graphs()
        staging = ox.Store()  # in memory: the same serialisers as the embedded store
        for name in names:
            data = self._http("GET", self._graph_url(name), headers=_READ_HEADERS, missing_ok=True)
            if data:
                staging.load(data, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(name)))
        dump_oxigraph(staging, output, fmt, names)


_READ_HEADERS = {"Accept": "application/n-triples, text/turtle;q=0.9"}

# What a request can fail with below SPARQL: classified by `RemoteStore._transport_failure`.
TRANSPORT_ERRORS = (urllib.error.HTTPError, TimeoutError, socket.timeout, urllib.error.URLError, ConnectionError,
                    http.client.HTTPException)


def _reason(error: BaseException) -> str:
    """Why a connection failed, in one line (urllib wraps the socket error in `reason`)."""
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return _one_line(reason) if isinstance(reason, BaseException) else " ".join(str(reason).split())


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] or type(error).__name__
