"""Faults from the model endpoint (the fake server with the Faulty responder): every kind either
heals or fails with the right one-line ModelError, and a full LLM draft survives a 20% random mix of them.

Backoff steps, Retry-After and timeouts are tiny here so the whole file runs in seconds.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
from aidraft.bench.answers import drafter_responder
from aidraft.bench.fake_server import FakeServer
from aidraft.bench.responders import MALFORMED_200, Faulty, faulty_server
from pydantic import BaseModel, SecretStr

from aidraft.check.model import FLAGGED
from aidraft.errors import AidraftError, ConfigError
from aidraft.figures.extract import extract_figures
from aidraft.llm.base import (
    ContentFilterError,
    Message,
    ModelConnectionError,
    ModelOutputError,
    ModelServerError,
    ModelTimeoutError,
    RateLimitedError,
)
from aidraft.llm.openai_chat import OpenAIChatModel
from aidraft.llm.endpoint import Endpoint
from aidraft.llm.structured import complete_structured
from aidraft.settings import Settings
from support import SAMPLES

ASK = [Message.system("你是起草助手。"), Message.user("写一句话。")]
GOOD_TEXT = "全年受理群众信访事项1642件，按期办结率98.6%，群众满意度持续提升。"
TIMEOUT_S = 0.3


class Verdict(BaseModel):
    """Whether a paragraph is usable."""

    ok: bool
    reason: str


def good(body: dict[str, Any]) -> Any:
    return {"ok": True, "reason": "数字均有依据"} if "response_format" in body or "tools" in body else GOOD_TEXT



def model_for(server: FakeServer[Faulty], *, max_retries: int = 2, methods: tuple[str, ...] = ("json_mode",)) -> OpenAIChatModel:
    endpoint = Endpoint(base_url=server.base_url, model="fault-model", api_key=SecretStr("sk-test-faults"),
                        structured_methods=methods, is_local=True)  # type: ignore[arg-type]
    return OpenAIChatModel(endpoint, timeout_s=TIMEOUT_S, max_retries=max_retries, backoff_initial_s=0.01,
                           backoff_max_s=0.05, retry_after_cap_s=1.0)


def ask(model: OpenAIChatModel, how: str) -> str:
    if how == "structured":
        return complete_structured(model, ASK, Verdict).reason
    return model.complete(ASK).text


# --- one fault, then a good answer: the client heals ------------------------------------------

HEALS = [
    ("rate_limit", "plain", 2),  # retried after Retry-After
    ("server_500", "plain", 2),
    ("server_502", "plain", 2),
    ("server_503", "plain", 2),
    ("drop", "plain", 2),  # connection closed without a response: retried
    ("slow", "plain", 2),  # past the client timeout: retried
    ("truncated", "plain", 2),  # finish_reason=length: continued with 继续 and glued
    ("invalid_json", "structured", 2),  # re-asked with the parse error
    ("empty", "structured", 2),  # empty message: re-asked
    ("truncated", "structured", 2),  # cut-off JSON: re-asked, never glued
    # a 200 that is no chat completion: retried as a server fault
    ("no_choices", "plain", 2),
    ("error_200", "plain", 2),
    ("html_200", "plain", 2),
    ("cut_body", "plain", 2),
    ("cut_body", "structured", 2),
]


@pytest.mark.parametrize(("fault", "how", "requests"), HEALS, ids=[f"{f}-{h}" for f, h, _ in HEALS])
def test_one_fault_then_the_answer(fault: str, how: str, requests: int) -> None:
    with faulty_server(good, script=[fault, "ok"], slow_s=TIMEOUT_S * 3) as server:
        answer = ask(model_for(server), how)
        assert answer == (GOOD_TEXT if how == "plain" else "数字均有依据")
        assert server.responder.outcomes == [fault, "ok"][:requests]
    if fault == "truncated" and how == "plain":
        assert server.requests[1]["messages"][-1]["content"] == "继续"
    if how == "structured" and fault not in MALFORMED_200:  # a broken 200 is sent again, as a 500 is
        assert "没有通过校验" in server.requests[1]["messages"][-1]["content"]


# --- the fault persists: one clear line naming the cause ---------------------------------------

FAILS = [
    ("rate_limit", "plain", RateLimitedError, "rate-limited", 3),
    ("server_500", "plain", ModelServerError, "HTTP 500", 3),
    ("server_502", "plain", ModelServerError, "HTTP 502", 3),
    ("server_503", "plain", ModelServerError, "HTTP 503", 3),
    ("drop", "plain", ModelConnectionError, "closed the connection without an answer", 3),  # not "cannot reach"
    ("slow", "plain", ModelTimeoutError, "did not answer in time", 3),
    ("invalid_json", "structured", ModelOutputError, "invalid JSON", 3),
    ("empty", "structured", ModelOutputError, "invalid JSON", 3),
    ("content_filter", "plain", ContentFilterError, "refused the content", 1),  # never retried
    ("content_filter", "structured", ContentFilterError, "refused the content", 1),
    ("unauthorized", "plain", ConfigError, "rejected the API key", 1),  # a setup error, not retried
    ("no_choices", "plain", ModelServerError, "not a chat completion", 3),
    ("error_200", "plain", ModelServerError, "not a chat completion", 3),
    ("html_200", "structured", ModelServerError, "not a chat completion", 3),
    ("cut_body", "plain", ModelServerError, "not a chat completion", 3),
]


@pytest.mark.parametrize(("fault", "how", "error", "names", "requests"), FAILS,
                         ids=[f"{f}-{h}" for f, h, *_ in FAILS])
def test_persistent_fault_is_one_clear_line(fault: str, how: str, error: type[AidraftError], names: str,
                                            requests: int) -> None:
    with faulty_server(good, script=[fault] * 6, slow_s=TIMEOUT_S * 3) as server, pytest.raises(error) as caught:
        ask(model_for(server), how)
    line = caught.value.one_line("en")
    assert names in line and caught.value.one_line("zh") != line  # the CLI's language, from the catalogue and "\n" not in str(caught.value) and "\n" not in line
    assert "Traceback" not in line and len(line) < 400
    assert len(server.requests) == requests


def test_truncated_every_time_returns_the_partial_answer_marked() -> None:
    """Two continuations is the cap: the caller gets the text so far, still marked truncated."""
    with faulty_server(good, script=["truncated"] * 3) as server:
        answer = model_for(server).complete(ASK)
    assert answer.truncated and GOOD_TEXT.startswith(answer.text) and answer.text != GOOD_TEXT
    assert len(server.requests) == 3


def test_empty_plain_answer_is_returned_for_the_caller_to_judge() -> None:
    """The client does not invent an error: the drafter's `unusable` re-asks an empty section."""
    with faulty_server(good, script=["empty"]) as server:
        assert model_for(server).complete(ASK).text == ""


def test_retry_after_is_honoured() -> None:
    with faulty_server(good, script=["rate_limit", "ok"], retry_after_s=0.4) as server:
        started = time.perf_counter()
        assert model_for(server).complete(ASK).text == GOOD_TEXT
    assert time.perf_counter() - started >= 0.4


def test_server_bounds_requests_and_stops_itself() -> None:
    started = time.monotonic()
    server = faulty_server(good, max_requests=1, max_seconds=3.0).start()
    model = model_for(server, max_retries=0)
    assert model.complete(ASK).text == GOOD_TEXT
    with pytest.raises(AidraftError):
        model.complete(ASK)  # HTTP 418 past the bound: rejected, not retried
    while not server.stopped and time.monotonic() - started < 10:
        time.sleep(0.05)
    assert server.stopped and time.monotonic() - started >= 3.0  # the watchdog, not the test, stopped it
    with pytest.raises(ModelConnectionError):
        model.complete(ASK)
    server.stop()


# --- the whole LLM draft under a random 20% mix of faults ---------------------------------------

MIX_RUNS = 50


def figure_result(result: Any, notes_text: str) -> tuple[int, int, list[str], list[str]]:
    """What the figure check says about a draft: flagged, arithmetic, notes figures missing, statuses."""
    missing = Counter(f.text for f in extract_figures(notes_text)) - Counter(
        f.text for f in extract_figures(result.document.text))
    flagged = sorted(f.text for f in result.check.figures if f.status in FLAGGED)
    return result.check.summary.flagged, len(result.check.arithmetic), sorted(missing.elements()), flagged


@pytest.fixture(scope="module")
def draft_setup() -> Any:
    from aidraft.draft.pipeline import resolve_inputs
    from aidraft.parse.notes import read_notes

    notes = read_notes(SAMPLES / "qingxi" / "notes-2025.md")
    inputs = resolve_inputs(notes, [], None, None)
    settings = Settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="fault-model", use_cache=False)
    return inputs, settings, None  # sections start from the program's plan: no plan request


def draft_once(draft_setup: Any, fault_rate: float, seed: int) -> tuple[Any, Counter[str]]:
    from aidraft.draft.llm_drafter import LLMDrafter
    from aidraft.draft.pipeline import run_draft

    inputs, settings, plan = draft_setup
    with faulty_server(drafter_responder(plan), fault_rate=fault_rate, seed=seed, slow_s=TIMEOUT_S * 3) as server:
        model = model_for(server, max_retries=3)
        result = run_draft(inputs, LLMDrafter(model, settings))
    return result, server.responder.counts


def test_clean_llm_draft_is_written_by_the_model(draft_setup: Any) -> None:
    result, counts = draft_once(draft_setup, 0.0, 0)
    assert set(counts) == {"ok"}
    assert [s.backend for s in result.sections] == ["llm"] * 4
    assert figure_result(result, draft_setup[0].notes.text) == (0, 0, [], [])


@pytest.mark.slow
def test_llm_draft_survives_a_random_fault_mix(draft_setup: Any) -> None:
    """N runs at a 20% fault rate: every run completes with the clean run's figure-check result.

    50 runs take about 15 s. Runs where a notes figure went missing are collected and reported as
    the known drafter gap below (test_garbage_continuation_...), not hidden.
    """
    clean = figure_result(draft_once(draft_setup, 0.0, 0)[0], draft_setup[0].notes.text)
    seen: Counter[str] = Counter()
    lost: dict[int, list[str]] = {}
    started = time.perf_counter()
    for seed in range(MIX_RUNS):
        result, counts = draft_once(draft_setup, 0.2, seed)
        seen += counts
        flagged, arithmetic, missing, flagged_texts = figure_result(result, draft_setup[0].notes.text)
        assert (flagged, arithmetic, flagged_texts) == (clean[0], clean[1], clean[3]), f"seed {seed}: {dict(counts)}"
        if missing != clean[2] or "sections" in result.document.text:
            lost[seed] = missing
    elapsed = time.perf_counter() - started
    faults = {k for k in seen if k != "ok"}
    assert len(faults) >= 6, f"too few fault kinds exercised: {dict(seen)}"
    assert elapsed < 120, f"{MIX_RUNS} runs took {elapsed:.0f}s"
    assert lost == {}, f"notes figures dropped in runs {sorted(lost)}"


def test_garbage_continuation_never_reaches_the_report(draft_setup: Any) -> None:
    from aidraft.draft.llm_drafter import LLMDrafter
    from aidraft.draft.pipeline import run_draft

    inputs, settings, plan = draft_setup
    serial = settings.model_copy(update={"concurrency": 1})
    with faulty_server(drafter_responder(plan), script=["ok", "truncated", "invalid_json"]) as server:
        result = run_draft(inputs, LLMDrafter(model_for(server), serial))
    assert "sections" not in result.document.text
    assert figure_result(result, inputs.notes.text)[2] == []


def test_empty_continuation_counts_as_still_cut_off(draft_setup: Any) -> None:
    """A truncated section whose 继续 answer is empty is re-asked, not filed half-written."""
    from aidraft.draft.llm_drafter import LLMDrafter
    from aidraft.draft.pipeline import run_draft

    inputs, settings, plan = draft_setup
    serial = settings.model_copy(update={"concurrency": 1})
    with faulty_server(drafter_responder(plan), script=["ok", "truncated", "empty"]) as server:
        result = run_draft(inputs, LLMDrafter(model_for(server), serial))
    assert figure_result(result, inputs.notes.text) == (0, 0, [], [])
    # the measures section's second part was cut off, then empty: the section is written offline
    assert (result.sections[0].provenance, result.sections[0].fallback) == ("offline", True)
    assert [s.provenance for s in result.sections[1:]] == ["model"] * 3
