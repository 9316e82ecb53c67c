"""``piagraph convert`` and ``piagraph inspect``: one report file → its graph, or a readable summary.

Bad input is one line on stderr, ``piagraph: <file>: <reason>``, and exit code 2 — never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from piagraph.cli.options import fail, one_line_errors
from piagraph.store.formats import RDF_FORMATS, by_suffix, suffixes


def _load(path: str):
    """The report's graph; each reading note (an edition piagraph does not describe …) is one line on
    stderr, ``piagraph: <file>: note: <note>``, and the command goes on."""
    from loaders.pipeline import load_report

    loaded = load_report(path)
    for note in loaded.report.notes:
        click.echo(f"piagraph: {path}: note: {note}", err=True)
    return loaded


def _serialise(loaded, rdflib_format: str) -> str:
    """The report's graph in an rdflib format; a dataset format puts it in its named graph."""
    if rdflib_format not in ("trig", "nquads"):  # one graph (JSON-LD too, as before)
        return loaded.graph.serialize(format=rdflib_format)
    from rdflib import Dataset

    dataset = Dataset()
    named = dataset.graph(loaded.graph_iri)
    for triple in loaded.graph:
        named.add(triple)
    for prefix, namespace in loaded.graph.namespaces():
        dataset.bind(prefix, namespace)
    return dataset.serialize(format=rdflib_format)


@click.command()
@click.argument("report")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file; the format follows the extension (.ttl .nt .trig .jsonld).")
@click.option("--format", "rdf_format", type=click.Choice(sorted(f.rdflib for f in RDF_FORMATS)),
              help="Override the format chosen from the extension (Turtle on stdout by default).")
@one_line_errors
def convert(report: str, output: str | None, rdf_format: str | None) -> None:
    """Convert one REPORT into its RDF graph."""
    loaded = _load(report)
    if rdf_format is None:
        suffix = Path(output).suffix.lower() if output else ".ttl"
        chosen = by_suffix(suffix)
        if chosen is None:
            fail(f"{output}: unknown output extension {suffix!r} (use one of {', '.join(suffixes())})")
        rdf_format = chosen.rdflib
    data = _serialise(loaded, rdf_format)
    if output:
        Path(output).write_text(data, encoding="utf-8")
        click.echo(f"{report}: {len(loaded.graph)} triples → {output}", err=True)
    else:
        click.echo(data)


@click.command(name="inspect")
@click.argument("report")
@click.option("--values", "every_value", is_flag=True,
              help="List every value with the line it was read on (and its confidence and reason when inferred).")
@one_line_errors
def inspect_command(report: str, every_value: bool) -> None:
    """Print a readable summary of what was extracted from REPORT."""
    from piagraph.inspect import summarise

    click.echo(summarise(_load(report), every_value))


COMMANDS = (convert, inspect_command)
