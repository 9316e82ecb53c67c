"""Fixed SPARQL as data: the saved auditor queries (``queries/*.rq``) and the queries behind the
app's views (``queries/views/*.rq``), one ``.rq`` file each.

Each file is one SPARQL query whose name is the file stem (``contractors-ranked``), with a comment
header read by `piagraph query --name`, `piagraph queries` and the app::

    # title: 委託先ランキング(ファイル数・自治体数・再委託)
    # description: 現行版の評価書に記載された委託先を、扱う特定個人情報ファイルの数と
    #   評価実施機関の数で順位付けする。
    # title_en: Contractors ranked by files and bodies
    # description_en: …

A header line ``# key: value`` opens a field; a following ``#`` line without a key continues it.
Queries read current versions only (``GRAPH piaid:graph/catalog { ?g pia:isCurrent true }``)
unless their subject is the history of reports.

Parameters. A query about one report or 事務 declares its parameters in the header and binds each
with a standard ``VALUES ?name { UNDEF }`` block, so the file stays plain SPARQL 1.1 that any server
runs as is (UNDEF: no restriction, every report)::

    # param: body (ja): 評価実施機関名(例: 高岡市長)
    …
    VALUES ?body { UNDEF }

`SavedQuery.bind` (``piagraph query --param body=高岡市長``) replaces ``UNDEF`` by the value as an RDF
term of the declared kind: ``ja`` a Japanese label (``"高岡市長"@ja``), ``string`` a plain literal,
``iri`` an IRI, ``date`` an ``xsd:date``, ``integer`` an ``xsd:integer``.

Writing a saved query (what keeps them fast on Oxigraph at national scale, and the same on every
server; docs/queries.md gives the measurements):

* SPARQL evaluates groups bottom-up: a ``FILTER`` or ``OPTIONAL`` inside ``GRAPH ?graph { … }`` cannot
  see variables bound outside that block. Put such FILTERs at the level where their variables are bound.
* Keep required patterns in ``GRAPH ?graph { … }`` and each optional value of the report's own nodes
  outside it, in a GRAPH variable of its own: ``OPTIONAL { GRAPH ?numberGraph { ?flow pia:flowNumber
  ?number } }``. Oxigraph looks that up once per row (1.6 ms for ``change-history`` at 10,000 reports);
  ``OPTIONAL { GRAPH ?graph { … } }`` is evaluated over every report first (294 ms), OPTIONALs inside
  the ``GRAPH ?graph`` block cost seconds, and tying the fresh variable with ``FILTER(?g2 = ?graph)``
  sometimes matches nothing on Virtuoso.
* Start from the most selective pattern (a literal such as ``"課題が残されている"``, a parameter), and
  wrap large independent scans in subqueries, which Oxigraph joins by hash.
* Never join a label lookup on a variable that may be unbound (``OPTIONAL`` with an unbound subject
  matches every label): keep the link and the label in the same ``OPTIONAL``.
* Portable: a joined list by the ``STRAFTER(GROUP_CONCAT(DISTINCT IF(BOUND(?x), CONCAT("、"^^xsd:string,
  STR(?x)), ""); separator=""), "、"^^xsd:string)`` idiom; a non-ASCII constant mixed with stored text
  typed (``"、"^^xsd:string``); no BIND inside an OPTIONAL; CONCAT guarded with ``BOUND()``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from ontology.errors import QueryParameterError, UnknownQueryError
from piagraph.sparql.text import nt_term

HEADER_KEYS = ("title", "description", "title_en", "description_en")
_FIELD = re.compile(r"^#\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^#\s*param\s*:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)\)\s*:?\s*(?P<description>.*)$")
PARAM_KINDS = ("ja", "string", "iri", "date", "integer")


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter: ``# param: body (ja): 評価実施機関名``."""

    name: str
    kind: str
    description: str

    @property
    def placeholder(self) -> str:
        return f"VALUES ?{self.name} {{ UNDEF }}"

    def term(self, value: str) -> str:
        """The value as a SPARQL term of the declared kind."""
        if self.kind == "iri":
            if re.search(r'[\s<>"{}|^`\\]', value) or ":" not in value:
                raise QueryParameterError(f"parameter {self.name}: {value!r} is not an IRI")
            return f"<{value}>"
        if self.kind == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise QueryParameterError(f"parameter {self.name}: {value!r} is not a date (YYYY-MM-DD)") from None
            return f"{nt_term(Literal(value))}^^<{XSD.date}>"
        if self.kind == "integer":
            if not re.fullmatch(r"[+-]?[0-9]+", value.strip()):
                raise QueryParameterError(f"parameter {self.name}: {value!r} is not an integer")
            return value.strip()
        literal = nt_term(Literal(value.strip()))
        return f"{literal}@ja" if self.kind == "ja" else literal


@dataclass(frozen=True)
class SavedQuery:
    """One ``.rq`` file of the library."""

    name: str
    title: str
    description: str
    text: str
    path: Path
    title_en: str = ""
    description_en: str = ""
    params: tuple[QueryParam, ...] = ()

    def bind(self, values: dict[str, str | list[str]] | None = None) -> str:
        """The query text with the given parameters bound (the others stay UNDEF: no restriction).

        A list binds several values at once (``VALUES ?g { <a> <b> }``: any of them).
        """
        text = self.text
        declared = {param.name: param for param in self.params}
        for name, value in (values or {}).items():
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise QueryParameterError(f"{self.name} has no parameter {name!r} (parameters: {known})")
            param = declared[name]
            terms = " ".join(param.term(v) for v in ([value] if isinstance(value, str) else value))
            text = text.replace(param.placeholder, f"VALUES ?{name} {{ {terms} }}")
        return text


def queries_dir() -> Path:
    """The directory holding the saved auditor queries (the ``queries`` package)."""
    return Path(str(resources.files("queries")))


def views_dir() -> Path:
    """The directory holding the fixed queries behind the app's views (``queries/views``)."""
    return queries_dir() / "views"


def parse_header(text: str) -> dict[str, str]:
    """The ``# key: value`` fields of the leading comment block."""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if not stripped.startswith("#"):
            break
        match = _FIELD.match(stripped)
        if match:  # a new field (``# param:`` lines are read by `parse_params`)
            current = match.group("key") if match.group("key") in HEADER_KEYS else None
            if current:
                fields[current] = match.group("value").strip()
        elif current is not None:
            continuation = stripped.lstrip("#").strip()
            if continuation:
                fields[current] = f"{fields[current]} {continuation}".strip() if current.endswith("_en") else fields[current] + continuation
    return fields


def parse_params(text: str) -> tuple[QueryParam, ...]:
    """The ``# param: name (kind): description`` lines of the leading comment block."""
    params = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        match = _PARAM.match(stripped)
        if match:
            params.append(QueryParam(match.group("name"), match.group("kind"), match.group("description").strip()))
    return tuple(params)


def read_query(path: Path) -> SavedQuery:
    """Read one ``.rq`` file; its header must have a title and a description.

    Every declared parameter must have a kind of `PARAM_KINDS` and its ``VALUES ?name { UNDEF }``.
    """
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    missing = [key for key in ("title", "description") if not header.get(key)]
    if missing:
        raise ValueError(f"{path}: header lacks # {' and # '.join(missing)}")
    params = parse_params(text)
    for param in params:
        if param.kind not in PARAM_KINDS:
            raise ValueError(f"{path}: parameter {param.name} has unknown kind {param.kind!r} ({', '.join(PARAM_KINDS)})")
        if param.placeholder not in text:
            raise ValueError(f"{path}: parameter {param.name} has no `{param.placeholder}` in the query")
    return SavedQuery(
        name=path.stem,
        title=header["title"],
        description=header["description"],
        text=text,
        path=path,
        title_en=header.get("title_en", ""),
        description_en=header.get("description_en", ""),
        params=params,
    )


def query_from_file(path: Path) -> SavedQuery:
    """Any ``.rq`` file as a query (header optional), with the parameters it declares."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    return SavedQuery(
        name=path.stem,
        title=header.get("title", ""),
        description=header.get("description", ""),
        text=text,
        path=path,
        params=parse_params(text),
    )


@cache
def _library(directory: Path) -> dict[str, SavedQuery]:
    return {path.stem: read_query(path) for path in sorted(directory.glob("*.rq"))}


def list_queries(directory: Path | None = None) -> list[SavedQuery]:
    """All saved queries, sorted by name."""
    return list(_library(directory or queries_dir()).values())


def load_view_query(name: str) -> SavedQuery:
    """The fixed query of a view (``queries/views/NAME.rq``)."""
    return load_query(name, views_dir())


def load_query(name: str, directory: Path | None = None) -> SavedQuery:
    """The saved query of this name (file stem); `UnknownQueryError` if there is none."""
    try:
        return _library(directory or queries_dir())[name]
    except KeyError:
        raise UnknownQueryError(name) from None
