"""The bench's model, a responder for aidraft.bench.fake_server: deterministic answers
(aidraft.bench.answers) timed like a model that decodes every request at a fixed token rate,
plain or streamed (server-sent events), with counters at ``GET /bench/stats``."""

from __future__ import annotations

import argparse
import math
import threading
import time
from collections import Counter
from typing import Any

from pydantic import BaseModel, Field

from aidraft.bench.fake_server import Reply, Request, tool_call
from aidraft.strict import Strict

TICK_S = 0.02  # a streamed answer is sent in pieces at most this often


class ServerConfig(Strict):
    """How the Timed responder paces its answers."""

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


def main(argv: list[str] | None = None) -> None:
    """Serve the Timed responder (the bench's model) until interrupted."""
    # Imported by name: run as ``-m`` this file is __main__, and the server uses the module's classes.
    from aidraft.bench import fake_server
    from aidraft.bench.timed import ServerConfig, Timed

    parser = argparse.ArgumentParser(prog="python -m aidraft.bench.timed", description=__doc__)
    parser.add_argument("--config", default="{}", help="ServerConfig as JSON (the Timed responder's pace)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = fake_server.FakeServer(Timed(ServerConfig.model_validate_json(args.config)), port=args.port)
    print(f"listening on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
