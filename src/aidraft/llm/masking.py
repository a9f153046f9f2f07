"""A ChatModel wrapper that masks personal data on the way out and restores it on the way back.

build_chat_model puts it between the response cache and a non-local endpoint, so the provider only
ever sees 〔人名甲〕-style placeholders, while the pipeline (and the cache, which stays on this
machine) works with real text. Continuations and structured re-asks pass through ``complete`` and
are masked like any other request.
"""

from __future__ import annotations

from aidraft.llm.base import ChatModel, ChatRequest, Completion, WrappingChatModel
from aidraft.privacy.mask import Masker, MaskSummary


class MaskingChatModel(WrappingChatModel):
    """Masks every outgoing message's content with one run-wide Masker; unmasks the answer text."""

    def __init__(self, inner: ChatModel, masker: Masker | None = None) -> None:
        super().__init__(inner)
        self.masker = masker or Masker()

    def ask(self, request: ChatRequest) -> Completion:
        sent = [m.model_copy(update={"content": self.masker.mask(m.content)}) for m in request.messages]
        answer = self.inner.ask(request.with_messages(sent))
        return answer.model_copy(update={"text": self.masker.unmask(answer.text)})

    def prime(self, text: str) -> None:
        """Number placeholders in the order of ``text`` (the notes): reruns send identical requests."""
        self.masker.prime(text)

    def summary(self) -> MaskSummary:
        return self.masker.summary()


def find_masking(model: ChatModel | None) -> MaskingChatModel | None:
    """The MaskingChatModel inside a chain of wrappers (cache, metering), if the run masks at all."""
    seen: set[int] = set()
    while model is not None and id(model) not in seen:
        if isinstance(model, MaskingChatModel):
            return model
        seen.add(id(model))
        model = getattr(model, "inner", None)
    return None


def mask_summary(model: ChatModel | None) -> MaskSummary:
    """What the run masked, for RunInfo; ``enabled=False`` when nothing was masked by design."""
    masking = find_masking(model)
    return masking.summary() if masking is not None else MaskSummary(enabled=False)


__all__ = ["MaskingChatModel", "find_masking", "mask_summary"]
