"""The store commands: ``piagraph load | query | export | list | summarize``.

Every command takes ``--store DIR`` (embedded store; default ``$PIAGRAPH_STORE`` or
``~/.local/share/piagraph/store``) or ``--endpoint URL`` (a SPARQL server; ``$PIAGRAPH_ENDPOINT``).
``query``, ``export`` and ``list`` open the embedded store read-only, so they run while the app or a
``load`` uses it; ``load`` is a writer and waits for another writer (one line says so).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH
from ontology.errors import QueryFailed, QueryTimeout, StoreError
from piagraph.cli.options import (
    EXIT_FAILURE,
    EXIT_OK,
    one_line_errors,
    page_line,
    page_options,
    store_options,
    tell_waiting,
)
from piagraph.ingest import load_paths, local_user
from piagraph.sparql.builder import page_query, total_query
from piagraph.sparql.saved import list_queries, load_query, query_from_file
from piagraph.store import open_store
from piagraph.store.formats import EXPORT_FORMATS
from piagraph.store.graphs import companions
from piagraph.store.render import FORMATS, ROW_FORMATS, output_format, render
from piagraph.store.summaries import require_summaries, summarize_store
from piagraph.workbench import check_query, run_page

LIST_QUERY = "report-versions"
"""The saved query behind `piagraph list`."""
HISTORY_QUERY = "report-history"
"""The saved query behind `piagraph list --all` (superseded contents included)."""
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
@click.option("--no-validate", "no_validate", is_flag=True,
              help="Store the reports without checking them (the app shows them as 未検証 until "
                   "`piagraph validate --store`). By default each report is validated as it is loaded and its "
                   "findings are stored with it.")
@one_line_errors
def load_command(paths, store_dir, endpoint, gsp, quiet, verbose, jobs, bulk, no_validate):
    """Load reports (files or directories of .txt/.pdf) into the store, one named graph each, each
    with its findings (validated on load) and its text, recording when, from which file and by whom.

    Loading a report already stored with identical content changes nothing; with different content
    (same body, 評価書番号 and 公表日) the earlier content is kept as a superseded version, and a
    notice on stderr says so (`piagraph list --all`). A later 公表日 of the same report is a new
    graph and becomes the current version. A file that fails is reported on stderr and skipped.
    Exit code 2 if any file failed.
    """
    def loaded(path, entry):
        click.echo(f"{path}: stored {entry.triple_count} triples in <{entry.graph}>", err=True)

    options = dict(progress=not (quiet or verbose), report_loaded=loaded if verbose else None,
                   validate=not no_validate, loaded_by=local_user())
    with open_store(store_dir, endpoint, gsp, on_wait=tell_waiting) as store:
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
@page_options
@store_options()
@one_line_errors
def query_command(file, name, expression, fmt, params, list_saved, timeout, limit, offset, store_dir, endpoint):
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
    form = check_query(text)
    fmt = output_format(form, fmt)  # before the query runs: a mismatched --format is one line
    if (limit is not None or offset) and form != "SELECT":
        raise click.UsageError("--limit and --offset page the rows of a SELECT query")
    with open_store(store_dir, endpoint, read_only=True) as store:
        try:
            limited, total = run_page(store, text, limit=limit, offset=offset, timeout=timeout)
            result = limited.result
        except (QueryTimeout, QueryFailed) as error:
            message = str(error)  # a remote store's errors name the server already
            raise StoreError(message if message.startswith(store.location) else f"{store.location}: {message}") from None
    click.echo(render(result, fmt), nl=False)
    if total is not None:
        click.echo(page_line(offset, len(result.rows), total), err=True)


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

    ``--current``: the current report graphs with their text and findings graphs, the ontology and
    the catalog. Turtle has no named graphs: the selected graphs are merged into one.
    """
    with open_store(store_dir, endpoint, gsp, read_only=True) as store:
        selected = list(graphs) or None
        if current:
            reports = [e.graph for e in store.catalog() if e.is_current]
            present = set(store.named_graphs())
            selected = (selected or []) + reports + [g for r in reports for g in companions(r) if g in present]
            selected += [ONTOLOGY_GRAPH, CATALOG_GRAPH]
        if output is None:
            store.export(sys.stdout.buffer, fmt, selected)
            sys.stdout.buffer.flush()
        else:
            with open(output, "wb") as handle:
                store.export(handle, fmt, selected)


@click.command("list")
@click.option("--format", "-f", "fmt", type=click.Choice(ROW_FORMATS), default="table", show_default=True)
@click.option("--all", "show_all", is_flag=True,
              help="Also list the earlier contents that loads of different content superseded (置き換え前).")
@page_options
@store_options()
@one_line_errors
def list_command(fmt, show_all, limit, offset, store_dir, endpoint):
    """List the reports in the store: body, 事務, 公表日, current version?, files, flows, triples,
    the file each was loaded from, when and by whom.

    ``--all``: every stored content, with its status (現行版, 旧版, 置き換え前) and when it was superseded.
    """
    with open_store(store_dir, endpoint, read_only=True) as store:
        text = load_query(HISTORY_QUERY if show_all else LIST_QUERY).text
        require_summaries(store, text)
        result = store.query(page_query(text, limit, offset))
        total = int(str(store.query(total_query(text)).rows[0][0])) if limit is not None or offset else None
    click.echo(render(result, fmt), nl=False)
    if total is not None:
        click.echo(page_line(offset, len(result.rows), total), err=True)


@click.command("summarize")
@click.option("--all", "redo", is_flag=True, help="Recompute every report's summary, not only the missing ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes summarising reports in parallel; this process reads and writes them.")
@store_options(gsp=True)
@one_line_errors
def summarize_command(redo, quiet, jobs, store_dir, endpoint, gsp):
    """Compute the summary rows of every report that has none, then the per-body rows of the national
    aggregates (要約と機関ごとの集計の作成): a store loaded by an earlier piagraph, whose saved queries
    refuse to run until it has them (they read them).

    A load writes each report's summary and its body's rows with it; this is needed only once, for an
    older store.
    """
    with open_store(store_dir, endpoint, gsp, on_wait=tell_waiting) as store:
        store.check_writable()
        bar = tqdm(unit="report", file=sys.stderr, disable=True if quiet else None)

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(1)

        done = summarize_store(store, redo=redo, progress=advance, jobs=jobs)
        bar.close()
        store.flush()
    click.echo(f"summarized {done:,} report{'s' if done != 1 else ''} (要約を作成しました)", err=True)


COMMANDS = (load_command, query_command, export_command, list_command, summarize_command)

