"""``piagraph convert`` and ``piagraph inspect`` (`piagraph.cli.convert`): one report file at a time.

(Each output format parsing back to the report's triples is in tests/store/test_formats.py.)
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from piagraph.cli import main
from tests.conftest import REPO, SAMPLES, load_sample

KAIGO = SAMPLES / "midori_kaigo.txt"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def kaigo():
    return load_sample("midori_kaigo.txt")


def test_convert_writes_turtle_to_stdout_by_default(kaigo):
    result = run("convert", KAIGO)
    assert result.exit_code == 0 and result.stderr == ""
    assert isomorphic(Graph().parse(data=result.stdout, format="turtle"), kaigo.graph)


def test_the_format_option_overrides_the_extension(kaigo, tmp_path):
    output = tmp_path / "kaigo.txt"
    assert run("convert", KAIGO, "-o", output, "--format", "nt").exit_code == 0
    assert isomorphic(Graph().parse(output, format="nt"), kaigo.graph)


def test_the_count_on_stderr_is_the_count_in_the_file(tmp_path):
    output = tmp_path / "kaigo.nt"
    result = run("convert", KAIGO, "-o", output)
    written = len(Graph().parse(output, format="nt"))
    assert result.stderr == f"{KAIGO}: {written} triples → {output}\n"


def test_an_unknown_extension_is_one_line_and_writes_nothing(tmp_path):
    output = tmp_path / "kaigo.xlsx"
    result = run("convert", KAIGO, "-o", output)
    assert result.exit_code == 2 and not output.exists()
    [line] = result.stderr.splitlines()
    assert line.startswith(f"piagraph: {output}: ") and "'.xlsx'" in line and ".ttl" in line


def test_inspect_summarises_a_report_and_refuses_a_scan_in_one_line():
    result = run("inspect", KAIGO)
    assert result.exit_code == 0 and "介護保険に関する事務" in result.stdout
    scan = REPO / "tests" / "fixtures" / "pdf" / "scanned_no_text.pdf"
    refused = run("inspect", scan)
    assert refused.exit_code == 2 and refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert line.startswith(f"piagraph: {scan}: ") and "text layer" in line


def test_a_missing_report_argument_is_a_usage_error():
    result = run("convert")
    assert result.exit_code == 2 and "REPORT" in result.stderr
