"""The one change piagraph makes to a library (`piagraph.validation.rdflib_cache`).

It is made only by an explicit call, once, and changes speed only: the SHACL results on a seed are
the same with it and without it. Each check runs in a fresh Python process, since the change is
process-wide and other tests install it.
"""

from __future__ import annotations

import json
import subprocess
import sys

from rdflib import Graph
from rdflib.plugins.sparql.processor import SPARQLProcessor

from piagraph.validation import rdflib_cache
from tests.conftest import REPO, seed_path

CHILD = """
import datetime as dt, json, sys
import pyshacl
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.processor import SPARQLProcessor

import piagraph.cli, piagraph.validation.runner  # everything validation imports, nothing installed
from loaders.pipeline import load_report
from ontology import ontology_graph
from piagraph.validation import rdflib_cache
from piagraph.validation.rules import dated_shapes


def installed():
    return getattr(SPARQLProcessor.query, "_piagraph_cached", False)


def results(graph):
    return pyshacl.validate(graph, shacl_graph=dated_shapes(dt.date(2025, 9, 1)), ont_graph=ontology_graph(),
                            inference="none", allow_infos=True, allow_warnings=True)[1]


graph = load_report(sys.argv[1]).graph
after_import = installed()
without = results(graph)
rdflib_cache.install()
with_cache = results(graph)
print(json.dumps({"after_import": after_import, "after_install": installed(), "same": isomorphic(without, with_cache),
                  "results": len(with_cache), "cached_texts": rdflib_cache._translated.cache_info().currsize}))
"""


def test_the_change_is_made_only_by_install_and_leaves_the_seed_results_unchanged():
    run = subprocess.run([sys.executable, "-c", CHILD, str(seed_path("000"))], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout)
    assert outcome["after_import"] is False and outcome["after_install"] is True
    assert outcome["same"] and outcome["results"] > 0  # seed 000 breaks rules: there are results to compare
    assert outcome["cached_texts"] > 0  # the rules' SPARQL went through the cache


def test_installing_twice_changes_nothing_and_a_repeated_query_is_parsed_once():
    rdflib_cache.install()
    installed = SPARQLProcessor.query
    rdflib_cache.install()
    assert SPARQLProcessor.query is installed
    text = "SELECT ?s WHERE { ?s ?p ?o } # test_rdflib_cache"
    before = rdflib_cache._translated.cache_info()
    for _ in range(3):
        assert list(Graph().query(text)) == []
    after = rdflib_cache._translated.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 2)
