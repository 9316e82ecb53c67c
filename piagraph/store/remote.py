"""A shared SPARQL server as the store: SPARQL 1.1 Protocol for queries, Graph Store Protocol for graphs.

Queries go to the query endpoint (``--endpoint URL``). Report graphs, the ontology graph and the
catalog graph are written with Graph Store Protocol ``PUT …?graph=IRI`` (``--gsp URL``), which
replaces a named graph in one request on every standard server, and read back with ``GET``. When no
GSP URL is given it is derived from the endpoint where the server's convention is known:

=====================  ======================================  ==============================================
server                 query endpoint                          Graph Store Protocol
=====================  ======================================  ==============================================
Oxigraph               ``http://host:7878/query``              ``http://host:7878/store``
Apache Jena Fuseki     ``http://host:3030/DS/query`` (/sparql) ``http://host:3030/DS/data``
GraphDB, RDF4J         ``http://host:7200/repositories/REPO``  ``http://host:7200/repositories/REPO/rdf-graphs/service``
Virtuoso               ``http://host:8890/sparql``             ``http://host:8890/sparql-graph-crud`` (or ``-auth``)
=====================  ======================================  ==============================================

**One HTTP client** (`urllib`) sends every request, so queries and graph requests share the
credentials, the content negotiation, the error messages and the retries:

* A query is an HTML form, ``POST`` with ``Content-Type: application/x-www-form-urlencoded;
  charset=utf-8`` and the query percent-encoded as UTF-8. The charset is explicit because servers on
  Java servlet containers read a form without one as ISO-8859-1 (a Japanese literal would then match
  nothing); Virtuoso and ``oxigraph serve`` read it either way. (A ``POST`` of
  ``application/sparql-query`` gets no answer at all from Virtuoso 7.2.)
* The answer's format is negotiated with ``Accept`` alone — never a ``format=`` parameter, which
  Virtuoso answers with 406 for anything but RDF/XML: SELECT and ASK as SPARQL 1.1 JSON results;
  graphs (CONSTRUCT, DESCRIBE, a Graph Store ``GET``) as whichever of N-Triples, Turtle, RDF/XML or
  JSON-LD the server offers (`formats.GRAPH_ANSWER_FORMATS`, in that order of preference), parsed by
  the answer's ``Content-Type``.
* Credentials come from ``PIAGRAPH_REMOTE_USER`` and ``PIAGRAPH_REMOTE_PASSWORD``: sent with every
  request as HTTP Basic, or with ``PIAGRAPH_REMOTE_AUTH=digest`` only in answer to a Digest challenge
  (Virtuoso's ``/sparql-auth``), so the password never travels in clear.

**Cut answers are errors** (`TruncatedAnswerError`), never a silently short answer. Virtuoso stops a
SELECT at its ``ResultSetMaxRows`` with HTTP 200 and says so only in an ``X-SPARQL-MaxRows`` header
(also when the answer has exactly that many rows); it stops a CONSTRUCT or a Graph Store ``GET`` at
that many triples plus one, with no sign at all. So: an answer carrying ``X-SPARQL-MaxRows`` whose
rows reach it, or an answer reaching the limit set in ``PIAGRAPH_REMOTE_ROW_LIMIT``, is refused; and
every named graph the store reads (`named_graph`, `get_graph`, `export`) is counted on the server
(``COUNT(*)``) and refused when fewer triples arrived.

**Failures** are one-line `StoreError`s naming the URL: the server cannot be reached, gives no answer
within the timeout, or answers with an HTTP error — then with the server's own reason, taken from its
error page (`server_reason`: the ``<xmp>`` or ``<pre>`` of an HTML page, else its title or heading,
else its text; the first line of a plain-text body). Every request is safe to repeat — read-only
queries, and GET, PUT, POST and DELETE of a graph (a PUT replaces the graph: twice is the same as
once; a POST adds triples: the same again adds nothing) —
and is tried up to `ATTEMPTS` times when the connection fails or the server answers 5xx, waiting
`BACKOFF_SECONDS`, then twice as long, between attempts. Not retried: a timeout (a slow server stays
slow), a 4xx, and a 5xx whose reason is a refusal or one of the server's limits (`FINAL_REASONS`:
Virtuoso answers HTTP 500 to a permission error, a query past ``MaxQueryExecutionTime`` and one
whose estimated cost passes ``MaxQueryCostEstimationTime``).

A report is written as a few PUTs: when its earlier content is superseded, that content (graph, text,
findings, its own nodes renamed) is first PUT to its superseded graphs; then the report graph, its
text graph and its findings graph; last the whole catalog graph. A load interrupted before the
catalog PUT leaves graphs the catalog does not list yet (queries on current versions do not see
them) until it is loaded again; the earlier content is copied before anything is overwritten. Run
one loader at a time per server: two loaders would overwrite each other's catalog.
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
from dataclasses import dataclass, replace
from email.message import Message
from html.parser import HTMLParser
from typing import BinaryIO, TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from ontology import CATALOG_GRAPH
from ontology.errors import StoreError, TransientStoreError, TruncatedAnswerError
from piagraph.sparql.builder import graph_sizes_query, named_graphs_query
from piagraph.sparql.text import nt_lines
from piagraph.store.base import ReportGraph, Store, dump_oxigraph
from piagraph.store.bodies import BODIES_GRAPH, body_graph, body_triples, ready_triples, summary_body
from piagraph.store.catalog import CatalogEntry, entry_triples
from piagraph.store.formats import GRAPH_ANSWER_FORMATS, accept_header, by_media_type, export_format
from piagraph.store.graphs import companions, text_content
from piagraph.store.results import QueryResult, from_json, from_oxigraph_term, from_triples
from piagraph.store.summaries import summary_graph

T = TypeVar("T")

USER_ENV = "PIAGRAPH_REMOTE_USER"
PASSWORD_ENV = "PIAGRAPH_REMOTE_PASSWORD"
AUTH_ENV = "PIAGRAPH_REMOTE_AUTH"
ROW_LIMIT_ENV = "PIAGRAPH_REMOTE_ROW_LIMIT"
"""The server's row limit, for servers that cut answers without saying so (Virtuoso's
``ResultSetMaxRows`` for CONSTRUCT answers): an answer of that many rows or triples is refused."""
TIMEOUT_SECONDS = 120
ATTEMPTS = 3
"""Tries of a request that is safe to repeat, when the connection fails or the server answers 5xx."""
BACKOFF_SECONDS = 0.5
"""Wait before the second try; doubled before each further one."""

BODY_BYTES = 128 * 1024
"""The largest request body sent at once. A server that answers with a Digest challenge may close
the connection while a large unauthenticated body is still being sent (Virtuoso: "Broken pipe", seen
with a report's text graph of 1 MB); a body that fits the socket's buffers is sent whole first."""

SPARQL_RESULTS_JSON = "application/sparql-results+json"
FORM_UTF8 = "application/x-www-form-urlencoded; charset=utf-8"
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
USER_AGENT = "piagraph (SPARQL 1.1 Protocol; Graph Store Protocol)"
GRAPH_SIZE_BATCH = 500
"""Graphs counted per query when an export checks that every graph arrived whole."""
REASON_LENGTH = 300

FINAL_REASONS = re.compile(r"SECURITY|permission|access denied|not authori[sz]ed|timed out|exceeds the limit",
                           re.IGNORECASE)
"""A 5xx whose reason matches is a refusal or a server limit, not a passing fault: it is not retried."""

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


@dataclass
class HttpAnswer:
    """A successful HTTP answer: its body, its Content-Type and all its headers."""

    body: bytes
    content_type: str
    headers: Message


class RemoteStore(Store):
    """A SPARQL 1.1 server: queries through `endpoint`, graphs through the Graph Store Protocol.

    `graph_formats` are the graph formats asked for, most wanted first (default
    `formats.GRAPH_ANSWER_FORMATS`); `row_limit` is the server's row limit when it cuts answers
    silently (default ``$PIAGRAPH_REMOTE_ROW_LIMIT``).
    """

    def __init__(self, endpoint: str, gsp: str | None = None, *, timeout: float | None = None,
                 attempts: int | None = None, backoff: float | None = None,
                 graph_formats: tuple[str, ...] = GRAPH_ANSWER_FORMATS, row_limit: int | None = None):
        self.endpoint = endpoint
        self.timeout = TIMEOUT_SECONDS if timeout is None else timeout
        self.attempts = ATTEMPTS if attempts is None else attempts
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self.location = endpoint
        self.gsp = gsp or derive_gsp_url(endpoint)
        self.graph_formats = graph_formats
        self.row_limit = row_limit if row_limit is not None else _row_limit_from_environment()
        self._user = os.environ.get(USER_ENV)
        self._password = os.environ.get(PASSWORD_ENV, "")
        self._digest = os.environ.get(AUTH_ENV, "basic").strip().lower() == "digest"
        self._opener = self._build_opener()

    def _build_opener(self) -> urllib.request.OpenerDirector:
        if not self._user:
            return urllib.request.build_opener()
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        for url in filter(None, [self.endpoint, self.gsp]):
            # is_authenticated: Basic credentials go with the first request, unasked
            passwords.add_password(None, url, self._user, self._password, is_authenticated=not self._digest)
        handlers: list = [urllib.request.HTTPDigestAuthHandler(passwords)]
        if not self._digest:
            handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
        return urllib.request.build_opener(*handlers)

    # -- HTTP ---------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, action: str, *, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> HttpAnswer:
        """One request (every one piagraph sends is safe to repeat), retried as the module doc says."""
        where = url.split("?")[0]

        def attempt() -> HttpAnswer:
            request = urllib.request.Request(url, data=body, method=method,
                                             headers={"User-Agent": USER_AGENT, **(headers or {})})
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return HttpAnswer(response.read(), response.headers.get("Content-Type", ""), response.headers)
            except TRANSPORT_ERRORS as error:
                raise self._transport_failure(error, where, action) from None
            except ValueError as error:  # urllib: a challenge of a scheme it cannot answer (Negotiate …)
                raise StoreError(f"{where}: {action} failed: {_one_line(error)}") from None

        return self._retrying(attempt)

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

    def _transport_failure(self, error: BaseException, where: str, action: str) -> StoreError:
        """The StoreError for an HTTP or connection failure; `TransientStoreError` (retried) for a 5xx
        that is no refusal or limit (`FINAL_REASONS`) and for connections that failed, not for a
        timeout (the server may still be working) or a 4xx."""
        if isinstance(error, urllib.error.HTTPError):
            reason = server_reason(_error_body(error), error.headers.get("Content-Type", "") if error.headers else "")
            message = f"{where}: {action} failed: HTTP {error.code} {error.reason}" + (f": {reason}" if reason else "")
            if error.code == 401:
                message += f" (check {USER_ENV} and {PASSWORD_ENV}; {AUTH_ENV}=digest for a Digest-only server)"
            transient = error.code >= 500 and not FINAL_REASONS.search(reason)
            return (TransientStoreError if transient else StoreError)(message)
        if isinstance(error, (TimeoutError, socket.timeout)):
            return StoreError(f"{where}: {action}: no answer within {self.timeout:g} s")
        return TransientStoreError(f"{where}: cannot reach server: {_reason(error)}")

    # -- Graph Store Protocol -----------------------------------------------------------------------

    def _graph_url(self, graph: URIRef) -> str:
        if not self.gsp:
            raise StoreError(
                f"{self.endpoint}: no Graph Store Protocol URL known for this server; pass --gsp URL"
            )
        separator = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{separator}{urllib.parse.urlencode({'graph': str(graph)})}"

    def check_writable(self) -> None:
        """A server is written through the Graph Store Protocol: its URL must be known."""
        self._graph_url(CATALOG_GRAPH)

    def put_graph(self, graph: URIRef, triples: Iterable) -> None:
        """Replace one named graph (GSP PUT, body in Turtle); a graph larger than `BODY_BYTES`
        without blank nodes is sent as a PUT of its first part and POSTs (GSP: add to the graph) of
        the others (a blank node's label holds only within one request body)."""
        url = self._graph_url(graph)
        for index, part in enumerate(body_parts(nt_lines(triples), BODY_BYTES)):
            method = "PUT" if index == 0 else "POST"  # adding the same triples twice changes nothing
            self._request(method, url, method, body=part, headers={"Content-Type": "text/turtle; charset=utf-8"})

    def _graph_triples(self, graph: URIRef) -> list[ox.Triple]:
        """One named graph as the server sends it (GSP GET, the format negotiated), not yet checked whole."""
        url = self._graph_url(graph)
        answer = self._request("GET", url, "GET", headers={"Accept": accept_header(self.graph_formats)})
        return self._parse_graph(answer, url.split("?")[0])

    def get_graph(self, graph: URIRef) -> rdflib.Graph:
        """One named graph (GSP GET), checked to have arrived whole."""
        triples = self._graph_triples(graph)
        self._check_whole(graph, len(triples))
        result = rdflib.Graph()
        for triple in triples:
            result.add(_rdflib_triple(triple))
        return result

    # -- Store interface ----------------------------------------------------------------------------

    def drop_graph(self, graph: URIRef) -> None:
        """Remove one named graph (GSP DELETE), when the server holds it."""
        if self.graph_sizes([graph])[URIRef(graph)]:
            self._request("DELETE", self._graph_url(graph), "DELETE")

    def _write_report(self, report: ReportGraph, series: list[CatalogEntry], superseded: CatalogEntry | None,
                      copies: dict[URIRef, list]) -> None:
        graph = report.graph_iri
        text, findings = companions(graph)
        for copy, triples in copies.items():  # the earlier content is kept before anything is overwritten
            if triples:
                self.put_graph(copy, triples)
        self.put_graph(graph, report.graph)
        for companion, triples in ((text, text_content(graph, report.source_lines) or None),
                                   (findings, report.findings), (summary_graph(graph), report.summary)):
            if triples is not None:
                self.put_graph(companion, triples)
            else:
                self.drop_graph(companion)
        existing = self.catalog(superseded=True)
        if not existing:  # the first report of a store: its body rows are complete from now on
            self.mark_body_rows_ready()
        written = {e.graph for e in series} | ({superseded.graph} if superseded is not None else set())
        others = [e for e in existing if e.graph not in written and (e.is_superseded or e.series_key != report.series_key)]
        self._put_catalog([*others, *series, *([superseded] if superseded is not None else [])])
        body = summary_body(report.summary)
        if body is not None:  # the body's rows, from its current reports' summaries as now written
            self.put_body_rows([body])

    def put_body_rows(self, bodies: list) -> None:
        for body in bodies:
            self.put_graph(body_graph(body.value), body_triples(self, body))

    def mark_body_rows_ready(self) -> None:
        self.put_graph(BODIES_GRAPH, ready_triples())

    def _put_catalog(self, entries: list[CatalogEntry]) -> None:
        self.put_graph(CATALOG_GRAPH, [t for e in entries for t in entry_triples(e)])

    def mark_summarized(self, graphs: list[URIRef]) -> None:
        marked = set(graphs)
        self._put_catalog([replace(e, summarized=True) if e.graph in marked else e for e in self.catalog(superseded=True)])

    def _select(self, text: str, form: str) -> QueryResult:
        """A read-only query: a UTF-8 form POST, the answer's format negotiated (see the module doc)."""
        rows = form in ("SELECT", "ASK")
        accept = SPARQL_RESULTS_JSON if rows else accept_header(self.graph_formats)
        answer = self._request("POST", self.endpoint, "query", body=urllib.parse.urlencode({"query": text}).encode("ascii"),
                               headers={"Content-Type": FORM_UTF8, "Accept": accept})
        if not rows:
            triples = self._parse_graph(answer, self.endpoint)
            self._check_limits(answer, len(triples), "triples")
            return from_triples(map(_rdflib_triple, triples), form)
        try:
            result = from_json(json.loads(answer.body), form)
        except (ValueError, KeyError, TypeError) as error:  # JSONDecodeError is a ValueError
            raise StoreError(f"{self.endpoint}: unreadable answer ({answer.content_type or 'no Content-Type'}): "
                             f"{_one_line(error)}") from None
        self._check_limits(answer, len(result.rows), "rows")
        return result

    def named_graph(self, graph: URIRef | str) -> rdflib.Graph:
        """One named graph (CONSTRUCT: no Graph Store URL needed), checked to have arrived whole."""
        data = super().named_graph(graph)
        self._check_whole(URIRef(graph), len(data))
        return data

    def named_graphs(self) -> list[URIRef]:
        result = self.query(named_graphs_query())
        return [URIRef(g) for g in result.column("g") if isinstance(g, URIRef)]

    def graph_sizes(self, graphs: Iterable[URIRef]) -> dict[URIRef, int]:
        """The number of triples the server holds in each of these graphs (0 for a graph it lacks)."""
        names = list(dict.fromkeys(URIRef(g) for g in graphs))
        sizes = dict.fromkeys(names, 0)
        for start in range(0, len(names), GRAPH_SIZE_BATCH):
            result = self.query(graph_sizes_query(names[start:start + GRAPH_SIZE_BATCH]))
            sizes.update({URIRef(g): int(str(n)) for g, n in zip(result.column("g"), result.column("n"))})
        return sizes

    def export(self, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None = None) -> None:
        export_format(fmt)
        names = list(graphs) if graphs is not None else self.named_graphs()
        sizes = self.graph_sizes(names)
        staging = ox.Store()  # in memory: the same serialisers as the embedded store
        for name in names:
            triples = self._graph_triples(name)
            self._check_whole(name, len(triples), sizes[URIRef(name)])
            target = ox.NamedNode(str(name))
            staging.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        dump_oxigraph(staging, output, fmt, names)

    # -- answers ------------------------------------------------------------------------------------

    def _parse_graph(self, answer: HttpAnswer, where: str) -> list[ox.Triple]:
        """The triples of a graph answer, read in the format its Content-Type names."""
        fmt = by_media_type(answer.content_type)
        if fmt is None or fmt.name not in self.graph_formats:
            asked = ", ".join(self.graph_formats)
            raise StoreError(f"{where}: unreadable answer: the server sent {answer.content_type or 'no Content-Type'}, "
                             f"not a graph format asked for ({asked})")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(answer.body, fmt.oxigraph)]
        except (SyntaxError, ValueError) as error:
            raise StoreError(f"{where}: unreadable {fmt.name} answer: {_one_line(error)}") from None

    def _check_limits(self, answer: HttpAnswer, count: int, unit: str) -> None:
        """Refuse an answer that reached the server's row limit (`TruncatedAnswerError`)."""
        announced = answer.headers.get(MAX_ROWS_HEADER)
        if announced and announced.strip().isdigit() and count >= int(announced):
            raise TruncatedAnswerError(
                f"{self.endpoint}: the answer reached the server's row limit of {int(announced):,} rows "
                f"({MAX_ROWS_HEADER}: {announced.strip()}), so it may be cut short; raise the limit "
                f"(Virtuoso: ResultSetMaxRows in virtuoso.ini [SPARQL]) or narrow the query")
        if self.row_limit and count >= self.row_limit:
            raise TruncatedAnswerError(
                f"{self.endpoint}: the answer has {count:,} {unit}, the server's row limit "
                f"({ROW_LIMIT_ENV}={self.row_limit}), so it may be cut short; raise the limit "
                f"(Virtuoso: ResultSetMaxRows in virtuoso.ini [SPARQL]) or narrow the query")

    def _check_whole(self, graph: URIRef, received: int, stored: int | None = None) -> None:
        """Refuse a graph of which fewer triples arrived than the server holds."""
        if stored is None:
            stored = self.graph_sizes([graph])[URIRef(graph)]
        if received < stored:
            raise TruncatedAnswerError(
                f"{self.endpoint}: the server sent {received:,} of the {stored:,} triples of <{graph}>: "
                f"a limit of the server cut the answer short; raise it (Virtuoso: ResultSetMaxRows in "
                f"virtuoso.ini [SPARQL])")


# What a request can fail with below SPARQL: classified by `RemoteStore._transport_failure`.
TRANSPORT_ERRORS = (urllib.error.HTTPError, TimeoutError, socket.timeout, urllib.error.URLError, ConnectionError,
                    http.client.HTTPException)


# --- the server's reason for an error --------------------------------------------------------------

class _ErrorPage(HTMLParser):
    """The text of an HTML error page, kept per element that may hold the reason."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "xmp")  # <xmp> holds raw text: a "<" in it is text
    WANTED = ("xmp", "pre", "title", "h1")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.texts: dict[str, list[str]] = {name: [] for name in (*self.WANTED, "text")}

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data):
        for name in self.WANTED:
            if name in self.open:
                self.texts[name].append(data)
        if not {"script", "style"} & set(self.open):
            self.texts["text"].append(data)


def server_reason(body: bytes, content_type: str = "") -> str:
    """The server's own reason for an error, in one line: from an HTML page the text of its ``<xmp>``
    (Virtuoso), ``<pre>``, ``<title>`` or ``<h1>``, else all its text; from any other body its first
    line (and the next one when the first ends with a colon, as in ``Error 400: Parse error:``)."""
    text = body.decode("utf-8", "replace")
    if "html" in content_type.lower() or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        page = _ErrorPage()
        page.feed(text)
        page.close()
        candidates = [" ".join(" ".join(page.texts[name]).split()) for name in (*_ErrorPage.WANTED, "text")]
        reason = next((c for c in candidates if c), "")
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        reason = " ".join(lines[:2] if lines and lines[0].endswith(":") else lines[:1])
    return reason if len(reason) <= REASON_LENGTH else reason[:REASON_LENGTH - 1] + "…"


def _error_body(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, http.client.HTTPException):
        return b""


def body_parts(text: str, limit: int) -> list[bytes]:
    """N-Triples text in parts of at most `limit` bytes, cut between lines — one part when it fits,
    when it has blank nodes (their labels hold within one body), and for no text."""
    if len(text) <= limit // 4 or _BLANK_NODE.search(text):
        return [text.encode("utf-8")]
    parts, current, size = [], [], 0
    for line in text.splitlines(keepends=True):
        data = line.encode("utf-8")
        if current and size + len(data) > limit:
            parts.append(b"".join(current))
            current, size = [], 0
        current.append(data)
        size += len(data)
    parts.append(b"".join(current))
    return parts


_BLANK_NODE = re.compile(r"(?:^| )_:", re.MULTILINE)
"""A blank node term in N-Triples (a literal holding " _:" only keeps the text in one part)."""


def _rdflib_triple(triple: ox.Triple) -> tuple:
    return (from_oxigraph_term(triple.subject), from_oxigraph_term(triple.predicate), from_oxigraph_term(triple.object))


def _row_limit_from_environment() -> int | None:
    value = os.environ.get(ROW_LIMIT_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) == 0:
        raise StoreError(f"{ROW_LIMIT_ENV}={value!r}: expected the server's row limit, a whole number above 0")
    return int(value)


def _reason(error: BaseException) -> str:
    """Why a connection failed, in one line (urllib wraps the socket error in `reason`)."""
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return _one_line(reason) if isinstance(reason, BaseException) else " ".join(str(reason).split())


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] or type(error).__name__
