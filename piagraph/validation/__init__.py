"""The form's rules (`shapes/*.ttl`, SHACL) run on report graphs: 評価書の点検.

* `piagraph.validation.rules` — the shapes, the rule list, `validate_graph` → `Finding`s with evidence;
* `piagraph.validation.findings` — findings as SHACL validation results (RDF), for the store;
* `piagraph.validation.form_rules` — the rules of each form: hand-written shapes that apply to it, in
  its numbering, and the completeness rules generated from its description (`loaders.forms`);
* `piagraph.validation.store_rules` — rules across reports (基礎 and 重点/全項目), as SPARQL on a store;
* `piagraph.validation.runner` — validating report files, or a store's current reports (in parallel);
* `piagraph.validation.rdflib_cache` — the one change to a library's behaviour, installed explicitly.
"""

from piagraph.validation.findings import findings_graph
from piagraph.validation.rules import Finding, Rule, rules, shapes_graph, validate_graph, validate_report
from piagraph.validation.runner import Run, validate_files, validate_store
from piagraph.validation.store_rules import StoreRule, check_store, store_rules

__all__ = ["Finding", "Rule", "Run", "StoreRule", "check_store", "findings_graph", "rules", "shapes_graph",
           "store_rules", "validate_files", "validate_graph", "validate_report", "validate_store"]
