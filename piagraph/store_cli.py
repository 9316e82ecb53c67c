"""CLI commands of the store: ``piagraph load | query | export | list``.

Register them on the ``piagraph`` click group::

    from piagraph.store_cli import export_command, list_command, load_command, query_command
    for command in (load_command, query_command, export_command, list_command):
        main.add_command(command)

Every command takes ``--store DIR`` (embedded store; default ``$PIAGRAPH_STORE`` or
``~/.local/share/piagraph/store``) or ``--endpoint URL`` (a SPARQL server; ``$PIAGRAPH_ENDPOINT``).
Errors are one line on stderr, never a traceback. ``python -m piagraph.store_cli`` runs them alone.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from piagraph.catalog import CATALOG_GRAPH
from piagraph.loading import load_paths
from piagraph.namespaces import ONTOLOGY_GRAPH
from piagraph.queries import UnknownQueryError, list_queries, load_query, query_from_file
from piagraph.render import FORMATS, render
from piagraph.store import EXPORT_FORMATS, StoreError, open_store
from piagraph.workbench import QueryFailed, QueryTimeout, run_limited

LIST_QUERY = "report-versions"
"""The saved query behind `piagraph list`."""
QUERY_TIMEOUT_SECONDS = 300.0
"""Default time limit of `piagraph query` (saved queries on 1,000 reports take seconds)."""


def _store_options(with_gsp: bool):
    def decorate(command):
        command = click.option(
            "--endpoint",
            envvar="PIAGRAPH_ENDPOINT",
            metavar="URL",
            help="SPARQL 1.1 query endpoint of a shared server (instead of the embedded store).",
        )(command)
        if with_gsp:
            command = click.option(
                "--gsp",
                envvar="PIAGRAPH_GSP",
                metavar="URL",
                help="Graph Store Protocol URL of that server (default: derived from --endpoint).",
            )(command)
        command = click.option(
            "--store",
            "store_dir",
            type=click.Path(file_okay=False, path_type=Path),
            metavar="DIR",
            help="Embedded store directory (default: $PIAGRAPH_STORE or ~/.local/share/piagraph/store).",
        )(command)
        return command

    return decorate


def one_line_errors(*expected: type[BaseException]):
    """A decorator turning the expected errors (plus store and OS errors) into ``error: …`` on
    stderr and exit code 1; output piped into ``head`` is not an error."""

    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except BrokenPipeError:
                sys.exit(0)
            except (StoreError, OSError, *expected) as error:
                message = " ".join(str(error).split()) or type(error).__name__
                click.echo(f"error: {message}", err=True)
                sys.exit(1)

        return wrapper

    return decorate


_one_line_errors = one_line_errors(UnknownQueryError, ValueError)


@click.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_options(with_gsp=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--verbose", "-v", is_flag=True, help="One line per stored report on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing reports in parallel; this process writes them, still one "
                   "transaction per report, in the order of the files.")
@click.option("--bulk", is_flag=True,
              help="Initial load into an EMPTY embedded store with Oxigraph's bulk loader: several times "
                   "faster, but without per-report transactions — if the load is interrupted by a crash, "
                   "delete the store and load again.")
@_one_line_errors
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
        if jobs > 1 or bulk:
            from piagraph.ingest import ingest_paths

            summary = ingest_paths(store, paths, jobs=jobs, bulk=bulk, **options)
        else:
            summary = load_paths(store, paths, **options)
    click.echo(summary.line(), err=True)
    sys.exit(2 if summary.failures else 0)


@click.command("query")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", "-n", metavar="NAME", help="Run a saved query from queries/ (see --list).")
@click.option("-e", "--expression", metavar="SPARQL", help="Run this SPARQL query text.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter the saved query declares (# param:), e.g. -p body=高岡市長. Repeatable.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries (and their parameters) and exit.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=QUERY_TIMEOUT_SECONDS,
              show_default=True, help="Stop the query after this many seconds.")
@_store_options(with_gsp=False)
@_one_line_errors
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
@_store_options(with_gsp=True)
@_one_line_errors
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
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@_store_options(with_gsp=False)
@_one_line_errors
def list_command(fmt, store_dir, endpoint):
    """List the reports in the store: body, 事務, 公表日, current version?, files, flows, triples."""
    with open_store(store_dir, endpoint, create=False) as store:
        result = store.query(load_query(LIST_QUERY).text)
    click.echo(render(result, fmt), nl=False)


COMMANDS = (load_command, query_command, export_command, list_command)

