"""The LLM draft against the benchmark's local server: how close the run comes to its critical
path, what it spends in prompt tokens per output token (and what a naive one-prompt draft spends),
and whether a rerun with the response cache reaches the server at all.

Definitions (all wall-clock, same server, same client, connections warmed up first):

- *section alone*: the requests of one section part (draft, plus any re-ask) sent one after
  another with nothing else in flight, replayed after the run from the recorded requests;
- *review alone*: the requests that are no section part replayed the same way: the review pass
  over the whole report, which waits for every section (the drafter sends no plan request: sections
  start from the ledger plan);
- *naive ratio* = the naive one-prompt draft's wall time / run_draft's wall time;
- *sections ratio* = the write phase's wall time (LLMDrafter.write: all sections in the bounded
  pool, each checked) / the longest section alone;
- *whole-run ratio* = run_draft's wall time (offline plan, LLM plan, sections, assembly, final
  check, lint) / (longest section alone + review alone).
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from aidraft import regexes
from aidraft.bench import BenchRow
from aidraft.bench.naive import run_naive
from aidraft.bench.server_process import ServerProcess
from aidraft.draft.llm_drafter import LLMDrafter
from aidraft.draft.pipeline import DraftInputs, run_draft
from aidraft.draft.plan import DraftPlan
from aidraft.draft.write_offline import WrittenSection
from aidraft.llm.base import (
    STRUCTURED_METHODS,
    ChatModel,
    ChatRequest,
    Completion,
    Message,
    StructuredMethod,
    WrappingChatModel,
)
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.endpoint import Endpoint
from aidraft.settings import Settings

TARGET_RATIO = "≤ 1.3"
TARGET_VS_NAIVE = "≥ 1.5"  # issue 17: the chain (no model plan, long sections split) beats one prompt
_TITLE = regexes.compile(r"本部分标题：(.+)")
_NOTE_ID = regexes.compile(r"(?m)^(N\d+)：")


def bench_model(base_url: str) -> ChatModel:
    """The client every LLM measure uses: the real OpenAI-compatible one, no retries, no cache."""
    from aidraft.llm.openai_chat import OpenAIChatModel

    endpoint = Endpoint(base_url=base_url, model="bench", api_key=SecretStr("EMPTY"),
                        structured_methods=STRUCTURED_METHODS, is_local=True)
    return OpenAIChatModel(endpoint, timeout_s=600, max_retries=0)


def warm_up(model: ChatModel, server: ServerProcess) -> None:
    """One tiny request (client set-up, connection, the server's tokenizer), then zero the counters."""
    model.complete([Message.user("你好")], max_tokens=4)
    server.reset()


class Call(BaseModel):
    messages: list[Message]
    json_schema: Any = None
    max_tokens: int | None = None
    method: StructuredMethod | None = None
    seconds: float = 0.0

    @property
    def section(self) -> str | None:
        """The section part a request is for (its title and first note), None for anything else."""
        user = next((m.content for m in self.messages if m.role == "user"), "")
        found = _TITLE.search(user)
        first = _NOTE_ID.search(user)
        return f"{found.group(1).strip()} {first.group(1) if first else ''}" if found else None


class Recorder(WrappingChatModel):
    """Passes every call to ``inner`` and keeps the request, to replay it alone afterwards."""

    def __init__(self, inner: ChatModel) -> None:
        super().__init__(inner)
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    def ask(self, request: ChatRequest) -> Completion:
        started = time.perf_counter()
        answer = self.inner.ask(request)
        call = Call(messages=list(request.messages), json_schema=request.json_schema, max_tokens=request.max_tokens,
                    method=request.method, seconds=time.perf_counter() - started)
        with self._lock:
            self.calls.append(call)
        return answer


class TimedDrafter:
    """A SectionDrafter that times the plan and write phases of the drafter it wraps."""

    def __init__(self, inner: LLMDrafter) -> None:
        self.inner, self.name = inner, inner.name
        self.plan_s = self.write_s = 0.0

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan:
        started = time.perf_counter()
        try:
            return self.inner.plan(inputs, base)
        finally:
            self.plan_s = time.perf_counter() - started

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]:
        started = time.perf_counter()
        try:
            return self.inner.write(inputs, plan)
        finally:
            self.write_s = time.perf_counter() - started

    def run_info(self) -> Any:
        return self.inner.run_info()


def replay_alone(model: ChatModel, calls: list[Call]) -> tuple[float, dict[str, float]]:
    """Each recorded request again, one at a time: seconds of the requests that are no section part
    (the review pass), and seconds per section part."""
    other_s, sections = 0.0, dict[str, float]()
    for call in calls:
        started = time.perf_counter()
        model.complete(call.messages, json_schema=call.json_schema, max_tokens=call.max_tokens, method=call.method)
        took = time.perf_counter() - started
        if call.section is None:
            other_s += took
        else:
            sections[call.section] = sections.get(call.section, 0.0) + took
    return other_s, sections


def bench_llm_draft(server: ServerProcess, inputs: DraftInputs, label: str, concurrency: int) -> list[BenchRow]:
    """First run through the response cache (cold: one-time loads land in it), the identical rerun
    (must not reach the server), then a recorded run without cache, its requests replayed one at
    a time for the critical path, and the naive one-prompt draft."""
    model = bench_model(server.base_url)
    warm_up(model, server)
    with tempfile.TemporaryDirectory(prefix="aidraft-bench-") as tmp:
        settings = Settings.from_cli(backend="offline", concurrency=concurrency, use_cache=False,
                                     cache_dir=Path(tmp) / "unused")
        cached = CachedChatModel(model, Path(tmp) / "cache")
        started = time.perf_counter()
        run_draft(inputs, LLMDrafter(cached, settings))
        first_s = time.perf_counter() - started
        filled = server.reset()
        started = time.perf_counter()
        rerun = run_draft(inputs, LLMDrafter(cached, settings))
        rerun_s = time.perf_counter() - started
        reached = server.reset()

    recorder = Recorder(model)
    timed = TimedDrafter(LLMDrafter(recorder, settings))
    started = time.perf_counter()
    result = run_draft(inputs, timed)
    wall = time.perf_counter() - started
    seen = server.reset()
    review_alone, alone = replay_alone(model, recorder.calls)
    critical, longest = review_alone + max(alone.values(), default=0.0), max(alone.values(), default=0.0)
    reviews = sum(1 for call in recorder.calls if call.section is None)
    server.reset()
    naive, naive_s = run_naive(model, inputs, settings)
    server.reset()

    run, n, repairs = result.run, len(result.plan.sections), seen.kinds.get("repair", 0)
    where = f"{label}, {n} sections, concurrency {concurrency}, {server.config.rate:g} tok/s"
    return [
        BenchRow(name=f"LLM draft wall time ({where})", value=wall, unit="s"),
        BenchRow(name="LLM draft critical path: longest section alone + review alone", value=critical, unit="s"),
        BenchRow(name="LLM draft sections: write phase / longest section alone", value=_ratio(timed.write_s, longest),
                 unit="x", target=TARGET_RATIO),
        BenchRow(name="LLM draft whole run: wall / critical path", value=_ratio(wall, critical), unit="x",
                 target=TARGET_RATIO),
        BenchRow(name="LLM draft first run in this process: wall / critical path", value=_ratio(first_s, critical),
                 unit="x", target=TARGET_RATIO),
        BenchRow(name=f"LLM draft requests: section parts + review + re-asks ({repairs} re-asks)",
                 value=seen.requests, unit="requests", target=f"{len(alone) + reviews} (no re-ask)"),
        BenchRow(name="LLM draft vs naive one-prompt draft: naive wall / LLM draft wall", value=_ratio(naive_s, wall),
                 unit="x", target=TARGET_VS_NAIVE),
        BenchRow(name="LLM draft prompt tokens per output token", value=_ratio(run.prompt_tokens, run.completion_tokens),
                 unit="x"),
        BenchRow(name=f"LLM draft prompt tokens ({run.completion_tokens} output)", value=run.prompt_tokens,
                 unit="tokens"),
        BenchRow(name="naive one-prompt draft: prompt tokens per output token",
                 value=_ratio(naive.prompt_tokens, naive.completion_tokens), unit="x"),
        BenchRow(name=f"naive one-prompt draft prompt tokens ({naive.completion_tokens} output)",
                 value=naive.prompt_tokens, unit="tokens"),
        BenchRow(name="naive one-prompt draft wall time", value=naive_s, unit="s"),
        BenchRow(name=f"LLM draft rerun with the cache: requests reaching the server (first run {filled.requests})",
                 value=reached.requests, unit="requests", target="0"),
        BenchRow(name=f"LLM draft rerun with the cache: wall time ({rerun.run.cached_calls} answers from the cache)",
                 value=rerun_s, unit="s"),
    ]


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0
