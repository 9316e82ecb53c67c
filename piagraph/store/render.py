"""Render a `QueryResult`: rows as a text table, CSV, TSV or SPARQL 1.1 JSON results; a graph as
Turtle, N-Triples or JSON-LD.

Rows (SELECT; ASK as ``true``/``false``, or ``{"boolean": …}`` for ``json``), `ROW_FORMATS`:

* ``table``: aligned columns for a terminal, IRIs shortened with the graph's prefixes (``piaid:…``),
  long cells cut at `MAX_CELL_WIDTH` display columns (全角 characters count two). Use csv/tsv for
  full values.
* ``csv``: RFC 4180, plain values (IRIs in full, literals by lexical form), a header row.
* ``tsv``: plain values separated by tabs; tabs and line breaks inside values become spaces.
* ``json``: the SPARQL 1.1 Query Results JSON format.

Graphs (CONSTRUCT, DESCRIBE), `GRAPH_FORMATS`: ``turtle`` (with the prefixes of `ontology.PREFIXES`),
``ntriples``, ``jsonld``. `output_format` picks the default of each kind of answer (``table``,
``turtle``) and refuses a format of the other kind.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ontology import PREFIXES
from ontology.errors import QueryError
from piagraph.store.formats import GRAPH_OUTPUT_FORMATS, by_name
from piagraph.store.results import QueryResult

ROW_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = GRAPH_OUTPUT_FORMATS
FORMATS = ROW_FORMATS + GRAPH_FORMATS
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
MAX_CELL_WIDTH = 60

_PREFIX_ORDER = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


# Controls (an escape sequence would drive the terminal) and bidirectional overrides (they reorder
# what the terminal shows): a table cell shows them as \x1b, \u202e.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def compact(term: Node | None) -> str:
    """A cell for the table: prefixed IRI, lexical form of a literal, ``_:id`` for a blank node;
    line breaks and runs of spaces as one space, control characters made visible."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in _PREFIX_ORDER:
            if term.startswith(namespace):
                return _visible(f"{prefix}:{term[len(namespace):]}")
        return _visible(f"<{term}>")
    if isinstance(term, BNode):
        return f"_:{term}"
    return _visible(" ".join(str(term).split()))


def _visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def plain(term: Node | None) -> str:
    """A cell for CSV/TSV: the IRI or the literal's lexical form."""
    return "" if term is None else str(term)


def display_width(text: str) -> int:
    """Terminal columns of a string: wide (全角) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render_table(result: QueryResult) -> str:
    header = result.variables
    cells = [[_fit(compact(v), MAX_CELL_WIDTH) for v in row] for row in result.rows]
    widths = [display_width(h) for h in header]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]
    lines = [" | ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render_csv(result: QueryResult, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([plain(v) for v in row])
    return buffer.getvalue()


def render_tsv(result: QueryResult) -> str:
    def clean(value: Node | None) -> str:
        return plain(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")

    lines = ["\t".join(result.variables)]
    lines += ["\t".join(clean(v) for v in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def json_term(term: Node) -> dict:
    """One term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def render_json(result: QueryResult) -> str:
    document = {
        "head": {"vars": result.variables},
        "results": {
            "bindings": [
                {var: json_term(value) for var, value in zip(result.variables, row) if value is not None}
                for row in result.rows
            ]
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def output_format(form: str, fmt: str | None) -> str:
    """The format to write a `form` answer in: `fmt`, or by default ``table`` for rows and ``turtle``
    for a graph; a `QueryError` when `fmt` is for the other kind of answer."""
    graph = form in GRAPH_FORMS
    fitting = GRAPH_FORMATS if graph else ROW_FORMATS
    if fmt is None:
        return fitting[0]
    if fmt not in fitting:
        answer = "a graph" if graph else "rows" if form == "SELECT" else "true or false"
        raise QueryError(f"--format {fmt} does not fit a {form} query, whose answer is {answer}: "
                         f"use {', '.join(fitting)}")
    return fmt


def render(result: QueryResult, fmt: str) -> str:
    """The result in one of `FORMATS` that fits it (`output_format`)."""
    fmt = output_format(result.form, fmt)
    if result.form == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.form in GRAPH_FORMS:
        graph = rdflib.Graph()
        if fmt == "turtle":
            for prefix, namespace in PREFIXES.items():
                graph.bind(prefix, namespace)
        for triple in result.triples:
            graph.add(triple)
        return graph.serialize(format=by_name(fmt).rdflib)
    if fmt == "table":
        return render_table(result)
    if fmt == "csv":
        return render_csv(result)
    if fmt == "tsv":
        return render_tsv(result)
    if fmt == "json":
        return render_json(result)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(ROW_FORMATS)})")
