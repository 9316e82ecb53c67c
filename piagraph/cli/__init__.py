"""The ``piagraph`` command line: one click group, one module per family of commands.

=============================  =====================================================================
module                         commands
=============================  =====================================================================
`piagraph.cli.convert`         ``convert``, ``inspect`` — one report file
`piagraph.cli.store`           ``load``, ``query``, ``export``, ``list`` — the store
`piagraph.cli.validate`        ``validate`` — the form's rules
`piagraph.cli.flows`           ``flows``, ``trace``, ``hubs``, ``risky-flows`` — the flow model
`piagraph.cli.app`             ``app`` — the browser app
=============================  =====================================================================

Options and failures are shared (`piagraph.cli.options`): every command that reads a store takes
``--store DIR`` or ``--endpoint URL``; every failure is one line, ``piagraph: <message>``, exit code 2.
Run it as ``piagraph …`` or ``python -m piagraph …``.
"""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="piagraph")
def main() -> None:
    """piagraph: a compliance knowledge graph for 特定個人情報保護評価書 (My Number PIAs)."""


def _register_commands() -> None:
    from piagraph.cli import app, convert, flows, store, validate

    for module in (convert, store, validate, flows, app):
        for command in module.COMMANDS:
            main.add_command(command)


_register_commands()
