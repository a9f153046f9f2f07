"""A dead endpoint, Ctrl-C and the language of the model path (the fake server, never the network).

- once one part has failed for transport reasons after its retries, the rest of the run is written
  offline without another request, and one line says so;
- Ctrl-C during model calls prints the catalogue line and exits 130 at once, sending nothing more;
- fallback reasons and endpoint errors come from the message catalogue, each said once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from support import QINGXI_DIR

from aidraft.bench.answers import drafter_responder
from aidraft.bench.fake_server import FakeServer
from aidraft.bench.responders import Faulty, faulty_server
from aidraft.draft.llm_drafter import LLMDrafter, Progress
from aidraft.draft.pipeline import DraftResult, resolve_inputs, run_draft
from aidraft.llm.endpoint import Endpoint
from aidraft.llm.openai_chat import OpenAIChatModel
from aidraft.llm.stop import STOP
from aidraft.messages import set_language, text
from aidraft.parse.notes import read_notes
from aidraft.settings import Settings

TIMEOUT_S = 0.3
RETRIES = 2


@pytest.fixture(autouse=True)
def _no_stop() -> Any:
    """The stop signal is the process's: never leave it set for the next test."""
    STOP.clear()
    yield
    STOP.clear()


def model_for(server: FakeServer[Faulty]) -> OpenAIChatModel:
    endpoint = Endpoint(base_url=server.base_url, model="m", api_key=SecretStr("sk-test-breaker"),
                        structured_methods=("json_mode",), is_local=True)  # type: ignore[arg-type]
    return OpenAIChatModel(endpoint, timeout_s=TIMEOUT_S, max_retries=RETRIES, backoff_initial_s=0.01,
                           backoff_max_s=0.02, retry_after_cap_s=0.05)


def run(server: FakeServer[Faulty], concurrency: int = 1,
        progress: list[Progress] | None = None) -> DraftResult:
    inputs = resolve_inputs(read_notes(QINGXI_DIR / "notes-2025.md"), [], None, None)
    settings = Settings(concurrency=concurrency, review=False, use_cache=False)
    drafter = LLMDrafter(model_for(server), settings, progress=progress.append if progress is not None else None)
    return run_draft(inputs, drafter, path="draft")


# --- the breaker: one part's retries, then offline at once -------------------------------------------------

DEAD = [  # fault, what the one line names
    ("slow", "did not answer in time"),
    ("server_500", "HTTP 500"),
    ("drop", "closed the connection"),
    ("rate_limit", "rate-limited"),
]


@pytest.mark.parametrize(("fault", "names"), DEAD, ids=[f for f, _ in DEAD])
def test_dead_endpoint_costs_one_part_then_the_rest_is_offline(fault: str, names: str, english: None) -> None:
    with faulty_server(drafter_responder(), script=[fault] * 50, slow_s=TIMEOUT_S * 4, retry_after_s=0.01) as server:
        started = time.monotonic()
        result = run(server)
    assert len(server.requests) == RETRIES + 1  # the first part's tries, then not one more request
    assert time.monotonic() - started < 10
    assert all(s.provenance == "offline" and s.fallback for s in result.sections)
    down = [e for e in result.run.events if "remaining parts" in e]
    assert len(down) == 1 and names in down[0]
    later = [s.note or "" for s in result.sections[1:]]
    assert all(names not in note and "failed earlier" in note for note in later)  # the reason is said once


def test_a_rejected_answer_does_not_trip_the_breaker(english: None) -> None:
    """A section the model answered badly is that section's problem: the endpoint is fine."""
    with faulty_server(drafter_responder(), script=["invalid_json"] * 4) as server:  # both measures parts, twice
        result = run(server)
    assert [s.provenance for s in result.sections] == ["offline", "model", "model", "model"]
    assert not [e for e in result.run.events if "remaining parts" in e]


def test_the_breaker_holds_for_one_run_only(english: None) -> None:
    with faulty_server(drafter_responder(), script=["server_500"] * (RETRIES + 1)) as server:
        first = run(server)
        second = run(server)
    assert {s.provenance for s in first.sections} == {"offline"}
    assert {s.provenance for s in second.sections} == {"model"}


# --- the language of the model path ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "says", "not_says"), [
    ("zh", ["出错（HTTP 500）", "已离线撰写", "其余部分未再请求"], ["written offline", "failed with"]),
    ("en", ["failed with HTTP 500", "written offline", "remaining parts"], ["离线撰写"]),
])
def test_fallback_reasons_speak_the_run_language(lang: str, says: list[str], not_says: list[str]) -> None:
    set_language(lang)  # type: ignore[arg-type]
    seen: list[Progress] = []
    with faulty_server(drafter_responder(), script=["server_500"] * 50) as server:
        result = run(server, progress=seen)
    said = " ".join([*(s.note or "" for s in result.sections), *result.run.events])
    assert all(word in said for word in says) and not any(word in said for word in not_says), said
    assert all(p.fallback for p in seen)
    reason = result.sections[0].note or ""
    assert sum(said.count(part) for part in [reason.split("；")[0].split("; ")[0]]) == 2  # its note, the run line


def test_two_parts_with_one_reason_say_it_once(english: None) -> None:
    """The measures section has two parts: both rejected the same way is one reason, not two."""
    with faulty_server(drafter_responder(), script=["invalid_json"] * 4) as server:
        result = run(server)
    note = result.sections[0].note or ""
    assert note.count("model answer rejected") == 1, note


# --- Ctrl-C ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ctrl_c_during_model_calls_stops_at_once(tmp_path: Path, lang: str) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text((QINGXI_DIR / "notes-2025.md").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "AIDRAFT_LANG": lang, "AIDRAFT_TIMEOUT_S": "30", "AIDRAFT_CONCURRENCY": "4",
           "AIDRAFT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    with faulty_server(drafter_responder(), script=["slow"] * 50, slow_s=20.0) as server:
        child = subprocess.Popen(
            [sys.executable, "-m", "aidraft", "draft", str(notes), "-o", str(tmp_path / "out" / "r.docx"),
             "--base-url", server.base_url, "--model", "m", "--api-key", "sk-test"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while len(server.requests) < 4 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        asked = len(server.requests)
        assert asked >= 1, child.communicate(timeout=5)
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
        took = time.monotonic() - started
        time.sleep(0.5)
        after = len(server.requests)
    assert child.returncode == 130, (out, err)
    assert took < 3, took
    assert err.count(text("cli.interrupted", lang)) == 1, err  # type: ignore[arg-type]
    assert "Traceback" not in err and after == asked
