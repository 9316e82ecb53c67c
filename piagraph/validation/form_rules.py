"""The rules of each form: the shapes of `shapes/*.ttl` that apply to it, in its own numbering, and
the completeness rules generated from its description (`loaders.forms`).

A report is validated against the rules of its form (its ``pia:formType``; 様式3 when it names
none):

* a hand-written shape that names forms (``pia:forms "様式3" , "様式4"``) is deactivated for the
  other forms (``sh:deactivated true``, SHACL Core): 様式2 has no per-file overview, so the rules on
  a file's II block do not apply to it;
* a message names items in the report's own numbering: ``{ref:情報連携}`` is ``I-5`` in 様式3 and
  ``I-6`` in 様式4, ``{no:再委託の許諾方法}`` is ⑤ or ⑧, ``{changes}`` is 別添2 or 別添3 変更箇所,
  ``{risks}`` the section that rates the risks (III, or IV in 様式2);
* every row of the description with ``required`` becomes a rule: its value must be in the graph
  (``sh:minCount 1`` on the node its part fills), and every rated part with ``required`` must be
  rated — so a new edition of a form that adds a required row is a change of data.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from loaders.forms import Field, Form, Part, Section, all_forms, load_form
from ontology import PIA

PIASH = Namespace("https://w3id.org/piagraph/shapes#")

# The node a row's value is written on, by the role of its part (or section) and its block.
PART_TARGETS = {"affair": PIA.Affair, "assessment": PIA.Assessment, "file": PIA.PersonalInfoFile}
BLOCK_TARGETS = {"system": PIA.System, "entrustment": PIA.Entrustment, "provision": PIA.Provision,
                 "transfer": PIA.Transfer}
SECTION_TARGETS = {"cover": PIA.Assessment, "threshold": PIA.Assessment, "procedures": PIA.Assessment,
                   "inquiries": PIA.Assessment}


def _path(text: str | None, field: Field) -> URIRef:
    if text is None:
        return PIA[field.term]
    prefix, local = text.split(":", 1)
    return {"pia": PIA, "rdfs": RDFS}[prefix][local]


def _target(section: Section, part: Part | None, field: Field) -> URIRef | None:
    if field.block:
        return BLOCK_TARGETS.get(field.block)
    if part is not None and part.role in PART_TARGETS:
        return PART_TARGETS[part.role]
    return SECTION_TARGETS.get(section.role)


def _rule_shape(graph: Graph, iri: URIRef, rule: str, title: str, comment: str) -> URIRef:
    graph.add((iri, RDF.type, SH.NodeShape))
    graph.add((iri, PIA.ruleId, Literal(rule)))
    graph.add((iri, RDFS.label, Literal(title, lang="ja")))
    graph.add((iri, RDFS.comment, Literal(comment, lang="en")))
    return iri


def _property(graph: Graph, shape: URIRef, rule: str, path, message: str) -> BNode:
    node = BNode()
    graph.add((shape, SH.property, node))
    graph.add((node, PIA.ruleId, Literal(rule)))
    graph.add((node, SH.path, path))
    graph.add((node, SH.severity, SH.Violation))
    graph.add((node, SH.message, Literal(message, lang="ja")))
    return node


@lru_cache(maxsize=None)
def generated_shapes(form_name: str) -> Graph:
    """The completeness rules of one form, from the ``required`` of its rows and rated parts."""
    form = load_form(form_name)
    graph = Graph()
    number = 0
    source = f"loaders/forms/form{form.form[-1]}.toml"
    for section in form.sections:
        rows = [(None, f) for f in section.fields] + [(p, f) for p in section.parts for f in p.fields]
        for part, field in rows:
            target = _target(section, part, field)
            if field.required is None or target is None:
                continue
            number += 1
            where = f"{section.key}-{part.number}" if part else section.title
            shape = _rule_shape(graph, PIASH[f"{form.form}-{field.required.rule}-{number}"], field.required.rule,
                                field.label, f"Source: {form.form} {form.name} {where} {field.label}, a required row "
                                             f"(generated from {source}).")
            graph.add((shape, SH.targetClass, target))
            node = _property(graph, shape, field.required.rule, _path(field.required.path, field),
                             field.required.message)
            graph.add((node, SH.minCount, Literal(1)))
        for part in section.parts:
            if part.required is None or section.role not in ("risks", "overall-risks"):
                continue
            number += 1
            shape = _rule_shape(graph, PIASH[f"{form.form}-{part.required.rule}-{number}"], part.required.rule,
                                f"{section.key} の各区分の評価", f"Source: {form.form} {form.name} {section.key}-"
                                f"{part.number} {part.title}: the area is always rated (generated from {source}).")
            holder = PIA.riskMeasure if section.role == "risks" else PIA.overallRiskMeasure
            if section.role == "risks":
                graph.add((shape, SH.targetSubjectsOf, PIA.riskMeasure))
            else:
                graph.add((shape, SH.targetClass, PIA.Affair))
            node = _property(graph, shape, part.required.rule, holder, part.required.message)
            area = BNode()
            condition = BNode()
            graph.add((node, SH.qualifiedValueShape, condition))
            graph.add((condition, SH.property, area))
            graph.add((area, SH.path, PIA.riskArea))
            graph.add((area, SH.hasValue, Literal(part.area or part.title)))
            graph.add((node, SH.qualifiedMinCount, Literal(1)))
    return graph


def _substitute(message: str, form: Form) -> str:
    """The form's numbering in a message's ``{ref:…}``, ``{no:…}``, ``{changes}`` and ``{risks}``."""
    message = re.sub(r"\{ref:([^}]+)\}", lambda m: form.ref(m.group(1)), message)
    message = re.sub(r"\{no:([^}]+)\}", lambda m: form.row_number(m.group(1)), message)
    changes = form.with_role("changes")
    if changes is not None:
        message = message.replace("{changes}", changes.title.replace("(", "").replace(")", ""))
    risks = form.with_role("risks") or form.with_role("overall-risks")
    return message.replace("{risks}", risks.key if risks else "")


def for_form(shapes: Graph, form_name: str) -> Graph:
    """The shapes a report of `form_name` is validated with (a new graph): the hand-written ones,
    deactivated where they name other forms, in the form's numbering; and the generated ones."""
    form = load_form(form_name)
    graph = Graph()
    for triple in shapes:
        graph.add(triple)
    for triple in generated_shapes(form_name):
        graph.add(triple)
    for shape in set(graph.subjects(PIA.forms, None)):
        if Literal(form_name) not in set(graph.objects(shape, PIA.forms)):
            graph.add((shape, SH.deactivated, Literal(True)))
    for subject, message in list(graph.subject_objects(SH.message)):
        if "{" in message and "{?" not in message:
            graph.remove((subject, SH.message, message))
            graph.add((subject, SH.message, Literal(_substitute(str(message), form), lang=message.language)))
    return graph


def every_form_rule(shapes: Graph) -> Graph:
    """The hand-written shapes and the generated rules of every form (to list them)."""
    graph = Graph()
    for triple in shapes:
        graph.add(triple)
    for form in all_forms():
        for triple in generated_shapes(form.form):
            graph.add(triple)
    return graph


def form_name_of(graph: Graph) -> str:
    """The form a report graph is of (its pia:formType), 様式3 when it names none."""
    from loaders.forms import form_of_type

    assessment = next(graph.subjects(RDF.type, PIA.Assessment), None)
    form_type = graph.value(assessment, PIA.formType) if assessment is not None else None
    return form_of_type(str(form_type) if form_type is not None else None).form


__all__ = ["every_form_rule", "for_form", "form_name_of", "generated_shapes"]
