"""Counting what a run asks of its model: requests that reached it, cache hits, tokens."""

from __future__ import annotations

import threading

from aidraft.llm.base import ChatModel, ChatRequest, Completion, WrappingChatModel
from aidraft.llm.budget import count_tokens


class MeteredModel(WrappingChatModel):
    """Wraps a run's model and counts, thread-safely, what the run info reports: requests that
    reached the model (cache hits apart) and their tokens, estimated with the bundled encoding
    when a server reports no usage."""

    def __init__(self, inner: ChatModel) -> None:
        super().__init__(inner)
        self.model_calls = self.cached_calls = self.prompt_tokens = self.completion_tokens = 0
        self._lock = threading.Lock()

    def ask(self, request: ChatRequest) -> Completion:
        answer = self.inner.ask(request)
        messages = request.messages
        with self._lock:
            if answer.cached:
                self.cached_calls += 1
            else:  # servers that report no usage (some local ones): estimate with the bundled encoding
                self.model_calls += 1
                self.prompt_tokens += answer.prompt_tokens or sum(count_tokens(m.content) for m in messages)
                self.completion_tokens += answer.completion_tokens or count_tokens(answer.text)
        return answer
