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


@pytest.fixture(autouse=True)
def _fresh_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts in the default language (Chinese): a CLI run in an earlier test sets the
    process language, and messages rendered without a language must not depend on test order.
    The CLI speaks English unless a test passes AIDRAFT_LANG itself, whatever the machine's locale."""
    import aidraft.messages

    monkeypatch.setattr(aidraft.messages, "_current", [])
    monkeypatch.setenv("AIDRAFT_LANG", "en")


@pytest.fixture
def english() -> None:
    """Render messages in English, as the CLI does under AIDRAFT_LANG=en."""
    from aidraft.messages import set_language

    set_language("en")


@pytest.fixture
def openai_stub() -> Iterator[FakeServer[Scripted]]:
    """The fake OpenAI-compatible server with a Scripted responder, running; replies left
    unconsumed at the end are not an error."""
    with scripted_server() as server:
        yield server
