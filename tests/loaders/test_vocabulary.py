"""The form's closed choices as option lists (`loaders.vocabulary`), read from the SKOS vocabularies.

The option lists are those the PPC form prints (様式3: ②入手方法, リスクへの対策は十分か, I-5 ①);
an option matches however the report's converter wrote its parentheses (NFKC).
"""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal

from loaders.vocabulary import concept, label_linked_concepts, options, pref_label
from ontology import ID, PIA, VOCAB

# ②入手方法 / ⑥提供方法 / ⑥移転方法, as the form lists them
METHODS = ["情報提供ネットワークシステム", "専用線", "電子メール", "電子記録媒体(フラッシュメモリを除く。)",
           "フラッシュメモリ", "紙", "庁内連携システム", "その他"]


def test_the_method_options_are_the_forms_checkboxes():
    assert set(METHODS) <= set(options("method"))


def test_the_ratings_and_the_linkage_answers_are_the_forms_choices():
    assert set(options("rating")) == {"特に力を入れている", "十分である", "課題が残されている"}
    assert set(options("linkage")) == {"実施する", "実施しない", "未定"}


def test_an_option_in_full_width_parentheses_is_the_same_concept():
    written = "電子記録媒体（フラッシュメモリを除く。）"  # as the PDF prints it
    assert concept("method", written) == VOCAB["method/electronic-media"]
    assert concept("method", "電子記録媒体") == VOCAB["method/electronic-media"]  # the short form


def test_a_variant_spelling_is_its_concept_and_an_unknown_option_is_none():
    assert concept("method", "府内連携システム") == VOCAB["method/intra-agency-linkage"]
    assert concept("method", "伝書鳩") is None
    assert concept("rating", "電子メール") is None  # an option of another list


def test_an_unknown_scheme_is_an_error_naming_it():
    with pytest.raises(LookupError, match="'colour'"):
        options("colour")


def test_the_preferred_label_is_the_forms_spelling():
    assert pref_label(VOCAB["system/intermediate-server"]) == "中間サーバー"
    assert pref_label(VOCAB["method/email"]) == "電子メール"
    assert pref_label(ID["assessment/not-a-concept"]) is None


def test_a_report_graph_labels_the_concepts_it_links_to():
    flow = ID["assessment/test/file/1/provision/1"]
    recipient = ID["org/test"]
    graph = Graph()
    graph.add((flow, PIA.method, VOCAB["method/flash-memory"]))
    graph.add((flow, PIA.recipient, recipient))
    label_linked_concepts(graph)
    assert graph.value(VOCAB["method/flash-memory"], RDFS.label) == Literal("フラッシュメモリ", lang="ja")
    assert graph.value(recipient, RDFS.label) is None  # only vocabulary concepts are labelled
