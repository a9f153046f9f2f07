"""The one fake OpenAI-compatible server, for the bench and the tests: stdlib HTTP on 127.0.0.1 and a
free port, with a pluggable *responder* deciding every answer.

A responder is any callable ``Request -> Reply | None`` (``None``: 404). The ones the project uses
live in :mod:`aidraft.bench.responders`: ``Scripted`` (answers queued one by one, for wire tests),
``Faulty`` (a good answer or an injected fault: 429, 5xx, dropped connection, slow, invalid JSON,
empty, truncated, content filter, 401), ``Timed`` (deterministic answers at a fixed token rate,
plain or streamed, for the bench; aidraft.bench.timed) and ``Echoing`` (a model that repeats its prompt).

The server keeps what every test asks about — the JSON bodies, paths and Authorization headers
it received — answers HTTP 418 past ``max_requests`` (a runaway retry loop fails loudly instead of
hanging) and stops itself after ``max_seconds``. A reply may wait (``delay_s``, cut short when
the server stops, or until ``send_at``), close the connection unanswered (``drop``) or stream
server-sent events. ``python -m aidraft.bench.timed`` serves the Timed responder in its own
process and prints ``listening on <base_url>`` first (aidraft.bench.server_process uses it).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, TypeVar


@dataclass(frozen=True)
class Request:
    """One HTTP request as a responder sees it."""

    method: str
    path: str
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case

    @property
    def is_chat(self) -> bool:
        return self.method == "POST" and self.path.split("?")[0].rstrip("/").endswith("/chat/completions")

    @property
    def auth(self) -> str:
        return self.headers.get("authorization", "")


@dataclass
class Reply:
    """One answer: a JSON body (or server-sent ``events``), when to send it, or no answer at all."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait this long first (ends early when the server stops)
    send_at: float | None = None  # or until this time.monotonic() moment
    drop: bool = False  # close the connection without a status line
    raw: bytes | None = None  # send these bytes as they are instead of the JSON body (a broken answer)
    content_type: str = "application/json; charset=utf-8"
    events: Iterable[tuple[float, dict[str, Any]]] | None = None  # SSE: (monotonic send time, data)
    on_sent: Callable[[], None] | None = None  # called once the reply is out (or failed)


Responder = Callable[[Request], "Reply | None"]
R = TypeVar("R", bound=Callable[[Request], "Reply | None"])


def chat_body(content: str | None, *, finish_reason: str = "stop", model: str = "stub-model",
              tool_calls: list[dict[str, Any]] | None = None, prompt_tokens: int = 11,
              completion_tokens: int = 7) -> dict[str, Any]:
    """A well-formed /chat/completions response body."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def tool_call(name: str, arguments: str, call_id: str = "call_fake") -> dict[str, Any]:
    """One function-calling entry of a message's ``tool_calls``."""
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def error_body(message: str, code: str | None, kind: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind or code or "fake_error", "param": None, "code": code}}


def fake_failure(message: str, status: int = 418) -> Reply:
    """The server's own refusal (HTTP 418 is never retried by clients)."""
    return Reply(status=status, body=error_body(message, "fake", "fake"))


def user_text(body: dict[str, Any]) -> str:
    """The last user message of a chat body."""
    return next((str(m.get("content") or "") for m in reversed(body.get("messages") or [])
                 if isinstance(m, dict) and m.get("role") == "user"), "")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # 32 clients connecting at once must not overflow the listen backlog


class FakeServer(Generic[R]):
    """The server around ``responder``; use it in a ``with`` block or start()/stop() it."""

    def __init__(self, responder: R, *, max_requests: int | None = None, max_seconds: float | None = None,
                 port: int = 0) -> None:
        self.responder = responder
        self.max_requests, self.max_seconds = max_requests, max_seconds
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.auth: list[str] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._http = _HTTPServer(("127.0.0.1", port), _handler(self))
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Timer | None = None

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    @property
    def last_request(self) -> dict[str, Any]:
        assert self.requests, "the fake server has received no request"
        return self.requests[-1]

    def user_texts(self) -> list[str]:
        """The last user message of each request received."""
        return [user_text(body) for body in self.requests]

    def serve_forever(self) -> None:
        self._http.serve_forever(poll_interval=0.02)

    def start(self) -> FakeServer[R]:
        self._thread = threading.Thread(target=self.serve_forever, name="fake-openai-server", daemon=True)
        self._thread.start()
        if self.max_seconds is not None:
            self._watchdog = threading.Timer(self.max_seconds, self.stop)
            self._watchdog.daemon = True
            self._watchdog.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._stopped.is_set():
                return
            self._stopped.set()
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> FakeServer[R]:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, request: Request) -> Reply:
        """Log the request, then let the responder answer (or refuse past ``max_requests``)."""
        if not request.path.startswith("/bench/"):  # the timed responder's control endpoints
            with self._lock:
                self.requests.append(request.body)
                self.paths.append(request.path)
                self.auth.append(request.auth)
                over = self.max_requests is not None and len(self.requests) > self.max_requests
            if over:
                return fake_failure(f"fake server: more than {self.max_requests} requests")
        reply = self.responder(request)
        if reply is None:
            return Reply(status=404, body=error_body(f"no {request.path}", "404", "fake"))
        return reply

    def wait(self, reply: Reply) -> None:
        delay = reply.delay_s
        if reply.send_at is not None:
            delay = max(delay, reply.send_at - time.monotonic())
        if delay > 0:
            self._stopped.wait(delay)


def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def _handler(server: FakeServer[Any]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections as with a real server
        disable_nagle_algorithm = True  # headers and body go out at once, no delayed-ACK stall

        def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
            self._serve("GET", {})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw.decode("utf-8") or "{}")
            except ValueError:
                body = {"_unparsed": raw.decode("utf-8", "replace")}
            self._serve("POST", body if isinstance(body, dict) else {"_unparsed": body})

        def _serve(self, method: str, body: dict[str, Any]) -> None:
            if server.stopped:  # a kept-alive connection outlives the listener: close it unanswered
                self.close_connection = True
                return
            request = Request(method=method, path=self.path, body=body, headers={k.lower(): v for k, v in self.headers.items()})
            reply = server.answer(request)
            try:
                if reply.drop:
                    self.close_connection = True
                    return  # no status line, no body: the client sees the connection closed
                server.wait(reply)
                if reply.events is not None:
                    self._stream(reply)
                else:
                    self._json(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeouts)
            finally:
                if reply.on_sent is not None:
                    reply.on_sent()

        def _json(self, reply: Reply) -> None:
            payload = reply.raw if reply.raw is not None else json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, reply: Reply) -> None:
            self.close_connection = True
            self.send_response(reply.status)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            for moment, data in reply.events or ():
                _sleep_until(moment)
                self.wfile.write(b"data: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n")
            self.wfile.write(b"data: [DONE]\n\n")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test and bench output clean

    return Handler
