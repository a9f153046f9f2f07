"""Build the ChatModel a run should use from Settings (``None`` means: draft offline)."""

from __future__ import annotations

from aidraft.llm.base import ChatModel
from aidraft.llm.cache import CachedChatModel
from aidraft.settings import Settings


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured endpoint wrapped in the on-disk cache, or ``None`` for the offline backend.

    A non-local endpoint is also wrapped in MaskingChatModel unless masking is off (--no-mask);
    ``--mask`` / ``AIDRAFT_MASK=always`` wraps every endpoint, local ones included.

    Raises ConfigError (one line naming the fix) when the endpoint is incomplete, e.g. no key.
    langchain/openai are imported only here, so offline runs never pay for importing them.
    """
    if not settings.uses_model:
        return None
    endpoint = settings.resolve_endpoint()
    from aidraft.llm.openai_chat import OpenAIChatModel

    model: ChatModel = OpenAIChatModel(
        endpoint,
        timeout_s=settings.timeout_s,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
    )
    model.max_output_tokens = settings.max_output_tokens
    if settings.masks_for(endpoint):
        # Inside the cache: the provider sees placeholders, the cache (on this machine) real text,
        # so a cached answer never depends on which placeholder a value got in an earlier run.
        from aidraft.llm.masking import MaskingChatModel

        model = MaskingChatModel(model)
    if settings.use_cache:
        model = CachedChatModel(model, settings.cache_dir)
    return model
