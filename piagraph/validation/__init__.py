"""The form's rules (`shapes/*.ttl`, SHACL) run on report graphs: 評価書の点検.

* `piagraph.validation.rules` — the shapes, the rule list, `validate_graph` → `Finding`s with evidence;
* `piagraph.validation.findings` — findings as SHACL validation results (RDF), for the store;
* `piagraph.validation.runner` — validating report files, or a store's current reports (in parallel);
* `piagraph.validation.rdflib_cache` — the one change to a library's behaviour, installed explicitly.
"""

from piagraph.validation.findings import findings_graph
from piagraph.validation.rules import Finding, Rule, rules, shapes_graph, validate_graph, validate_report
from piagraph.validation.runner import Run, validate_files, validate_store

__all__ = ["Finding", "Rule", "Run", "findings_graph", "rules", "shapes_graph", "validate_files", "validate_graph",
           "validate_report", "validate_store"]
