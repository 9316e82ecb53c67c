"""The app in a real browser: Debian's Chromium, headless, driven by Playwright."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

from app.browser import CHROMIUM, CHROMIUM_ARGS, served_app  # noqa: E402
from piagraph.flows.diagrams import graphviz_available  # noqa: E402
from piagraph.store import open_store  # noqa: E402
from tests.conftest import SAMPLES, load_sample  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)"),
    pytest.mark.skipif(not graphviz_available(), reason="graphviz is not installed (make test installs it)"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser-store")
    with open_store(directory) as store:
        for path in sorted(SAMPLES.glob("*.txt")):
            store.put_report(load_sample(path.name))
    with served_app(directory) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_flow_page_draws_the_diagram_with_japanese_labels_and_a_click_traces(app_url, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    page.goto(f"{app_url}/flows")
    page.get_by_role("heading", name="データフロー").first.wait_for(timeout=60_000)
    diagram = page.frame_locator("iframe").first.locator("div.flow-diagram svg")
    diagram.wait_for(timeout=60_000)
    text = diagram.text_content()
    assert "児童手当に関する事務" in text and "凡例" in text
    page.screenshot(path=str(tmp_path / "flows.png"), full_page=True)
    assert (tmp_path / "flows.png").stat().st_size > 20_000
    page.frame_locator("iframe").first.locator("a", has_text="児童手当に関する事務").first.click()
    page.get_by_text("から到達できるもの").first.wait_for(timeout=60_000)
    assert "trace=" in page.url


def test_a_script_in_a_report_name_renders_as_text_and_runs_nothing(tmp_path_factory, browser):
    report = (SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8")
    hostile = report.replace("架空県国民健康保険団体連合会", "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>")
    directory = tmp_path_factory.mktemp("hostile")
    path = directory / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    from loaders.pipeline import load_report

    store_dir = directory / "store"
    with open_store(store_dir) as store:
        store.put_report(load_report(path))
    with served_app(store_dir) as url:
        page = browser.new_page()
        for screen in ("report", "flows"):
            page.goto(f"{url}/{screen}")
            page.get_by_role("heading").first.wait_for(timeout=60_000)
            page.wait_for_timeout(2000)
            assert page.evaluate("window.pwned === undefined")
            for frame in page.frames:
                assert frame.evaluate("window.pwned === undefined")


def metric_values(page) -> list[str]:
    values = page.locator('[data-testid="stMetricValue"]')
    values.first.wait_for(timeout=60_000)
    return values.all_inner_texts()


def test_the_command_line_reads_and_loads_while_a_browser_has_the_app_open(browser, tmp_path):
    import subprocess
    import sys

    from piagraph.ingest import load_paths
    from tests.conftest import REPO, seed_path

    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        load_paths(store, sorted(SAMPLES.glob("*.txt")), progress=False)
    with served_app(store_dir) as url:
        page = browser.new_page(locale="ja-JP")
        page.goto(f"{url}/overview")
        assert metric_values(page)[0] == "4"  # 評価書(現行版): the four samples
        listing = subprocess.run([sys.executable, "-m", "piagraph", "list", "--store", str(store_dir)], cwd=REPO,
                                 capture_output=True, text=True, timeout=120)
        assert listing.returncode == 0, listing.stderr
        assert "みどり市長" in listing.stdout
        loading = subprocess.run([sys.executable, "-m", "piagraph", "load", "--quiet", "--store", str(store_dir),
                                  str(seed_path("000"))], cwd=REPO, capture_output=True, text=True, timeout=300)
        assert loading.returncode == 0, loading.stderr
        assert "loaded 1 of 1 file" in loading.stderr
        page.reload()  # the app reads the store as it is now: the report loaded meanwhile is there
        page.get_by_role("heading", name="概要").first.wait_for(timeout=60_000)
        deadline = time.monotonic() + 60
        while metric_values(page)[0] != "5" and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        assert metric_values(page)[0] == "5"
        page.close()
