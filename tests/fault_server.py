"""A fault-injecting OpenAI-compatible server for tests (stdlib only, 127.0.0.1, port 0).

Every request gets either the "good" answer from a responder function or one injected fault:

    with FaultServer(good, script=["rate_limit", "server_503", "ok"]) as server:   # scripted
    with FaultServer(good, fault_rate=0.2, seed=7) as server:                       # seeded mix

Faults (FAULTS): rate_limit (429 + Retry-After), server_500/502/503, drop (socket closed, no
response), slow (answers after ``slow_s``, past the client's timeout), invalid_json, empty (empty
message), truncated (finish_reason=length mid-sentence; the "继续" request gets the rest),
content_filter (400 data_inspection_failed, as DashScope/GLM send), unauthorized (401).

The responder gets the request body and returns the answer content: a str, or JSON-able data
(sent as JSON text, or as a tool call when the request used tools). It runs on the server's
threads, so it must be thread-safe. The server answers at most ``max_requests`` requests (then
HTTP 418, which clients do not retry) and shuts itself down after ``max_seconds``.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


Responder = Callable[[dict[str, Any]], Any]
FAULTS = ("rate_limit", "server_500", "server_502", "server_503", "drop", "slow", "invalid_json", "empty",
          "truncated", "content_filter", "unauthorized")
#: What a flaky provider does; unauthorized is a configuration error, not a fault to survive.
RANDOM_MIX = tuple(f for f in FAULTS if f != "unauthorized")
CONTINUE_PROMPT = "继续"
INVALID_JSON = '好的，提纲如下：{"sections": [{"kind": "measures", "subsections": [{"title": '
FILTER_MESSAGE = "Input data may contain inappropriate content."


def wants_json(body: dict[str, Any]) -> bool:
    return "response_format" in body or "tools" in body


def chat_body(content: str | None, finish_reason: str = "stop", tool: tuple[str, str] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool is not None:
        message["tool_calls"] = [{"id": "call_f", "type": "function", "function": {"name": tool[0], "arguments": tool[1]}}]
    return {
        "id": "chatcmpl-fault", "object": "chat.completion", "created": int(time.time()), "model": "fault-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def error_body(message: str, code: str, kind: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind or code, "param": None, "code": code}}


class FaultServer:
    """See the module docstring. ``outcomes`` lists what each request got, in arrival order."""

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        script: Iterable[str] = (),
        fault_rate: float = 0.0,
        faults: Iterable[str] = RANDOM_MIX,
        seed: int = 0,
        max_requests: int = 200,
        max_seconds: float = 60.0,
        slow_s: float = 1.0,
        retry_after_s: float = 0.05,
        echo_key: bool = False,
    ) -> None:
        unknown = [f for f in [*script, *faults] if f not in (*FAULTS, "ok")]
        if unknown:
            raise ValueError(f"unknown faults {unknown}; choose from {FAULTS}")
        self.responder = responder or (lambda body: "好的。")
        self.fault_rate, self.faults = fault_rate, tuple(faults)
        self.max_requests, self.max_seconds = max_requests, max_seconds
        self.slow_s, self.retry_after_s, self.echo_key = slow_s, retry_after_s, echo_key
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.outcomes: list[str] = []
        self._script: deque[str] = deque(script)
        self._rng = random.Random(seed)
        self._partials: dict[str, str] = {}  # text sent so far (truncated) → the rest
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fault-server", daemon=True)
        self._watchdog = threading.Timer(max_seconds, self.stop)
        self._watchdog.daemon = True

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self.outcomes)

    def user_texts(self) -> list[str]:
        return ["\n".join(str(m.get("content") or "") for m in r.get("messages", [])) for r in self.requests]

    def start(self) -> FaultServer:
        self._thread.start()
        self._watchdog.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._stopped.is_set():
                return
            self._stopped.set()
        self._watchdog.cancel()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultServer:  # noqa: PYI034
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- deciding and building answers ------------------------------------------------------

    def _choose(self, body: dict[str, Any], auth: str) -> str:
        with self._lock:
            self.requests.append(body)
            self.auth.append(auth)
            if len(self.requests) > self.max_requests:
                outcome = "over_limit"
            elif self._script:
                outcome = self._script.popleft()
            elif self.fault_rate and self._rng.random() < self.fault_rate:
                outcome = self._rng.choice(self.faults)
            else:
                outcome = "ok"
            self.outcomes.append(outcome)
            return outcome

    def _good(self, body: dict[str, Any]) -> str:
        """The good answer's text; a "继续" request after a truncated answer gets the rest of it."""
        messages = body.get("messages") or []
        if len(messages) >= 2 and messages[-1].get("content") == CONTINUE_PROMPT:
            with self._lock:
                rest = self._partials.get(str(messages[-2].get("content") or ""))
            if rest is not None:
                return rest
        answer = self.responder(body)
        return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)

    def _ok(self, body: dict[str, Any], text: str, finish: str = "stop") -> dict[str, Any]:
        tools = body.get("tools")
        if tools and finish == "stop":
            return chat_body(None, "tool_calls", tool=(tools[0]["function"]["name"], text))
        return chat_body(text, finish)

    def _answer(self, outcome: str, body: dict[str, Any], auth: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        key = f" (got {auth})" if self.echo_key else ""
        if outcome == "over_limit":
            return 418, error_body(f"fault server: more than {self.max_requests} requests", "stub"), {}
        if outcome == "rate_limit":
            return 429, error_body(f"Rate limit reached{key}", "rate_limit_exceeded"), {
                "Retry-After": str(self.retry_after_s)}
        if outcome.startswith("server_"):
            return int(outcome[-3:]), error_body(f"upstream failure{key}", "server_error"), {}
        if outcome == "content_filter":
            return 400, error_body(FILTER_MESSAGE, "data_inspection_failed"), {}
        if outcome == "unauthorized":
            return 401, error_body(f"Incorrect API key provided{key}", "invalid_api_key"), {}
        if outcome == "empty":
            return 200, chat_body(""), {}
        if outcome == "invalid_json":
            tools = body.get("tools")
            tool = (tools[0]["function"]["name"], INVALID_JSON) if tools else None
            return 200, chat_body(None if tools else INVALID_JSON, "tool_calls" if tools else "stop", tool), {}
        text = self._good(body)
        if outcome == "truncated" and len(text) >= 2:
            cut = max(1, len(text) // 2)
            sent = str((body.get("messages") or [{}])[-2].get("content") or "") if self._continuing(body) else ""
            with self._lock:
                self._partials[sent + text[:cut]] = text[cut:]
            return 200, chat_body(text[:cut], "length"), {}
        return 200, self._ok(body, text), {}

    def _continuing(self, body: dict[str, Any]) -> bool:
        messages = body.get("messages") or []
        return len(messages) >= 2 and messages[-1].get("content") == CONTINUE_PROMPT

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                auth = self.headers.get("Authorization", "")
                outcome = server._choose(body, auth)
                if outcome == "drop":
                    self.close_connection = True
                    return  # no status line, no body: the client sees the connection closed
                if outcome == "slow":
                    server._stopped.wait(server.slow_s)
                status, payload, headers = server._answer(outcome, body, auth)
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


# --- a good responder for the LLM drafter's requests ------------------------------------------

_ITEM = re.compile(r"^-\s*笔记(\d+)：(.*)$")
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）\S")
_PLAN_KIND = re.compile(r"^-\s*(measures|duty|problems|plans)：")
_PLAN_ITEM = re.compile(r"^-\s*(\d+)：")
_FENCED = re.compile(r"<<<\n(.*?)\n>>>", re.DOTALL)
_ORDINALS = "一二三四五六七八九十"


def first_user(body: dict[str, Any]) -> str:
    return next((str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user"), "")


def section_from_request(user: str) -> str:
    """A section body written only from the notes lines the request carries, in their own words."""
    notes_part = user.split("小标题与工作笔记：", 1)[-1].split("参考范文", 1)[0]
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            parts = [f"{_ORDINALS[i] if i < 10 else '同时'}是{t.rstrip('。；;，')}" for i, t in enumerate(current)]
            lines.append("；".join(parts) + "。")
            current.clear()

    for raw in notes_part.splitlines():
        line = raw.strip()
        if _SUBHEADING.match(line):
            flush()
            lines.append(line)
        elif m := _ITEM.match(line):
            current.append(m.group(2))
    flush()
    return "\n".join(lines)


def plan_from_request(user: str) -> dict[str, Any]:
    """A valid PlanOut for the request: every item once, under the first section kind offered."""
    kinds = [m.group(1) for line in user.splitlines() if (m := _PLAN_KIND.match(line.strip()))]
    ids = [int(m.group(1)) for line in user.splitlines() if (m := _PLAN_ITEM.match(line.strip()))]
    kind = kinds[0] if kinds else "measures"
    title = "" if kind == "problems" else "强化法治建设，提升工作质效"
    return {"sections": [{"kind": kind, "subsections": [{"title": title, "item_ids": ids}]}]}


def drafter_responder(plan: dict[str, Any] | None = None) -> Responder:
    """Answers the LLM drafter like a careful model: ``plan`` (or one derived from the request) for
    the planning call, the notes' own sentences for a section, the body unchanged for a repair."""

    def respond(body: dict[str, Any]) -> Any:
        user = first_user(body)
        if "本部分标题" in user:  # a structured section request (SectionDraft): each note, citing its id
            from aidraft.llm.base import ChatRequest, Message
            from aidraft.llm.fake_models import faithful

            return faithful(ChatRequest(messages=tuple(
                Message(role=m["role"], content=str(m.get("content") or "")) for m in body.get("messages", []))))
        if wants_json(body):
            return plan if plan is not None else plan_from_request(user)
        if "待修改的正文" in user and (fenced := _FENCED.search(user)):
            return fenced.group(1)
        return section_from_request(user)

    return respond
