"""The one table of flow-model kinds and their Japanese names (`piagraph.flows.kinds`).

The names an auditor reads on the diagram, the overview and the CLI (入手, 委託, 提供, 移転) are the
ontology's own ``rdfs:label@ja`` of its flow classes, so the app and the graph never disagree.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import RDFS

from ontology import PIA, ontology_graph
from piagraph.flows.kinds import EDGE_KINDS, FLOW_CLASSES, FLOW_KINDS, NODE_KINDS, SHARED_KINDS, flow_kind_label
from piagraph.flows.model import build_flow_graph
from piagraph.store import EmbeddedStore
from tests.conftest import SAMPLES
from tests.sample_stores import store_of


def japanese_label(iri) -> str:
    return next(str(label) for label in ontology_graph().objects(iri, RDFS.label) if label.language == "ja")


@pytest.mark.parametrize("flow_class", [PIA.Acquisition, PIA.Entrustment, PIA.Provision, PIA.Transfer],
                         ids=lambda iri: iri.rsplit("#", 1)[-1])
def test_a_flow_kind_is_named_as_the_ontology_names_its_class(flow_class):
    assert EDGE_KINDS[FLOW_CLASSES[flow_class]] == japanese_label(flow_class)
    assert flow_kind_label(str(flow_class)) == japanese_label(flow_class)  # as a query answers it


def test_every_data_flow_class_of_the_ontology_has_a_kind():
    assert set(ontology_graph().subjects(RDFS.subClassOf, PIA.DataFlow)) == set(FLOW_CLASSES)


def test_the_kinds_that_move_data_are_the_four_flows_and_subcontracting():
    assert set(FLOW_KINDS) == set(FLOW_CLASSES.values()) | {"subcontracting"}
    assert EDGE_KINDS["subcontracting"] == "再委託"
    assert set(SHARED_KINDS) <= set(NODE_KINDS)


def test_the_kouki_diagram_names_its_flows_in_japanese(tmp_path):
    # midori_kouki.txt: 提供先1, 移転先1–2, 委託事項1 with 再委託する (samples/README.md)
    with EmbeddedStore(store_of(tmp_path / "store", [SAMPLES / "midori_kouki.txt"])) as store:
        graph = build_flow_graph(store)
    flows = Counter(data["kind_label"] for *_, data in graph.edges(data=True) if data["kind"] in FLOW_KINDS)
    assert {label: flows[label] for label in ("提供", "移転", "委託", "再委託")} == {"提供": 1, "移転": 2, "委託": 1, "再委託": 1}
    assert flows["入手"] > 0
    assert all(data["kind_label"] == NODE_KINDS[data["kind"]] for _, data in graph.nodes(data=True))
