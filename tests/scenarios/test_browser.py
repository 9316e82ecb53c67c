"""The app in a real browser: Debian's Chromium, headless, driven by Playwright."""

from __future__ import annotations

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


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    page.goto(url)
    page.get_by_role("heading").first.wait_for(timeout=60_000)
    return page


def chosen_report(page) -> str:
    return page.get_by_role("combobox", name="評価書").input_value()


def diagram(page):
    """The flow diagram's frame, once it has drawn."""
    frame = page.frame_locator("iframe[title*=flowgraph]")
    frame.locator("body[data-drawn]").wait_for(timeout=60_000)
    return page.locator("iframe[title*=flowgraph]")


def click_node(page, name: str) -> None:
    """A real mouse click on the diagram's node named `name` (its place read from cytoscape.js)."""
    iframe = diagram(page)
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_function("name => window.flowgraph.cy.nodes().some(n => n.data('name') === name)", arg=name,
                            timeout=60_000)
    x, y = frame.evaluate(
        """name => { const node = window.flowgraph.cy.nodes().filter(n => n.data('name') === name)[0];
                     const at = node.renderedPosition(); return [at.x, at.y]; }""", name)
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_a_click_on_a_node_of_a_report_that_is_not_the_first_traces_in_that_report(app_url, browser):
    page = open_page(browser, f"{app_url}/flows")
    picker = page.get_by_role("combobox", name="評価書")
    assert "介護保険" in chosen_report(page)  # the first of the list
    picker.click()
    page.get_by_role("option", name="みどり市長 後期高齢者医療に関する事務").click()
    page.wait_for_url("**report=**", timeout=30_000)
    page.wait_for_timeout(1500)
    click_node(page, "後期高齢者医療関連情報ファイル")
    page.get_by_text("「後期高齢者医療関連情報ファイル」から到達できるもの").wait_for(timeout=60_000)
    # The trace is of this report: its two 移転先 (samples/README.md), and the picker still shows it.
    table = page.locator("[data-testid=stDataFrame]").first
    table.wait_for(timeout=30_000)
    assert "後期高齢者医療" in chosen_report(page)
    assert "node=" in page.url and "report=" in page.url
    shared = open_page(browser, page.url)  # the link opens the same trace
    shared.get_by_text("「後期高齢者医療関連情報ファイル」から到達できるもの").wait_for(timeout=60_000)
    assert "後期高齢者医療" in chosen_report(shared)


def test_the_diagram_pans_and_zooms(app_url, browser):
    page = open_page(browser, f"{app_url}/flows")
    iframe = diagram(page)
    frame = iframe.element_handle().content_frame()
    before = frame.evaluate("window.flowgraph.cy.zoom()")
    frame.get_by_role("button", name="＋").click()
    assert frame.evaluate("window.flowgraph.cy.zoom()") > before
    assert page.get_by_text("凡例").count() >= 1  # folded away in an expander


def test_a_finding_opens_to_the_line_of_the_report_it_cites(app_url, browser):
    page = open_page(browser, f"{app_url}/findings")
    page.get_by_role("heading", name="指摘の根拠").wait_for(timeout=120_000)
    picker = page.get_by_role("combobox", name="指摘")
    picker.click()
    picker.fill("PIA-R30")
    page.keyboard.press("Enter")
    page.get_by_text("評価書の記載(行 223 から読み取った値)").wait_for(timeout=30_000)
    page.get_by_text("不正な提供・移転が行われるリスク").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the rerun replaces the previous finding's evidence
    body = page.locator("[data-testid=stMain]").inner_text()
    opened = body[body.index("指摘の根拠"):]
    assert "midori_kaigo.txt" in opened and "III-5 提供・移転" in opened
    assert "不正な提供・移転が行われるリスク" in opened and "リスクへの対策は十分か: 課題が残されている" in opened


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
