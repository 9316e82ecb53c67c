"""The app's pages, rendered headless with Streamlit's AppTest on a store of the samples and seeds
(loaded as `piagraph load` does: validated, with their text), sign-in and the read-only mode."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from piagraph.ingest import load_paths  # noqa: E402
from piagraph.store import open_store  # noqa: E402
from tests.conftest import REPO, SAMPLES, SEED_FILES, seed_path  # noqa: E402

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
        load_paths(store, sorted(SAMPLES.glob("*.txt")) + [seed_path(n) for n in sorted(SEED_FILES)], progress=False)
    return directory


def run_app(path, store_dir, monkeypatch, *, env: dict | None = None, secrets: dict | None = None,
            user: dict | None = None, run: bool = True) -> AppTest:
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
    if run:
        app.run()
        assert not app.exception, app.exception
    return app


@pytest.fixture
def page(store_dir, monkeypatch):
    def run(name: str) -> AppTest:
        return run_app(PAGES / f"{name}.py", store_dir, monkeypatch)

    return run


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.caption] + [m.value for m in app.title]
    parts += [str(m.label) + str(m.value) for m in app.metric]
    return "\n".join(str(p) for p in parts)


def test_overview_counts_the_reports(page):
    app = page("overview")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["評価書(現行版)"] == "9" and metrics["評価実施機関"] == "6"
    assert "2019-03-01" in texts(app)  # みどり市 児童手当, the oldest


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


def test_report_page_shows_sections_with_evidence(page):
    app = page("report")
    frames = [frame.value for frame in app.dataframe]
    assert any("評価書番号" in set(frame["項目"]) for frame in frames)
    assert all("行" in frame.columns for frame in frames if len(frame))


def test_sparql_page_runs_a_saved_query_and_refuses_update_and_service(page):
    app = page("sparql")
    app.selectbox[0].select("contractors-ranked").run()
    app.button[0].click().run()
    assert not app.error and app.dataframe and len(app.dataframe[0].value) > 0
    app.text_area[0].input("DROP ALL").run()
    app.button[0].click().run()
    assert app.error and "実行できない" in app.error[0].value
    app.text_area[0].input("SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }").run()
    app.button[0].click().run()
    assert app.error and "SERVICE" in app.error[0].value


def test_flow_page_draws_the_diagram(page):
    app = page("flows")
    assert not app.error


def test_findings_page_lists_findings(page):
    app = page("findings")
    assert app.dataframe and len(app.dataframe[0].value) > 0


def test_compare_page_puts_two_kouki_reports_side_by_side(page):
    app = page("compare")
    bodies = set(app.dataframe[0].value["評価実施機関"])
    assert {"高岡市長", "熊本市長", "みどり市長"} <= bodies


def test_upload_page_renders(page):
    app = page("upload")
    assert "取込" in texts(app)


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
