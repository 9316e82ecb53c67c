"""The flow model, cross-report linking, the auditor's questions, diagrams and their CLI.

Expected values come from reading the reports: seed 000 (高岡市長, 後期高齢者医療), 002 (熊本市長,
後期高齢者医療), 001 (厚木市長, 国民健康保険) and samples/README.md, which tabulates the flows between the
four みどり市 事務.
"""

from __future__ import annotations

import json
import shutil
import struct

import networkx as nx
import pytest
from click.testing import CliRunner

from loaders.pipeline import ontology_graph
from piagraph.cli.flows import flows_command, hubs_command, risky_flows_command, trace_command
from piagraph.flows.diagrams import export, to_cytoscape, to_dot, to_graphml, to_json
from piagraph.flows.linking import body_key, department_units, link_graph
from piagraph.flows.model import FLOW_KINDS, build_flow_graph, filtered, is_generic_body, without_kinds
from piagraph.flows.scope import Scope, ScopeError, municipality_scope, report_scope
from piagraph.flows.tracing import (
    NodeNotFoundError,
    evidence_path,
    find_node,
    hubs,
    risky_flows,
    trace_from,
    trace_to,
)
from piagraph.store import EmbeddedStore
from piagraph.store.remote import RemoteStore
from tests.conftest import FORM3_SAMPLES, REPO, SEED_FILES, load_sample, load_seed
from tests.servers.oxigraph import running_oxigraph

TIDY_SEEDS = ("000", "002", "003", "004")
SAMPLE_FILES = FORM3_SAMPLES  # the flows samples/README.md tabulates between the four 様式3 事務
DOCS_PNG = REPO / "docs" / "flows-000.png"
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz `dot` is not installed (Debian: graphviz fonts-noto-cjk)")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The five seeds and the four samples, in one embedded store."""
    embedded = EmbeddedStore(tmp_path_factory.mktemp("flows") / "store")
    embedded.put_ontology(ontology_graph())
    for number in TIDY_SEEDS:
        embedded.put_report(load_seed(number))
    for name in SAMPLE_FILES:
        embedded.put_report(load_sample(name))
    embedded.put_report(load_seed("001"))
    yield embedded
    embedded.close()


@pytest.fixture(scope="module")
def everything(store):
    return build_flow_graph(store)


@pytest.fixture(scope="module")
def midori(store):
    return build_flow_graph(store, municipality_scope(store, "みどり市"))


def report_graph(store, seed: str):
    return build_flow_graph(store, report_scope(store, SEED_FILES[seed]))


def reached(graph, start: str) -> dict[str, object]:
    """Label → Reach of every node reachable from `start`."""
    return {graph.nodes[r.node]["label"]: r for r in trace_from(graph, start)}


def last_step(reach):
    return reach.path[-1].data


# --- seeds --------------------------------------------------------------------------------------

def test_000_reaches_the_kouki_union_by_dedicated_line_and_the_minister(store):
    graph = report_graph(store, "000")
    affair = find_node(graph, "後期高齢者医療に関する事務")
    found = reached(graph, affair)
    union = last_step(found["富山県後期高齢者医療広域連合"])
    assert union["kind"] == "transfer" and "専用線" in union["methods"]
    assert (union["report"], union["section"], union["line"]) == (SEED_FILES["000"], "II-5 移転先3", 176)
    assert union["legal_basis"].startswith("「一部事務組合又は広域連合と構成地方公共団体との間")
    minister = last_step(found["厚生労働大臣又は共済組合等"])
    assert minister["kind"] == "provision" and minister["methods"] == ["専用線"]
    assert minister["legal_basis"] == "高齢者の医療の確保に関する法律第110条" and minister["frequency"] == "月次"
    assert minister["confidence"] < 1  # the 専用線 tick was inferred from a bare checkbox
    assert [s.data["kind"] for s in found["厚生労働大臣又は共済組合等"].path] == ["holds", "provision"]


def test_002_reaches_the_tax_division_via_the_linkage_system_and_its_two_contractors(store):
    graph = report_graph(store, "002")
    found = reached(graph, find_node(graph, "熊本市 後期高齢者医療 事務"))
    tax = last_step(found["財政局 税務部 市民税課"])
    assert tax["kind"] == "transfer" and tax["methods"] == ["庁内連携システム"] and tax["frequency"] == "年に1回"
    for company, branch in (("富士通Japan株式会社", "九州南部公共ビジネス部"), ("日本電気株式会社", "九州支社")):
        entrustment = last_step(found[company])
        assert entrustment["kind"] == "entrustment" and entrustment["branch"] == branch
        assert entrustment["subcontracting"] is True
        assert f"再委託先 ({company})" in found


def test_001_delinquency_file_reaches_its_recipients(store):
    graph = report_graph(store, "001")
    files = [n for n, d in graph.nodes(data=True) if d["kind"] == "file" and "滞納整理ファイル" in d["label"]]
    assert len(files) == 1
    provisions = {graph.nodes[r.node]["label"] for r in trace_from(graph, files[0])
                  if r.distance == 1 and r.path[0].data["kind"] == "provision"}
    assert {"都道府県知事等", "日本私立学校振興・共済事業団", "市町村長"} <= provisions


# --- samples: crossing from one 事務 into another --------------------------------------------------

def test_a_trace_crosses_into_another_affair_through_a_transfer_department(midori):
    kouki = find_node(midori, "みどり市 後期高齢者医療 事務")
    path = reached(midori, kouki)["こども未来部 子育て支援課"].path
    labels = [midori.nodes[s.target]["label"] for s in path]
    assert labels == ["後期高齢者医療関連情報ファイル", "市民生活部 国保年金課", "国民健康保険に関する事務",
                      "国民健康保険情報ファイル", "こども未来部 子育て支援課"]
    assert [s.data["kind"] for s in path] == ["holds", "transfer", "responsible", "holds", "transfer"]
    reports = [s.data["report"] for s in path]
    assert reports == ["midori_kouki.txt", "midori_kouki.txt", "midori_kokuho.txt", "midori_kokuho.txt",
                       "midori_kokuho.txt"]
    assert path[1].data["section"] == "II-5 移転先2" and path[1].data["line"] == 159


def test_the_flow_goes_on_to_the_dead_end_and_through_the_email_cycle(midori):
    found = reached(midori, find_node(midori, "みどり市 後期高齢者医療 事務"))
    assert last_step(found["市民生活部 税務課"])["methods"] == ["電子記録媒体(フラッシュメモリを除く。)"]
    kaigo = find_node(midori, "介護保険に関する事務")
    back = evidence_path(midori, kaigo, find_node(midori, "みどり市 後期高齢者医療 事務"))
    assert [s.data["kind"] for s in back] == ["holds", "transfer", "responsible"]
    assert back[1].data["methods"] == ["電子メール"] and back[1].data["risky"] is True


def test_trace_to_lists_every_affair_feeding_a_department(midori):
    feeding = {midori.nodes[r.node]["label"] for r in trace_to(midori, find_node(midori, "こども未来部 子育て支援課"))
               if midori.nodes[r.node]["kind"] == "affair"}
    assert {"国民健康保険に関する事務", "後期高齢者医療に関する事務"} <= feeding
    direct = [r for r in trace_to(midori, find_node(midori, "こども未来部 子育て支援課")) if r.distance == 1]
    assert [midori.nodes[r.node]["label"] for r in direct] == ["国民健康保険情報ファイル"]


def test_a_recipient_body_passes_nothing_on(midori):
    minister = find_node(midori, "厚生労働大臣")
    assert evidence_path(midori, find_node(midori, "介護保険に関する事務"), minister) is not None
    assert evidence_path(midori, minister, find_node(midori, "介護保険に関する事務")) is None
    assert trace_from(midori, minister) == []


def test_risky_channel_flows(midori):
    risky = {(s.data["report"], s.data["kind"], midori.nodes[s.target]["label"], tuple(s.data["risky_methods"]))
             for s in risky_flows(midori, ("transfer", "provision"))}
    assert risky == {
        ("midori_kokuho.txt", "provision", "架空県後期高齢者医療広域連合", ("フラッシュメモリ",)),
        ("midori_kaigo.txt", "transfer", "健康福祉部 保険年金課", ("電子メール",)),
        ("midori_jidou.txt", "transfer", "市民生活部 税務課", ("電子記録媒体(フラッシュメモリを除く。)",)),
        ("midori_jidou.txt", "provision", "みどり市教育委員会", ("紙",)),
    }
    acquisitions = risky_flows(midori, ("acquisition",))
    assert acquisitions and all(s.data["methods_scope"] == "file" for s in acquisitions)


def test_hubs_rank_the_files_that_gather_most_flows(midori):
    top = hubs(midori, top=3, kinds=("file",))
    assert {h.label for h in top} <= {"国民健康保険情報ファイル", "介護保険情報ファイル", "後期高齢者医療関連情報ファイル"}
    assert top[0].inbound >= 10
    assert hubs(midori, top=2, measure="betweenness")[0].score > 0
    with pytest.raises(ValueError):
        hubs(midori, measure="closeness")


# --- linking ----------------------------------------------------------------------------------------

def same_as(graph, node) -> set[str]:
    return {graph.nodes[v]["label"] for _, v, d in graph.out_edges(node, data=True) if d["kind"] == "same-as"}


def test_a_source_named_by_its_division_alone_joins_the_full_name_in_one_municipality(everything):
    kumamoto = find_node(everything, "熊本市 市民税課")
    assert same_as(everything, kumamoto) == {"財政局 税務部 市民税課"}
    takaoka = find_node(everything, "高岡市 市民税課")
    assert same_as(everything, takaoka) == set()  # 熊本市's 市民税課 is another municipality's


def test_shared_bodies_and_canonical_systems_join_municipalities(everything):
    digital = find_node(everything, "デジタル庁")
    assert {everything.nodes[v]["body"] for v in everything.successors(digital)} >= {"みどり市", "熊本市", "高岡市"}
    server = find_node(everything, "https://w3id.org/piagraph/vocab/system/intermediate-server")
    bodies = {everything.nodes[u]["body"] for u, _, d in everything.in_edges(server, data=True) if d["kind"] == "canonical"}
    assert {"みどり市", "熊本市", "高岡市"} <= bodies


def test_generic_bodies_stay_apart_per_municipality(everything):
    mayors = [n for n, d in everything.nodes(data=True) if d["label"] == "市町村長"]
    assert len({everything.nodes[n]["body"] for n in mayors}) == len(mayors) >= 1
    assert all(everything.nodes[n]["scoped"] for n in mayors)
    assert is_generic_body("他市区町村") and is_generic_body("都道府県知事等") and not is_generic_body("厚生労働大臣")


def test_a_contractor_and_a_source_of_the_same_body_are_linked(midori):
    union = [n for n, d in midori.nodes(data=True) if d["label"] == "架空県国民健康保険団体連合会"]
    assert {midori.nodes[n]["kind"] for n in union} == {"contractor", "organization"}
    assert all(same_as(midori, n) == {"架空県国民健康保険団体連合会"} for n in union)


def department_graph(*names: tuple[str, str]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for municipality, label in names:
        graph.add_node(f"{municipality}/{label}", label=label, kind="department", municipality=municipality)
    return graph


def test_department_linking_rules():
    graph = department_graph(("A", "福祉保健部 高齢介護課"), ("A", "高齢介護課"), ("A", "福祉保健部高齢介護課"),
                             ("A", "市民生活部 税務課"), ("A", "財務部 税務課"), ("A", "税務課"), ("B", "高齢介護課"))
    links = {(l.a, l.b, l.rule) for l in link_graph(graph)}
    assert ("A/福祉保健部 高齢介護課", "A/福祉保健部高齢介護課", "部署名の正規化") in links
    assert ("A/高齢介護課", "A/福祉保健部 高齢介護課", "部/課の階層") in links
    assert not any("税務課" in a or "税務課" in b for a, b, _ in links)  # two parents: ambiguous
    assert not any(a.startswith("B/") or b.startswith("B/") for a, b, _ in links)
    assert department_units("健康福祉局 健康福祉部国保年金課") == ("健康福祉局", "健康福祉部", "国保年金課")
    assert department_units("課税課") == ("課税課",)


def test_body_keys_spell_out_abbreviations():
    assert body_key("神奈川県国保連合会") == body_key("神奈川県 国民健康保険団体連合会")
    assert body_key("厚生労働大臣又は共済組合等") != body_key("厚生労働大臣")


def test_subcontracting_is_reached_only_through_its_own_entrustment():
    graph = nx.MultiDiGraph()
    for node, kind in (("a", "file"), ("b", "file"), ("c", "contractor"), ("s", "subcontractor")):
        graph.add_node(node, label=node, kind=kind, kind_label=kind)
    graph.add_edge("a", "c", key="fa", kind="entrustment", kind_label="委託", flow="fa")
    graph.add_edge("b", "c", key="fb", kind="entrustment", kind_label="委託", flow="fb")
    graph.add_edge("c", "s", key="sub", kind="subcontracting", kind_label="再委託", flow="sub", after="fb")
    assert {r.node for r in trace_from(graph, "a")} == {"c"}
    assert {r.node for r in trace_from(graph, "b")} == {"c", "s"}
    assert {r.node for r in trace_to(graph, "s")} == {"c", "b"}


# --- naming nodes and scopes ----------------------------------------------------------------------

def test_find_node_by_label_iri_or_words_and_ambiguity(midori):
    node = find_node(midori, "こども未来部 子育て支援課")
    assert find_node(midori, f"<{node}>") == node
    assert find_node(midori, "こども未来部子育て支援課") == node
    with pytest.raises(NodeNotFoundError, match="matches .* nodes: .*後期高齢者医療に関する事務"):
        find_node(midori, "後期高齢者医療")
    with pytest.raises(NodeNotFoundError, match="no node"):
        find_node(midori, "存在しない課")


def test_scopes(store):
    assert len(municipality_scope(store, "みどり市").graphs) == 4
    assert municipality_scope(store, "みどり市長").graphs == municipality_scope(store, "みどり市").graphs
    assert len(report_scope(store, "midori_kokuho").graphs) == 1
    with pytest.raises(ScopeError, match="みどり市長"):
        municipality_scope(store, "架空町")
    with pytest.raises(ScopeError):
        report_scope(store, "no-such-report")
    assert Scope().pattern().startswith("GRAPH <")


def test_every_node_and_edge_carries_label_kind_and_evidence(everything):
    assert all(d["label"] and d["kind"] and d["kind_label"] for _, d in everything.nodes(data=True))
    for _, _, d in everything.edges(data=True):
        if d["kind"] in FLOW_KINDS:
            assert d["graph"] and d["report"] and d["section"] and isinstance(d["line"], int)


# --- diagrams ---------------------------------------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_dot_holds_the_japanese_labels_and_a_legend(store):
    dot = to_dot(report_graph(store, "000"))
    for label in ("後期高齢者医療に関する事務", "後期高齢者医療情報ファイル", "富山県後期高齢者医療広域連合",
                  "厚生労働大臣又は共済組合等", "株式会社インテック", "凡例", "リスクの高い方法", "委託"):
        assert label in dot
    assert 'fontname="Noto Sans CJK JP"' in dot


@needs_graphviz
def test_png_of_seed_000_is_rendered_with_graphviz_and_kept_in_docs(store):
    graph = report_graph(store, "000")
    data = export(graph, "png")
    width, height = png_size(data)
    assert 800 <= width <= 6000 and 800 <= height <= 6000
    assert 50_000 < len(data) < 10_000_000
    DOCS_PNG.parent.mkdir(exist_ok=True)
    DOCS_PNG.write_bytes(data)
    assert png_size(DOCS_PNG.read_bytes()) == (width, height)


@needs_graphviz
def test_svg_keeps_names_as_text():
    graph = nx.MultiDiGraph()
    graph.add_node("x", label='<script>alert("x")</script> \\N', kind="organization", kind_label="団体")
    graph.add_node("f", label="ファイル", kind="file", kind_label="特定個人情報ファイル")
    graph.add_edge("f", "x", kind="provision", kind_label="提供", methods=["紙"], risky=True)
    svg = export(graph, "svg").decode("utf-8")
    assert "<script" not in svg and "&lt;script&gt;" in svg and "\\N" in svg


def test_graphml_and_json_carry_labels_and_kinds(midori, tmp_path):
    path = tmp_path / "flows.graphml"
    path.write_bytes(to_graphml(midori))
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == midori.number_of_nodes()
    assert "こども未来部 子育て支援課" in {d["label"] for _, d in back.nodes(data=True)}
    assert any(d.get("methods") == "フラッシュメモリ" for *_, d in back.edges(data=True))
    document = json.loads(json.dumps(to_json(midori), ensure_ascii=False))
    assert {e["kind"] for e in document["edges"]} >= {"acquisition", "transfer", "provision", "entrustment",
                                                      "subcontracting", "same-as"}
    assert document["edge_kinds"]["transfer"] == "移転"


def test_without_systems(midori):
    bare = without_kinds(midori, ("system", "canonical-system"))
    assert not any(d["kind"] == "system" for _, d in bare.nodes(data=True))
    assert bare.number_of_edges() < midori.number_of_edges()


def test_the_contractor_filter_keeps_only_that_contractors_flows(store):
    # 熊本市長 (seed 002) entrusts to two companies; choosing one hides every 入手, 移転, 提供 and the other.
    kumamoto = build_flow_graph(store, report_scope(store, SEED_FILES["002"]))
    contractors = {d["label"]: n for n, d in kumamoto.nodes(data=True) if d["kind"] == "contractor"}
    assert len(contractors) >= 2
    label, chosen = sorted(contractors.items())[0]
    view = filtered(kumamoto, contractor=chosen)
    flow_kinds = {d["kind"] for *_, d in view.edges(data=True) if d["kind"] in FLOW_KINDS}
    assert flow_kinds <= {"entrustment", "subcontracting"} and flow_kinds
    assert chosen in view and not (set(contractors.values()) - {chosen}) & set(view)
    kinds = {d["kind"] for _, d in view.nodes(data=True)}
    assert "source" not in kinds and "organization" not in kinds
    assert {"affair", "file", "contractor"} <= kinds  # the 事務 and file that carry the 委託 stay


def test_a_kind_filter_hides_the_other_flows_and_no_filter_keeps_everything(midori):
    provisions = filtered(midori, kinds={"provision"})
    assert {d["kind"] for *_, d in provisions.edges(data=True) if d["kind"] in FLOW_KINDS} == {"provision"}
    assert not any(d["kind"] == "source" for _, d in provisions.nodes(data=True))
    whole = filtered(midori, kinds=set(FLOW_KINDS))
    assert (len(whole), whole.number_of_edges()) == (len(midori), midori.number_of_edges())


def test_cytoscape_elements_carry_labels_styles_and_report_boxes(store):
    takaoka = build_flow_graph(store, report_scope(store, SEED_FILES["000"]))
    elements = to_cytoscape(takaoka)
    nodes = {n["data"]["id"]: n["data"] for n in elements["nodes"]}
    boxes = [d for d in nodes.values() if d["kind"] == "cluster"]
    assert len(boxes) == 1 and "高岡市" in boxes[0]["label"] and "後期高齢者医療に関する事務" in boxes[0]["label"]
    file = next(d for d in nodes.values() if d.get("name") == "後期高齢者医療情報ファイル")
    assert file["parent"] == boxes[0]["id"] and file["shape"] == "cut-rectangle" and file["width"] > 100
    transfers = [e["data"] for e in elements["edges"] if e["data"]["kind"] == "transfer"]
    assert len(transfers) == 3 and all(e["label"].startswith("移転") for e in transfers)
    assert {e["target"] for e in transfers} <= set(nodes)


# --- CLI ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def samples_store_dir(tmp_path_factory):
    """A closed embedded store of the samples, for the CLI to open."""
    path = tmp_path_factory.mktemp("flows-cli") / "store"
    with EmbeddedStore(path) as store:
        store.put_ontology(ontology_graph())
        for name in SAMPLE_FILES:
            store.put_report(load_sample(name))
    return path


def invoke(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args], catch_exceptions=False)


def test_cli_trace_from_to_and_path(samples_store_dir):
    result = invoke(trace_command, "--store", samples_store_dir, "--from", "みどり市 後期高齢者医療 事務",
                    "--kind", "department")
    assert result.exit_code == 0 and "こども未来部 子育て支援課" in result.output
    assert "midori_kokuho.txt II-5 移転先1 L165" in result.output
    result = invoke(trace_command, "--store", samples_store_dir, "--from", "みどり市 後期高齢者医療 事務",
                    "--to", "こども未来部 子育て支援課", "--format", "json")
    path = json.loads(result.output)["path"]
    assert [s["kind"] for s in path] == ["holds", "transfer", "responsible", "holds", "transfer"]
    result = invoke(trace_command, "--store", samples_store_dir, "--to", "市民生活部 税務課", "--kind", "affair")
    assert "児童手当に関する事務" in result.output


def test_cli_errors_are_one_line(samples_store_dir, tmp_path):
    result = invoke(trace_command, "--store", samples_store_dir, "--from", "後期高齢者医療")
    assert result.exit_code == 2 and result.output.startswith("piagraph: '後期高齢者医療' matches")
    result = invoke(flows_command, "--store", samples_store_dir, "--report", "nope", "-o", tmp_path / "x.svg")
    assert result.exit_code == 2 and "no report 'nope'" in result.output
    result = invoke(trace_command, "--store", tmp_path / "missing", "--from", "x")
    assert result.exit_code == 2 and "no store here" in result.output


def test_cli_flows_hubs_and_risky(samples_store_dir, tmp_path):
    out = tmp_path / "midori.json"
    result = invoke(flows_command, "--store", samples_store_dir, "--municipality", "みどり市", "-o", out)
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["scope"].startswith("みどり市長")
    result = invoke(flows_command, "--store", samples_store_dir, "--report", "midori_kouki.txt", "--format", "dot")
    assert result.output.startswith("digraph flows {") and "市民生活部 国保年金課" in result.output
    result = invoke(hubs_command, "--store", samples_store_dir, "-n", "3", "--kind", "file")
    assert result.exit_code == 0 and len(result.output.splitlines()) == 3
    result = invoke(risky_flows_command, "--store", samples_store_dir, "--kind", "provision", "--kind", "transfer")
    assert len(result.output.splitlines()) == 4 and "フラッシュメモリ" in result.output


@needs_graphviz
def test_cli_renders_png(samples_store_dir, tmp_path):
    out = tmp_path / "kokuho.png"
    result = invoke(flows_command, "--store", samples_store_dir, "--report", "midori_kokuho.txt", "--no-systems", "-o", out)
    assert result.exit_code == 0
    png_size(out.read_bytes())


# --- remote store -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sparql_server(tmp_path_factory):
    """`oxigraph serve` on a free local port; yields the query endpoint."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as endpoint:
        yield endpoint


def test_the_remote_store_gives_the_same_flow_graph(sparql_server, midori):
    remote = RemoteStore(sparql_server)
    remote.put_ontology(ontology_graph())
    for name in SAMPLE_FILES:
        remote.put_report(load_sample(name))
    graph = build_flow_graph(remote, municipality_scope(remote, "みどり市"))
    assert sorted(graph.nodes(data="label")) == sorted(midori.nodes(data="label"))
    assert sorted(graph.edges(keys=True)) == sorted(midori.edges(keys=True))

