"""Score the reading of layout-lost text: seed 001 (and the same text in CP932) against an answer key
written by reading it, and the pdftotext fixtures against their keys.

    .venv/bin/python bench/score_layout_lost.py                      # print the scores
    .venv/bin/python bench/score_layout_lost.py --markdown bench/results/layout-lost.md
    .venv/bin/python bench/score_layout_lost.py --code /tmp/before --label before --json before.json

The answer key of seed 001 (tests/fixtures/keys/001_a254beb0297f7ce1.tsv) is facts — field, context,
value — read from the text, not from piagraph's output. The graph piagraph makes of the text is
turned into facts of the same shape (IRI-free, the context naming the file: seed 001 has six), and
each field is scored: recall (key facts found) and precision (facts found that the key has). A field
the key marks ``sample`` is scored only on the contexts the key lists; every other field is complete.

The pdftotext fixtures (tests/fixtures/pdf/form/*.pdftotext.txt: the PPC-form PDFs' text taken
column by column) are scored with `bench/score_fields.py`'s fact model against their ``.key.ttl``.

For every input it also reports the share of values placed with confidence 1: per value (each value's
own pia:ValueEvidence, docs/evidence.md) and per node (a value counted uncertain when its node carries
pia:confidence < 1 — all a graph without per-value evidence can say). ``--code DIR`` converts with
another checkout's loaders (the code before a change), so before/after are measured the same way.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from score_fields import CORE_FIELDS, Facts, compare, totals  # noqa: E402

PIA = Namespace("https://w3id.org/piagraph/ns#")
SEED = REPO.parent / "shared" / "seeds" / "001_a254beb0297f7ce1.txt"
KEY = REPO / "tests" / "fixtures" / "keys" / "001_a254beb0297f7ce1.tsv"
FIXTURES = sorted((REPO / "tests" / "fixtures" / "pdf" / "form").glob("*.pdftotext.txt"))
NOT_VALUES = {PIA.sourceSection, PIA.sourceLine, PIA.sourceFile, PIA.sourceEncoding, PIA.sourceShape,
              PIA.confidence, PIA.unresolvedText, PIA.readingNote, PIA.valueLine, PIA.valueSection,
              PIA.valueConfidence, PIA.valueReason, RDF.subject, RDF.predicate, RDF.object, RDF.type,
              PIA.systemNumber, PIA.flowNumber, PIA.hasFile, PIA.ofFile, PIA.usesSystem, PIA.covers,
              PIA.hasChange, PIA.hasGap, PIA.riskMeasure, PIA.checkboxReading, PIA.hasOverviewBlock,
              PIA.hasRiskBlock, PIA.partOf, PIA.registeredAffair, PIA.citation, PIA.riskArea}
ERA = {"令和": 2018, "平成": 1988, "昭和": 1925}


def squeeze(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def as_date(text: str) -> str:
    """A 和暦 or Western date as YYYY-MM-DD; other text unchanged."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    found = re.fullmatch(r"(令和|平成|昭和)\s*(\d+|元)\s*年\s*(\d+)\s*月\s*(\d+)\s*日", text)
    if found:
        year = ERA[found.group(1)] + (1 if found.group(2) == "元" else int(found.group(2)))
        return f"{year:04d}-{int(found.group(3)):02d}-{int(found.group(4)):02d}"
    return text


# --- the facts of a multi-file report ----------------------------------------------------------

class FileFacts:
    """A graph's facts in the answer key's shape: (field, context, value), contexts naming the file."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.facts: Counter = Counter()
        self._collect()

    def label(self, node) -> str:
        if isinstance(node, Literal):
            return str(node)
        labels = sorted(str(o) for o in self.graph.objects(node, RDFS.label))
        return labels[0] if labels else str(node).rstrip("/").rsplit("/", 1)[-1]

    def add(self, field: str, context: str, value) -> None:
        self.facts[(field, squeeze(context), squeeze(value))] += 1

    def _collect(self) -> None:
        g = self.graph
        for assessment in g.subjects(RDF.type, PIA.Assessment):
            for field in ("assessmentNumber", "formType"):
                for value in g.objects(assessment, PIA[field]):
                    self.add(field, "", value)
            for value in g.objects(assessment, PIA.publishedOn):
                self.add("publishedOn", "", value)
            for body in g.objects(assessment, PIA.assessor):
                self.add("assessor", "", self.label(body))
            for affair in g.objects(assessment, PIA.covers):
                self.add("affair", "", self.label(affair))
                for department in g.objects(affair, PIA.responsibleDepartment):
                    self.add("responsibleDepartment", "", self.label(department))
                for value in g.objects(affair, PIA.networkLinkage):
                    self.add("networkLinkage", "", value)
                for system in g.objects(affair, PIA.usesSystem):
                    self.add("system", "", self.label(system))
                for file in g.objects(affair, PIA.hasFile):
                    self.file(file)

    def file(self, file) -> None:
        g, name = self.graph, self.label(file)
        self.add("file", "", name)
        for field in ("retentionStart", "useStart"):
            for value in g.objects(file, PIA[field]):
                self.add(field, name, as_date(value))
        for department in g.objects(file, PIA.handlingDepartment):
            self.add("handlingDepartment", name, self.label(department))
        for field in ("subjectCountBand", "recordCountBand", "entrustmentChoice", "seriousIncident"):
            for value in g.objects(file, PIA[field]):
                self.add(field, name, self.label(value))
        for field in ("statedEntrustmentCount", "statedProvisionCount", "statedTransferCount"):
            for value in g.objects(file, PIA[field]):
                self.add(field, name, value)
        for value in g.objects(file, PIA.auditKind):
            self.add("auditKind", name, value)
        for flow in g.subjects(PIA.ofFile, file):
            kinds = set(g.objects(flow, RDF.type))
            if PIA.Entrustment in kinds:
                for contractor in g.objects(flow, PIA.contractor):
                    self.add("contractor", name, self.label(contractor))
            elif PIA.Acquisition in kinds:
                for source in g.objects(flow, PIA.source):
                    if "/vocab/" in str(source):
                        self.add("sourceCategory", name, self.label(source))
                    else:
                        self.add("sourceBody", name, self.label(source))
                for method in g.objects(flow, PIA.method):
                    self.add("acquisitionMethod", name, self.label(method))
            else:
                word = "提供" if PIA.Provision in kinds else "移転"
                number = next(iter(g.objects(flow, PIA.flowNumber)), "?")
                context = f"{name} {word}{number}"
                self.add("disclosure", name, f"{word}{number}")
                for field in ("recipient", "legalBasis", "method"):
                    for value in g.objects(flow, PIA[field]):
                        self.add(field, context, self.label(value))
                for value in g.objects(flow, PIA.frequency):
                    self.add("frequency", context, value)
        for measure in g.objects(file, PIA.riskMeasure):
            section = str(g.value(measure, PIA.sourceSection) or "")
            label = self.label(measure)
            self.add("riskMeasure", f"{name} | {section}", label)
            for value in g.objects(measure, PIA.adequacy):
                self.add("adequacy", f"{name} | {section} | {label}", value)
        # Sets per file: the methods of each 入手元 repeat, a contractor of several 委託事項 is one.
        for fact in [f for f in self.facts if f[0] in ("acquisitionMethod", "contractor", "sourceBody")
                     and self.facts[f] > 1]:
            self.facts[fact] = 1


def read_key(path: Path) -> tuple[Counter, set[str], set[tuple[str, str]]]:
    """The key's facts, its sample fields, and the contexts it marks unreadable (value ``?``)."""
    facts, sample, unknown = Counter(), set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# sample:"):
            sample = set(line.split(":", 1)[1].split())
        if not line.strip() or line.startswith("#"):
            continue
        field, context, value = line.split("\t")[:3]
        if value == "?":
            unknown.add((field, squeeze(context)))
        else:
            facts[(field, squeeze(context), squeeze(value))] += 1
    return facts, sample, unknown


def _unknown(fact: tuple, unknown: set[tuple[str, str]]) -> bool:
    """A fact in a context the key leaves unreadable (adequacy contexts extend their riskMeasure's)."""
    field, context = fact[0], fact[1]
    if field == "adequacy":
        return ("riskMeasure", context.rsplit("|", 1)[0]) in unknown
    return (field, context) in unknown


def score_key(key: Counter, sample: set[str], got: Counter, unknown: set[tuple[str, str]] = frozenset()) -> dict:
    fields = {}
    contexts = {(f, c) for f, c, _ in key}
    for field in sorted({f for f, _, _ in key}):
        want = Counter({fact: n for fact, n in key.items() if fact[0] == field})
        have = Counter({fact: n for fact, n in got.items() if fact[0] == field and not _unknown(fact, unknown)
                        and (field not in sample or (fact[0], fact[1]) in contexts)})
        hit = sum((want & have).values())
        fields[field] = {"key": sum(want.values()), "found": sum(have.values()), "hit": hit,
                         "missing": sorted("|".join(f[1:]) for f in (want - have).elements()),
                         "extra": sorted("|".join(f[1:]) for f in (have - want).elements())}
    key_n = sum(f["key"] for f in fields.values())
    found_n = sum(f["found"] for f in fields.values())
    hit_n = sum(f["hit"] for f in fields.values())
    return {"fields": fields, "recall": hit_n / key_n if key_n else None,
            "precision": hit_n / found_n if found_n else None, "key": key_n, "found": found_n, "hit": hit_n}


# --- confidence of the values ----------------------------------------------------------------------

def confidence_shares(graph: Graph) -> dict:
    """(values with confidence 1, values) per value — from pia:ValueEvidence — and per node."""
    per_value = None
    evidence = list(graph.subjects(PIA.valueLine, None))
    if evidence:
        certain = sum(1 for e in evidence if graph.value(e, PIA.valueConfidence) is None
                      and graph.value(e, RDF.predicate) != PIA.unresolvedText)
        total = sum(1 for e in evidence if graph.value(e, RDF.predicate) != PIA.unresolvedText)
        per_value = (certain, total)
    values = [(s, p) for s, p, _ in graph if p not in NOT_VALUES and (s, PIA.valueLine, None) not in graph
              and not (isinstance(s, URIRef) and "/vocab/" in str(s)) and graph.value(s, PIA.sourceLine) is not None]
    certain_nodes = sum(1 for s, _ in values if graph.value(s, PIA.confidence) is None)
    return {"per_value": per_value, "per_node": (certain_nodes, len(values))}


# --- converting ----------------------------------------------------------------------------------

def convert(path: Path, code: Path | None, work: Path) -> Graph:
    target = work / (path.stem + ".nt")
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = str(code)
    done = subprocess.run([sys.executable, "-m", "piagraph", "convert", str(path), "-o", str(target)],
                          capture_output=True, text=True, timeout=900, env=env, cwd=str(code or REPO))
    if done.returncode != 0:
        raise SystemExit(f"{path}: conversion failed: {done.stderr.strip()[-300:]}")
    return Graph().parse(target)


def run(code: Path | None) -> dict:
    results = {"seed": [], "fixtures": []}
    key, sample, unknown = read_key(KEY)
    with tempfile.TemporaryDirectory(prefix="piagraph-layout-") as work:
        work = Path(work)
        cp932 = work / "001_cp932.txt"
        cp932.write_bytes(SEED.read_text(encoding="utf-8").encode("cp932", errors="replace"))
        for name, path in (("seed 001 (UTF-8)", SEED), ("seed 001 (CP932)", cp932)):
            graph = convert(path, code, work)
            scored = score_key(key, sample, FileFacts(graph).facts, unknown)
            results["seed"].append({"input": name, **scored, "confidence": confidence_shares(graph)})
        for fixture in FIXTURES:
            key_graph = Graph().parse(fixture.with_name(fixture.name.replace(".pdftotext.txt", ".key.ttl")))
            graph = convert(fixture, code, work)
            fields = compare(Facts(key_graph), Facts(graph))
            results["fixtures"].append({"input": fixture.name, "core": totals(fields, text=False),
                                        "text": totals(fields, text=True),
                                        "recall": {f: fields[f]["recall"] for f in CORE_FIELDS if f in fields},
                                        "confidence": confidence_shares(graph)})
    return results


# --- output --------------------------------------------------------------------------------------

def pct(value) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def share(pair) -> str:
    return "—" if not pair else f"{pair[0]}/{pair[1]} ({pct(pair[0] / pair[1] if pair[1] else None)})"


def show(results: dict, label: str) -> list[str]:
    lines = [f"### {label}", "", "| input | recall | precision | confidence 1 per value | confidence 1 per node |",
             "|---|---|---|---|---|"]
    for r in results["seed"]:
        lines.append(f"| {r['input']} | {pct(r['recall'])} ({r['hit']}/{r['key']}) | {pct(r['precision'])} "
                     f"({r['hit']}/{r['found']}) | {share(r['confidence']['per_value'])} | "
                     f"{share(r['confidence']['per_node'])} |")
    for r in results["fixtures"]:
        core = r["core"]
        lines.append(f"| {r['input']} | {pct(core['recall'])} ({core['hit']}/{core['key']}) | "
                     f"{pct(core['precision'])} ({core['hit']}/{core['pdf']}) | {share(r['confidence']['per_value'])} "
                     f"| {share(r['confidence']['per_node'])} |")
    lines += ["", f"Seed 001 (UTF-8) per field ({label}):", "", "| field | key | found | hit | recall | precision |",
              "|---|---|---|---|---|---|"]
    for name, f in results["seed"][0]["fields"].items():
        lines.append(f"| {name} | {f['key']} | {f['found']} | {f['hit']} | {pct(f['hit'] / f['key'] if f['key'] else None)} "
                     f"| {pct(f['hit'] / f['found'] if f['found'] else None)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, help="convert with the loaders of this checkout (the code before)")
    parser.add_argument("--label", default="now")
    parser.add_argument("--json", type=Path, help="write the results as JSON")
    parser.add_argument("--before", type=Path, help="JSON of an earlier run, shown beside this one")
    parser.add_argument("--markdown", type=Path, help="write bench/results/layout-lost.md")
    parser.add_argument("--show", action="store_true", help="list the seed's missing and extra facts")
    args = parser.parse_args(argv)
    results = run(args.code)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = show(results, args.label)
    print("\n".join(lines))
    if args.show:
        for name, f in results["seed"][0]["fields"].items():
            for fact in f["missing"]:
                print(f"  - {name}: {fact}")
            for fact in f["extra"]:
                print(f"  + {name}: {fact}")
    if args.markdown:
        before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
        text = [
            "# Layout-lost text: field scores and confidence", "",
            f"{datetime.date.today().isoformat()} · Python {platform.python_version()} · {platform.machine()}", "",
            "Command: `python bench/score_layout_lost.py " + " ".join(argv if argv is not None else sys.argv[1:]) + "`",
            "", (__doc__ or "").split("\n\n", 2)[2].strip(), "",
        ]
        if before:
            text += show(before, "before") + [""]
        text += show(results, args.label)
        args.markdown.write_text("\n".join(text) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
