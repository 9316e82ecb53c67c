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
        for number in ("000", "002", "003", "004"):
            store.put_report(load_seed(number))
    return directory


@pytest.fixture
def page(store_dir, monkeypatch):
    monkeypatch.setenv("PIAGRAPH_STORE", str(store_dir))
    monkeypatch.delenv("PIAGRAPH_ENDPOINT", raising=False)

    def run(name: str) -> AppTest:
        from app.common import _open_store

        _open_store.clear()
        app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
        app.run()
        assert not app.exception, app.exception
        return app

    return run


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.caption] + [m.value for m in app.title]
    parts += [str(m.label) + str(m.value) for m in app.metric]
    return "\n".join(str(p) for p in parts)


def test_overview_counts_the_reports(page):
    app = page("overview")
    metrics = {m.label: m.value for m in app.metric}
    # the eight samples (4 重点, 2 基礎, 2 全項目: one 基礎 shares its number and date with its 重点) and four seeds
    assert metrics["評価書(現行版)"] == "12" and metrics["評価実施機関"] == "5"
    assert "2019-03-01" in texts(app)  # みどり市 児童手当, the oldest


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
