"""The section catalogue (genre/sections.yaml) and which kind a top-level section carries.

The catalogue is the one home of what a section kind is: its order among the standard sections,
its title, labels and title patterns. Everything that lists section kinds asks
``catalogue()`` instead of writing them out, so a new kind is a change to that file. A title
no pattern matches is classified by its position relative to the problems section, because
offices that theme their measures ("在…方面") still put problems and plans at the end.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re
from collections.abc import Sequence
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aidraft import genre, regexes
from aidraft.parse.document import Section, SectionKind
from aidraft.strict import Strict

_WHITESPACE = regexes.compile(r"\s+")

LEXICON_FILE = "sections.yaml"


class KindRule(Strict):
    """One section kind in the catalogue."""

    kind: SectionKind
    label: str = Field(min_length=1, description="a short name, for schema descriptions")
    summary: str = Field(min_length=1, description="what the section reports (the prompts' 本部分内容)")
    title: str = Field(min_length=1, description="the title drafts and digests give it; {year}, {next_year}")
    patterns: list[str] = Field(min_length=1)
    titles: list[str] = Field(default=[])

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            regexes.compile(pattern)
        return patterns


class Fallback(Strict):
    before_problems: SectionKind = SectionKind.measures
    after_problems: SectionKind = SectionKind.other


class Frame(Strict):
    """What surrounds the sections: title endings, office suffixes, web-page debris markers."""

    title_endings: list[str] = Field(min_length=1)
    office_suffixes: list[str] = Field(min_length=1)
    debris_labels: list[str] = Field(default=[])
    debris_words: list[str] = Field(default=[])


class SectionLexicon(BaseModel):
    """The validated content of ``sections.yaml``: the section catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: list[KindRule] = Field(min_length=1)
    standard: list[SectionKind] = Field(min_length=1)
    fallback: Fallback = Fallback()
    frame: Frame

    @model_validator(mode="after")
    def _every_kind_once(self) -> "SectionLexicon":
        listed = [rule.kind for rule in self.kinds]
        if sorted(listed) != sorted(SectionKind):
            raise ValueError(f"kinds must list every section kind once, got {[k.value for k in listed]}")
        return self

    def rule(self, kind: SectionKind) -> KindRule:
        return next(rule for rule in self.kinds if rule.kind == kind)

    def title(self, kind: SectionKind) -> str:
        """The title a draft or digest gives ``kind`` (with {year} / {next_year} placeholders)."""
        return self.rule(kind).title

    def label(self, kind: SectionKind) -> str:
        return self.rule(kind).label

    def summary(self, kind: SectionKind) -> str:
        return self.rule(kind).summary

    @cached_property
    def compiled(self) -> list[tuple[SectionKind, re.Pattern[str]]]:
        return [(rule.kind, regexes.compile("|".join(f"(?:{p})" for p in rule.patterns))) for rule in self.kinds]

    def titles(self, kind: SectionKind) -> list[str]:
        """Typical titles for ``kind`` (may contain {year} / {next_year} placeholders)."""
        return [t for rule in self.kinds if rule.kind == kind for t in rule.titles]


def catalogue() -> SectionLexicon:
    """The section catalogue, loaded once."""
    return genre.load(LEXICON_FILE, SectionLexicon)



def standard_kinds() -> list[SectionKind]:
    """The standard sections every report has, in their usual order."""
    return list(catalogue().standard)


def classify_title(title: str) -> SectionKind | None:
    """The kind whose patterns match ``title`` first, in the YAML's order; None when none does."""
    compact = _WHITESPACE.sub("", title)
    for kind, pattern in catalogue().compiled:
        if pattern.search(compact):
            return kind
    return None


def classify_titles(titles: Sequence[str]) -> list[SectionKind]:
    """Kinds for a report's top-level titles in order, unmatched ones filled in by position."""
    found = [classify_title(t) for t in titles]
    fallback = catalogue().fallback
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
