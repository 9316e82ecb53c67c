"""The one table of RDF formats (`piagraph.store.formats`) and `piagraph convert -o FILE`.

An auditor names an output file and gets that format; whatever the format, the file holds exactly
the report's triples (a dataset format in the report's named graph).
"""

from __future__ import annotations

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ontology.errors import StoreError
from piagraph.cli import main
from piagraph.store.formats import EXPORT_FORMATS, RDF_FORMATS, by_name, by_suffix, export_format, suffixes
from tests.conftest import SAMPLES, load_sample

JIDOU = SAMPLES / "midori_jidou.txt"


def test_each_suffix_names_one_format_whatever_its_case():
    assert len(suffixes()) == len(set(suffixes()))
    assert by_suffix(".TTL").name == "turtle"
    assert by_suffix(".json") == by_suffix(".jsonld") == by_name("jsonld")
    assert by_suffix(".txt") is None


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda fmt: fmt.name)
def test_the_table_agrees_with_oxigraph_and_rdflib(fmt):
    assert fmt.oxigraph.media_type == fmt.media_type
    assert fmt.oxigraph.supports_datasets == fmt.datasets
    assert rdflib.plugin.get(fmt.rdflib, rdflib.serializer.Serializer) is not None
    assert by_name(fmt.rdflib) == by_name(fmt.name) == fmt


def test_only_named_graph_formats_and_turtle_are_export_formats():
    assert {by_name(name).datasets for name in EXPORT_FORMATS if name != "turtle"} == {True}
    assert export_format("trig") == by_name("trig").oxigraph
    with pytest.raises(StoreError, match="'ntriples'"):
        export_format("ntriples")
    with pytest.raises(StoreError, match="'yaml'.*turtle"):
        by_name("yaml")


@pytest.fixture(scope="module")
def jidou():
    return load_sample("midori_jidou.txt")


def convert(tmp_path, name: str):
    output = tmp_path / name
    result = CliRunner().invoke(main, ["convert", str(JIDOU), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


@pytest.mark.parametrize("name", ["jidou.ttl", "jidou.nt", "jidou.jsonld", "jidou.rdf"])
def test_a_one_graph_file_parses_back_to_the_reports_triples(name, jidou, tmp_path):
    output = convert(tmp_path, name)
    assert isomorphic(Graph().parse(output, format=by_suffix(output.suffix).rdflib), jidou.graph)


@pytest.mark.parametrize("name", ["jidou.trig", "jidou.nq"])
def test_a_dataset_file_holds_the_report_in_its_named_graph(name, jidou, tmp_path):
    output = convert(tmp_path, name)
    dataset = Dataset().parse(output, format=by_suffix(output.suffix).rdflib)
    assert {g.identifier for g in dataset.graphs() if len(g)} == {jidou.graph_iri}
    assert isomorphic(dataset.graph(jidou.graph_iri), jidou.graph)


def test_a_server_is_asked_for_graphs_in_order_and_its_answer_read_by_content_type():
    from piagraph.store.formats import GRAPH_ANSWER_FORMATS, accept_header, by_media_type

    assert GRAPH_ANSWER_FORMATS == ("ntriples", "turtle", "rdfxml", "jsonld")
    assert accept_header() == "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7"
    assert accept_header(("rdfxml",)) == "application/rdf+xml"
    assert by_media_type("text/turtle; charset=UTF-8") == by_media_type("application/x-turtle") == by_name("turtle")
    assert by_media_type("Application/N-Triples") == by_name("ntriples")
    assert by_media_type("text/html") is None and by_media_type(None) is None
