"""Register (公文语体) rules as metrics: colloquial words, first person, English punctuation,
sentence length against the genre's.

The word lists are the drafter's own (genre/register.yaml through genre/register.py), so the eval
scores a draft by the rules its prompts state; half-width marks are the lint rule's own
(lint/punctuation.py), counted one by one rather than summarised per paragraph.
"""

from __future__ import annotations

from pydantic import Field

from aidraft.genre.register import RegisterRules, register_rules
from aidraft.lint.punctuation import halfwidth_marks
from aidraft.strict import Strict
from aidraft.text import content_count, find_all, sentence_re


class RegisterHit(Strict):
    rule: str = Field(description="colloquial, first-person or half-width")
    text: str
    start: int
    suggestion: str | None = None


class RegisterScore(Strict):
    hits: list[RegisterHit]
    sentences: int
    mean_sentence: float
    fit: float = Field(description="share of sentences whose length lies in the genre's range")


def sentences(text: str) -> list[str]:
    """Sentences of running text: split at 。！？ and line ends, empty pieces dropped."""
    return [s for s in (m.group(0).strip() for m in sentence_re(keep_end=False).finditer(text)) if content_count(s) >= 2]


def register_hits(text: str, rules: RegisterRules | None = None) -> list[RegisterHit]:
    """Every colloquial word, first-person form and half-width mark in ``text``, by position."""
    rules = rules or register_rules()
    hits = [
        RegisterHit(rule="first-person", text=m.group(0), start=m.start())
        for m in rules.first_person_re().finditer(text)
    ]
    for entry in rules.colloquial:
        hits += [
            RegisterHit(rule="colloquial", text=entry.word, start=at, suggestion=entry.use)
            for at in find_all(text, entry.word)
        ]
    pos = 0
    for line in text.split("\n"):
        hits += [
            RegisterHit(rule="half-width", text=line[s:e], start=pos + s, suggestion=fixed)
            for s, e, _, fixed in halfwidth_marks(line)
        ]
        pos += len(line) + 1
    return sorted(hits, key=lambda h: (h.start, h.rule))


def score_register(text: str, low: int, high: int) -> RegisterScore:
    """Hits plus how many sentences fall in the genre's length range [low, high] (content chars)."""
    lengths = [content_count(s) for s in sentences(text)]
    inside = sum(1 for n in lengths if low <= n <= high)
    return RegisterScore(
        hits=register_hits(text),
        sentences=len(lengths),
        mean_sentence=round(sum(lengths) / len(lengths), 2) if lengths else 0.0,
        fit=round(inside / len(lengths), 4) if lengths else 0.0,
    )
