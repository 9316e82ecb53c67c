"""The store commands: ``piagraph load | query | export | list``.

Every command takes ``--store DIR`` (embedded store; default ``$PIAGRAPH_STORE`` or
``~/.local/share/piagraph/store``) or ``--endpoint URL`` (a SPARQL server; ``$PIAGRAPH_ENDPOINT``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH
from ontology.errors import QueryFailed, QueryTimeout, StoreError
from piagraph.cli.options import EXIT_FAILURE, EXIT_OK, one_line_errors, store_options
from piagraph.ingest import load_paths
from piagraph.sparql.saved import list_queries, load_query, query_from_file
from piagraph.store import open_store
from piagraph.store.formats import EXPORT_FORMATS
from piagraph.store.render import FORMATS, ROW_FORMATS, output_format, render
from piagraph.workbench import check_query, run_limited

LIST_QUERY = "report-versions"
"""The saved query behind `piagraph list`."""
QUERY_TIMEOUT_SECONDS = 300.0
"""Default time limit of `piagraph query` (saved queries on 1,000 reports take seconds)."""




@click.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_options(gsp=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--verbose", "-v", is_flag=True, help="One line per stored report on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing reports in parallel; this process writes them, still one "
                   "transaction per report, in the order of the files.")
@click.option("--bulk", is_flag=True,
              help="Initial load into an EMPTY embedded store with Oxigraph's bulk loader: several times "
                   "faster, but without per-report transactions — if the load is interrupted by a crash, "
                   "delete the store and load again.")
@one_line_errors
def load_command(paths, store_dir, endpoint, gsp, quiet, verbose, jobs, bulk):
    """Load reports (files or directories of .txt/.pdf) into the store, one named graph each.

    Re-loading a report replaces its graph; a later 公表日 of the same report is a new graph and
    becomes the current version. A file that fails is reported on stderr and skipped.
    Exit code 2 if any file failed.
    """
    def loaded(path, entry):
        click.echo(f"{path}: stored {entry.triple_count} triples in <{entry.graph}>", err=True)

    options = dict(progress=not (quiet or verbose), report_loaded=loaded if verbose else None)
    with open_store(store_dir, endpoint, gsp) as store:
        summary = load_paths(store, paths, jobs=jobs, bulk=bulk, **options)
    click.echo(summary.line(), err=True)
    sys.exit(EXIT_FAILURE if summary.failures else EXIT_OK)


@click.command("query")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", "-n", metavar="NAME", help="Run a saved query from queries/ (see --list).")
@click.option("-e", "--expression", metavar="SPARQL", help="Run this SPARQL query text.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="SELECT and ASK: table (default), csv, tsv or json (SPARQL 1.1 JSON results); "
                   "CONSTRUCT and DESCRIBE: turtle (default), ntriples or jsonld.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter the saved query declares (# param:), e.g. -p body=高岡市長. Repeatable.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries (and their parameters) and exit.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=QUERY_TIMEOUT_SECONDS,
              show_default=True, help="Stop the query after this many seconds.")
@store_options()
@one_line_errors
def query_command(file, name, expression, fmt, params, list_saved, timeout, store_dir, endpoint):
    """Run a read-only SPARQL query: FILE.rq, --name NAME (saved query) or -e 'SPARQL'.

    SPARQL updates and SERVICE (federated queries) are refused, and the query is stopped at its
    time limit (`piagraph.workbench`). Report data sits in named graphs: use GRAPH ?g { … } and
    GRAPH piaid:graph/catalog { ?g pia:isCurrent true } to read current versions.
    """
    if list_saved:
        for saved in list_queries():
            declared = "".join(f" [-p {p.name}=…]" for p in saved.params)
            click.echo(f"{saved.name}{declared}\t{saved.title}")
        return
    given = [x for x in (file, name, expression) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of FILE, --name NAME or -e SPARQL")
    values = _parse_params(params)
    if expression:
        if values:
            raise click.UsageError("--param works with a saved query or a .rq file that declares # param: lines")
        text = expression
    else:
        saved = load_query(name) if name else query_from_file(file)
        text = saved.bind(values)
    fmt = output_format(check_query(text), fmt)  # before the query runs: a mismatched --format is one line
    with open_store(store_dir, endpoint, create=False) as store:
        try:
            result = run_limited(store, text, timeout=timeout, row_cap=None).result
        except (QueryTimeout, QueryFailed) as error:
            message = str(error)  # a remote store's errors name the server already
            raise StoreError(message if message.startswith(store.location) else f"{store.location}: {message}") from None
    click.echo(render(result, fmt), nl=False)


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--param {item!r}: expected NAME=VALUE")
        values[key.strip()] = value
    return values


@click.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="trig", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@click.option("--graph", "graphs", multiple=True, metavar="IRI", help="Export only this named graph (repeatable).")
@click.option("--current", is_flag=True, help="Only the current report versions, the ontology and the catalog.")
@store_options(gsp=True)
@one_line_errors
def export_command(fmt, output, graphs, current, store_dir, endpoint, gsp):
    """Write the store as Turtle, TriG, N-Quads or JSON-LD.

    Turtle has no named graphs: the selected graphs are merged into one.
    """
    with open_store(store_dir, endpoint, gsp, create=False) as store:
        selected = list(graphs) or None
        if current:
            selected = (selected or []) + [e.graph for e in store.catalog() if e.is_current]
            selected += [ONTOLOGY_GRAPH, CATALOG_GRAPH]
        if output is None:
            store.export(sys.stdout.buffer, fmt, selected)
            sys.stdout.buffer.flush()
        else:
            with open(output, "wb") as handle:
                store.export(handle, fmt, selected)


@click.command("list")
@click.option("--format", "-f", "fmt", type=click.Choice(ROW_FORMATS), default="table", show_default=True)
@store_options()
@one_line_errors
def list_command(fmt, store_dir, endpoint):
    """List the reports in the store: body, 事務, 公表日, current version?, files, flows, triples."""
    with open_store(store_dir, endpoint, create=False) as store:
        result = store.query(load_query(LIST_QUERY).text)
    click.echo(render(result, fmt), nl=False)


COMMANDS = (load_command, query_command, export_command, list_command)

