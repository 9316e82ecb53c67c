"""Screenshots of every page of the app into docs/screenshots/, on a store of the five real reports
(../shared/seeds/) and the fictional samples, plus a traced flow and an opened finding.

Run: python scripts/screenshots.py  (needs Debian's chromium and graphviz; the seeds beside the checkout)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from app.browser import CHROMIUM, CHROMIUM_ARGS, served_app
from loaders.pipeline import load_report
from piagraph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SEEDS = ROOT.parent / "shared" / "seeds"
PAGES = {"": "概要", "report": "評価書", "flows": "データフロー", "sparql": "SPARQL", "findings": "検証",
         "upload": "取込", "compare": "比較"}


def load_store(directory: str) -> None:
    with open_store(directory) as store:
        for path in sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "samples").glob("*.txt")):
            store.put_report(load_report(path))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        load_store(directory)
        with served_app(Path(directory)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")

            def shoot(path: str, title: str, name: str, settle_ms: int = 3000) -> None:
                page.goto(f"{url}/{path}")
                page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
                page.wait_for_timeout(settle_ms)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print(f"{name}: {OUT / f'{name}.png'}")

            for path, title in PAGES.items():
                shoot(path, title, path or "overview", 8000 if path == "findings" else 3000)
            # A trace from 高岡市's file (a shared link), and the compare page's version tab.
            shoot("flows?scope=report&report=d61c95e7c46f9c27&node=https%3A%2F%2Fw3id.org%2Fpiagraph%2Fid%2F"
                  "assessment%2Fd61c95e7c46f9c27%2Ffile%2F1", "データフロー", "flows-trace", 5000)
            shoot("nothing-here", "ページが見つかりません", "not-found", 1000)
            browser.close()


if __name__ == "__main__":
    main()
