"""The fake server's responders (see aidraft.bench.fake_server): what a model endpoint answers.

- ``Scripted``: replies queued in order (``reply``, ``reply_json``, ``reply_tool_call``, ``error``,
  ``content_filter``), then ``respond_with``'s fallback, else HTTP 418 so a missing script fails
  loudly; for wire-level tests.
- ``Faulty``: each request gets the good answer of a content function or one injected fault,
  scripted (``script=["rate_limit", "ok"]``) or drawn at a seeded rate; for resilience tests.
- ``Timed``: the bench's model: deterministic answers (aidraft.bench.answers) timed like a model
  decoding every request at ``rate`` tokens/s, plain or streamed, with counters at /bench/stats.
- ``Echoing``: a misbehaving model that answers every request with its own prompt, repeated.

Content functions take the request body and return the answer: a str, or JSON-able data (sent as
JSON text, or as a tool call when the request offered tools). They run on the server's threads.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aidraft.bench.fake_server import (
    FakeServer,
    Reply,
    Request,
    chat_body,
    error_body,
    fake_failure,
    tool_call,
    user_text,
)

Content = Callable[[dict[str, Any]], Any]
CONTINUE_PROMPT = "继续"


def wants_json(body: dict[str, Any]) -> bool:
    return "response_format" in body or "tools" in body


def _as_text(answer: Any) -> str:
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)


def good_reply(body: dict[str, Any], text: str, *, model: str, finish: str = "stop",
               usage: tuple[int, int] = (11, 7)) -> Reply:
    """``text`` as a message, or as the arguments of a call to the first offered tool."""
    tools = body.get("tools")
    if tools and finish == "stop":
        call = tool_call(tools[0]["function"]["name"], text)
        return Reply(body=chat_body(None, finish_reason="tool_calls", tool_calls=[call], model=model,
                                    prompt_tokens=usage[0], completion_tokens=usage[1]))
    return Reply(body=chat_body(text, finish_reason=finish, model=model, prompt_tokens=usage[0],
                                completion_tokens=usage[1]))


# --- Scripted -------------------------------------------------------------------------------------


class Scripted:
    """Replies served first in, first out; see the module docstring."""

    def __init__(self) -> None:
        self._script: deque[Reply] = deque()
        self._fallback: Callable[[dict[str, Any]], Reply] | None = None
        self._lock = threading.Lock()

    def reply(self, content: str, *, finish_reason: str = "stop", delay_s: float = 0.0, **kw: Any) -> None:
        self._push(Reply(body=chat_body(content, finish_reason=finish_reason, **kw), delay_s=delay_s))

    def reply_json(self, data: Any, *, finish_reason: str = "stop") -> None:
        self.reply(json.dumps(data, ensure_ascii=False), finish_reason=finish_reason)

    def reply_tool_call(self, name: str, arguments: dict[str, Any] | str) -> None:
        args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        self._push(Reply(body=chat_body(None, finish_reason="tool_calls", tool_calls=[tool_call(name, args, "call_stub")])))

    def error(self, status: int, *, code: str | None = None, message: str = "stub error",
              retry_after: float | None = None, error_type: str | None = None) -> None:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self._push(Reply(status=status, body=error_body(message, code, error_type or code or "stub_error"),
                         headers=headers))

    def content_filter(self, message: str = "Input data may contain inappropriate content.") -> None:
        self.error(400, code="data_inspection_failed", message=message)

    def respond_with(self, fn: Callable[[dict[str, Any]], Reply]) -> None:
        """The answer to any request once the script is used up."""
        self._fallback = fn

    @property
    def pending(self) -> int:
        return len(self._script)

    def _push(self, reply: Reply) -> None:
        with self._lock:
            self._script.append(reply)

    def __call__(self, request: Request) -> Reply:
        if not request.is_chat:
            return fake_failure(f"stub: unknown path {request.path}", status=404)
        with self._lock:
            if self._script:
                return self._script.popleft()
        if self._fallback is not None:
            return self._fallback(request.body)
        return fake_failure("stub: nothing scripted for this request")


# --- Faulty ---------------------------------------------------------------------------------------

FAULTS = ("rate_limit", "server_500", "server_502", "server_503", "drop", "slow", "invalid_json", "empty",
          "truncated", "content_filter", "unauthorized")
#: What a flaky provider does; unauthorized is a configuration error, not a fault to survive.
RANDOM_MIX = tuple(f for f in FAULTS if f != "unauthorized")
INVALID_JSON = '好的，提纲如下：{"sections": [{"kind": "measures", "subsections": [{"title": '
FILTER_MESSAGE = "Input data may contain inappropriate content."
FAULT_MODEL = "fault-model"


class Faulty:
    """The good answer of ``content`` or an injected fault (FAULTS); ``outcomes`` lists what each
    request got, in arrival order. A truncated answer's "继续" request gets the rest of it."""

    def __init__(self, content: Content | None = None, *, script: Iterable[str] = (), fault_rate: float = 0.0,
                 faults: Iterable[str] = RANDOM_MIX, seed: int = 0, slow_s: float = 1.0,
                 retry_after_s: float = 0.05, echo_key: bool = False) -> None:
        unknown = [f for f in [*script, *faults] if f not in (*FAULTS, "ok")]
        if unknown:
            raise ValueError(f"unknown faults {unknown}; choose from {FAULTS}")
        self.content: Content = content or (lambda body: "好的。")
        self.fault_rate, self.faults = fault_rate, tuple(faults)
        self.slow_s, self.retry_after_s, self.echo_key = slow_s, retry_after_s, echo_key
        self.outcomes: list[str] = []
        self._script: deque[str] = deque(script)
        self._rng = random.Random(seed)
        self._partials: dict[str, str] = {}  # text sent so far (truncated) → the rest
        self._lock = threading.Lock()

    @property
    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self.outcomes)

    def __call__(self, request: Request) -> Reply | None:
        if not request.is_chat:
            return None
        outcome = self._choose()
        if outcome == "drop":
            return Reply(drop=True)
        reply = self._answer(outcome, request.body, request.auth)
        if outcome == "slow":
            reply.delay_s = self.slow_s
        return reply

    def _choose(self) -> str:
        with self._lock:
            if self._script:
                outcome = self._script.popleft()
            elif self.fault_rate and self._rng.random() < self.fault_rate:
                outcome = self._rng.choice(self.faults)
            else:
                outcome = "ok"
            self.outcomes.append(outcome)
            return outcome

    def _answer(self, outcome: str, body: dict[str, Any], auth: str) -> Reply:
        key = f" (got {auth})" if self.echo_key else ""
        if outcome == "rate_limit":
            return Reply(429, error_body(f"Rate limit reached{key}", "rate_limit_exceeded"),
                         {"Retry-After": str(self.retry_after_s)})
        if outcome.startswith("server_"):
            return Reply(int(outcome[-3:]), error_body(f"upstream failure{key}", "server_error"))
        if outcome == "content_filter":
            return Reply(400, error_body(FILTER_MESSAGE, "data_inspection_failed"))
        if outcome == "unauthorized":
            return Reply(401, error_body(f"Incorrect API key provided{key}", "invalid_api_key"))
        if outcome == "empty":
            return Reply(body=chat_body("", model=FAULT_MODEL, prompt_tokens=10, completion_tokens=5))
        if outcome == "invalid_json":
            tools = body.get("tools")
            if tools:
                call = tool_call(tools[0]["function"]["name"], INVALID_JSON, "call_f")
                return Reply(body=chat_body(None, finish_reason="tool_calls", tool_calls=[call], model=FAULT_MODEL))
            return Reply(body=chat_body(INVALID_JSON, model=FAULT_MODEL, prompt_tokens=10, completion_tokens=5))
        text = self._good(body)
        if outcome == "truncated" and len(text) >= 2:
            cut = max(1, len(text) // 2)
            sent = str((body.get("messages") or [{}])[-2].get("content") or "") if _continuing(body) else ""
            with self._lock:
                self._partials[sent + text[:cut]] = text[cut:]
            return Reply(body=chat_body(text[:cut], finish_reason="length", model=FAULT_MODEL, prompt_tokens=10,
                                        completion_tokens=5))
        return good_reply(body, text, model=FAULT_MODEL, usage=(10, 5))

    def _good(self, body: dict[str, Any]) -> str:
        """The good answer's text; a "继续" request after a truncated answer gets the rest of it."""
        messages = body.get("messages") or []
        if _continuing(body):
            with self._lock:
                rest = self._partials.get(str(messages[-2].get("content") or ""))
            if rest is not None:
                return rest
        return _as_text(self.content(body))


def _continuing(body: dict[str, Any]) -> bool:
    messages = body.get("messages") or []
    return len(messages) >= 2 and messages[-1].get("content") == CONTINUE_PROMPT


# --- Echoing --------------------------------------------------------------------------------------


class Echoing:
    """A broken small model: every answer is the request's last user message, ``repeat`` times
    (a looping model), cut to ``max_tokens`` characters when the request sets it."""

    def __init__(self, repeat: int = 1) -> None:
        self.repeat = repeat

    def __call__(self, request: Request) -> Reply | None:
        if not request.is_chat:
            return None
        text = user_text(request.body) * self.repeat
        limit = request.body.get("max_tokens") or request.body.get("max_completion_tokens")
        finish = "stop"
        if isinstance(limit, int) and 0 < limit < len(text):
            text, finish = text[:limit], "length"
        return Reply(body=chat_body(text, finish_reason=finish, model="echo-model"))


# --- Timed ----------------------------------------------------------------------------------------

TICK_S = 0.02  # a streamed answer is sent in pieces at most this often


class ServerConfig(BaseModel):
    """How the Timed responder paces its answers."""

    model_config = ConfigDict(extra="forbid")

    rate: float = Field(default=200.0, gt=0, description="output tokens per second, per request")
    latency_s: float = Field(default=0.05, ge=0, description="fixed time before the first token")
    prefill_rate: float = Field(default=50_000.0, gt=0, description="prompt tokens per second, per request")
    slots: int = Field(default=0, ge=0, description="requests decoded at once; 0: no limit")

    def describe(self) -> str:
        cap = f", at most {self.slots} at once" if self.slots else ", no limit on requests at once"
        return (f"{self.rate:g} tokens/s per request, first token after {self.latency_s:g} s + prompt "
                f"at {self.prefill_rate:g} tokens/s{cap}")


class ServerStats(BaseModel):
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    kinds: dict[str, int] = Field(default_factory=dict)
    max_in_flight: int = 0


class Timed:
    """The bench's model. Each answer is complete ``latency_s + prompt_tokens / prefill_rate +
    completion_tokens / rate`` seconds after the request arrived, however many are in flight (a
    batching server below its capacity); ``slots`` > 0 caps how many decode at once (the rest
    queue). The time is slept, not computed, so wall times mean something on a 2-core machine.
    Usage is counted with aidraft.llm.budget.count_tokens. ``GET /bench/stats`` returns the
    counters; ``POST /bench/reset`` zeroes them and, with a JSON body, changes the timing."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self._lock = threading.Lock()
        self._reset_counters()
        self._slots: threading.BoundedSemaphore | None = None
        self._set_slots()

    def stats(self) -> ServerStats:
        with self._lock:
            return ServerStats(requests=self._requests, prompt_tokens=self._prompt, completion_tokens=self._completion,
                               kinds=dict(self._kinds), max_in_flight=self._max_in_flight)

    def reset(self, config: dict[str, Any] | None = None) -> ServerStats:
        before = self.stats()
        with self._lock:
            self._reset_counters()
            if config:
                self.config = ServerConfig(**{**self.config.model_dump(), **config})
                self._set_slots()
        return before

    def _reset_counters(self) -> None:
        self._requests = self._prompt = self._completion = self._in_flight = self._max_in_flight = 0
        self._kinds: Counter[str] = Counter()

    def _set_slots(self) -> None:
        self._slots = threading.BoundedSemaphore(self.config.slots) if self.config.slots else None

    def __call__(self, request: Request) -> Reply | None:
        path = request.path.split("?")[0].rstrip("/")
        if path == "/bench/stats":
            return Reply(body=self.stats().model_dump())
        if path == "/bench/reset" and request.method == "POST":
            return Reply(body=self.reset(request.body or None).model_dump())
        if not request.is_chat:
            return None
        return self._chat(request.body)

    def _chat(self, body: dict[str, Any]) -> Reply:
        from aidraft.bench.answers import answer
        from aidraft.llm.budget import count_tokens

        arrived = time.monotonic()
        reply = answer(body)
        text, finish = reply.text, "tool_calls" if reply.tool else "stop"
        prompt = sum(count_tokens(str(m.get("content") or "")) for m in body.get("messages") or [])
        completion = count_tokens(text)
        limit = body.get("max_tokens") or body.get("max_completion_tokens")
        if isinstance(limit, int) and 0 < limit < completion and not reply.tool:
            text, completion, finish = text[: len(text) * limit // completion], limit, "length"
        with self._lock:
            config, slots = self.config, self._slots
            self._requests += 1
            self._prompt, self._completion = self._prompt + prompt, self._completion + completion
            self._kinds[reply.kind] += 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        if slots is not None:
            slots.acquire()  # a queued request starts when it gets a slot

        def done() -> None:
            if slots is not None:
                slots.release()
            with self._lock:
                self._in_flight -= 1

        start = max(arrived, time.monotonic())
        first = start + config.latency_s + prompt / config.prefill_rate
        decode_s = completion / config.rate
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        base = {"id": "chatcmpl-bench", "created": int(time.time()), "model": str(body.get("model") or "bench")}
        if not body.get("stream"):
            message = ({"role": "assistant", "content": None, "tool_calls": [tool_call(reply.tool, text, "call_bench")]}
                       if reply.tool else {"role": "assistant", "content": text})
            choice = {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            return Reply(body={**base, "object": "chat.completion", "choices": [choice], "usage": usage},
                         send_at=first + decode_s, on_sent=done)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = _stream_events({**base, "object": "chat.completion.chunk"}, reply.tool, text, finish, usage,
                                first, decode_s, include_usage)
        return Reply(events=events, on_sent=done)


def _stream_events(chunk: dict[str, Any], tool: str | None, text: str, finish: str, usage: dict[str, int],
                   first: float, decode_s: float, include_usage: bool) -> list[tuple[float, dict[str, Any]]]:
    """The text in pieces, each sent when the tokens it holds are due (at most every TICK_S)."""
    events = [(first, _piece(chunk, tool, "", first=True))]
    ticks = max(1, math.ceil(decode_s / TICK_S)) if text else 0
    sent = 0
    for k in range(1, ticks + 1):
        due = first + min(decode_s, k * TICK_S)
        upto = len(text) if k == ticks else int(len(text) * k * TICK_S / decode_s)
        if upto > sent:
            events.append((due, _piece(chunk, tool, text[sent:upto], first=False)))
            sent = upto
    end = first + decode_s
    events.append((end, {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}))
    if include_usage:
        events.append((end, {**chunk, "choices": [], "usage": usage}))
    return events


def _piece(chunk: dict[str, Any], tool: str | None, piece: str, *, first: bool) -> dict[str, Any]:
    if not tool:
        delta: dict[str, Any] = {"role": "assistant", "content": piece} if first else {"content": piece}
    else:
        function = {"name": tool, "arguments": piece} if first else {"arguments": piece}
        call = {"index": 0, "function": function, **({"id": "call_bench", "type": "function"} if first else {})}
        delta = {"role": "assistant", "content": None, "tool_calls": [call]} if first else {"tool_calls": [call]}
    return {**chunk, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}


# --- servers with one responder each, as the tests use them ----------------------------------------


def scripted_server(*, max_requests: int = 50, max_seconds: float | None = 120.0) -> FakeServer[Scripted]:
    """A server answering from a script (``server.responder.reply(...)``); not started."""
    return FakeServer(Scripted(), max_requests=max_requests, max_seconds=max_seconds)


def faulty_server(content: Content | None = None, *, max_requests: int = 200, max_seconds: float = 60.0,
                  **faults: Any) -> FakeServer[Faulty]:
    """A server answering ``content`` or injected faults (Faulty's options); not started."""
    return FakeServer(Faulty(content, **faults), max_requests=max_requests, max_seconds=max_seconds)
