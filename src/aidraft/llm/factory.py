"""Build the ChatModel for a resolved endpoint: the client (built lazily), then masking, then the
response cache.

Settings.chat_model() calls this with its values, so this package never imports the settings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from aidraft.llm.base import ChatModel, ChatRequest, Completion
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.endpoint import Endpoint, endpoint_identity


class LazyChatModel(ChatModel):
    """Stands in for the endpoint's client and builds it on the first request that reaches it.

    Importing langchain-openai and openai and building the client costs about a second; a rerun
    answered entirely from the cache never asks, so it never pays. Thread-safe: sections that miss
    the cache at the same moment share one client.
    """

    def __init__(self, endpoint: Endpoint, build: Callable[[], ChatModel], *, temperature: float | None = None) -> None:
        self.endpoint = endpoint
        self.structured_methods = endpoint.structured_methods
        self.temperature = temperature
        self._build = build
        self._model: ChatModel | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LazyChatModel(base_url={self.endpoint.base_url!r}, model={self.endpoint.model!r})"

    @property
    def identity(self) -> dict[str, str]:
        return endpoint_identity(self.endpoint)

    @property
    def built(self) -> bool:
        return self._model is not None

    def model(self) -> ChatModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._build()
        return self._model

    def ask(self, request: ChatRequest) -> Completion:
        return self.model().ask(request)

    def _complete_once(self, request: ChatRequest) -> Completion:
        return self.model().ask(request)


def build_chat_model(endpoint: Endpoint, *, timeout_s: float, max_retries: int, temperature: float | None,
                     max_output_tokens: int | None, mask_personal_data: bool, cache_dir: Path | None) -> ChatModel:
    """The endpoint's client wrapped in the on-disk cache (``cache_dir`` None: no cache).

    A non-local endpoint is also wrapped in MaskingChatModel unless masking is off (--no-mask);
    ``--mask`` / ``AIDRAFT_MASK=always`` wraps every endpoint, local ones included (the caller decides:
    ``mask_personal_data`` is Settings.masks_for(endpoint)).
    langchain/openai are imported only when a request misses the cache (LazyChatModel), so offline
    runs and fully cached reruns never pay for importing them.
    """

    def build() -> ChatModel:
        from aidraft.llm.openai_chat import OpenAIChatModel

        client = OpenAIChatModel(endpoint, timeout_s=timeout_s, max_retries=max_retries, temperature=temperature)
        client.max_output_tokens = max_output_tokens
        return client

    model: ChatModel = LazyChatModel(endpoint, build, temperature=temperature)
    if mask_personal_data:
        # Inside the cache: the provider sees placeholders, the cache (on this machine) real text,
        # so a cached answer never depends on which placeholder a value got in an earlier run.
        from aidraft.llm.masking import MaskingChatModel

        model = MaskingChatModel(model)
    if cache_dir is not None:
        model = CachedChatModel(model, cache_dir)
    return model
