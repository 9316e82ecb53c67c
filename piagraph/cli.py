"""The ``piagraph`` command line: convert and inspect reports (store commands live in `store_cli`).

Bad input is one line on stderr, ``<file>: <reason>``, and exit code 2 — never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loaders.errors import ReportError
from piagraph.inspect import summarise

FORMATS_BY_SUFFIX = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld",
                     ".nq": "nquads", ".xml": "xml", ".rdf": "xml"}
EXIT_BAD_INPUT = 2


def fail(message: str) -> None:
    click.echo(f"piagraph: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def load_or_fail(path: str):
    from loaders.pipeline import load_report

    try:
        return load_report(path)
    except ReportError as error:
        fail(str(error))


@click.group()
@click.version_option(package_name="piagraph")
def main() -> None:
    """piagraph: a compliance knowledge graph for 特定個人情報保護評価書 (My Number PIAs)."""


@main.command()
@click.argument("report")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file; the format follows the extension (.ttl .nt .trig .jsonld).")
@click.option("--format", "rdf_format", type=click.Choice(sorted(set(FORMATS_BY_SUFFIX.values()))),
              help="Override the format chosen from the extension (Turtle on stdout by default).")
def convert(report: str, output: str | None, rdf_format: str | None) -> None:
    """Convert one REPORT into its RDF graph."""
    loaded = load_or_fail(report)
    if rdf_format is None:
        suffix = Path(output).suffix.lower() if output else ".ttl"
        if suffix not in FORMATS_BY_SUFFIX:
            fail(f"{output}: unknown output extension {suffix!r} (use one of {', '.join(FORMATS_BY_SUFFIX)})")
        rdf_format = FORMATS_BY_SUFFIX[suffix]
    if rdf_format in ("trig", "nquads"):
        from rdflib import Dataset

        dataset = Dataset()
        named = dataset.graph(loaded.graph_iri)
        for triple in loaded.graph:
            named.add(triple)
        for prefix, namespace in loaded.graph.namespaces():
            dataset.bind(prefix, namespace)
        data = dataset.serialize(format=rdf_format)
    else:
        data = loaded.graph.serialize(format=rdf_format)
    if output:
        Path(output).write_text(data, encoding="utf-8")
        click.echo(f"{report}: {len(loaded.graph)} triples → {output}", err=True)
    else:
        click.echo(data)


@main.command(name="inspect")
@click.argument("report")
def inspect_command(report: str) -> None:
    """Print a readable summary of what was extracted from REPORT."""
    loaded = load_or_fail(report)
    click.echo(summarise(loaded))



def _register_commands() -> None:
    """The store, validation and flow commands live in their own modules."""
    from piagraph.app_cli import app_command
    from piagraph.flows_cli import COMMANDS as FLOW_COMMANDS
    from piagraph.store_cli import COMMANDS as STORE_COMMANDS
    from piagraph.validate_cli import validate_command

    for command in (*STORE_COMMANDS, validate_command, *FLOW_COMMANDS, app_command):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":
    main()
