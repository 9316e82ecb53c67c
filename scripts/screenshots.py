"""Screenshots of every page of the app, on a store of the fictional samples, into docs/screenshots/.

Run: python scripts/screenshots.py  (needs Debian's chromium and graphviz)
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
PAGES = {"": "概要", "report": "評価書", "flows": "データフロー", "sparql": "SPARQL", "findings": "検証",
         "upload": "取込", "compare": "比較"}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        with open_store(directory) as store:
            for path in sorted((ROOT / "samples").glob("*.txt")):
                store.put_report(load_report(path))
        with served_app(Path(directory)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
            for path, title in PAGES.items():
                page.goto(f"{url}/{path}")
                page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
                page.wait_for_timeout(2500)
                name = path or "overview"
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print(f"{name}: {OUT / f'{name}.png'}")
            browser.close()


if __name__ == "__main__":
    main()
