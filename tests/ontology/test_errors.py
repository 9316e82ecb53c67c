"""The one error tree (`ontology.errors`) and the one failure policy of the command line.

A user who feeds any command bad input gets one line on stderr, ``piagraph: <message>``, exit code
2 and no traceback; a maintainer reads the tree of error classes in the module's docstring.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ontology import errors
from piagraph.cli import main
from piagraph.store import EmbeddedStore
from tests.conftest import REPO, SAMPLES
from tests.sample_stores import store_of

BAD = REPO / "tests" / "fixtures" / "bad"


def error_classes() -> dict[str, type]:
    return {name: cls for name, cls in inspect.getmembers(errors, inspect.isclass)
            if issubclass(cls, Exception) and cls.__module__ == errors.__name__}


def drawn_tree() -> dict[str, str | None]:
    """Class name → parent class name, as the docstring draws the tree (one indent = 4 columns)."""
    block = errors.__doc__.split("::\n\n", 1)[1].split("\n\n", 1)[0]
    parents: dict[str, str | None] = {}
    path: list[str] = []
    for line in block.splitlines():
        start = next(i for i, ch in enumerate(line) if ch.isalpha())
        depth = (start - 4) // 4
        name = line[start:].split()[0]
        path[depth:] = [name]
        parents[name] = path[depth - 1] if depth else None
    return parents


def test_the_docstring_draws_every_error_class_under_its_real_parent():
    real = {name: (None if cls is errors.PiagraphError else cls.__base__.__name__)
            for name, cls in error_classes().items()}
    assert drawn_tree() == real


def test_every_error_is_a_piagraph_error():
    assert all(issubclass(cls, errors.PiagraphError) for cls in error_classes().values())


def test_a_report_error_names_the_file_and_the_reason():
    error = errors.ReportError("samples/kouki.txt", "not a 特定個人情報保護評価書")
    assert str(error) == "samples/kouki.txt: not a 特定個人情報保護評価書"
    assert isinstance(errors.PdfInput("a.pdf"), errors.ReportError)


# --- the command line: real commands, real bad input ------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """An embedded store holding the kouki sample (closed, so that commands can open it)."""
    return store_of(tmp_path_factory.mktemp("errors") / "store", [SAMPLES / "midori_kouki.txt"])


def bad_inputs(store: str, missing: str) -> list[tuple[list[str], str]]:
    """(arguments, what the one line must say) for every command that reads a file or a store."""
    return [
        (["convert", str(BAD / "english_document.txt")], "english_document.txt"),
        (["inspect", str(BAD / "not_a_report_minutes.txt")], "not_a_report_minutes.txt"),
        (["inspect", str(BAD / "no_such_file.txt")], "no_such_file.txt"),
        (["validate", "--store", missing], "no store here"),
        (["query", "--store", store, "-e", "DROP ALL"], "read-only"),
        (["query", "--store", store, "--name", "no-such-query"], "no-such-query"),
        (["query", "--store", store, "-e", "SELECT ?x WHERE { ?x }"], store),  # the store says where
        (["list", "--store", missing], "no store here"),
        (["export", "--store", missing], "no store here"),
        (["flows", "--store", store, "--report", "midori_nothing.txt"], "midori_nothing.txt"),
        (["hubs", "--store", store, "--municipality", "架空町"], "架空町"),
        (["trace", "--store", store, "--from", "存在しない課"], "存在しない課"),
        (["risky-flows", "--store", missing], "no store here"),
    ]


CASES = [args[0] + " " + args[-1] for args, _ in bad_inputs("STORE", "MISSING")]


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASES)
def test_bad_input_is_one_line_and_exit_code_2(case, store_dir, tmp_path):
    args, named = bad_inputs(str(store_dir), str(tmp_path / "missing"))[case]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("piagraph: ") and named in line


def test_a_store_in_use_is_one_line_for_load(store_dir):
    with EmbeddedStore(store_dir):  # held open: a second writer must be told, not crash
        result = CliRunner().invoke(main, ["load", "--store", str(store_dir), str(SAMPLES / "midori_kaigo.txt")])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("piagraph: ") and "in use" in line


def test_the_installed_command_exits_2_without_a_traceback():
    bad = BAD / "html_page.txt"
    result = subprocess.run([sys.executable, "-m", "piagraph", "convert", str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith(f"piagraph: {bad}: ") and result.stderr.count("\n") == 1
