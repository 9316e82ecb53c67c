"""A synthetic national-size corpus: report graphs made from the loaded seeds and samples.

Each synthetic report takes one template report (a tidy seed or a sample, as loaded by the real
loader) and rewrites it for another body (評価実施機関), 評価書番号 and 公表日:

* IRIs local to the report (``id/assessment/<h>/…``, ``id/graph/<h>``) get the new report's hash;
  the assessor (``id/org/<h>``) and its departments (``id/org/<h>/dept/…``) get the new body's;
  contractors, other bodies and vocabulary concepts keep their IRIs, so they are shared across
  reports as in the real corpus (the same company serves many municipalities).
* Literals naming the template body (高岡市長, 高岡市 …) name the new body; 評価書番号 and 公表日 change.

About one body in seven also gets an older version of one of its reports (a second graph of the same
series, not current), so queries restricted to current versions have something to skip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from ontology import ID, PIA
from piagraph.store import ReportGraph

PLACE_PARTS = "北南東西中上下新大小山川田野原島浜松岡崎宮本高長平津若富"
KINDS = ("市", "町", "村")


def synthetic_bodies(count: int, seed: int = 7) -> list[str]:
    """`count` distinct invented body names such as 北川市長, 松浜町長."""
    rng = random.Random(seed)
    names = [f"{a}{b}{kind}長" for a in PLACE_PARTS for b in PLACE_PARTS if a != b for kind in KINDS]
    rng.shuffle(names)
    if count > len(names):
        raise ValueError(f"at most {len(names)} synthetic bodies")
    return names[:count]


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Template:
    """One loaded report used as a pattern."""

    report: ReportGraph
    body: str  # e.g. 高岡市長
    city: str  # e.g. 高岡市
    assessor: URIRef
    number: str


def template_of(loaded) -> Template:
    report = ReportGraph.of(loaded)
    assessor = next(report.graph.objects(report.assessment, PIA.assessor))
    body = str(next(report.graph.objects(assessor, RDFS.label)))
    number = next((str(n) for n in report.graph.objects(report.assessment, PIA.assessmentNumber)), "")
    return Template(report=report, body=body, city=body[:-1] if body.endswith("長") else body, assessor=assessor, number=number)


def rewrite(template: Template, body: str, number: str, published: dt.date) -> ReportGraph:
    """The template's graph as the report `number` of `body`, published on `published`."""
    old_key = template.report.graph_iri.rsplit("/", 1)[1]
    new_key = _hash(f"{body}|{number}|{published.isoformat()}")
    new_org = ID[f"org/{_hash(body)}"]
    city = body[:-1] if body.endswith("長") else body
    dept_pattern = re.compile(r"(/id/org/)[0-9a-f]+(/dept/)")
    old_assessment_prefix = f"{ID}assessment/{old_key}"
    # other organisations named after the template body (みどり市教育委員会 …) become the new body's
    renamed = {
        node: ID[f"{str(node)[len(str(ID)):].split('/')[0]}/{_hash(str(label).replace(template.city, city))}"]
        for node, label in template.report.graph.subject_objects(RDFS.label)
        if isinstance(node, URIRef) and template.city in str(label) and node != template.assessor
        and "/dept/" not in str(node) and str(node).startswith((f"{ID}org/", f"{ID}contractor/"))
    }

    def iri(node: URIRef) -> URIRef:
        text = str(node)
        if node == template.assessor:
            return new_org
        if node in renamed:
            return renamed[node]
        if text.startswith(old_assessment_prefix):
            return URIRef(f"{ID}assessment/{new_key}{text[len(old_assessment_prefix):]}")
        if "/dept/" in text:
            return URIRef(dept_pattern.sub(rf"\g<1>{_hash(body)}\g<2>", text))
        return node

    def literal(value: Literal, predicate: URIRef) -> Literal:
        if predicate == PIA.assessmentNumber:
            return Literal(number)
        if predicate == PIA.publishedOn:
            return Literal(published)
        text = str(value)
        if template.city not in text:
            return value
        text = text.replace(template.body, body).replace(template.city, city)
        return Literal(text, lang=value.language, datatype=value.datatype)

    graph = rdflib.Graph()
    for s, p, o in template.report.graph:
        new_s = iri(s) if isinstance(s, URIRef) else s
        new_o = iri(o) if isinstance(o, URIRef) else literal(o, p) if isinstance(o, Literal) else o
        graph.add((new_s, p, new_o))
    return ReportGraph(
        graph_iri=ID[f"graph/{new_key}"],
        graph=graph,
        assessment=URIRef(f"{ID}assessment/{new_key}"),
        series_key=f"{body}|{number}",
        published_on=published,
        source_file=f"synthetic/{_hash(body)}-{number}.txt",
    )


def synthetic_reports(templates: list[Template], reports: int, seed: int = 7) -> Iterator[ReportGraph]:
    """`reports` report graphs: current reports of many bodies, plus some older versions."""
    rng = random.Random(seed)
    old_versions = reports // 8
    current = reports - old_versions
    per_body = 3
    bodies = synthetic_bodies((current + per_body - 1) // per_body, seed)
    made: list[tuple[str, str, Template, dt.date]] = []
    for index in range(current):
        body = bodies[index // per_body]
        template = templates[index % len(templates)]
        number = str(1 + index % per_body + 10 * (index % len(templates)))
        published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        made.append((body, number, template, published))
        yield rewrite(template, body, number, published)
    for body, number, template, published in rng.sample(made, old_versions):
        yield rewrite(template, body, number, published - dt.timedelta(days=rng.randrange(365, 5 * 365)))
