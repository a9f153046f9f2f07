"""The digest's genre phrases and tuning limits (genre/digest.yaml) as a typed, validated model.

Phrases live in YAML so a city office can reword its overview without touching code; the limits
sit beside them because they decide how long the overview gets.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from aidraft import genre
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import standard_kinds

GENRE_FILE = "digest.yaml"
#: The standard sections a digest covers, in the order it prints them (the section catalogue's).
DIGEST_KINDS: tuple[SectionKind, ...] = tuple(standard_kinds())


class DigestLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    similarity: float = Field(gt=0, le=1)
    min_chars: int = Field(ge=1)
    max_chars: int = Field(ge=10)
    max_common: int = Field(ge=0)
    max_notable: int = Field(ge=0)
    max_figures: int = Field(ge=0)
    max_names: int = Field(ge=1)
    opening_names: int = Field(ge=1)
    medoid_sample: int = Field(ge=2)
    posting_cap: int = Field(ge=4)
    candidates: int = Field(ge=1)
    map_tokens: int = Field(ge=200)
    reduce_tokens: int = Field(ge=200)
    max_rounds: int = Field(ge=1)


class DigestGenre(BaseModel):
    """The validated content of ``digest.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    opening: str
    common_headings: dict[SectionKind, str]
    notable_headings: dict[SectionKind, str]
    figures_heading: str
    common_leads: dict[SectionKind, str]
    notable_leads: dict[SectionKind, str]
    figures_lead: str
    missing: str
    ordinals: list[str] = Field(min_length=3)
    after_ordinals: str
    total: str
    rate_overall: str
    rate_range_low: str
    rate_range_high: str
    rate_same: str
    names_more: str
    names_joiner: str
    limits: DigestLimits

    def ordinal(self, index: int) -> str:
        """一是, 二是 … for item ``index`` (0-based); past the list, 此外."""
        return self.ordinals[index] if index < len(self.ordinals) else self.after_ordinals

    def names(self, labels: list[str], cap: int | None = None) -> str:
        """沙坪坝区、民权县 — or the first ``cap`` names and 等, so long lists stay readable."""
        cap = cap or self.limits.max_names
        joined = self.names_joiner.join(labels[:cap])
        return joined + (self.names_more if len(labels) > cap else "")


@cache
def digest_genre() -> DigestGenre:
    return genre.load(GENRE_FILE, DigestGenre)
