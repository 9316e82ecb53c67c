"""Embedded stores of a few named samples, for the unit tests that need a real store.

Samples are always picked by name (samples/ will hold other forms too). An older version of a
sample is the same report (みどり市長 + its 評価書番号) with an earlier 公表日, derived by a text edit.
"""

from __future__ import annotations

from pathlib import Path

from loaders.pipeline import load_report
from piagraph.store import EmbeddedStore
from tests.conftest import SAMPLES

KOUKI_PUBLISHED = "公表日\n令和7年2月14日"
"""The cover of midori_kouki.txt: published 2025-02-14."""


def older_kouki(path: Path, published: str = "令和5年2月14日") -> Path:
    """midori_kouki.txt as published earlier (default 2023-02-14), written to `path`."""
    text = (SAMPLES / "midori_kouki.txt").read_text(encoding="utf-8")
    assert KOUKI_PUBLISHED in text, "the kouki sample's cover changed"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(KOUKI_PUBLISHED, f"公表日\n{published}"), encoding="utf-8")
    return path


def store_of(directory: Path, reports: list[Path]) -> Path:
    """A closed embedded store in `directory` holding `reports` (so commands can open it)."""
    with EmbeddedStore(directory) as store:
        for path in reports:
            store.put_report(load_report(path))
    return directory
