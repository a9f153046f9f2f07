"""A local OpenAI-compatible server for the benchmark: deterministic answers (benchkit.answers) at a
fixed token rate, stdlib only, on 127.0.0.1 and a free port.

Each request is timed like a model that decodes every request at ``rate`` tokens/s however many
are in flight (a batching server below its capacity): the answer is complete ``latency_s +
prompt_tokens / prefill_rate + completion_tokens / rate`` seconds after the request arrived. The
time is slept, not computed, so wall time means something even on a 2-core machine; ``slots`` > 0
caps how many requests decode at once (the rest queue), like a server at its capacity.

``POST /v1/chat/completions`` answers plain and streamed (SSE) requests, with ``usage`` counted
with aidraft.llm.budget.count_tokens; ``GET /bench/stats`` returns the counters (requests, tokens,
requests by kind, most requests in flight at once); ``POST /bench/reset`` zeroes them and, with a
JSON body, changes the timing. ``python -m aidraft.benchkit.llm_server`` serves in its own process
(what the benchmark uses, so the server's work does not share the client's interpreter) and prints
``listening on <base_url>`` first; benchkit.server_process.ServerProcess starts and talks to it.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import Counter
from contextlib import nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import BaseModel, Field

from aidraft.benchkit.answers import Answer, answer
from aidraft.llm.budget import count_tokens
from aidraft.strict import Strict

TICK_S = 0.02  # a streamed answer is sent in pieces at most this often


class ServerConfig(Strict):
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


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # 32 clients connecting at once must not overflow the listen backlog


class RateLimitedServer:
    """The server itself; run it with :meth:`serve_forever` or in a thread with :meth:`start`."""

    def __init__(self, config: ServerConfig | None = None, port: int = 0) -> None:
        self.config = config or ServerConfig()
        self._lock = threading.Lock()
        self._reset_counters()
        self._slots: threading.BoundedSemaphore | None = None
        self._set_slots()
        self._http = _HTTPServer(("127.0.0.1", port), _handler(self))
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def serve_forever(self) -> None:
        self._http.serve_forever(poll_interval=0.05)

    def start(self) -> RateLimitedServer:
        self._thread = threading.Thread(target=self.serve_forever, name="bench-llm-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> RateLimitedServer:  # noqa: PYI034 (never subclassed)
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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

    # --- one request ----------------------------------------------------------------------------

    def handle(self, body: dict[str, Any], send: Any) -> None:
        """Answer one chat request through ``send`` (the handler's writer), on time."""
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
        try:
            with slots or nullcontext():
                start = max(arrived, time.monotonic())  # a queued request starts when it gets a slot
                first = start + config.latency_s + prompt / config.prefill_rate
                usage = {"prompt_tokens": prompt, "completion_tokens": completion,
                         "total_tokens": prompt + completion}
                send(body, reply, text, finish, usage, first, completion / config.rate)
        finally:
            with self._lock:
                self._in_flight -= 1


def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def _message(reply: Answer, text: str) -> dict[str, Any]:
    if reply.tool:
        call = {"id": "call_bench", "type": "function", "function": {"name": reply.tool, "arguments": text}}
        return {"role": "assistant", "content": None, "tool_calls": [call]}
    return {"role": "assistant", "content": text}


def _handler(server: RateLimitedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections as with a real server
        disable_nagle_algorithm = True  # headers and body go out at once, no delayed-ACK stall

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/bench/stats":
                self._json(200, server.stats().model_dump())
            else:
                self._json(404, {"error": {"message": f"no {self.path}", "type": "bench", "code": "404"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw.decode("utf-8") or "{}")
            except ValueError:
                self._json(400, {"error": {"message": "body is not JSON", "type": "bench", "code": "400"}})
                return
            path = self.path.split("?")[0].rstrip("/")
            if path == "/bench/reset":
                self._json(200, server.reset(body or None).model_dump())
            elif path.endswith("/chat/completions"):
                server.handle(body, self._answer)
            else:
                self._json(404, {"error": {"message": f"no {self.path}", "type": "bench", "code": "404"}})

        def _answer(self, body: dict[str, Any], reply: Answer, text: str, finish: str, usage: dict[str, int],
                    first: float, decode_s: float) -> None:
            base = {"id": "chatcmpl-bench", "created": int(time.time()), "model": str(body.get("model") or "bench")}
            if not body.get("stream"):
                _sleep_until(first + decode_s)
                choice = {"index": 0, "message": _message(reply, text), "finish_reason": finish, "logprobs": None}
                self._json(200, {**base, "object": "chat.completion", "choices": [choice], "usage": usage})
                return
            self.close_connection = True
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = {**base, "object": "chat.completion.chunk"}
                _sleep_until(first)
                self._piece(chunk, reply, "", first=True)
                sent = 0
                while sent < len(text):  # the text so far, in proportion to the tokens due by now
                    elapsed = time.monotonic() - first
                    upto = len(text) if elapsed >= decode_s else int(len(text) * elapsed / decode_s)
                    if upto > sent:
                        self._piece(chunk, reply, text[sent:upto], first=False)
                        sent = upto
                    if sent < len(text):
                        time.sleep(TICK_S)
                self._event({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
                if (body.get("stream_options") or {}).get("include_usage"):
                    self._event({**chunk, "choices": [], "usage": usage})
                self.wfile.write(b"data: [DONE]\n\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client left

        def _piece(self, chunk: dict[str, Any], reply: Answer, piece: str, *, first: bool) -> None:
            self._event({**chunk, "choices": [{"index": 0, "delta": _delta(reply, piece, first), "finish_reason": None}]})

        def _event(self, data: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n")

        def _json(self, status: int, data: dict[str, Any]) -> None:
            payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _delta(reply: Answer, piece: str, first: bool) -> dict[str, Any]:
    if not reply.tool:
        return {"role": "assistant", "content": piece} if first else {"content": piece}
    function = {"name": reply.tool, "arguments": piece} if first else {"arguments": piece}
    call = {"index": 0, "function": function, **({"id": "call_bench", "type": "function"} if first else {})}
    return {"role": "assistant", "content": None, "tool_calls": [call]} if first else {"tool_calls": [call]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m aidraft.benchkit.llm_server", description=__doc__)
    parser.add_argument("--config", default="{}", help="ServerConfig as JSON")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = RateLimitedServer(ServerConfig.model_validate_json(args.config), port=args.port)
    print(f"listening on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
