"""What every command shares: the store options, the scope options, and one failure policy.

Exit codes, for every command:

* 0 — done;
* 1 — done, and the answer is "no": ``validate`` found a Violation;
* 2 — failed: bad input, a store or server that cannot be used, a refused or failed query, a usage
  error. The reason is one line on stderr, ``piagraph: <message>``, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from ontology.errors import PiagraphError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_FAILURE = 2

_STORE_HELP = "Embedded store directory (default: $PIAGRAPH_STORE or ~/.local/share/piagraph/store)."


def fail(message: str) -> None:
    """Stop the command: ``piagraph: <message>`` on stderr and exit code 2."""
    click.echo(f"piagraph: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_FAILURE)


def one_line_errors(command):
    """Turn every `PiagraphError` (and OS error) of a command into `fail`; output piped into
    ``head`` is not an error."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except (PiagraphError, OSError) as error:
            fail(str(error) or type(error).__name__)

    return wrapper


def one_store(command):
    """Read one store: ``--store DIR`` on the command line wins over ``$PIAGRAPH_ENDPOINT`` (it must
    not read or write the shared server instead), and ``--store`` with ``--endpoint`` is a usage error."""

    @functools.wraps(command)
    def wrapper(*args, store_dir=None, endpoint=None, **kwargs):
        if store_dir is not None and endpoint:
            if click.get_current_context().get_parameter_source("endpoint") is not ParameterSource.ENVIRONMENT:
                raise click.UsageError("give --store DIR or --endpoint URL, not both")
            endpoint = None
        return command(*args, store_dir=store_dir, endpoint=endpoint, **kwargs)

    return wrapper


def tell_waiting(message: str) -> None:
    """A writer waiting for another writer of the same store: one line on stderr."""
    click.echo(f"piagraph: {message}", err=True)


def store_options(*, gsp: bool = False):
    """``--store DIR`` and ``--endpoint URL`` (and ``--gsp URL`` for commands that write or export)."""

    def decorate(command):
        command = one_store(command)
        if gsp:
            command = click.option(
                "--gsp", envvar="PIAGRAPH_GSP", metavar="URL",
                help="Graph Store Protocol URL of that server (default: derived from --endpoint).",
            )(command)
        command = click.option(
            "--endpoint", envvar="PIAGRAPH_ENDPOINT", metavar="URL",
            help="SPARQL 1.1 query endpoint of a shared server (instead of the embedded store).",
        )(command)
        return click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                            metavar="DIR", help=_STORE_HELP)(command)

    return decorate


def scope_options(command):
    """The store options and the scope of the flow model: ``--report ID`` or ``--municipality NAME``."""
    command = click.option("--municipality", metavar="NAME",
                           help="The current reports of one body (みどり市 or みどり市長).")(command)
    command = click.option("--report", "report_id", metavar="ID",
                           help="One report: graph IRI, assessment IRI, graph key or the file it was loaded from.")(command)
    return store_options()(command)


def page_options(command):
    """``--limit`` and ``--offset``: one page of a listing (its order is a key the summaries hold)."""
    command = click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
                           help="Skip this many rows first (with --limit: the next page).")(command)
    return click.option("--limit", type=click.IntRange(min=1), default=None,
                        help="Answer at most this many rows (a page); the total is said on stderr.")(command)


def page_line(offset: int, shown: int, total: int) -> str:
    """``rows 101–200 of 9,793`` — the page shown and the whole answer, in Japanese and English."""
    first, last = (offset + 1, offset + shown) if shown else (offset, offset)
    return f"全 {total:,} 行のうち {first:,}–{last:,} 行目 / rows {first:,}–{last:,} of {total:,}"
