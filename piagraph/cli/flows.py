"""The flow commands: ``piagraph flows | trace | hubs | risky-flows``.

Each reads the store given by ``--store DIR`` (embedded) or ``--endpoint URL`` (SPARQL server) and
a scope: ``--report ID`` (graph IRI, assessment IRI, graph key or loaded file name),
``--municipality NAME`` (its current reports) or, by default, every current report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from piagraph.cli.options import one_line_errors, scope_options
from piagraph.flows.diagrams import FORMATS, export
from piagraph.flows.kinds import FLOW_KINDS, NODE_KINDS
from piagraph.flows.model import build_flow_graph, without_kinds
from piagraph.flows.scope import Scope, municipality_scope, report_scope
from piagraph.flows.tracing import (
    CENTRALITY,
    describe,
    evidence_path,
    find_node,
    hubs,
    risky_flows,
    step_record,
    step_text,
    trace_from,
    trace_to,
)
from piagraph.store import open_store

SYSTEM_KINDS = ("system", "canonical-system")




def load_flow_graph(store_dir, endpoint, report_id, municipality):
    """Open the store, choose the scope and build the flow graph."""
    if report_id and municipality:
        raise click.UsageError("give --report or --municipality, not both")
    with open_store(store_dir, endpoint, read_only=True) as store:
        if report_id:
            scope = report_scope(store, report_id)
        elif municipality:
            scope = municipality_scope(store, municipality)
        else:
            scope = Scope()
        return build_flow_graph(store, scope)


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def _json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1))


@click.command("flows")
@scope_options
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format (default: from the -o extension, else dot).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@click.option("--systems/--no-systems", default=True, show_default=True, help="Draw systems and canonical systems.")
@one_line_errors
def flows_command(store_dir, endpoint, report_id, municipality, fmt, output, systems):
    """Diagram of where personal numbers flow: SVG/PNG (Graphviz), DOT, GraphML or JSON.

    Edges: 入手, 移転, 提供, 委託, 再委託 (style per kind, red for risky channels), and the structure
    that carries data on (担当部署 → 事務 → ファイル, systems). Reports of one municipality are linked
    through the departments their 移転先 name.
    """
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else "dot"
        if suffix not in FORMATS:
            raise click.UsageError(f"cannot tell the format from {output}: give --format ({', '.join(FORMATS)})")
        fmt = suffix
    graph = load_flow_graph(store_dir, endpoint, report_id, municipality)
    if not systems:
        graph = without_kinds(graph, SYSTEM_KINDS)
    _emit(export(graph, fmt), output)
    if output is not None:
        click.echo(f"{output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({fmt})", err=True)


@click.command("trace")
@scope_options
@click.option("--from", "start", metavar="NODE", help="Everything the data of NODE can reach (label or IRI).")
@click.option("--to", "end", metavar="NODE", help="Everything that feeds NODE; with --from: the path between them.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(NODE_KINDS)),
              help="Only list reached nodes of this kind (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@one_line_errors
def trace_command(store_dir, endpoint, report_id, municipality, start, end, kinds, fmt):
    """Trace flows: --from NODE (where its data goes), --to NODE (what feeds it), both (evidence path).

    NODE is an IRI, a Japanese label, or words found in its body, label and kind
    (``みどり市 後期高齢者医療 事務``); an ambiguous name lists the candidates.
    """
    if not start and not end:
        raise click.UsageError("give --from NODE, --to NODE or both")
    graph = load_flow_graph(store_dir, endpoint, report_id, municipality)
    source = find_node(graph, start) if start else None
    target = find_node(graph, end) if end else None
    if source and target:
        path = evidence_path(graph, source, target)
        if fmt == "json":
            _json({"from": source, "to": target, "path": None if path is None else [step_record(graph, s) for s in path]})
        elif path is None:
            click.echo(f"no flow from {describe(graph, source)} to {describe(graph, target)}")
        else:
            click.echo(f"{describe(graph, source)} → {describe(graph, target)}: {len(path)} steps")
            for step in path:
                click.echo(f"  {step_text(graph, step)}")
        return
    anchor = source or target
    reached = trace_from(graph, anchor) if source else trace_to(graph, anchor)
    if kinds:
        reached = [r for r in reached if graph.nodes[r.node]["kind"] in kinds]
    if fmt == "json":
        _json({"from" if source else "to": anchor, "label": graph.nodes[anchor]["label"],
               "reached": [{"node": r.node, **{k: graph.nodes[r.node].get(k) for k in ("label", "kind", "body")},
                            "distance": r.distance, "path": [step_record(graph, s) for s in r.path]} for r in reached]})
        return
    direction = "reachable from" if source else "feeding"
    click.echo(f"{len(reached)} nodes {direction} {describe(graph, anchor)}  [{graph.graph.get('scope', '')}]")
    for reach in reached:
        click.echo(f"[{reach.distance}] {describe(graph, reach.node)}")
        for step in reach.path:
            click.echo(f"     {step_text(graph, step)}")


@click.command("hubs")
@scope_options
@click.option("--top", "-n", type=int, default=10, show_default=True)
@click.option("--measure", type=click.Choice(CENTRALITY), default="degree", show_default=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(NODE_KINDS)),
              help="Only rank nodes of this kind (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@one_line_errors
def hubs_command(store_dir, endpoint, report_id, municipality, top, measure, kinds, fmt):
    """Where data concentrates: the most central nodes of the flow graph."""
    graph = load_flow_graph(store_dir, endpoint, report_id, municipality)
    ranked = hubs(graph, top, measure, tuple(kinds) or None)
    if fmt == "json":
        _json([{**h.__dict__, "body": graph.nodes[h.node].get("body")} for h in ranked])
        return
    for hub in ranked:
        click.echo(f"{hub.score:.3f}  in {hub.inbound:>3} out {hub.outbound:>3}  {describe(graph, hub.node)}")


@click.command("risky-flows")
@scope_options
@click.option("--kind", "kinds", multiple=True, type=click.Choice(FLOW_KINDS),
              help="Only flows of this kind (repeatable; default all: 入手 shows the file's 入手方法).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@one_line_errors
def risky_flows_command(store_dir, endpoint, report_id, municipality, kinds, fmt):
    """Flows over risky channels: 紙, 電子記録媒体, フラッシュメモリ, 電子メール."""
    graph = load_flow_graph(store_dir, endpoint, report_id, municipality)
    found = risky_flows(graph, tuple(kinds) or FLOW_KINDS)
    if fmt == "json":
        _json([step_record(graph, s) for s in found])
        return
    for step in found:
        click.echo(f"{graph.nodes[step.source].get('body', '')}  {'、'.join(step.data['risky_methods'])}  {step_text(graph, step)}")


COMMANDS = (flows_command, trace_command, hubs_command, risky_flows_command)

