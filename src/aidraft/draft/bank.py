"""The phrase bank (genre/phrase_bank.yaml) as a typed model: headings, leads, topics, placeholders."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from aidraft import genre
from aidraft.parse.document import SectionKind


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    keywords: list[str]
    heading: str
    lead: str


class Placeholders(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unverified: str
    missing: str


class PhraseBank(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opening: list[str] = Field(min_length=1)
    section_leads: dict[SectionKind, str]
    ordinals: list[str] = Field(min_length=3)
    topics: dict[SectionKind, list[Topic]]
    placeholders: Placeholders
    missing_text: dict[SectionKind, str]
    closing_date: str

    def topic_list(self, kind: SectionKind) -> list[Topic]:
        return self.topics.get(kind) or self.topics[SectionKind.measures]

    def ordinal(self, index: int) -> str:
        """一是, 二是 … for item ``index`` (0-based); past the list, 此外 keeps the prose going."""
        return self.ordinals[index] if index < len(self.ordinals) else "此外"


@cache
def phrase_bank() -> PhraseBank:
    return genre.load("phrase_bank.yaml", PhraseBank)
