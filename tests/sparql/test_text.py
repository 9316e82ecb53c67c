"""SPARQL and N-Triples text (`piagraph.sparql.text`): telling a query from an update, writing terms.

`piagraph query` must run any read-only query an auditor writes — prologue, comments and all — and
refuse every update in one line; a report's values (quotes, line breaks, Japanese) must reach a
store exactly as written.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic

from ontology import ID, PIA, sparql_prefixes
from ontology.errors import NotAQueryError
from piagraph.sparql.text import nt_lines, nt_term, query_form
from piagraph.store.results import from_oxigraph_term


@pytest.mark.parametrize(("text", "form"), [
    (sparql_prefixes() + "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT"),
    ("BASE <https://w3id.org/piagraph/id/>\nPREFIX : <https://w3id.org/piagraph/ns#>\nASK { ?a a :Assessment }", "ASK"),
    ("# 移転先の一覧\n# DELETE nothing: this is a comment\nconstruct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX insert: <https://example.org/DROP#>\nDESCRIBE insert:x", "DESCRIBE"),  # keywords inside the prologue
])
def test_a_read_only_query_is_known_by_its_form(text, form):
    assert query_form(text) == form


@pytest.mark.parametrize("update", [
    "DROP ALL",
    sparql_prefixes() + 'INSERT DATA { piaid:x pia:title "改ざん" }',
    "# 先頭のコメント\nCLEAR DEFAULT",
    "WITH <https://w3id.org/piagraph/id/graph/catalog> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "load <https://example.org/data.ttl>",
])
def test_an_update_is_refused_in_one_line(update):
    with pytest.raises(NotAQueryError, match="update") as refused:
        query_form(update)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "中間サーバーを使う事務", "{ ?s ?p ?o }"])
def test_text_that_is_no_query_is_refused(text):
    with pytest.raises(NotAQueryError):
        query_form(text)


# --- N-Triples terms ------------------------------------------------------------------------------

SUBJECT = ID["assessment/test/file/1/provision/1"]
HOSTILE_VALUES = [
    Literal('ファイル名は "住民記録" \\ 改行\nタブ\t復帰\r終わり'),
    Literal("中間サーバー", lang="ja"),
    Literal(dt.date(2025, 2, 14)),
    Literal(3),
    Literal("\b\f"),
]


def test_terms_are_written_in_n_triples_syntax():
    assert nt_term(PIA.title) == "<https://w3id.org/piagraph/ns#title>"
    assert nt_term(Literal("中間サーバー", lang="ja")) == '"中間サーバー"@ja'  # Japanese as is, not \\u escapes
    assert nt_term(Literal("みどり市長")) == '"みどり市長"'  # xsd:string written plain
    assert nt_term(Literal(dt.date(2025, 2, 14))) == '"2025-02-14"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert nt_term(Literal('a "b"\n')) == '"a \\"b\\"\\n"'


def test_values_written_as_n_triples_parse_back_unchanged():
    graph = Graph()
    for number, value in enumerate(HOSTILE_VALUES):
        graph.add((SUBJECT, PIA[f"value{number}"], value))
    graph.add((BNode("b1"), PIA.recipient, SUBJECT))
    assert isomorphic(Graph().parse(data=nt_lines(graph), format="nt"), graph)


def test_values_written_as_n_triples_are_an_insert_data_oxigraph_runs():
    store = ox.Store()
    lines = nt_lines((SUBJECT, PIA.purpose, value) for value in HOSTILE_VALUES)
    store.update("INSERT DATA { GRAPH <urn:test> { " + lines + " } }")
    stored = {from_oxigraph_term(quad.object) for quad in store.quads_for_pattern(None, None, None, None)}
    assert stored == set(HOSTILE_VALUES)
