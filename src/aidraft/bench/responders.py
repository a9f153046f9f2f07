"""The fake server's responders (see aidraft.bench.fake_server): what a model endpoint answers.

- ``Scripted``: replies queued in order (``reply``, ``reply_json``, ``reply_tool_call``, ``error``,
  ``content_filter``), then ``respond_with``'s fallback, else HTTP 418 so a missing script fails
  loudly; for wire-level tests.
- ``Faulty``: each request gets the good answer of a content function or one injected fault,
  scripted (``script=["rate_limit", "ok"]``) or drawn at a seeded rate; for resilience tests.
- ``Timed`` (aidraft.bench.timed): the bench's model, deterministic answers at a fixed token rate.
- ``Echoing``: a misbehaving model that answers every request with its own prompt, repeated.

Content functions take the request body and return the answer: a str, or JSON-able data (sent as
JSON text, or as a tool call when the request offered tools). They run on the server's threads.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable
from typing import Any

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

#: Answers with status 200 that are no chat completion: an empty ``choices``, an error object, a
#: proxy's HTML page, a body cut off mid-JSON.
MALFORMED_200 = ("no_choices", "error_200", "html_200", "cut_body")
FAULTS = ("rate_limit", "server_500", "server_502", "server_503", "drop", "slow", "invalid_json", "empty",
          "truncated", "content_filter", "unauthorized", *MALFORMED_200)
#: What a flaky provider does; unauthorized is a configuration error, not a fault to survive.
RANDOM_MIX = tuple(f for f in FAULTS if f != "unauthorized" and f not in MALFORMED_200)
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
        if outcome == "no_choices":
            return Reply(body={"id": "chatcmpl-f", "object": "chat.completion", "model": FAULT_MODEL, "choices": []})
        if outcome == "error_200":
            return Reply(body={"error": {"message": f"quota exceeded{key}", "code": "quota"}})
        if outcome == "html_200":
            return Reply(raw=b"<html><body>502 Bad Gateway</body></html>", content_type="text/html")
        if outcome == "cut_body":
            return Reply(raw=b'{"id": "chatcmpl-f", "choices": [ {"message": ')
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


# --- servers with one responder each, as the tests use them ----------------------------------------


def scripted_server(*, max_requests: int = 50, max_seconds: float | None = 120.0) -> FakeServer[Scripted]:
    """A server answering from a script (``server.responder.reply(...)``); not started."""
    return FakeServer(Scripted(), max_requests=max_requests, max_seconds=max_seconds)


def faulty_server(content: Content | None = None, *, max_requests: int = 200, max_seconds: float = 60.0,
                  **faults: Any) -> FakeServer[Faulty]:
    """A server answering ``content`` or injected faults (Faulty's options); not started."""
    return FakeServer(Faulty(content, **faults), max_requests=max_requests, max_seconds=max_seconds)
