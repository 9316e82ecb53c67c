"""The app's pages, rendered headless with Streamlit's AppTest on a store of the samples and seeds
(loaded as `piagraph load` does: validated, with their text), sign-in and the read-only mode."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from piagraph.ingest import load_paths  # noqa: E402
from piagraph.store import open_store  # noqa: E402
from tests.conftest import ALL_SAMPLES, REPO, SAMPLES, SEED_FILES, seed_path  # noqa: E402

PAGES = REPO / "app" / "screens"
MAIN = REPO / "app" / "main.py"
TIMEOUT = 60
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "0123456789abcdef0123456789abcdef",
        "client_id": "piagraph-test", "client_secret": "not-a-secret",
        "server_metadata_url": "https://login.example.jp/.well-known/openid-configuration"}
"""A sign-in configuration (nothing is asked of the provider until someone signs in)."""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("app-store")
    with open_store(directory) as store:
        load_paths(store, [SAMPLES / name for name in ALL_SAMPLES] + [seed_path(n) for n in sorted(SEED_FILES)],
                   progress=False)
    return directory


def run_app(path, store_dir, monkeypatch, *, env: dict | None = None, secrets: dict | None = None,
            user: dict | None = None, query: dict | None = None, run: bool = True) -> AppTest:
    monkeypatch.setenv("PIAGRAPH_STORE", str(store_dir))
    monkeypatch.delenv("PIAGRAPH_ENDPOINT", raising=False)
    monkeypatch.delenv("PIAGRAPH_READ_ONLY", raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    from app.common import _open_store

    _open_store.clear()
    app = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    for name, value in (secrets or {}).items():
        app.secrets[name] = value
    if user is not None:
        app.user = user
    app.query_params.update(query or {})
    if run:
        app.run()
        assert not app.exception, app.exception
    return app


@pytest.fixture
def page(store_dir, monkeypatch):
    def run(name: str, **query) -> AppTest:
        return run_app(PAGES / f"{name}.py", store_dir, monkeypatch, query=query)

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


def test_overview_and_findings_agree_on_the_stored_findings(page, store_dir):
    from piagraph import views

    with open_store(store_dir, read_only=True) as store:
        rows = views.findings(store)
        assert views.unchecked_reports(store) == []
    overview = texts(page("overview"))
    violations = sum(row["severity"] == "Violation" for row in rows)
    assert f"**違反** {violations}" in overview and "未検証" not in overview
    findings = page("findings")
    assert not findings.warning  # every report was checked on load
    assert len(findings.dataframe[0].value) == sum(row["severity"] != "Info" for row in rows)


def test_report_page_shows_sections_with_whole_line_numbers(page):
    app = page("report")
    assert any("評価書番号" in set(frame["項目"]) for frame in frames(app))
    facts = [frame for frame in frames(app) if "項目" in frame.columns]
    assert all("行" in frame.columns and "引用" in frame.columns for frame in facts if len(frame))
    cover = next(frame for frame in facts if "評価書番号" in set(frame["項目"]))
    assert all(cover["引用"].str.len() > 0)  # every cover fact quotes its line of the report
    versions = next(frame for frame in frames(app) if "読込日時" in frame.columns)
    assert {"版", "公表日", "読込元ファイル", "読込者"} <= set(versions.columns) and "現行版" in set(versions["版"])
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


def test_a_link_naming_a_report_opens_at_its_body_and_another_body_lists_its_own_reports(page):
    report = next(c for c in views_choices(page) if c.body == "熊本市長")
    app = page("report", report=report.key)
    assert app.selectbox(key="report-pick-body").value == "熊本市長" and app.query_params["body"] == "熊本市長"
    assert app.selectbox(key="report-pick-report").value == report.key
    app.selectbox(key="report-pick-body").set_value("高岡市長").run()
    assert not app.exception
    picker = app.selectbox(key="report-pick-report")
    assert picker.options and all(label.startswith("高岡市長 ") for label in picker.options)
    assert app.query_params["report"] == picker.value


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
    assert 1042 in set(table["行"])  # 厚木市 (seed 001): its II-3 入手・使用 heading, a line number of four digits, whole
    picker = next(box for box in app.selectbox if box.label == "指摘")
    kaigo = next(i for i, label in enumerate(picker.options) if "PIA-R30" in label and "midori_kaigo.txt" in label)
    picker.select_index(kaigo).run()
    quote = next(m.value for m in app.markdown if m.value.startswith("> "))
    # midori_kaigo.txt L223 (III-5): the risk rated 課題が残されている, quoted from the report graph.
    assert "不正な提供・移転が行われるリスク" in quote and "課題が残されている" in quote
    # … and from the report's own text: the cited line, marked, with the lines around it
    text = next(block.value for block in app.code)
    cited = [line for line in text.splitlines() if line.startswith("▶")]
    assert len(cited) == 1 and cited[0].split()[1] == "223" and "課題が残されている" in cited[0]


def test_findings_of_a_national_store_are_listed_one_body_at_a_time(page, monkeypatch):
    # a store with more findings than the page lists at once: their counts, then one 評価実施機関's
    from piagraph import views

    monkeypatch.setattr(views, "FINDINGS_AT_ONCE", 3)
    app = page("findings")
    body = next(box for box in app.selectbox if box.label == "評価実施機関")
    assert "熊本市長" in body.options and "みどり市長" in body.options
    assert any("評価実施機関ごとに表示します" in c.value and "違反" in c.value for c in app.caption)
    body.select("熊本市長").run()
    shown = app.dataframe[0].value
    assert set(shown["評価書"]) == {"002_b716d8e1545cc6b4.txt"}
    assert (shown["重要度"] == "違反").sum() == 5  # the five violations of 熊本市 (seed 002)


def test_compare_page_puts_kouki_reports_side_by_side_with_differences(page):
    app = page("compare")
    bodies = next(box for box in app.multiselect if box.label == "評価実施機関")
    assert len(bodies.value) == 4  # the page opens on a few bodies, not on every body of the store
    bodies.set_value(["高岡市長", "熊本市長"]).run()
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


def test_uploading_a_changed_copy_keeps_the_earlier_content_and_records_who(tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        load_paths(store, [seed_path("000")], progress=False)
    changed = seed_path("000").read_text(encoding="utf-8").replace("株式会社インテック", "株式会社改変")
    app = run_app(PAGES / "upload.py", store_dir, monkeypatch, secrets={"auth": AUTH},
                  user={"is_logged_in": True, "email": "auditor@example.jp", "name": "監査 太郎"})
    app.file_uploader[0].set_value(("takaoka_changed.txt", changed.encode("utf-8"), "text/plain")).run()
    app.button[0].click().run()
    assert not app.exception and not app.error
    notice = app.warning[0].value.replace("\\", "")  # as shown: Markdown escapes removed
    assert "以前の内容を旧版として保存しました" in notice and "読込元 000_9faffa5d1775a5db.txt" in notice
    with open_store(store_dir, read_only=True) as store:
        entries = store.catalog(superseded=True)
    current, kept = entries
    assert (current.source_file, current.loaded_by, current.is_current) == ("takaoka_changed.txt", "auditor@example.jp", True)
    assert kept.is_superseded and kept.source_file == "000_9faffa5d1775a5db.txt"
    app.button[0].click().run()  # the same file again: nothing changes
    assert "変更なし" in app.info[0].value


def test_a_report_loaded_after_validate_store_has_its_findings_on_the_findings_page(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from piagraph.cli import main as cli

    store_dir = tmp_path / "store"
    assert CliRunner().invoke(cli, ["load", "--no-validate", "--quiet", "--store", str(store_dir),
                                    str(SAMPLES / "midori_kaigo.txt")]).exit_code == 0
    assert CliRunner().invoke(cli, ["validate", "--store", str(store_dir)]).exit_code in (0, 1)
    assert CliRunner().invoke(cli, ["load", "--quiet", "--store", str(store_dir), str(seed_path("002"))]).exit_code == 0
    app = run_app(PAGES / "findings.py", store_dir, monkeypatch)
    assert not app.warning  # nothing unchecked
    shown = app.dataframe[0].value.astype(str)
    kumamoto = shown[shown.apply(lambda row: "002_b716d8e1545cc6b4.txt" in row.tolist(), axis=1)]
    violations = kumamoto.apply(lambda row: bool({"Violation", "違反"} & set(row.tolist())), axis=1)
    assert violations.sum() == 5  # the five violations of 熊本市, shown though loaded after validate


def test_read_only_app_has_no_upload(store_dir, monkeypatch):
    app = run_app(PAGES / "upload.py", store_dir, monkeypatch, env={"PIAGRAPH_READ_ONLY": "1"})
    assert app.error and "閲覧専用" in app.error[0].value and not app.file_uploader


def test_with_sign_in_configured_no_page_shows_data_before_sign_in(store_dir, monkeypatch):
    app = run_app(MAIN, store_dir, monkeypatch, secrets={"auth": AUTH})
    assert "サインイン" in app.info[0].value and [b.label for b in app.button] == ["サインイン"]
    assert not app.metric and not app.dataframe  # not a count, not a row of the store
    signed_in = run_app(MAIN, store_dir, monkeypatch, secrets={"auth": AUTH},
                        user={"is_logged_in": True, "email": "auditor@example.jp"})
    assert signed_in.metric and "auditor@example\\.jp" in "".join(c.value for c in signed_in.sidebar.caption)


def test_not_found_page_renders(page):
    app = page("not_found")
    assert "ページが見つかりません" in texts(app)


def test_national_scope_aggregates_and_goes_down_to_one_body(page):
    """全国 shows aggregates, not a diagram of every flow: 高岡市 (seed 000) reaches 中間サーバー and entrusts
    株式会社インテック; choosing that contractor and 高岡市長 opens 高岡市's own diagram."""
    app = page("flows", scope="all")
    assert [h.value for h in app.subheader][:3] == ["共通システムと利用する機関", "委託先と委託元の機関",
                                                     "リスクのある方法(紙・電子記録媒体・フラッシュメモリ・電子メール)"]
    shared, contractors, channels = (frames(app)[i] for i in range(3))
    middle = shared[shared["共通システム"] == "中間サーバー"].iloc[0]
    assert "高岡市長" in middle["機関"].split("、") and middle["機関数"] == len(middle["機関"].split("、"))
    intec = contractors[contractors["委託先"] == "株式会社インテック"].iloc[0]
    assert "高岡市長" in intec["機関"].split("、")
    assert set(channels["種類"]) <= {"入手", "委託", "提供", "移転"} and (channels["フロー数"] > 0).all()
    assert not app.get("component_instance")  # no diagram of every flow of the country is drawn

    app.radio(key="national-by").set_value("contractors").run()
    app.selectbox(key="national-contractors").set_value("株式会社インテック").run()
    assert "高岡市長" in app.selectbox(key="national-body").options
    app.selectbox(key="national-body").set_value("高岡市長").run()
    next(b for b in app.button if b.label == "この機関のデータフローを開く").click().run()
    assert not app.exception, app.exception
    assert app.query_params["scope"] == "municipality" and app.query_params["body"] == "高岡市長"
    assert app.selectbox(key="flow-body").value == "高岡市長"


def test_sparql_page_reads_the_next_page_of_a_listing_and_says_the_total(page):
    """Every report version of the store, then the same listing from its 11th row, 10 rows a page."""
    app = page("sparql")
    app.selectbox[0].select("report-versions").run()
    app.button[0].click().run()
    every = app.dataframe[0].value
    assert len(every) > 10
    next(box for box in app.number_input if box.label.startswith("最大行数")).set_value(10).run()
    app.number_input(key="sparql-offset").set_value(10).run()
    app.button[0].click().run()
    second = app.dataframe[0].value
    assert any(f"全 {len(every):,} 行のうち 11–{min(20, len(every))} 行目" in c.value for c in app.caption)
    assert second.to_dict("records") == every.iloc[10:20].to_dict("records")
