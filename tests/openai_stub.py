"""A tiny scripted OpenAI-compatible server for wire-level tests (stdlib only, 127.0.0.1 only).

Use it through the ``openai_stub`` fixture (import it into a test module or conftest:
``from openai_stub import openai_stub  # noqa: F401``) or as a context manager::

    with OpenAIStub() as stub:
        stub.base_url                       # "http://127.0.0.1:<port>/v1"; any API key works
        stub.reply("正文")                   # 200, finish_reason "stop"
        stub.reply("前半段", finish_reason="length")
        stub.reply_json({"title": "x"})     # content = the JSON text (json_mode / json_schema)
        stub.reply_tool_call("Outline", {"title": "x"})   # function-calling answer
        stub.error(429, retry_after=0)      # Retry-After header; also 500, 401, 400 …
        stub.error(400, code="1301", message="系统检测到输入或生成内容可能包含不安全或敏感内容")
        stub.content_filter()               # DashScope's 400 data_inspection_failed
        stub.reply("慢", delay_s=2.0)        # answer late (timeout tests)
        stub.respond_with(fn)               # fallback for unscripted requests: fn(body) -> Reply

        stub.requests      # list[dict]: every JSON body received, in order
        stub.last_request  # the most recent body
        stub.user_texts()  # last user message of each request (handy for assertions)

Scripted replies are served FIFO. An unscripted request without ``respond_with`` gets HTTP 418
("stub: nothing scripted") so a missing script fails loudly instead of hanging; so does every
request past ``max_requests`` (default 50), which bounds any runaway retry loop.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    """One scripted HTTP answer."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def chat_body(
    content: str | None,
    *,
    finish_reason: str = "stop",
    model: str = "stub-model",
    tool_calls: list[dict[str, Any]] | None = None,
    prompt_tokens: int = 11,
    completion_tokens: int = 7,
) -> dict[str, Any]:
    """A well-formed /chat/completions response body."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class OpenAIStub:
    """Scripted server; see the module docstring for the API."""

    def __init__(self, *, max_requests: int = 50) -> None:
        self.max_requests = max_requests
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._script: deque[Reply] = deque()
        self._fallback: Callable[[dict[str, Any]], Reply] | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="openai-stub", daemon=True
        )

    # --- scripting -----------------------------------------------------------------------
    def reply(self, content: str, *, finish_reason: str = "stop", delay_s: float = 0.0, **kw: Any) -> None:
        self._push(Reply(body=chat_body(content, finish_reason=finish_reason, **kw), delay_s=delay_s))

    def reply_json(self, data: Any, *, finish_reason: str = "stop") -> None:
        self.reply(json.dumps(data, ensure_ascii=False), finish_reason=finish_reason)

    def reply_tool_call(self, name: str, arguments: dict[str, Any] | str) -> None:
        args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        call = {"id": "call_stub", "type": "function", "function": {"name": name, "arguments": args}}
        self._push(Reply(body=chat_body(None, finish_reason="tool_calls", tool_calls=[call])))

    def error(
        self,
        status: int,
        *,
        code: str | None = None,
        message: str = "stub error",
        retry_after: float | None = None,
        error_type: str | None = None,
    ) -> None:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        err = {"message": message, "type": error_type or code or "stub_error", "param": None, "code": code}
        self._push(Reply(status=status, body={"error": err}, headers=headers))

    def content_filter(self, message: str = "Input data may contain inappropriate content.") -> None:
        self.error(400, code="data_inspection_failed", message=message)

    def respond_with(self, fn: Callable[[dict[str, Any]], Reply]) -> None:
        self._fallback = fn

    def _push(self, reply: Reply) -> None:
        with self._lock:
            self._script.append(reply)

    # --- inspection ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def last_request(self) -> dict[str, Any]:
        assert self.requests, "the stub has received no request"
        return self.requests[-1]

    @property
    def pending(self) -> int:
        return len(self._script)

    def user_texts(self) -> list[str]:
        return [next((m["content"] for m in reversed(r["messages"]) if m["role"] == "user"), "") for r in self.requests]

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> OpenAIStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, path: str, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.paths.append(path)
            if len(self.requests) > self.max_requests:
                return _stub_failure(f"stub: more than {self.max_requests} requests")
            if not path.endswith("/chat/completions"):
                return _stub_failure(f"stub: unknown path {path}", status=404)
            if self._script:
                return self._script.popleft()
        if self._fallback is not None:
            return self._fallback(body)
        return _stub_failure("stub: nothing scripted for this request")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (stdlib naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                reply = stub._next_reply(self.path, body)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                payload = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep pytest output clean

        return Handler


def _stub_failure(message: str, status: int = 418) -> Reply:
    return Reply(status=status, body={"error": {"message": message, "type": "stub", "code": "stub"}})


@pytest.fixture
def openai_stub() -> Iterator[OpenAIStub]:
    """A running stub; scripted replies left unconsumed at the end are not an error."""
    with OpenAIStub() as stub:
        yield stub
