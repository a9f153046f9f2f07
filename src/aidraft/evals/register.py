"""Register (公文语体) rules as metrics: colloquial words, first person, English punctuation,
sentence length against the genre's.

The word lists are the drafter's own (genre/register.yaml), so the eval scores a draft by the
rules its prompts state; genre/eval_register.yaml is read only when that file is absent.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from aidraft.errors import DataError
from aidraft.lint.base import CJK

REGISTER_FILES = ("register.yaml", "eval_register.yaml")
SENTENCE = re.compile(r"[^。！？!?\n]+")
CONTENT = re.compile(f"[{CJK}A-Za-z0-9]")
# Half-width marks touching Chinese text (12.4 or 1. stay quiet); paired () around Chinese.
HALF_WIDTH = re.compile(
    f"(?<=[{CJK}）”》])[,;:?!]|[,;:?!](?=[{CJK}“《（])|(?<=[{CJK}])\\.(?=[{CJK}])"
    f"|\\([^()\\n]*[{CJK}][^()\\n]*\\)"
)


class Colloquial(BaseModel):
    model_config = ConfigDict(extra="ignore")

    word: str
    use: str | None = None


class RegisterRules(BaseModel):
    """The subset of the register file the eval needs; other keys are the drafter's business."""

    model_config = ConfigDict(extra="ignore")

    first_person: list[str] = Field(default_factory=list)
    first_person_pattern: str | None = None
    colloquial: list[Colloquial] = Field(default_factory=list)

    def first_person_re(self) -> re.Pattern[str]:
        pattern = self.first_person_pattern or "|".join(map(re.escape, self.first_person)) or r"(?!)"
        return re.compile(pattern)


class RegisterHit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="colloquial, first-person or half-width")
    text: str
    start: int
    suggestion: str | None = None


class RegisterScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hits: list[RegisterHit]
    sentences: int
    mean_sentence: float
    fit: float = Field(description="share of sentences whose length lies in the genre's range")


@cache
def register_rules() -> RegisterRules:
    """The first register file found beside the genre data; a DataError if none is there."""
    folder = resources.files("aidraft.genre")
    for name in REGISTER_FILES:
        entry = folder.joinpath(name)
        if entry.is_file():
            try:
                return RegisterRules.model_validate(yaml.safe_load(entry.read_text(encoding="utf-8")) or {})
            except (yaml.YAMLError, ValueError) as exc:
                raise DataError(f"genre/{name} is malformed: {exc}") from exc
    raise DataError("no register rules in aidraft/genre", hint="reinstall aidraft")


def content_length(text: str) -> int:
    """Characters that carry content: what 'length' means for a Chinese report."""
    return len(CONTENT.findall(text))


def sentences(text: str) -> list[str]:
    """Sentences of running text: split at 。！？ and line ends, empty pieces dropped."""
    return [s for s in (m.group(0).strip() for m in SENTENCE.finditer(text)) if content_length(s) >= 2]


def register_hits(text: str, rules: RegisterRules | None = None) -> list[RegisterHit]:
    """Every colloquial word, first-person form and half-width mark in ``text``, by position."""
    rules = rules or register_rules()
    hits = [
        RegisterHit(rule="first-person", text=m.group(0), start=m.start())
        for m in rules.first_person_re().finditer(text)
    ]
    for entry in rules.colloquial:
        hits += [
            RegisterHit(rule="colloquial", text=entry.word, start=m.start(), suggestion=entry.use)
            for m in re.finditer(re.escape(entry.word), text)
        ]
    hits += [
        RegisterHit(rule="half-width", text=m.group(0), start=m.start()) for m in HALF_WIDTH.finditer(text)
    ]
    return sorted(hits, key=lambda h: (h.start, h.rule))


def score_register(text: str, low: int, high: int) -> RegisterScore:
    """Hits plus how many sentences fall in the genre's length range [low, high] (content chars)."""
    lengths = [content_length(s) for s in sentences(text)]
    inside = sum(1 for n in lengths if low <= n <= high)
    return RegisterScore(
        hits=register_hits(text),
        sentences=len(lengths),
        mean_sentence=round(sum(lengths) / len(lengths), 2) if lengths else 0.0,
        fit=round(inside / len(lengths), 4) if lengths else 0.0,
    )
