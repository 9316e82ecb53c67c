"""The flow diagram as a Streamlit component: pan, zoom, and a click on a node sent back to Python.

The component is a static page (``build/``): cytoscape.js and its dagre layout (npm packages
``cytoscape`` and ``cytoscape-dagre``, their distributed files copied into ``build/vendor`` by
``npm run build`` in ``frontend/``) and ``build/flowgraph.js``, which speaks Streamlit's component
protocol (postMessage). The diagram's elements come from `piagraph.flows.diagrams.to_cytoscape`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

BUILD = Path(__file__).parent / "build"

_component = components.declare_component("piagraph_flowgraph", path=str(BUILD))


def flow_diagram(elements: dict, *, start: str | None = None, height: int = 720, key: str) -> dict | None:
    """Draw the diagram; returns the last click, ``{"node": id, "click": "n:time"}`` (None before any).

    `click` differs for every click, so a page can tell a new click from the one it already acted
    on. `key` should name what is drawn (scope and report): a new key starts without a click, so a
    click on one report's diagram never carries over to another's. `start` is outlined (the node a
    trace starts from).
    """
    return _component(elements=elements, start=start, height=height, key=key, default=None)
