"""The app's pages, rendered headless with Streamlit's AppTest on a store of the samples and seeds."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from piagraph.store import open_store  # noqa: E402
from tests.conftest import ALL_SAMPLES, REPO, load_sample, load_seed  # noqa: E402

PAGES = REPO / "app" / "screens"
TIMEOUT = 60


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("app-store")
    with open_store(directory) as store:
        for name in ALL_SAMPLES:
            store.put_report(load_sample(name))
        for number in ("000", "001", "002", "003", "004"):
            store.put_report(load_seed(number))
    return directory


@pytest.fixture
def page(store_dir, monkeypatch):
    monkeypatch.setenv("PIAGRAPH_STORE", str(store_dir))
    monkeypatch.delenv("PIAGRAPH_ENDPOINT", raising=False)

    def run(name: str, **query) -> AppTest:
        from app.common import _open_store

        _open_store.clear()
        app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
        app.query_params.update(query)
        app.run()
        assert not app.exception, app.exception
        return app

    return run


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.caption] + [m.value for m in app.title]
    parts += [str(m.label) + str(m.value) for m in app.metric]
    return "\n".join(str(p) for p in parts)


def frames(app: AppTest) -> list:
    return [frame.value for frame in app.dataframe]


def test_overview_counts_the_reports(page):
    app = page("overview")
    metrics = {m.label: m.value for m in app.metric}
    # the eight samples (4 重点, 2 基礎, 2 全項目: one 基礎 shares its number and date with its 重点) and five seeds
    assert metrics["評価書(現行版)"] == "13" and metrics["評価実施機関"] == "6"
    assert "2019-03-01" in texts(app)  # みどり市 児童手当, the oldest
    assert {"評価実施機関", "事務", "公表日", "現行版"} <= set(frames(app)[0].columns)


def test_report_page_shows_sections_with_whole_line_numbers(page):
    app = page("report")
    assert any("評価書番号" in set(frame["項目"]) for frame in frames(app))
    assert all("行" in frame.columns for frame in frames(app) if len(frame))
    # The line column is a whole number, configured to show every digit.
    import json

    line = json.loads(app.dataframe[0].proto.columns)["行"]
    assert line["type_config"] == {"type": "number", "format": "%d"} and line["width"] >= 64


def test_sparql_page_runs_a_saved_query_and_refuses_update_and_service(page):
    app = page("sparql")
    app.selectbox[0].select("contractors-ranked").run()
    app.button[0].click().run()
    assert not app.error and app.dataframe and len(app.dataframe[0].value) > 0
    assert "委託先" in app.dataframe[0].value.columns  # the query's ?contractor, in Japanese
    app.text_area[0].input("DROP ALL").run()
    app.button[0].click().run()
    assert app.error and "実行できない" in app.error[0].value and "更新" in app.error[0].value
    app.text_area[0].input("SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }").run()
    app.button[0].click().run()
    assert app.error and "SERVICE" in app.error[0].value


def test_sparql_syntax_error_is_one_japanese_line_with_its_position(page):
    app = page("sparql")
    app.text_area[0].input("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }").run()
    app.button[0].click().run()
    message = app.error[0].value
    assert "3 行目" in message and "文字目" in message and "FILTER(?s = " in message
    assert "\n" not in message and "expected" not in message


def test_sparql_page_binds_a_saved_querys_body_parameter(page):
    app = page("sparql")
    app.selectbox[0].select("report-versions").run()
    body = next(box for box in app.selectbox if box.label.startswith("評価実施機関名"))
    body.select("熊本市長").run()
    assert '"熊本市長"@ja' in app.text_area[0].value
    app.button[0].click().run()
    assert set(app.dataframe[0].value["評価実施機関"]) == {"熊本市長"}


def test_flow_page_draws_the_first_report_without_error(page):
    app = page("flows")
    assert not app.error and not app.exception


def test_flow_page_traces_from_the_node_of_a_shared_link(page):
    # 高岡市 (seed 000): its file reaches the three 移転先 of the report, the third 富山県後期高齢者医療広域連合.
    report = next(c for c in views_choices(page) if c.body == "高岡市長")
    node = f"https://w3id.org/piagraph/id/assessment/{report.key}/file/1"
    app = page("flows", scope="report", report=report.key, node=node)
    assert any("から到達できるもの" in info.value for info in app.info)
    reached = set(frames(app)[0]["到達先"])
    assert {"富山県後期高齢者医療広域連合", "福祉保健部 保険年金課", "株式会社インテック"} <= reached


def test_flow_page_contractor_filter_keeps_only_that_contractors_flows(page):
    report = next(c for c in views_choices(page) if c.body == "熊本市長")
    app = page("flows", scope="report", report=report.key)
    contractor = app.sidebar.selectbox[0]
    assert contractor.label == "委託先"
    chosen = contractor.options[1]
    contractor.select_index(1).run()
    node_picker = next(box for box in app.selectbox if box.label.startswith("起点"))
    labels = " ".join(node_picker.options)
    assert chosen in labels
    assert "入手元" not in labels and "団体" not in labels  # no 入手 source, no 提供先 body


def views_choices(page):
    from piagraph import views

    app = page("overview")  # sets the environment the app reads
    del app
    from app.common import _open_store

    return views.report_choices(_open_store())


def test_findings_page_lists_findings_and_opens_one_to_its_evidence(page):
    app = page("findings")
    table = frames(app)[0]
    assert {"重要度", "規則", "メッセージ", "評価書", "節", "行", "記載"} <= set(table.columns)
    assert set(table["重要度"]) <= {"違反", "警告", "情報"}
    assert 886 in set(table["行"])  # 厚木市 (seed 001): a line number of four digits' neighbours, whole
    picker = next(box for box in app.selectbox if box.label == "指摘")
    kaigo = next(i for i, label in enumerate(picker.options) if "PIA-R30" in label and "midori_kaigo.txt" in label)
    picker.select_index(kaigo).run()
    quote = next(m.value for m in app.markdown if m.value.startswith("> "))
    # midori_kaigo.txt L223 (III-5): the risk rated 課題が残されている, quoted from the report graph.
    assert "不正な提供・移転が行われるリスク" in quote and "課題が残されている" in quote


def test_compare_page_puts_kouki_reports_side_by_side_with_differences(page):
    app = page("compare")
    table = frames(app)[0]
    columns = [c for c in table.columns if c not in ("観点", "項目", "差異")]
    assert any(c.startswith("高岡市長") for c in columns) and any(c.startswith("熊本市長") for c in columns)
    contractors = table[table["観点"] == "委託先"]
    assert "株式会社インテック" in set(contractors["項目"])
    assert set(contractors["差異"]) == {"あり"}  # each contractor is named by one report only


def test_upload_page_renders_in_japanese(page):
    app = page("upload")
    assert "取込" in texts(app)
    assert app.get("file_uploader")[0].proto.max_upload_size_mb == 16


def test_not_found_page_renders(page):
    app = page("not_found")
    assert "ページが見つかりません" in texts(app)
