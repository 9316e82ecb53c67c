"""Every error piagraph raises on purpose, in one tree (the bottom layer, so that every layer can raise
into it and a caller can catch one base)::

    PiagraphError                  any failure piagraph explains in one line
    ├── ReportError                a file that is not a readable 評価書 (loaders): "<file>: <reason>"
    │   └── PdfInput               the bytes are a PDF: the pipeline hands them to the PDF reader
    ├── StoreError                 a store cannot be opened, read or written (names the store)
    │   ├── TransientStoreError    a remote failure worth another try (connection, HTTP 5xx)
    │   └── TruncatedAnswerError   a server's answer reached its row limit: it may be cut short
    ├── QueryError                 a SPARQL query piagraph will not run or could not answer
    │   ├── QueryRefused           an update, a SERVICE call, or not SPARQL at all
    │   │   └── NotAQueryError     the text is no read-only query (SELECT, ASK, CONSTRUCT, DESCRIBE)
    │   ├── QueryTimeout           stopped at its time limit
    │   ├── QueryFailed            the store rejected it (syntax, unknown prefix …)
    │   ├── UnknownQueryError      no saved query of that name
    │   └── QueryParameterError    a parameter the query does not declare, or of the wrong kind
    ├── ScopeError                 a report or body that matches no report, or several (flows)
    ├── NodeNotFoundError          a node name that matches no node of a flow graph, or several
    └── DiagramError               Graphviz is missing or failed

The command line turns any `PiagraphError` into one line on stderr, ``piagraph: <message>``, and
exit code 2 (`piagraph.cli.options`).
"""

from __future__ import annotations

from pathlib import Path


class PiagraphError(Exception):
    """The base of every error piagraph raises on purpose; its message is one line."""


class ReportError(PiagraphError):
    """A report that cannot be read or is not a 特定個人情報保護評価書.

    The message is one line: ``<file>: <reason>``, fit for a CLI error and a log.
    """

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


PDF_REASON = "is a PDF file; PDF input is read by loaders.pdf"


class PdfInput(ReportError):
    """The file is a PDF (magic ``%PDF-``): the pipeline routes it to the PDF reader."""

    def __init__(self, path: str | Path, reason: str = PDF_REASON):
        super().__init__(path, reason)


class StoreError(PiagraphError):
    """A store cannot be opened, read or written. The message is one line naming the store."""


class TransientStoreError(StoreError):
    """A failure worth another try: the connection failed or the server answered 5xx."""


class TruncatedAnswerError(StoreError):
    """A server's answer reached its row limit (or lacks triples the server holds): it may be cut
    short, so piagraph refuses it rather than answer with part of it."""


class QueryError(PiagraphError):
    """A SPARQL query piagraph will not run, or could not answer."""


class QueryRefused(QueryError):
    """A query the workbench will not run: an update, a SERVICE call, or not SPARQL."""


class NotAQueryError(QueryRefused):
    """The text is a SPARQL update (or not SPARQL at all), not a read-only query."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


class QueryFailed(QueryError):
    """The store rejected the query (syntax error, unknown prefix …); the message says where."""


class UnknownQueryError(QueryError):
    """No saved query has this name."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no saved query named {name!r} (see `piagraph query --list`)")


class QueryParameterError(QueryError):
    """A parameter the query does not declare, or a value that is not of the declared kind."""


class ScopeError(PiagraphError):
    """A report ID or municipality name that matches no report, or several."""


class NodeNotFoundError(PiagraphError):
    """A node name that matches no node or several (the message lists the candidates)."""


class DiagramError(PiagraphError):
    """Graphviz is missing or failed."""
