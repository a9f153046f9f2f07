"""Shared fixtures. The real reports in ../shared/corpus are read only when present (CI has them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aidraft.bench.fake_server import FakeServer
from aidraft.bench.responders import Scripted, scripted_server

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir() or not any(CORPUS.glob("*.txt")):
        pytest.skip(f"corpus not available at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))}


@pytest.fixture
def openai_stub() -> Iterator[FakeServer[Scripted]]:
    """The fake OpenAI-compatible server with a Scripted responder, running; replies left
    unconsumed at the end are not an error."""
    with scripted_server() as server:
        yield server
