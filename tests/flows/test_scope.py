"""Choosing which reports the flow model reads (`piagraph.flows.scope`), as the CLI and the app do.

The store holds midori_kokuho.txt, midori_kouki.txt and an older version of kouki loaded from a
file of the same name (令和5年 instead of 令和7年2月14日): a name that matches both is ambiguous, and
a body's scope holds its current reports only.
"""

from __future__ import annotations

import pytest

from ontology.errors import ScopeError
from piagraph.flows.scope import Scope, municipality_scope, report_scope
from piagraph.store import EmbeddedStore
from tests.conftest import SAMPLES, load_sample
from tests.sample_stores import older_kouki, store_of

KOKUHO_IDS = {
    "file": lambda report: "midori_kokuho.txt",
    "stem": lambda report: "midori_kokuho",
    "graph": lambda report: str(report.graph_iri),
    "graph-in-brackets": lambda report: f"<{report.graph_iri}>",
    "graph-key": lambda report: str(report.graph_iri).rsplit("/", 1)[-1],
    "assessment": lambda report: str(report.assessment),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("scope")
    reports = [SAMPLES / "midori_kokuho.txt", SAMPLES / "midori_kouki.txt",
               older_kouki(directory / "archive" / "midori_kouki.txt")]
    with EmbeddedStore(store_of(directory / "store", reports)) as opened:
        yield opened


@pytest.mark.parametrize("kind", sorted(KOKUHO_IDS))
def test_a_report_is_found_by_any_of_its_ids(store, kind):
    kokuho = load_sample("midori_kokuho.txt")
    scope = report_scope(store, KOKUHO_IDS[kind](kokuho))
    assert scope.graphs == (kokuho.graph_iri,)
    assert "みどり市長" in scope.description and "国民健康保険に関する事務" in scope.description


@pytest.mark.parametrize("name", ["みどり市", "みどり市長"])
def test_a_body_by_its_name_or_its_heads_title_is_its_current_reports(store, name):
    current = {load_sample("midori_kokuho.txt").graph_iri, load_sample("midori_kouki.txt").graph_iri}
    assert set(municipality_scope(store, name).graphs) == current


def test_a_file_name_of_two_versions_is_ambiguous_and_both_are_listed(store):
    with pytest.raises(ScopeError, match="ambiguous") as error:
        report_scope(store, "midori_kouki.txt")
    message = str(error.value)
    assert "\n" not in message and message.count("後期高齢者医療に関する事務") == 2
    assert message.count("(旧版)") == 1 and str(load_sample("midori_kouki.txt").graph_iri) in message


def test_unknown_names_give_one_clear_line(store):
    with pytest.raises(ScopeError, match="'midori_kaigo.txt'"):
        report_scope(store, "midori_kaigo.txt")  # a sample that was not loaded
    with pytest.raises(ScopeError, match="'架空町'.*みどり市長") as error:
        municipality_scope(store, "架空町")  # names the bodies the store does hold
    assert "\n" not in str(error.value)


def test_the_default_scope_is_every_current_report_and_a_chosen_one_lists_its_graphs(store):
    assert "isCurrent" in Scope().pattern()
    kokuho = load_sample("midori_kokuho.txt").graph_iri
    assert report_scope(store, "midori_kokuho").pattern() == f"VALUES ?g {{ <{kokuho}> }}"
