"""A scripted ChatModel for tests: queue answers, run the code, inspect what it asked.

    fake = FakeChatModel()
    fake.enqueue("第一段", Outline(title="x"), {"title": "y"}, ContentFilterError("blocked"))
    fake.enqueue(Completion(text="前半", finish_reason="length"), "后半")
    ...
    fake.requests[0].user_text      # the last user message of the first request
    fake.requests[1].json_schema    # the schema asked for, if any

Pydantic objects and dicts are queued as their JSON; exceptions are raised when their turn
comes; a callable gets the request and returns any of those. An empty queue raises
``FakeQueueEmpty`` (an AssertionError, so no ``except ModelError`` swallows it).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Union

from pydantic import BaseModel

from aidraft.llm.base import ChatModel, ChatRequest, Completion, StructuredMethod

Scripted = Union[str, Completion, BaseModel, dict, list, BaseException, Callable[[ChatRequest], Any]]


class FakeQueueEmpty(AssertionError):
    """The code under test asked the fake model more often than the test scripted."""


#: One call the code under test made: the seam's own request value (messages, schema, method…).
FakeRequest = ChatRequest


class FakeChatModel(ChatModel):
    """Answers from a queue. Thread-safe, so pipelines can use it from a thread pool.

    Continuation of ``finish_reason="length"`` answers works as in the real model (the next
    queued item continues the text); pass ``max_continuations=0`` to receive the raw answer.
    """

    def __init__(
        self,
        *responses: Scripted,
        model: str = "fake-model",
        base_url: str = "fake://",
        structured_methods: tuple[StructuredMethod, ...] = ("json_mode",),
        max_continuations: int = 2,
        temperature: float | None = None,
    ) -> None:
        self._model = model
        self._base_url = base_url
        self.structured_methods = structured_methods
        self.max_continuations = max_continuations
        self.temperature = temperature
        self.requests: list[FakeRequest] = []
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self.enqueue(*responses)

    def __repr__(self) -> str:
        return f"FakeChatModel(queued={len(self._queue)}, requests={len(self.requests)})"

    @property
    def identity(self) -> dict[str, str]:
        return {"base_url": self._base_url, "model": self._model}

    def enqueue(self, *responses: Scripted) -> FakeChatModel:
        """Queue answers (returns self, so ``FakeChatModel().enqueue(...)`` chains)."""
        with self._lock:
            self._queue.extend(responses)
        return self

    @property
    def pending(self) -> int:
        """How many queued answers were not consumed (assert ``fake.pending == 0`` if it matters)."""
        return len(self._queue)

    @property
    def last_request(self) -> FakeRequest:
        if not self.requests:
            raise AssertionError("FakeChatModel received no request")
        return self.requests[-1]

    def _complete_once(self, request: ChatRequest) -> Completion:
        with self._lock:
            self.requests.append(request)
            if not self._queue:
                raise FakeQueueEmpty(
                    f"FakeChatModel has no answer queued for request #{len(self.requests)} "
                    f"(user said: {request.user_text[:80]!r}); call enqueue() with more answers"
                )
            item = self._queue.popleft()
        if callable(item) and not isinstance(item, (BaseModel, BaseException, type)):
            item = item(request)
        return self._to_completion(item)

    def _to_completion(self, item: Any) -> Completion:
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, type) and issubclass(item, BaseException):
            raise item("raised by FakeChatModel")
        if isinstance(item, Completion):
            return item.model_copy(update={"model": item.model or self._model})
        if isinstance(item, BaseModel):
            text = item.model_dump_json()
        elif isinstance(item, (dict, list)):
            text = json.dumps(item, ensure_ascii=False)
        elif isinstance(item, str):
            text = item
        else:
            raise TypeError(f"FakeChatModel cannot answer with {type(item).__name__}")
        return Completion(text=text, finish_reason="stop", model=self._model)
