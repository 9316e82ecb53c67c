"""``piagraph validate``: run the rules of `shapes/` on reports and print the findings (評価書の点検).

    piagraph validate REPORT…            # report files (or directories of them)
    piagraph validate --store DIR        # every current report graph of the store; the findings
                                         # are also written to the store's findings graph
    piagraph validate --endpoint URL     # the same on a SPARQL server (findings written with the
                                         # Graph Store Protocol: --gsp URL where none is derived)

Output: a table (rule, severity, message, report, section, line), or ``--format json|csv|turtle``.
Exit code 1 when any finding is a Violation, 0 otherwise, 2 for bad input (a file that is no
report, a missing file, a store that cannot be read): one line on stderr, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from piagraph.cli.options import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, fail, one_line_errors, store_options
from piagraph.store import open_store
from piagraph.store.render import display_width
from piagraph.validation import Finding, Run, findings_graph, rules, validate_files, validate_store

FORMATS = ("table", "json", "csv", "turtle")
COLUMNS = ("rule", "severity", "message", "report", "section", "line")


def render_findings(findings: list[Finding], fmt: str, *, validated=None, today: dt.date | None = None) -> str:
    """The findings in one of `FORMATS`."""
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = [*COLUMNS, "value", "assessment", "focus"]
        writer.writerow(columns)
        for finding in findings:
            row = finding.as_dict()
            writer.writerow(["" if row[c] is None else row[c] for c in columns])
        return buffer.getvalue()
    if fmt == "turtle":
        return findings_graph(findings, validated=validated, today=today).serialize(format="turtle")
    return render_table(findings)


def render_table(findings: list[Finding]) -> str:
    """Aligned columns for a terminal (全角 characters count two); the value follows the message."""
    rows = [[f.rule, f.severity, f.message + (f" [{f.value}]" if f.value else ""), f.report,
             f.section or "", "" if f.line is None else str(f.line)] for f in findings]
    widths = [display_width(c) for c in COLUMNS]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row)]

    def line(cells: list[str]) -> str:
        return " | ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(cells, widths)).rstrip()

    lines = [line(list(COLUMNS)), "-+-".join("-" * w for w in widths), *(line(row) for row in rows)]
    return "\n".join(lines) + "\n"


def summary(run: Run) -> str:
    counts = {severity: sum(f.severity == severity for f in run.findings) for severity in ("Violation", "Warning", "Info")}
    reports = len(run.validated)
    return (f"{reports} report{'s' if reports != 1 else ''} validated: {counts['Violation']} violations, "
            f"{counts['Warning']} warnings, {counts['Info']} infos")


@click.command("validate")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@store_options(gsp=True)
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Validation date for the date rules (公表日 older than 5 years …); default: today.")
@click.option("--rules", "list_rules", is_flag=True, help="List the rules (id, severity, title) and exit.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --store: processes validating report graphs in parallel.")
@one_line_errors
def validate_command(reports, store_dir, endpoint, gsp, fmt, today, list_rules, jobs):
    """Check REPORT files (or the current reports of a store: --store DIR or --endpoint URL) against
    the form's rules; a store's findings are written back to it.

    Exit code 1 when any finding is a Violation, 0 otherwise, 2 for bad input.
    """
    if list_rules:
        for rule in rules():
            click.echo(f"{rule.rule}\t{rule.severity}\t{rule.title}")
        return
    if reports and endpoint and _from_environment("endpoint"):
        endpoint = None  # REPORT files given: $PIAGRAPH_ENDPOINT does not turn this into a store run
    if bool(reports) == (store_dir is not None or bool(endpoint)):
        fail("validate: give REPORT files, --store DIR or --endpoint URL (one of them)")
    day = today.date() if today else dt.date.today()
    if store_dir is not None or endpoint:
        with open_store(store_dir, endpoint, gsp, create=False) as store:
            store.check_writable()  # before minutes of validation, not at the end
            run = validate_store(store, day, jobs)
    else:
        run = validate_files(list(reports), day)
    findings = sorted(run.findings, key=lambda finding: finding.sort_key)
    click.echo(render_findings(findings, fmt, validated=run.validated, today=day), nl=False)
    for failure in run.failures:
        click.echo(f"piagraph: {failure}", err=True)
    click.echo(summary(run), err=True)
    sys.exit(EXIT_FAILURE if run.failures else EXIT_FINDINGS if run.has_violations else EXIT_OK)


def _from_environment(parameter: str) -> bool:
    return click.get_current_context().get_parameter_source(parameter) is ParameterSource.ENVIRONMENT


COMMANDS = (validate_command,)
