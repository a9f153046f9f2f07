"""Repetition a model falls into: whole sentences written twice, and long runs of text repeated.

Sentence copies are what a reader notices: they are the lint rule's (lint/repetition.py), so the
eval and the proofreader agree on what a copy is. Repeated n-grams catch the subtler loop where a
model restates a clause with a different ending; they work on content characters (no punctuation
or spaces), so re-punctuating a copied sentence does not hide it.
"""

from __future__ import annotations

from pydantic import Field

from aidraft.lint.repetition import duplicate_sentence
from aidraft.parse.document import Document
from aidraft.strict import Strict
from aidraft.text import CONTENT_CHAR

NGRAM = 20  # a 20-character run stated twice is a copy, not a shared formula


class RepeatedSpan(Strict):
    text: str = Field(description="the repeated text as it stands in the later copy")
    start: int
    first: int = Field(description="offset of the first occurrence")


class RepetitionScore(Strict):
    duplicate_sentences: int
    repeated_share: float = Field(description="share of content characters inside a later copy of an n-gram")
    sentences: list[RepeatedSpan]
    ngrams: list[RepeatedSpan]


def _content(text: str) -> tuple[str, list[int]]:
    """The content characters of ``text`` and, for each, its offset in ``text``."""
    offsets = [m.start() for m in CONTENT_CHAR.finditer(text)]
    return "".join(text[i] for i in offsets), offsets


def duplicate_sentences(text: str) -> list[RepeatedSpan]:
    """Every later copy of a sentence, as the lint rule duplicate-sentence finds it (a sentence of
    lint.repetition.SENTENCE_MIN content characters or more, compared without spaces and end marks)."""
    out: list[RepeatedSpan] = []
    for finding in duplicate_sentence(Document(text=text)):
        copy = text[finding.start : finding.end]
        first = text.find(copy.rstrip("。！？!?"))
        first = finding.start if first < 0 else min(first, finding.start)
        out.append(RepeatedSpan(text=copy, start=finding.start, first=first))
    return out


def repeated_ngrams(text: str, n: int = NGRAM) -> tuple[float, list[RepeatedSpan]]:
    """Share of content characters covered by a later, non-overlapping copy of an n-gram, and the
    merged copies themselves."""
    content, offsets = _content(text)
    if len(content) < n:
        return 0.0, []
    first: dict[str, int] = {}
    covered = bytearray(len(content))
    origin: dict[int, int] = {}
    for i in range(len(content) - n + 1):
        gram = content[i : i + n]
        j = first.setdefault(gram, i)
        if j + n <= i:
            covered[i : i + n] = b"\x01" * n
            origin.setdefault(i, j)
    spans: list[RepeatedSpan] = []
    i = 0
    while i < len(content):
        if not covered[i]:
            i += 1
            continue
        k = i
        while k < len(content) and covered[k]:
            k += 1
        start, end = offsets[i], offsets[k - 1] + 1
        spans.append(RepeatedSpan(text=text[start:end], start=start, first=offsets[origin.get(i, i)]))
        i = k
    return round(sum(covered) / len(content), 4), spans


def score_repetition(text: str) -> RepetitionScore:
    share, spans = repeated_ngrams(text)
    copies = duplicate_sentences(text)
    return RepetitionScore(
        duplicate_sentences=len(copies), repeated_share=share, sentences=copies, ngrams=spans
    )
