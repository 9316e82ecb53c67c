"""Shared fixtures: the real reports in ../shared/seeds and the fictional samples."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = REPO / "samples"

# The fictional samples by form (samples/README.md): what a test that needs one form loads.
FORM3_SAMPLES = ("midori_kouki.txt", "midori_kaigo.txt", "midori_kokuho.txt", "midori_jidou.txt")
FORM2_SAMPLES = ("midori_kouki_kiso.txt", "midori_juki_kiso.txt")
FORM4_SAMPLES = ("midori_juki_zenkoumoku.txt", "midori_zeimu_zenkoumoku.txt")
ALL_SAMPLES = FORM3_SAMPLES + FORM2_SAMPLES + FORM4_SAMPLES

SEED_FILES = {
    "000": "000_9faffa5d1775a5db.txt",
    "001": "001_a254beb0297f7ce1.txt",
    "002": "002_b716d8e1545cc6b4.txt",
    "003": "003_c8613c731053c915.txt",
    "004": "004_50b001bb84990526.txt",
}


def seed_path(number: str) -> Path:
    path = SEEDS / SEED_FILES[number]
    if not path.exists():
        pytest.skip(f"seed report {path} is not available (CI keeps ../shared beside the checkout)")
    return path


@lru_cache(maxsize=None)
def _load(path: str):
    from loaders.pipeline import load_report

    return load_report(path)


def load_seed(number: str):
    """The seed's LoadedReport, converted once per test session."""
    return _load(str(seed_path(number)))


def load_sample(name: str):
    return _load(str(SAMPLES / name))


@pytest.fixture
def seed():
    return load_seed


# --- a private Virtuoso, shared by the tests that compare it with the embedded store ---------------

@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private OpenLink Virtuoso on 127.0.0.1 (`tests/servers/virtuoso.py`) for the whole session;
    skipped, with the reason, only when Virtuoso is not installed."""
    from tests.servers.virtuoso import running_virtuoso_or_skip

    with running_virtuoso_or_skip(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso):
    """The test corpus (`tests/store_corpus.py`), loaded into the Virtuoso by ``piagraph load
    --endpoint …/sparql-auth --gsp …/sparql-graph-crud-auth`` with Digest credentials; a `RemoteStore`
    on it. The embedded store of the same files is `tests.store_corpus.loaded_corpus().store`."""
    from click.testing import CliRunner

    from piagraph.cli import main as cli
    from tests.store_corpus import loaded_corpus

    corpus = loaded_corpus()
    result = CliRunner().invoke(
        cli, ["load", "-q", "--endpoint", virtuoso.endpoint, "--gsp", virtuoso.gsp, *map(str, corpus.files)],
        env=virtuoso.env,
    )
    assert result.exit_code in (0, 2), result.output
    assert f"loaded {len(corpus.summary.loaded)} of {len(corpus.files)} files" in result.stderr, result.stderr
    return virtuoso.store()
