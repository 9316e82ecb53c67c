"""Score a PDF's reading field by field against the reading of the tidy text it was printed from.

    .venv/bin/python bench/score_fields.py REPORT.pdf KEY.ttl [--source SAMPLE.txt] [--show 20]
    .venv/bin/python bench/score_fields.py --pairs                     # every fixture with a key
    .venv/bin/python bench/score_fields.py --pairs bench/pdf_fields_pairs.tsv --markdown bench/results/pdf-fields.md

KEY.ttl is the graph ``piagraph convert`` makes of the tidy sample text (written next to each
fixture by tests/fixtures/make_form_pdfs.py; a ``.txt`` KEY is converted on the fly). The PDF is
converted with the ``piagraph`` CLI in a subprocess; nothing of the loaders is imported. Both
graphs are turned into facts that do not depend on IRIs: tuples of a field name, a context (which
flow, which system, which risk section …) and a value, every string normalised with NFKC and its
whitespace collapsed. Per field of the core vocabulary (shared/VOCABULARY.md) the scorer reports
recall (key facts found) and precision (facts found that the key has), and lists the facts that
differ, each missing/extra pair with the same context classed as

- ``spacing``: equal once all whitespace is removed;
- ``cut``: the PDF's value is a strict prefix or suffix of the key's (text lost at a break);
- ``glued``: the key's value is inside the PDF's (something stuck to it);
- ``other``;

and a value found under another context (``context``: e.g. a connection of a system whose name
was misread).

It also reports values holding words that occur nowhere in the source (page furniture such as
the running header ``[令和7年5月 様式3]`` or a page number glued to a value), found by 4-gram
coverage against the source text, the printed cells and the key's values, and the share of
confidence-bearing nodes with ``pia:confidence`` < 1, for the PDF and, for comparison, the key.

Long texts that are not in the core vocabulary (事務の内容, システムの機能, 使用方法, …) are
scored as a separate group, ``text``, since they are what page breaks cut.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

REPO = Path(__file__).resolve().parents[1]
PIA = Namespace("https://w3id.org/piagraph/ns#")
FIXTURES = REPO / "tests" / "fixtures" / "pdf"
FLOW_KINDS = {"Acquisition": "入手", "Entrustment": "委託", "Provision": "提供", "Transfer": "移転"}
CORE_FIELDS = [
    "assessmentNumber", "publishedOn", "formType", "assessor", "affair", "responsibleDepartment",
    "numberUseBasis", "networkLinkage", "linkageBasis", "system", "connectsTo", "canonicalSystem", "file",
    "flow", "ofFile", "recipient", "contractor", "source", "method", "legalBasis", "purpose", "frequency",
    "subcontracting", "riskMeasure", "adequacy", "change", "changeDetail",
]
# Long free texts outside the core vocabulary: scored apart (group "text").
TEXT_FIELDS = {
    "formVersion": "様式 version", "description": "I-1 ②事務の内容", "function": "I-2 ②システムの機能",
    "usePurpose": "II-3 ③使用目的", "usage": "II-3 ⑤使用方法", "subjectScope": "⑤対象となる本人の範囲",
    "information": "③提供/移転する情報", "storage": "II-6 保管場所", "subcontractPermission": "⑤再委託の許諾方法",
    "subcontractItems": "⑥再委託事項", "entrustmentTitle": "委託事項N",
}
# Not values read from the report: provenance (of nodes and of each value, docs/evidence.md), the
# loader's own notes on gaps, and text kept aside because no field took it (it may hold page
# furniture by design).
NOT_VALUES = {PIA.sourceSection, PIA.sourceFile, PIA.sourceShape, PIA.sourceEncoding, PIA.sourceLine,
              PIA.formVersion, PIA.gapItem, PIA.gapReason, PIA.unresolvedText, PIA.valueLine, PIA.valueSection,
              PIA.valueConfidence, PIA.valueReason, RDF.subject, RDF.predicate, RDF.object}
NOTES = "<!-- notes: kept when the file is rewritten -->"
MARKS_ONLY = re.compile(r"^[\s☑☐◉▢○\[\]()<>（）＜＞:：・、。,.\-―—~～/]*$")


def norm(value) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()


def squeeze(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


# --- facts ----------------------------------------------------------------------------------


class Facts:
    """The IRI-free facts of one report graph: Counter of (field, context, value) per field."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.by_field: dict[str, Counter] = {}
        self.contexts: dict[URIRef, str] = {}
        self._collect()

    def label(self, node) -> str:
        if isinstance(node, Literal):
            return norm(node)
        labels = sorted(norm(o) for o in self.graph.objects(node, RDFS.label))
        if labels:
            return labels[0]
        return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]  # a vocabulary term

    def add(self, field: str, context: str, value) -> None:
        self.by_field.setdefault(field, Counter())[(field, context, value)] += 1

    def values(self, subject, predicate) -> list:
        return list(self.graph.objects(subject, predicate))

    def _collect(self) -> None:
        g = self.graph
        for assessment in g.subjects(RDF.type, PIA.Assessment):
            for field in ("assessmentNumber", "publishedOn", "formType"):
                for value in self.values(assessment, PIA[field]):
                    self.add(field, "", norm(value))
            for value in self.values(assessment, PIA.assessor):
                self.add("assessor", "", self.label(value))
            for affair in self.values(assessment, PIA.covers):
                self.contexts[affair] = "事務"
                self.add("affair", "", self.label(affair))
                for field in ("responsibleDepartment", "numberUseBasis", "linkageBasis"):
                    for value in self.values(affair, PIA[field]):
                        self.add(field, "", self.label(value))
                for value in self.values(affair, PIA.networkLinkage):
                    self.add("networkLinkage", "", norm(value))
                for system in self.values(affair, PIA.usesSystem):
                    name = self.label(system)
                    self.contexts[system] = f"システム {name}"
                    self.add("system", "", name)
                    for target in self.values(system, PIA.connectsTo):
                        self.add("connectsTo", name, self.label(target))
                    for canonical in self.values(system, PIA.canonicalSystem):
                        self.add("canonicalSystem", name, self.label(canonical))
                for file in self.values(affair, PIA.hasFile):
                    self.contexts[file] = "ファイル"
                    self.add("file", "", self.label(file))
            for number, change in enumerate(self._changes(assessment), 1):
                date = norm(next(iter(self.values(change, PIA.changeDate)), "")) or norm(
                    next(iter(self.values(change, PIA.changeDateText)), ""))
                item = norm(next(iter(self.values(change, PIA.changedItem)), ""))
                self.contexts[change] = f"変更 {date}"
                self.add("change", date, item)
                for field in ("valueBefore", "valueAfter", "submissionTiming", "explanation"):
                    for value in self.values(change, PIA[field]):
                        self.add("changeDetail", f"{date} {item[:30]} {field}", norm(value))
        for kind, name in FLOW_KINDS.items():
            for flow in g.subjects(RDF.type, PIA[kind]):
                context = self._flow_context(flow, kind, name)
                self.contexts[flow] = context
                self.add("flow", "", context)
                for value in self.values(flow, PIA.ofFile):
                    self.add("ofFile", context, self.label(value))
                for field in ("recipient", "contractor", "source", "method", "legalBasis"):
                    for value in self.values(flow, PIA[field]):
                        self.add(field, context, self.label(value))
                for field in ("purpose", "frequency", "subcontracting"):
                    for value in self.values(flow, PIA[field]):
                        self.add(field, context, norm(value))
        for measure in g.subjects(RDF.type, PIA.RiskMeasure):
            section = norm(next(iter(self.values(measure, PIA.sourceSection)), ""))
            label = self.label(measure)
            self.contexts[measure] = f"{section} {label}"
            self.add("riskMeasure", section, label)
            for value in self.values(measure, PIA.adequacy):
                self.add("adequacy", f"{section} | {label}", norm(value))
        for field in TEXT_FIELDS:
            for subject, value in g.subject_objects(PIA[field]):
                context = self.contexts.get(subject) or self._kind(subject)
                self.add(f"text:{field}", context, norm(value))

    def _changes(self, assessment) -> list:
        changes = self.values(assessment, PIA.hasChange)
        return sorted(changes, key=lambda c: int(next(iter(self.values(c, PIA.sourceLine)), 0)))

    def _flow_context(self, flow, kind: str, name: str) -> str:
        if kind == "Acquisition":  # one node per 入手元 category
            categories = sorted(self.label(s) for s in self.values(flow, PIA.source) if "/vocab/" in str(s))
            return f"{name} {'/'.join(categories)}"
        number = next(iter(self.values(flow, PIA.flowNumber)), None)
        if number is None:
            section = norm(next(iter(self.values(flow, PIA.sourceSection)), ""))
            found = re.search(r"(\d+)\s*$", section)
            number = found.group(1) if found else "?"
        return f"{name}{number}"

    def _kind(self, subject) -> str:
        kinds = sorted(self.label(t) for t in self.graph.objects(subject, RDF.type))
        return "/".join(kinds) or "?"

    def fields(self) -> list[str]:
        return list(self.by_field)

    def literal_values(self) -> list[tuple[str, str]]:
        """(property, value) of every string a reader took from the text: labels and literals."""
        out = []
        for s, p, o in self.graph:
            if not isinstance(o, Literal) or p in NOT_VALUES:
                continue
            if o.datatype is not None and o.datatype.endswith(("date", "integer", "decimal", "boolean")):
                continue
            out.append((self.graph.namespace_manager.normalizeUri(p), norm(o)))
        return out

    def confidence(self) -> tuple[int, int]:
        """(nodes with pia:confidence, of which < 1)."""
        values = [float(o) for o in self.graph.objects(None, PIA.confidence)]
        return len(values), sum(1 for v in values if v < 1)


# --- comparing ------------------------------------------------------------------------------


def classify(key: str, got: str) -> str:
    k, g = squeeze(key), squeeze(got)
    if k == g:
        return "spacing"
    if g and (k.startswith(g) or k.endswith(g)):
        return "cut"
    if k and k in g:
        return "glued"
    return "other"


def compare(key: Facts, got: Facts) -> dict:
    fields = {}
    for field in CORE_FIELDS + [f for f in key.fields() + got.fields() if f.startswith("text:")]:
        if field in fields:
            continue
        want = key.by_field.get(field, Counter())
        have = got.by_field.get(field, Counter())
        hit = sum((want & have).values())
        missing = list((want - have).elements())
        extra = list((have - want).elements())
        pairs, lone_missing, lone_extra = [], [], list(extra)
        for fact in missing:  # partner: same context; else the same value under another context
            partner = next((e for e in lone_extra if e[1] == fact[1]), None)
            kind = None
            if partner is None:
                partner = next((e for e in lone_extra if e[2] == fact[2]), None)
                kind = "context" if partner is not None else None
            if partner is not None:
                lone_extra.remove(partner)
                pairs.append({"context": fact[1], "key": fact[2], "pdf": partner[2],
                              "pdf_context": partner[1], "class": kind or classify(fact[2], partner[2])})
            else:
                lone_missing.append({"context": fact[1], "key": fact[2]})
        fields[field] = {
            "key": sum(want.values()), "pdf": sum(have.values()), "hit": hit,
            "recall": hit / sum(want.values()) if want else None,
            "precision": hit / sum(have.values()) if have else None,
            "changed": pairs, "missing": lone_missing,
            "extra": [{"context": e[1], "pdf": e[2]} for e in lone_extra],
        }
    return fields


def totals(fields: dict, text: bool) -> dict:
    chosen = [f for name, f in fields.items() if name.startswith("text:") == text]
    want = sum(f["key"] for f in chosen)
    have = sum(f["pdf"] for f in chosen)
    hit = sum(f["hit"] for f in chosen)
    return {"key": want, "pdf": have, "hit": hit, "recall": hit / want if want else None,
            "precision": hit / have if have else None}


# --- words that the source does not have ----------------------------------------------------


def reference_text(source: Path | None, key: Facts) -> str:
    parts = [squeeze(v) for _, v in key.literal_values()]
    if source and source.exists():
        raw = source.read_text(encoding="utf-8")
        parts.append(squeeze(re.sub(r"<[^>]+>", " ", raw)))
        try:  # the cells as printed (marks as [ ○ ], ＜選択肢＞ …): the fixture generator's reading
            sys.path.insert(0, str(REPO / "tests" / "fixtures"))
            from make_form_pdfs import read_sample

            parts += [squeeze(cell) for line in read_sample(raw) for cell in line.cells]
        except Exception:  # noqa: BLE001 - the generator is optional here
            pass
    return "\x00".join(parts)


def foreign_fragments(value: str, grams: set[str], reference: str, n: int = 4) -> list[str]:
    """Runs of a value's characters that no n-gram of the reference covers and that the reference
    does not hold either (a displaced piece of the report is not foreign), plus numbers standing
    alone where the reference has none (a page number)."""
    flat = squeeze(value)
    if len(flat) < n:
        return []
    covered = [False] * len(flat)
    for i in range(len(flat) - n + 1):
        if flat[i:i + n] in grams:
            covered[i:i + n] = [True] * n
    runs = re.finditer(r"0+", "".join("1" if c else "0" for c in covered))
    fragments = [flat[m.start():m.end()] for m in runs]
    foreign = [f for f in fragments if not MARKS_ONLY.match(f) and (f not in reference or f.isdigit())]
    if any(f.isdigit() for f in foreign):  # a number counts when it stands alone in the value
        alone = set(re.findall(r"(?:(?<=\s)|^)(\d{1,3})(?=\s|$)", norm(value)))
        foreign = [f for f in foreign if not f.isdigit() or f in alone]
    return foreign


def foreign_values(key: Facts, got: Facts, source: Path | None, version: str | None) -> list[dict]:
    reference = reference_text(source, key)
    grams = {reference[i:i + 4] for i in range(len(reference) - 3)}
    known = {squeeze(v) for _, v in key.literal_values()}
    found = []
    for prop, value in sorted(set(got.literal_values())):
        if squeeze(value) in known:
            continue
        fragments = foreign_fragments(value, grams, reference)
        furniture = []
        if version and squeeze(version).strip("[]") in squeeze(value):
            furniture.append(version)
        if fragments or furniture:
            found.append({"property": prop, "value": value[:160], "foreign": fragments, "header": furniture})
    return found


# --- running ----------------------------------------------------------------------------------


def piagraph() -> str:
    found = shutil.which("piagraph", path=str(REPO / ".venv" / "bin")) or shutil.which("piagraph")
    if not found:
        raise SystemExit("piagraph: not installed (pip install -e .)")
    return found


def convert(report: Path, target: Path) -> tuple[bool, str, float]:
    started = time.perf_counter()
    done = subprocess.run([piagraph(), "convert", str(report), "-o", str(target)],
                          capture_output=True, text=True, timeout=600)
    return done.returncode == 0, (done.stderr or done.stdout).strip()[-400:], time.perf_counter() - started


def load_key(key: Path, work: Path) -> Graph:
    if key.suffix == ".txt":
        target = work / (key.stem + ".key.ttl")
        ok, message, _ = convert(key, target)
        if not ok:
            raise SystemExit(f"{key}: the key text does not convert: {message}")
        key = target
    return Graph().parse(key)


def source_of(key_path: Path, key: Facts) -> Path | None:
    layout = key_path.with_name(key_path.name.replace(".key.ttl", ".layout.json"))
    if layout.exists():
        source = json.loads(layout.read_text(encoding="utf-8")).get("source")
        if source:
            return REPO / source
    if key_path.suffix == ".txt":
        return key_path
    for name in key.graph.objects(None, PIA.sourceFile):
        if (REPO / "samples" / str(name)).exists():
            return REPO / "samples" / str(name)
    return None


def score(report: Path, key_path: Path, source: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="piagraph-score-") as work:
        key = Facts(load_key(key_path, Path(work)))
        source = source or source_of(key_path, key)
        produced = Path(work) / "report.ttl"
        ok, message, seconds = convert(report, produced)
        got = Facts(Graph().parse(produced) if ok else Graph())
    version = next((norm(v) for v in key.graph.objects(None, PIA.formVersion)), None)
    if version:
        version = f"[{version}]"
    fields = compare(key, got)
    conf_pdf, conf_key = got.confidence(), key.confidence()
    shape = next((norm(v) for v in got.graph.objects(None, PIA.sourceShape)), None)
    return {
        "report": str(report.relative_to(REPO) if report.is_relative_to(REPO) else report),
        "key": str(key_path.relative_to(REPO) if key_path.is_relative_to(REPO) else key_path),
        "source": str(source.relative_to(REPO)) if source and source.is_relative_to(REPO) else str(source),
        "converted": ok, "error": None if ok else message, "seconds": round(seconds, 2), "shape": shape,
        "core": totals(fields, text=False), "text": totals(fields, text=True), "fields": fields,
        "foreign": foreign_values(key, got, source, version) if ok else [],
        "confidence": {"pdf": {"nodes": conf_pdf[0], "below_1": conf_pdf[1]},
                       "key": {"nodes": conf_key[0], "below_1": conf_key[1]}},
        "values": len(got.literal_values()),
    }


def pct(value) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def short(text: str, width: int = 70) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def print_result(result: dict, show: int) -> None:
    print(f"== {result['report']}  (key {result['key']}; shape {result['shape']}; {result['seconds']} s)")
    if not result["converted"]:
        print(f"   conversion failed: {result['error']}")
    core, text = result["core"], result["text"]
    print(f"   core facts: recall {pct(core['recall'])} ({core['hit']}/{core['key']}), "
          f"precision {pct(core['precision'])} ({core['hit']}/{core['pdf']})")
    print(f"   long texts: recall {pct(text['recall'])} ({text['hit']}/{text['key']}), "
          f"precision {pct(text['precision'])} ({text['hit']}/{text['pdf']})")
    print(f"   {'field':<26} {'key':>4} {'pdf':>4} {'hit':>4} {'recall':>7} {'prec.':>6}")
    for name, f in result["fields"].items():
        if f["key"] or f["pdf"]:
            print(f"   {name:<26} {f['key']:>4} {f['pdf']:>4} {f['hit']:>4} {pct(f['recall']):>7} {pct(f['precision']):>6}")
    shown = 0
    for name, f in result["fields"].items():
        for pair in f["changed"]:
            if shown < show:
                where = f" (pdf under [{short(pair['pdf_context'], 30)}])" if pair["class"] == "context" else ""
                print(f"   ~ {name} [{short(pair['context'], 40)}] {pair['class']}{where}:\n"
                      f"       key {short(pair['key'], 110)}\n       pdf {short(pair['pdf'], 110)}")
            shown += 1
        for miss in f["missing"]:
            if shown < show:
                print(f"   - {name} [{short(miss['context'], 40)}] {short(miss['key'], 100)}")
            shown += 1
        for extra in f["extra"]:
            if shown < show:
                print(f"   + {name} [{short(extra['context'], 40)}] {short(extra['pdf'], 100)}")
            shown += 1
    if shown > show:
        print(f"   … {shown - show} more differences (--show N, or --json)")
    print(f"   values with words not in the source: {len(result['foreign'])} of {result['values']}")
    for item in result["foreign"][:max(3, show // 4)]:
        marks = item["header"] + [f"«{f}»" for f in item["foreign"][:4]]
        print(f"     {item['property']}: {' '.join(marks)} in {short(item['value'], 80)}")
    c = result["confidence"]
    share = c["pdf"]["below_1"] / result["values"] if result["values"] else 0
    print(f"   pia:confidence < 1: pdf {c['pdf']['below_1']} of {c['pdf']['nodes']} nodes that carry a confidence "
          f"({100 * share:.0f}% of its {result['values']} values); key {c['key']['below_1']} of {c['key']['nodes']}")


def discover(pairs_file: Path | None) -> list[tuple[Path, Path, Path | None]]:
    if pairs_file:
        out = []
        for line in pairs_file.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                cells = line.split("\t")
                out.append((REPO / cells[0], REPO / cells[1], REPO / cells[2] if len(cells) > 2 else None))
        return out
    return [(pdf, pdf.with_name(pdf.stem + ".key.ttl"), None)
            for pdf in sorted(FIXTURES.glob("*/*.pdf")) if pdf.with_name(pdf.stem + ".key.ttl").exists()]


def class_counts(result: dict) -> Counter:
    counts = Counter()
    for f in result["fields"].values():
        counts.update(p["class"] for p in f["changed"])
        counts["missing"] += len(f["missing"])
        counts["extra"] += len(f["extra"])
    return counts


def markdown(results: list[dict], command: str) -> str:
    import pdfplumber
    import rdflib

    now = datetime.date.today().isoformat()
    lines = [
        "# PDF fixtures: field-by-field scores", "",
        f"{now} · Python {platform.python_version()} · rdflib {rdflib.__version__} · pdfplumber "
        f"{pdfplumber.__version__} · {platform.machine()} · {platform.system()} {platform.release()}", "",
        f"Command: `{command}`", "",
        "Each PDF in `tests/fixtures/pdf/form/` (the PPC Excel form printed by LibreOffice) and "
        "`tests/fixtures/pdf/plain/` (a plain two-column table printed by Chromium) is converted with "
        "`piagraph convert`; its graph is compared with the key, the graph of the tidy sample text the "
        "PDF was made from. A `.pdftotext.txt` row is the same PDF's text with its layout lost "
        "(`pdftotext FILE.pdf FILE.pdftotext.txt`, poppler-utils, no `-layout`), read by the layout-lost "
        "reader. Facts are IRI-free (field, context, value), normalised with NFKC and "
        "collapsed whitespace. *Core* is the core vocabulary (shared/VOCABULARY.md); *long texts* are "
        "事務の内容, システムの機能, 使用方法 … (not core, but what page breaks cut). Differences with "
        "the same context are classed *spacing* (equal without whitespace), *cut* (the PDF's value is "
        "a prefix/suffix of the key's), *glued* (the key's value sits inside the PDF's), *other*; "
        "*foreign* counts values holding words found nowhere in the source (page furniture).", "",
        "| PDF | shape read | core recall | core precision | long-text recall | long-text precision "
        "| spacing | cut | glued | context | other | missing | extra | foreign values | confidence < 1 (pdf / key) | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = class_counts(r)
        conf = r["confidence"]
        lines.append(
            f"| {r['report'].replace('tests/fixtures/pdf/', '')} | {r['shape']} | {pct(r['core']['recall'])} "
            f"({r['core']['hit']}/{r['core']['key']}) | {pct(r['core']['precision'])} | {pct(r['text']['recall'])} "
            f"| {pct(r['text']['precision'])} | {c['spacing']} | {c['cut']} | {c['glued']} | {c['context']} | {c['other']} "
            f"| {c['missing']} | {c['extra']} | {len(r['foreign'])}/{r['values']} "
            f"| {conf['pdf']['below_1']}/{conf['pdf']['nodes']} / {conf['key']['below_1']}/{conf['key']['nodes']} "
            f"| {r['seconds']} |")
    lines += ["", "## Recall per core field", "",
              "| field | " + " | ".join(r["report"].replace("tests/fixtures/pdf/", "") for r in results) + " |",
              "|---|" + "---|" * len(results)]
    for field in CORE_FIELDS:
        cells = []
        for r in results:
            f = r["fields"].get(field, {})
            cells.append(f"{pct(f.get('recall'))} ({f.get('hit', 0)}/{f.get('key', 0)})" if f.get("key") else "—")
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    lines += ["", "## Examples of differences", ""]
    for r in results:
        lines.append(f"### {r['report']}")
        lines.append("")
        examples = 0
        for name, f in r["fields"].items():
            for pair in f["changed"][:2]:
                if examples < 8:
                    where = f" (pdf under [{short(pair['pdf_context'], 30)}])" if pair["class"] == "context" else ""
                    lines.append(f"- {name} [{short(pair['context'], 40)}] **{pair['class']}**{where}: key "
                                 f"`{short(pair['key'], 60)}` → pdf `{short(pair['pdf'], 60)}`")
                    examples += 1
            for miss in f["missing"][:1]:
                if examples < 8:
                    lines.append(f"- {name} [{short(miss['context'], 40)}] **missing**: `{short(miss['key'], 60)}`")
                    examples += 1
        for item in r["foreign"][:3]:
            marks = ", ".join(item["header"] + [f"`{f}`" for f in item["foreign"][:3]])
            lines.append(f"- foreign words {marks} in {item['property']} `{short(item['value'], 60)}`")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", type=Path, help="the PDF (or any report) to score")
    parser.add_argument("key", nargs="?", type=Path, help="its key: .ttl graph of the tidy text, or the .txt itself")
    parser.add_argument("--source", type=Path, help="the tidy sample text (default: from the key's layout record)")
    parser.add_argument("--pairs", nargs="?", const="", default=None,
                        help="score every fixture with a key (or the pairs in a TSV: pdf, key[, source])")
    parser.add_argument("--show", type=int, default=25, help="differences to list per report")
    parser.add_argument("--json", type=Path, help="write the full results as JSON")
    parser.add_argument("--markdown", type=Path, help="write the summary as Markdown (bench/results/pdf-fields.md)")
    args = parser.parse_args(argv)
    if args.pairs is not None:
        jobs = discover(Path(args.pairs) if args.pairs else None)
    elif args.report and args.key:
        jobs = [(args.report.resolve(), args.key.resolve(), args.source.resolve() if args.source else None)]
    else:
        parser.error("give REPORT KEY, or --pairs")
    results = []
    for report, key, source in jobs:
        result = score(report, key, source)
        print_result(result, args.show)
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.markdown:  # notes written by hand below NOTES in an earlier file are kept
        command = "python bench/score_fields.py " + " ".join(argv if argv is not None else sys.argv[1:])
        old = args.markdown.read_text(encoding="utf-8") if args.markdown.exists() else ""
        notes = old[old.index(NOTES):] if NOTES in old else NOTES + "\n"
        args.markdown.write_text(markdown(results, command) + "\n\n" + notes, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
