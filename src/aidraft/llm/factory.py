"""Build the ChatModel a run should use from Settings (``None`` means: draft offline)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from aidraft.llm.base import ChatModel, ChatRequest, Completion
from aidraft.llm.cache import CachedChatModel

if TYPE_CHECKING:
    from aidraft.settings import Endpoint, Settings


def endpoint_identity(endpoint: Endpoint) -> dict[str, str]:
    """What cache keys name an endpoint by (never its key): the same for the client and its stand-in."""
    return {"base_url": endpoint.base_url, "model": endpoint.model}


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


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured endpoint wrapped in the on-disk cache, or ``None`` for the offline backend.

    A non-local endpoint is also wrapped in MaskingChatModel unless ``mask_personal_data`` is off.

    Raises ConfigError (one line naming the fix) when the endpoint is incomplete, e.g. no key.
    langchain/openai are imported only when a request misses the cache (LazyChatModel), so offline
    runs and fully cached reruns never pay for importing them.
    """
    if not settings.uses_model:
        return None
    endpoint = settings.resolve_endpoint()

    def build() -> ChatModel:
        from aidraft.llm.openai_chat import OpenAIChatModel

        client = OpenAIChatModel(
            endpoint,
            timeout_s=settings.timeout_s,
            max_retries=settings.max_retries,
            temperature=settings.temperature,
        )
        client.max_output_tokens = settings.max_output_tokens
        return client

    model: ChatModel = LazyChatModel(endpoint, build, temperature=settings.temperature)
    if settings.mask_personal_data and not endpoint.is_local:
        # Inside the cache: the provider sees placeholders, the cache (on this machine) real text,
        # so a cached answer never depends on which placeholder a value got in an earlier run.
        from aidraft.llm.masking import MaskingChatModel

        model = MaskingChatModel(model)
    if settings.use_cache:
        model = CachedChatModel(model, settings.cache_dir)
    return model
