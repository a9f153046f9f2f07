"""The digest's genre phrases and tuning limits (genre/digest.yaml) as a typed, validated model.

Phrases live in YAML so a city office can reword its overview without touching code; the limits
sit beside them because they decide how long the overview gets.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    cluster_share: float = Field(gt=0, le=1)
    cluster_clause: int = Field(ge=10)
    cluster_agree: float = Field(ge=0, le=1)
    cluster_literal: float = Field(gt=0, le=1)
    title_line: int = Field(ge=8)


class MetricName(BaseModel):
    """A canonical metric (受理量, 群众满意率) and the words reports use for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: Literal["count", "rate"]
    units: list[str] = Field(default_factory=list, description="counters a count may have; empty: any")
    cues: list[str] = Field(min_length=1)


class BareRate(BaseModel):
    """A rate word that names no metric by itself (化解率): the object its sentence counts decides
    which metric it is (调解矛盾纠纷45起，化解率100% is a 矛盾纠纷化解率, no 积案化解率)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cue: str
    objects: dict[str, str] = Field(min_length=1, description="object word → canonical metric name")


class ChangeLinks(BaseModel):
    """Words that tie a figure to a change in its sentence (see ``change_links`` in digest.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: list[str] = Field(min_length=1, description="before the value a change starts from: 由95%")
    reach: list[str] = Field(min_length=1, description="before the level a change reaches: 提高到97%")
    joiners: list[str] = Field(default_factory=list, description="after a figure, before the next one's words: 1260件中")
    directions: dict[Literal["up", "down"], str] = Field(
        default_factory=dict, description="how a change's direction is worded where its own word does not say it")


class DigestGenre(BaseModel):
    """The validated content of ``digest.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    opening: str
    mixed_years: str
    year_label: str
    unnamed: str
    common_headings: dict[SectionKind, str]
    notable_headings: dict[SectionKind, str]
    figures_heading: str
    common_leads: dict[SectionKind, str]
    notable_leads: dict[SectionKind, str]
    figures_lead: str
    missing: str
    common_some: str
    common_all: str
    common_verbs: dict[SectionKind, str]
    metric_line: str
    metric_no_total: str
    metric_rate_no_total: str
    metric_things_no_total: str
    metric_years_no_total: str
    metric_one_office: str
    parts: dict[str, str]
    metrics: list[MetricName]
    bare_rates: list[BareRate] = Field(default_factory=list)
    change_links: ChangeLinks
    change_label: str = "{metric}（{change}）"
    cluster_stop: list[str]
    cluster_generic: list[str] = Field(default_factory=list)
    cluster_cut_after: list[str] = Field(default_factory=list)
    cluster_cut_kinds: list[str] = Field(default_factory=list)
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

    @model_validator(mode="after")
    def _bare_rates_name_metrics(self) -> DigestGenre:
        """Every object of a bare rate names a rate metric of ``metrics``, and the cue is one of them."""
        rates = {m.name for m in self.metrics if m.kind == "rate"}
        cues = {c for m in self.metrics for c in m.cues}
        for bare in self.bare_rates:
            unknown = set(bare.objects.values()) - rates
            if unknown or bare.cue not in cues:
                raise ValueError(f"bare rate {bare.cue}: no rate metric {sorted(unknown)} or no such cue")
        return self

    def ordinal(self, index: int) -> str:
        """一是, 二是 … for item ``index`` (0-based); past the list, 此外."""
        return self.ordinals[index] if index < len(self.ordinals) else self.after_ordinals

    def names(self, labels: list[str], cap: int | None = None, *, inner: bool = True) -> str:
        """沙坪坝区、民权县 — or the first ``cap`` names and 等, so long lists stay readable.

        ``inner``: the list stands inside an attribution's brackets, so a bracketed label
        (（单位名称待补充）) loses its own brackets there."""
        cap = cap or self.limits.max_names
        shown = [_inner(lb) if inner else lb for lb in labels[:cap]]
        joined = self.names_joiner.join(shown)
        return joined + (self.names_more if len(labels) > cap else "")

    def counted(self, kind: SectionKind, n: int, total: int) -> str:
        """5个单位中有4个反映 / 各单位均反映: how a common finding opens."""
        verb = self.common_verbs.get(kind, "")
        if n >= total:
            return self.common_all.format(verb=verb or "")
        return self.common_some.format(total=total, n=n, verb=verb)


def _inner(label: str) -> str:
    """A label as it stands inside brackets: （单位名称待补充） → 单位名称待补充, 永州市（2025年度）
    → 永州市〔2025年度〕 (square brackets inside round ones, as official documents nest them)."""
    if label.startswith("（"):
        depth = 0
        for i, ch in enumerate(label):
            depth += (ch == "（") - (ch == "）")
            if depth == 0:
                label = label[1:i] + label[i + 1 :]
                break
    return label.replace("（", "〔").replace("）", "〕")


@cache
def digest_genre() -> DigestGenre:
    return genre.load(GENRE_FILE, DigestGenre)
