"""The options every command shares (`piagraph.cli.options`): which store a command reads.

An auditor points the commands at an embedded store (``--store``, ``$PIAGRAPH_STORE``) or at the
team's SPARQL server (``--endpoint``, ``$PIAGRAPH_ENDPOINT``). Here a real ``oxigraph serve`` holds
midori_kouki.txt and an embedded store holds midori_kaigo.txt, so every answer shows which store
was read.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from piagraph.cli import main
from tests.conftest import SAMPLES
from tests.sample_stores import store_of
from tests.servers.oxigraph import running_oxigraph

KOUKI, KAIGO = "後期高齢者医療に関する事務", "介護保険に関する事務"
STORE_COMMANDS = ("load", "query", "export", "list", "validate", "flows", "trace", "hubs", "risky-flows", "app")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_oxigraph(tmp_path_factory.mktemp("server")) as endpoint:
        loaded = CliRunner().invoke(main, ["load", "--quiet", "--endpoint", endpoint, str(SAMPLES / "midori_kouki.txt")])
        assert loaded.exit_code == 0, loaded.output
        yield endpoint


@pytest.fixture(scope="module")
def kaigo_store(tmp_path_factory):
    return str(store_of(tmp_path_factory.mktemp("embedded") / "store", [SAMPLES / "midori_kaigo.txt"]))


def run(*args: str, **environment: str):
    env = {"PIAGRAPH_ENDPOINT": None, "PIAGRAPH_STORE": None, "PIAGRAPH_GSP": None, **environment}
    return CliRunner().invoke(main, list(args), env=env)


def test_every_store_command_takes_store_and_endpoint_and_writers_take_gsp():
    for name in STORE_COMMANDS:
        options = {option for param in main.commands[name].params for option in param.opts}
        assert {"--store", "--endpoint"} <= options, name
        assert ("--gsp" in options) == (name in ("load", "export", "validate")), name


def test_the_endpoint_comes_from_the_environment(server, kaigo_store):
    listed = run("list", "--format", "csv", PIAGRAPH_ENDPOINT=server, PIAGRAPH_STORE=kaigo_store)
    assert listed.exit_code == 0, listed.output
    assert KOUKI in listed.stdout and KAIGO not in listed.stdout


def test_the_store_comes_from_the_environment(kaigo_store):
    listed = run("list", "--format", "csv", PIAGRAPH_STORE=kaigo_store)
    assert listed.exit_code == 0, listed.output
    assert KAIGO in listed.stdout and KOUKI not in listed.stdout


def test_an_explicit_store_wins_over_the_environments_endpoint(server, kaigo_store):
    # `--store DIR` on the command line must not read (or write) the team's server instead
    listed = run("list", "--format", "csv", "--store", kaigo_store, PIAGRAPH_ENDPOINT=server)
    assert listed.exit_code == 0, listed.output
    assert KAIGO in listed.stdout and KOUKI not in listed.stdout


def test_a_store_and_an_endpoint_on_one_command_line_is_a_usage_error(server, kaigo_store):
    result = run("list", "--store", kaigo_store, "--endpoint", server)
    assert result.exit_code == 2 and "--endpoint" in result.stderr


def test_flow_commands_take_one_scope(server):
    result = run("hubs", "--report", "midori_kouki.txt", "--municipality", "みどり市", PIAGRAPH_ENDPOINT=server)
    assert result.exit_code == 2 and "--municipality" in result.stderr
    result = run("hubs", "--report", "midori_kouki.txt", "-n", "1", PIAGRAPH_ENDPOINT=server)
    assert result.exit_code == 0, result.output


def test_an_os_error_is_one_line_too(kaigo_store, tmp_path):
    target = tmp_path / "no-such-directory" / "kaigo.trig"
    result = run("export", "--store", kaigo_store, "-o", str(target))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("piagraph: ") and str(target) in line


def test_validate_reads_and_writes_the_servers_reports(server):
    result = run("validate", "--endpoint", server, "--today", "2025-09-01", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert "1 report validated" in result.stderr
    import json

    assert {finding["report"] for finding in json.loads(result.stdout)} == {"midori_kouki.txt"}
    stored = run("query", "--endpoint", server, "--format", "csv", "-e",
                 "SELECT ?g (COUNT(?r) AS ?n) WHERE { GRAPH ?g { ?r a <http://www.w3.org/ns/shacl#ValidationResult> } } "
                 "GROUP BY ?g")
    counts = dict(line.split(",") for line in stored.stdout.splitlines()[1:])
    [report_findings] = [graph for graph in counts if graph.endswith("/findings")]  # kept beside the report
    across = "https://w3id.org/piagraph/id/graph/findings/across-reports"  # the rules across reports (PIA-R48…)
    assert int(counts[report_findings]) + int(counts[across]) == len(json.loads(result.stdout))


def test_validate_takes_report_files_or_one_store(server, kaigo_store):
    kouki = str(SAMPLES / "midori_kouki.txt")
    files = run("validate", kouki, "--today", "2025-09-01", PIAGRAPH_ENDPOINT=server)  # the files, not the server
    assert files.exit_code in (0, 1) and "1 report validated" in files.stderr
    for args in ([kouki, "--endpoint", server], [kouki, "--store", kaigo_store], []):
        result = run("validate", *args)
        assert result.exit_code == 2, args
        assert result.stderr == "piagraph: validate: give REPORT files, --store DIR or --endpoint URL (one of them)\n"


def test_query_writes_rows_or_a_graph_in_a_format_that_fits(kaigo_store):
    construct = "CONSTRUCT { ?g ?p ?o } WHERE { GRAPH <https://w3id.org/piagraph/id/graph/catalog> { ?g ?p ?o } }"
    graph = run("query", "--store", kaigo_store, "-e", construct)
    assert graph.exit_code == 0 and "@prefix pia:" in graph.stdout and "pia:ReportGraph" in graph.stdout  # Turtle
    rows = run("query", "--store", kaigo_store, "-e", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")
    assert rows.exit_code == 0 and "(1 row)" in rows.stdout  # a table
    for args, told in ((["-e", construct, "--format", "json"], "use turtle, ntriples, jsonld"),
                       (["-e", "ASK { ?s ?p ?o }", "--format", "ntriples"], "use table, csv, tsv, json")):
        result = run("query", "--store", kaigo_store, *args)
        assert result.exit_code == 2 and told in result.stderr and len(result.stderr.splitlines()) == 1
