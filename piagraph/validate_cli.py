"""``piagraph validate``: run the rules of `shapes/` on reports and print the findings (評価書の点検).

    piagraph validate REPORT…            # report files (or directories of them)
    piagraph validate --store DIR        # every current report graph of the store; the findings
                                         # are also written to the store's findings graph

Output: a table (rule, severity, message, report, section, line), or ``--format json|csv|turtle``.
Exit code 1 when any finding is a Violation, 0 otherwise, 2 for bad input (a file that is no
report, a missing file, a store that cannot be read): one line on stderr, never a traceback.

Register on the ``piagraph`` group with ``main.add_command(validate_command)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
from rdflib import Graph, URIRef

from piagraph.validation import FINDINGS_GRAPH, Finding, findings_graph, report_identity, rules, validate_graph

FORMATS = ("table", "json", "csv", "turtle")
COLUMNS = ("rule", "severity", "message", "report", "section", "line")
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2


@dataclass
class Run:
    """What one `validate` invocation found: the findings, the validated reports, the failures."""

    findings: list[Finding] = field(default_factory=list)
    validated: dict[str, URIRef | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, graph: Graph, graph_iri: URIRef | None, today: dt.date) -> None:
        self.findings += validate_graph(graph, today=today)
        assessment, _ = report_identity(graph)
        self.validated[assessment] = graph_iri

    @property
    def exit_code(self) -> int:
        if self.failures:
            return EXIT_BAD_INPUT
        return EXIT_VIOLATIONS if any(f.severity == "Violation" for f in self.findings) else 0


# -- sources ---------------------------------------------------------------------------------------


def validate_files(paths: list[Path], today: dt.date) -> Run:
    """Load and validate report files (directories are searched for .txt/.pdf)."""
    from loaders.errors import ReportError
    from loaders.pipeline import load_report
    from piagraph.loading import report_paths

    run = Run()
    files, missing = report_paths(paths)
    run.failures += missing
    for path in files:
        try:
            loaded = load_report(path)
        except ReportError as error:
            run.failures.append(str(error))
            continue
        run.add(loaded.graph, loaded.graph_iri, today)
    if not files and not missing:
        run.failures.append("no report files found")
    return run


def validate_store(store_dir: Path | None, today: dt.date, jobs: int = 1) -> tuple[Run, str | None]:
    """Validate every current report graph of the store and write the findings graph.

    With `jobs` > 1, this process reads each graph (as Turtle) and `jobs` worker processes parse
    and validate them; the findings are the same, in the same order.
    Returns the run and, when the findings could not be stored, why (the findings are still shown).
    """
    from piagraph.store import StoreError, open_store

    run = Run()
    try:
        with open_store(store_dir, create=False) as store:
            current = [e.graph for e in store.catalog() if e.is_current]
            if jobs > 1:
                for graph_iri, (findings, assessment) in zip(current, _validate_in_pool(store, current, today, jobs)):
                    run.findings += findings
                    run.validated[assessment] = graph_iri
            else:
                for graph_iri in current:
                    run.add(read_graph(store, graph_iri), graph_iri, today)
            graph = findings_graph(run.findings, validated=run.validated, today=today)
            not_stored = write_findings(store, graph)
    except StoreError as error:
        run.failures.append(" ".join(str(error).split()))
        return run, None
    return run, not_stored


def read_graph(store, graph_iri: URIRef) -> Graph:
    """One named graph of the store, through its public query interface."""
    return store.named_graph(graph_iri)


def _validate_turtle(text: str, today: dt.date) -> tuple[list[Finding], str]:
    """In a worker: one report graph (Turtle) → its findings and its assessment."""
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return validate_graph(graph, today=today), report_identity(graph)[0]


def _validate_in_pool(store, graphs: list[URIRef], today: dt.date, jobs: int):
    """Findings per graph, in order, from `jobs` processes; a bounded number of graphs in flight."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    def turtle(graph_iri: URIRef) -> str:
        buffer = io.BytesIO()
        store.export(buffer, "turtle", [graph_iri])
        return buffer.getvalue().decode("utf-8")

    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        pending: deque = deque()
        for graph_iri in graphs:
            pending.append(pool.submit(_validate_turtle, turtle(graph_iri), today))
            if len(pending) >= jobs * 4:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def write_findings(store, graph: Graph) -> str | None:
    """Replace the store's findings graph; the reason when the store offers no way to write it."""
    put_graph = getattr(store, "put_graph", None)
    if put_graph is None:
        return f"{store.location}: this store cannot write named graphs yet (no put_graph); findings not stored"
    put_graph(FINDINGS_GRAPH, graph)
    return None


# -- output ----------------------------------------------------------------------------------------


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
    from piagraph.render import display_width

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


# -- the command -----------------------------------------------------------------------------------


@click.command("validate")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Validate the current reports of this embedded store and store the findings graph.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Validation date for the date rules (公表日 older than 5 years …); default: today.")
@click.option("--rules", "list_rules", is_flag=True, help="List the rules (id, severity, title) and exit.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --store: processes validating report graphs in parallel.")
def validate_command(reports, store_dir, fmt, today, list_rules, jobs):
    """Check REPORT files (or the store's current reports) against the form's rules.

    Exit code 1 when any finding is a Violation, 0 otherwise, 2 for bad input.
    """
    if list_rules:
        for rule in rules():
            click.echo(f"{rule.rule}\t{rule.severity}\t{rule.title}")
        return
    if bool(reports) == (store_dir is not None):
        click.echo("piagraph: validate: give REPORT files or --store DIR (one of them)", err=True)
        sys.exit(EXIT_BAD_INPUT)
    day = today.date() if today else dt.date.today()
    not_stored = None
    if store_dir is not None:
        run, not_stored = validate_store(store_dir, day, jobs)
    else:
        run = validate_files(list(reports), day)
    findings = sorted(run.findings, key=lambda finding: finding.sort_key)
    click.echo(render_findings(findings, fmt, validated=run.validated, today=day), nl=False)
    for failure in run.failures:
        click.echo(f"piagraph: {failure}", err=True)
    if not_stored:
        click.echo(f"piagraph: {not_stored}", err=True)
    click.echo(summary(run), err=True)
    sys.exit(run.exit_code)


if __name__ == "__main__":
    validate_command()
