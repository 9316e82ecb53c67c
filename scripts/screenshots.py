"""Screenshots of every page of the app into docs/screenshots/, on a store of the five real reports
(../shared/seeds/) and the fictional samples, plus: a traced flow (a shared link), a saved query with
its answer, the 比較 page's version diff — for which an older version of seed 000 is derived here
(公表日 令和3年6月1日, another contractor), as the tests do — the 全国 aggregates, and the page for an
unknown URL.

Run: python scripts/screenshots.py  (needs Debian's chromium and graphviz; the seeds beside the checkout)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from app.browser import CHROMIUM, CHROMIUM_ARGS, served_app
from piagraph.ingest import load_paths
from piagraph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SEEDS = ROOT.parent / "shared" / "seeds"
PAGES = {"": "概要", "flows": "データフロー", "findings": "検証", "upload": "取込", "compare": "比較"}
"""Pages shot as they open; 評価書 and SPARQL are shot with a report and a query chosen (below)."""


def older_version_of_seed_000(directory: Path) -> Path:
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    for old, new in (("公表日\n令和7年8月13日", "公表日\n令和3年6月1日"), ("③委託先名\t株式会社インテック", "③委託先名\t架空システム開発株式会社")):
        assert old in text, old
        text = text.replace(old, new)
    path = directory / "takaoka_2021.txt"
    path.write_text(text, encoding="utf-8")
    return path


def load_store(directory: str) -> None:
    """As `piagraph load` stores them: each report validated, with its findings and its text."""
    with open_store(Path(directory) / "store") as store:
        files = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "samples").glob("*.txt"))
        load_paths(store, [*files, older_version_of_seed_000(Path(directory))], progress=False)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        load_store(directory)
        with served_app(Path(directory) / "store") as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")

            def shoot(path: str, title: str, name: str, settle_ms: int = 3000) -> None:
                page.goto(f"{url}/{path}")
                page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
                capture(name, settle_ms)

            def capture(name: str, settle_ms: int = 3000) -> None:
                page.wait_for_timeout(settle_ms)
                # Streamlit scrolls inside its main area: grow the window to the page's height.
                height, previous = 0, -1
                while height != previous:  # until the page has finished growing
                    previous = height
                    page.wait_for_timeout(1000)
                    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
                page.set_viewport_size({"width": 1400, "height": min(max(height, 1000), 4000)})
                page.wait_for_timeout(800)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                page.set_viewport_size({"width": 1400, "height": 1000})
                print(f"{name}: {OUT / f'{name}.png'}")

            for path, title in PAGES.items():
                shoot(path, title, path or "overview", 8000 if path == "findings" else 3000)
            shoot("report?report=d61c95e7c46f9c27", "評価書", "report")
            page.goto(f"{url}/sparql?query=contractors-ranked")
            page.get_by_role("button", name="実行").click()
            page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=60_000)
            capture("sparql")
            page.goto(f"{url}/compare")
            page.get_by_role("tab", name="版の差分").click()
            page.get_by_text("構造の差分").wait_for(timeout=60_000)
            capture("compare-versions")
            shoot("flows?scope=report&report=d61c95e7c46f9c27&node=https%3A%2F%2Fw3id.org%2Fpiagraph%2Fid%2F"
                  "assessment%2Fd61c95e7c46f9c27%2Ffile%2F1", "データフロー", "flows-trace", 5000)
            shoot("flows?scope=all", "データフロー", "flows-national", 5000)
            shoot("nothing-here", "ページが見つかりません", "not-found", 1000)
            browser.close()


if __name__ == "__main__":
    main()
