"""Typed records the digest job hands between its stages and writes into its JSON record.

Values stay Decimal-exact inside the job; at this boundary they become JSON numbers through
``figures.model.json_number`` (ints when integral), the same way the checker reports them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aidraft.check.model import CheckReport
from aidraft.figures.model import Interval
from aidraft.parse.document import Document, SectionKind
from aidraft.runstats import RunStats


class ReportRef(BaseModel):
    """One input report that was read: where it came from and how the digest names it."""

    model_config = ConfigDict(extra="forbid")

    file: str
    label: str = Field(description="short unique name used in attributions, e.g. 沙坪坝区")
    office: str | None = Field(default=None, description="the office as the report names itself")
    year: int | None = None
    figures: int = Field(default=0, description="ledger rows from this report")


class SkippedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    reason: str


class LedgerRow(BaseModel):
    """One figure of one report: the unit of provenance every digest figure traces back to."""

    model_config = ConfigDict(extra="forbid")

    file: str
    label: str
    office: str = ""
    year: int | None = None
    section_kind: str = Field(description="measures/duty/problems/plans/other, or preamble/closing/frame")
    section: str = Field(default="", description="title of the top-level section")
    line: int
    figure: str = Field(description="the figure as written, e.g. 3万余册")
    metric: str = Field(description="figures.metric.metric_phrase: what is counted")
    value: int | float | str = Field(description="the number when exact, else the interval, e.g. (30000, 40000)")
    low: int | float
    high: int | float | None
    low_open: bool
    high_open: bool
    approx: str
    unit: str
    unit_class: str
    figure_kind: str
    sentence: str


class Member(BaseModel):
    """A ledger figure that went into an aggregate."""

    model_config = ConfigDict(extra="forbid")

    label: str
    file: str
    line: int
    figure: str


class Total(BaseModel):
    """A sum over reports of one metric in one unit class; intervals add as intervals."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    unit: str
    unit_class: str
    value: Interval
    text: str = Field(description="the total as the digest states it, e.g. 3.2万册以上")
    kind: SectionKind
    members: list[Member]


class RateSummary(BaseModel):
    """A rate across reports: recomputed from summed counts, or the range offices report."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    mode: Literal["recomputed", "range", "same"]
    text: str = Field(description="the clause the digest prints")
    kind: SectionKind
    members: list[Member]
    lowest: str | None = None
    highest: str | None = None
    counts: list[str] = Field(default_factory=list, description="metrics of the summed counts a recomputed rate uses")


class Practice(BaseModel):
    """A practice (or problem, or plan) and the offices that report it."""

    model_config = ConfigDict(extra="forbid")

    text: str
    labels: list[str]
    files: list[str] = Field(default_factory=list)


class SectionDigest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SectionKind
    title: str
    common: list[Practice] = Field(default_factory=list)
    notable: list[Practice] = Field(default_factory=list)
    figures: list[Practice] = Field(default_factory=list, description="key-figure clauses with their office")


class DigestRun(RunStats):
    """A digest run's stats, plus map results resumed from the store and ledger rows written."""

    resumed_maps: int = Field(default=0, description="reports whose map result came from the map store")
    ledger_rows: int = 0


class DigestResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: Document
    text: str = Field(description="the digest as plain text (what was checked and parsed)")
    check: CheckReport
    reports: list[ReportRef]
    skipped: list[SkippedFile]
    sections: list[SectionDigest]
    totals: list[Total]
    rates: list[RateSummary]
    dropped: list[str] = Field(default_factory=list, description="items removed because check flagged them")
    run: DigestRun
