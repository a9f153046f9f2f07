"""Build the ChatModel for a resolved endpoint: the client, then masking, then the response cache.

Settings.chat_model() calls this with its values, so this package never imports the settings.
"""

from __future__ import annotations

from pathlib import Path

from aidraft.llm.base import ChatModel
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.endpoint import Endpoint


def build_chat_model(endpoint: Endpoint, *, timeout_s: float, max_retries: int, temperature: float | None,
                     max_output_tokens: int | None, mask_personal_data: bool, cache_dir: Path | None) -> ChatModel:
    """The endpoint's client wrapped in the on-disk cache (``cache_dir`` None: no cache).

    A non-local endpoint is also wrapped in MaskingChatModel unless masking is off (--no-mask);
    ``--mask`` / ``AIDRAFT_MASK=always`` wraps every endpoint, local ones included (the caller decides:
    ``mask_personal_data`` is Settings.masks_for(endpoint)).
    langchain/openai are imported only here, so offline runs never pay for importing them.
    """
    from aidraft.llm.openai_chat import OpenAIChatModel

    model: ChatModel = OpenAIChatModel(endpoint, timeout_s=timeout_s, max_retries=max_retries, temperature=temperature)
    model.max_output_tokens = max_output_tokens
    if mask_personal_data:
        # Inside the cache: the provider sees placeholders, the cache (on this machine) real text,
        # so a cached answer never depends on which placeholder a value got in an earlier run.
        from aidraft.llm.masking import MaskingChatModel

        model = MaskingChatModel(model)
    if cache_dir is not None:
        model = CachedChatModel(model, cache_dir)
    return model
