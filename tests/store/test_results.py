"""One answer type whichever store answered (`piagraph.store.results`).

The embedded store (pyoxigraph) and a SPARQL server (SPARQL 1.1 JSON results) must give the same
rdflib terms, so that a saved query compares row by row across stores: language tags, datatypes and
unbound cells included. The JSON answers here are what Oxigraph itself serialises, plus the older
forms some servers still send.
"""

from __future__ import annotations

import datetime as dt
import json

import pyoxigraph as ox
import pytest
from rdflib import RDFS, BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ontology import ID, PIA, sparql_prefixes
from piagraph.sparql.text import nt_lines
from piagraph.store.results import from_json, from_json_term, from_oxigraph

PROVISION, TRANSFER = ID["assessment/a/file/1/provision/1"], ID["assessment/a/file/1/transfer/1"]
RECIPIENT = ID["org/kouiki"]
SELECT = sparql_prefixes() + """
SELECT ?flow ?who ?line ?sub ?since ?frequency ?note WHERE {
  ?flow pia:sourceLine ?line .
  OPTIONAL { ?flow pia:recipient/rdfs:label ?who }
  OPTIONAL { ?flow pia:subcontracting ?sub }
  OPTIONAL { ?flow pia:startDate ?since }
  OPTIONAL { ?flow pia:frequency ?frequency }
  OPTIONAL { ?flow pia:note ?note }
} ORDER BY ?line"""


@pytest.fixture(scope="module")
def store():
    """A 提供先 like kouki's (label in Japanese, line, flag, date, free text, a blank node) and a bare 移転."""
    oxigraph = ox.Store()
    oxigraph.update("INSERT DATA { " + nt_lines([
        (PROVISION, PIA.recipient, RECIPIENT),
        (RECIPIENT, RDFS.label, Literal("架空県後期高齢者医療広域連合", lang="ja")),
        (PROVISION, PIA.sourceLine, Literal(137)),
        (PROVISION, PIA.subcontracting, Literal(False)),
        (PROVISION, PIA.startDate, Literal(dt.date(2025, 2, 14))),
        (PROVISION, PIA.frequency, Literal("随時")),
        (PROVISION, PIA.note, BNode("n1")),
        (TRANSFER, PIA.sourceLine, Literal(155)),
    ]) + " }")
    return oxigraph


def both(store, query: str, form: str = "SELECT"):
    """The same answer read from pyoxigraph's objects and from its SPARQL 1.1 JSON results."""
    embedded = from_oxigraph(store.query(query), form)
    document = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))
    return embedded, from_json(document, form)


def test_embedded_and_json_answers_are_the_same_rdflib_terms(store):
    embedded, remote = both(store, SELECT)
    assert embedded.variables == remote.variables == ["flow", "who", "line", "sub", "since", "frequency", "note"]
    assert embedded.rows == remote.rows
    assert isinstance(remote.rows[0][-1], BNode)  # a blank node keeps its label


def test_terms_keep_language_tags_datatypes_and_python_values(store):
    provision, transfer = from_oxigraph(store.query(SELECT), "SELECT").rows
    flow, who, line, sub, since, frequency, _ = provision
    assert flow == PROVISION and who == Literal("架空県後期高齢者医療広域連合", lang="ja")
    assert line.toPython() == 137 and sub.toPython() is False and since.toPython() == dt.date(2025, 2, 14)
    assert frequency == Literal("随時") and frequency.datatype is None  # xsd:string written plain, as rdflib does
    assert transfer[:2] == (TRANSFER, None) and transfer[3:] == (None, None, None, None)  # unbound cells


def test_unbound_cells_are_left_out_of_records(store):
    result = from_oxigraph(store.query(SELECT), "SELECT")
    assert result.records()[1] == {"flow": str(TRANSFER), "line": "155"}
    assert result.column("who") == [Literal("架空県後期高齢者医療広域連合", lang="ja"), None]


def test_ask_answers_agree(store):
    embedded, remote = both(store, sparql_prefixes() + "ASK { ?f pia:sourceLine 155 }", "ASK")
    assert embedded.boolean is remote.boolean is True


def test_older_json_forms_are_the_same_terms():
    assert from_json_term({"type": "literal", "value": "紙", "datatype": str(XSD.string)}) == Literal("紙")
    assert from_json_term({"type": "typed-literal", "value": "3", "datatype": str(XSD.integer)}) == Literal(3)
    assert from_json_term({"type": "literal", "value": "紙", "xml:lang": "ja",
                           "datatype": str(RDF.langString)}) == Literal("紙", lang="ja")
    assert from_json_term({"type": "uri", "value": str(PROVISION)}) == URIRef(PROVISION)
    with pytest.raises(ValueError, match="'number'"):
        from_json_term({"type": "number", "value": "1"})
