"""Which standard content a top-level section carries (measures, duty, problems, plans, other).

The keyword patterns live in ``genre/sections.yaml`` so an office can add its own titles. A title
no pattern matches is classified by its position relative to the problems section, because
offices that theme their measures ("在…方面") still put problems and plans at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aidraft import genre
from aidraft.parse.document import Section, SectionKind

LEXICON_FILE = "sections.yaml"


class KindRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SectionKind
    patterns: list[str] = Field(min_length=1)
    titles: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns


class Fallback(BaseModel):
    model_config = ConfigDict(extra="forbid")

    before_problems: SectionKind = SectionKind.measures
    after_problems: SectionKind = SectionKind.other


class Frame(BaseModel):
    """What surrounds the sections: title endings, office suffixes, web-page debris markers."""

    model_config = ConfigDict(extra="forbid")

    title_endings: list[str] = Field(min_length=1)
    office_suffixes: list[str] = Field(min_length=1)
    debris_labels: list[str] = Field(default_factory=list)
    debris_words: list[str] = Field(default_factory=list)


class SectionLexicon(BaseModel):
    """The validated content of ``sections.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: list[KindRule] = Field(min_length=1)
    order: list[SectionKind]
    fallback: Fallback = Field(default_factory=Fallback)
    frame: Frame

    @cached_property
    def compiled(self) -> list[tuple[SectionKind, re.Pattern[str]]]:
        return [(rule.kind, re.compile("|".join(f"(?:{p})" for p in rule.patterns))) for rule in self.kinds]

    def titles(self, kind: SectionKind) -> list[str]:
        """Typical titles for ``kind`` (may contain {year} / {next_year} placeholders)."""
        return [t for rule in self.kinds if rule.kind == kind for t in rule.titles]


def lexicon() -> SectionLexicon:
    return genre.load(LEXICON_FILE, SectionLexicon)


def classify_title(title: str) -> SectionKind | None:
    """The kind whose patterns match ``title`` first, in the YAML's order; None when none does."""
    compact = re.sub(r"\s+", "", title)
    for kind, pattern in lexicon().compiled:
        if pattern.search(compact):
            return kind
    return None


def classify_titles(titles: Sequence[str]) -> list[SectionKind]:
    """Kinds for a report's top-level titles in order, unmatched ones filled in by position."""
    found = [classify_title(t) for t in titles]
    fallback = lexicon().fallback
    first_problem = next(
        (i for i, k in enumerate(found) if k in (SectionKind.problems, SectionKind.plans)), len(found)
    )
    return [
        kind if kind is not None else (fallback.before_problems if i < first_problem else fallback.after_problems)
        for i, kind in enumerate(found)
    ]


def assign_kinds(sections: Sequence[Section]) -> None:
    """Set ``kind`` on each top-level section in place."""
    for section, kind in zip(sections, classify_titles([s.title for s in sections]), strict=True):
        section.kind = kind
