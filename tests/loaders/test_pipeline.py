"""The loader pipeline end to end: encodings, determinism, bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from loaders.pipeline import load_report
from ontology import PIA
from ontology.errors import ReportError
from tests.conftest import seed_path

TIDY = ["000", "002", "003", "004"]
# Characters the legacy encodings cannot hold (see tests/test_read.py): swapped in both versions.
UNENCODABLE = {"\u2014": "\u2015", "\u00a0": " "}


def without_encoding_fact(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        if triple[1] not in (PIA.sourceEncoding, PIA.sourceFile):
            copy.add(triple)
    return copy


@pytest.mark.parametrize("number", TIDY)
@pytest.mark.parametrize("encoding,newline", [("cp932", "\n"), ("euc_jis_2004", "\n"), ("utf-8-sig", "\r\n")])
def test_the_same_report_in_another_encoding_gives_an_isomorphic_graph(tmp_path, number, encoding, newline):
    text = seed_path(number).read_text(encoding="utf-8")
    if encoding != "utf-8-sig":
        for char, replacement in UNENCODABLE.items():
            text = text.replace(char, replacement)
    original = tmp_path / "original.txt"
    original.write_text(text, encoding="utf-8")
    converted = tmp_path / f"converted-{encoding}.txt"
    converted.write_bytes(text.replace("\n", newline).encode(encoding))
    left, right = load_report(original), load_report(converted)
    assert right.graph.value(right.assessment, PIA.sourceEncoding) == Literal(encoding)
    assert isomorphic(without_encoding_fact(left.graph), without_encoding_fact(right.graph))
    assert left.graph_iri == right.graph_iri


@pytest.mark.parametrize("number", TIDY)
def test_converting_twice_gives_the_same_graph_and_iris(number):
    first, second = load_report(seed_path(number)), load_report(seed_path(number))
    assert set(first.graph) == set(second.graph)
    assert first.assessment == second.assessment


def test_reports_of_different_bodies_get_different_graphs():
    iris = {load_report(seed_path(n)).graph_iri for n in TIDY}
    assert len(iris) == len(TIDY)


def test_a_truncated_report_is_rejected_with_the_missing_section(tmp_path):
    lines = seed_path("000").read_text(encoding="utf-8").split("\n")
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(lines[:120]), encoding="utf-8")
    with pytest.raises(ReportError) as error:
        load_report(truncated)
    assert "truncated.txt" in str(error.value) and "III" in str(error.value)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "piagraph", *args], capture_output=True, text=True, timeout=120)


def garbage_files(tmp_path):
    png = tmp_path / "scan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(seed_path("002").read_text(encoding="utf-8").split("\n")[:60]), encoding="utf-8")
    other = tmp_path / "minutes.txt"
    other.write_text("令和7年度 第1回 市議会 議事録\n出席者 12名\n議題: 予算について\n", encoding="utf-8")
    return [png, empty, truncated, other]


def test_garbage_gets_one_line_naming_the_file_and_exit_code_2(tmp_path):
    for path in garbage_files(tmp_path):
        result = run_cli("convert", str(path))
        assert result.returncode == 2, (path, result.stderr)
        message = result.stderr.strip()
        assert "\n" not in message and "Traceback" not in message
        assert path.name in message
        assert result.stdout == ""


def test_convert_writes_the_format_of_the_extension(tmp_path):
    for suffix, parse_format in ((".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")):
        out = tmp_path / f"report{suffix}"
        result = run_cli("convert", str(seed_path("004")), "-o", str(out))
        assert result.returncode == 0, result.stderr
        graph = Graph().parse(out, format=parse_format)
        assert len(graph) == len(load_report(seed_path("004")).graph)
    trig = tmp_path / "report.trig"
    assert run_cli("convert", str(seed_path("004")), "-o", str(trig)).returncode == 0
    assert str(load_report(seed_path("004")).graph_iri) in trig.read_text(encoding="utf-8")


def test_inspect_shows_what_an_auditor_checks_first():
    result = run_cli("inspect", str(seed_path("000")))
    assert result.returncode == 0, result.stderr
    for fact in ("高岡市長", "2025-08-13", "株式会社インテック", "移転先3: 富山県後期高齢者医療広域連合", "別添2 変更箇所: 71件"):
        assert fact in result.stdout


def test_layout_lost_text_in_cp932_reads_as_in_utf8(tmp_path):
    """Seed 001 (layout lost) saved as CP932, as municipalities' tools write it: the same graph."""
    text = seed_path("001").read_text(encoding="utf-8")
    for char, replacement in UNENCODABLE.items():
        text = text.replace(char, replacement)
    original, converted = tmp_path / "original.txt", tmp_path / "converted-cp932.txt"
    original.write_text(text, encoding="utf-8")
    converted.write_bytes(text.encode("cp932"))
    left, right = load_report(original), load_report(converted)
    assert right.graph.value(right.assessment, PIA.sourceEncoding) == Literal("cp932")
    assert isomorphic(without_encoding_fact(left.graph), without_encoding_fact(right.graph))
