"""Names from reports are data, never markup or terminal codes: DOT/SVG, GraphML, JSON, the CLI's
table and the app's Markdown keep a hostile name as the text it is.

The names: HTML (`<script>`, `<img onerror>`), DOT's own escapes (`\\N`, quotes, backslashes), HTML
entities (Graphviz would read `&lt;` as `<`), terminal escape sequences and other controls (XML
forbids most of them: they would break the SVG), a right-to-left override, Markdown (an image would
be fetched from a server).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from piagraph.flows.diagrams import export, graphviz_available, quote, to_dot, to_graphml, to_json, xml_text
from piagraph.store.render import render
from piagraph.store.results import QueryResult

NAMES = [
    "<script>alert('x')</script>株式会社",
    "<img src=x onerror=alert(1)>",
    'A "quoted" \\ back\\slash \\N \\G \\L',
    "A&lt;B &amp; &#60;script&#62; R&D",
    "制御\x1b[31m文字\x08\x7f",
    "右から左\u202e逆\u202c",
    "![x](http://127.0.0.1:9/p.png) :red[x] $x$",
]
XLINK = "{http://www.w3.org/1999/xlink}"


def hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(scope="<b>範囲</b> & \x1b")
    graph.add_node("file", label="ファイル", kind="file", kind_label="特定個人情報ファイル")
    for index, name in enumerate(NAMES):
        node = f"https://w3id.org/piagraph/id/org/{index}"
        graph.add_node(node, label=name, kind="organization", kind_label="団体")
        graph.add_edge("file", node, kind="provision", kind_label="提供", methods=[name], risky=True,
                       report=name, section="II-5", line=index + 1)
    return graph


def plain(text: str) -> str:
    """A name as a diagram shows it: controls XML forbids as U+FFFD, whitespace runs as one space."""
    return " ".join(xml_text(text).split())


def test_dot_quotes_every_name_and_escapes_entities_and_controls():
    dot = to_dot(hostile_graph())
    assert "\x1b" not in dot and "\x08" not in dot
    assert "A&amp;lt;B &amp;amp; &amp;#60;script&amp;#62; R&amp;D" in dot
    assert quote('a "b" \\N &lt;\x1b') == '"a \\"b\\" \\\\N &amp;lt;\ufffd"'
    assert quote("\\N", tooltip=True) == '"\\\\\\\\N"'  # Graphviz unescapes a tooltip twice


@pytest.mark.skipif(not graphviz_available(), reason="graphviz is not installed")
def test_svg_is_well_formed_runs_nothing_and_shows_each_name_as_written():
    svg = export(hostile_graph(), "svg")
    root = ET.fromstring(svg)  # well-formed XML: no control character got through
    elements = list(root.iter())
    assert not [e for e in elements if e.tag.split("}")[-1] in ("script", "foreignObject", "image")]
    assert not [name for e in elements for name in e.attrib if name.lower().startswith("on")]
    tooltips = {plain(e.get(f"{XLINK}title", "")) for e in elements}
    for name in NAMES:
        assert plain(f"団体: {name}") in tooltips, name
    text = "".join("".join(e.itertext()) for e in elements if e.tag.endswith("text")).replace(" ", "")
    for name in NAMES:
        assert plain(name).replace(" ", "") in text, name


def test_graphml_is_well_formed_and_keeps_names():
    data = to_graphml(hostile_graph())
    ET.fromstring(data)
    back = nx.parse_graphml(data.decode("utf-8"))
    labels = {d["label"] for _, d in back.nodes(data=True)}
    assert {xml_text(name) for name in NAMES} <= labels
    assert back.graph["scope"] == "<b>範囲</b> & \ufffd"


def test_json_keeps_names_exactly():
    document = json.loads(json.dumps(to_json(hostile_graph()), ensure_ascii=False))
    assert set(NAMES) <= {node["label"] for node in document["nodes"]}


def hostile_result() -> QueryResult:
    rows = [(Literal(name), URIRef(f"https://w3id.org/piagraph/id/org/{i}")) for i, name in enumerate(NAMES)]
    return QueryResult(form="SELECT", variables=["name", "org"], rows=rows)


def test_cli_table_shows_controls_as_escapes_and_runs_no_terminal_code():
    table = render(hostile_result(), "table")
    assert "\x1b" not in table and "\u202e" not in table and "\x08" not in table and "\x7f" not in table
    assert "制御\\x1b[31m文字\\x08\\x7f" in table and "右から左\\u202e逆\\u202c" in table
    assert "<script>alert('x')</script>株式会社" in table  # a terminal shows it as text


def test_csv_tsv_and_json_keep_values_exactly():
    result = hostile_result()
    assert all(name in render(result, "csv") for name in NAMES if '"' not in name)
    document = json.loads(render(result, "json"))
    assert [b["name"]["value"] for b in document["results"]["bindings"]] == NAMES


def test_app_markdown_escapes_a_name():
    pytest.importorskip("streamlit")
    from app.common import md_text

    assert md_text("![x](http://127.0.0.1:9/p.png)") == r"\!\[x\]\(http\://127\.0\.0\.1\:9/p\.png\)"
    assert md_text("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"
    assert md_text(":red[赤] $x$ **太字** `code`") == r"\:red\[赤\] \$x\$ \*\*太字\*\* \`code\`"


def test_app_overview_shows_a_hostile_body_name_as_text(tmp_path, monkeypatch):
    st = pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from app.common import _open_store, md_text
    from loaders.pipeline import load_report
    from piagraph.store import open_store
    from tests.conftest import REPO, SAMPLES

    report = tmp_path / "hostile_body.txt"
    text = (SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8")
    report.write_text(text.replace("みどり市長", "![x](http://127.0.0.1:9/p.png) **$x$** `市長`"), encoding="utf-8")
    loaded = load_report(report)
    body = str(loaded.report.cover.assessor.value)
    assert "(http://127.0.0.1:9/p.png)" in body and "**$x$**" in body  # (the loader drops [ ] as checkbox marks)
    with open_store(tmp_path / "store") as store:
        store.put_report(loaded)
    monkeypatch.setenv("PIAGRAPH_STORE", str(tmp_path / "store"))
    monkeypatch.delenv("PIAGRAPH_ENDPOINT", raising=False)
    _open_store.clear()
    st.cache_data.clear()  # the pages cache their answers per process: none from another test's store
    app = AppTest.from_file(str(REPO / "app" / "screens" / "overview.py"), default_timeout=60)
    app.run()
    assert not app.exception
    written = "\n".join(m.value for m in app.markdown)
    shown = "(http://127.0.0.1:9/p.png) **$x$** `市長`"  # the part of the name the overview shows
    assert md_text(shown) in written and shown not in written
    _open_store.clear()
    st.cache_data.clear()
