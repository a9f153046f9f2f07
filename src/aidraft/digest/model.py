"""Typed records the digest job hands between its stages and writes into its JSON record.

Values stay Decimal-exact inside the job; at this boundary they become JSON numbers through
``figures.model.json_number`` (ints when integral), the same way the checker reports them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aidraft.check.model import CheckReport
from aidraft.figures.model import Interval
from aidraft.messages import Both
from aidraft.parse.document import Document, SectionKind
from aidraft.runstats import RunStats

NameSource = Literal["report", "text", "offices", "missing"]


class ReportRef(BaseModel):
    """One input report that was read: where it came from and how the digest names it."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="the file, relative to the inputs (never a path of this machine)")
    label: str = Field(description="short unique name used in attributions, e.g. 沙坪坝区")
    office: str | None = Field(default=None, description="the office as the report names itself")
    level: str | None = Field(default=None, description="县, 区 or 市 (aidraft.parse.office)")
    named_by: NameSource = Field(default="report", description="report: title or signature; text: the body; "
                                 "offices: the --offices table; missing: not named (label is a placeholder)")
    year: int | None = None
    figures: int = Field(default=0, description="ledger rows from this report")


class Source(BaseModel):
    """Where a digest sentence comes from: one office's file and line."""

    model_config = ConfigDict(extra="forbid")

    office: str
    file: str
    line: int = Field(ge=1)


class SentenceSources(BaseModel):
    """One sentence of the digest and every report line it rests on (digest.json, the web page)."""

    model_config = ConfigDict(extra="forbid")

    line: int = Field(ge=1, description="line of the digest text the sentence stands on")
    text: str
    sources: list[Source]


class LeftOut(BaseModel):
    """A report read but not digested (another year), with the reason the CLI warns with."""

    model_config = ConfigDict(extra="forbid")

    file: str
    label: str
    year: int | None
    reason: Both


class SkippedFile(BaseModel):
    """A file given but not digested, and why: Chinese on the page and in the record, the CLI's
    language on screen."""

    model_config = ConfigDict(extra="forbid")

    file: str
    reason: Both

    def line(self) -> Both:
        return Both(zh=f"{self.file}：{self.reason.zh}", en=f"{self.file}: {self.reason.en}")


class LedgerRow(BaseModel):
    """One figure of one report: the unit of provenance every digest figure traces back to.

    Field titles are the column headers a clerk sees in Excel (ledger.HEADERS)."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(title="单位")
    level: str = Field(default="", title="级别")
    year: int | None = Field(default=None, title="年度")
    part: str = Field(title="部分", description="the report's part in Chinese: 主要举措和成效, 存在的不足 …")
    metric: str = Field(title="指标", description="what is counted, as the report words it (whole clause)")
    canonical: str = Field(default="", title="规范指标", description="canonical metric name (genre/digest.yaml)")
    value: int | float | None = Field(title="数值", description="the number when exact; blank for 3万余 etc.")
    low: int | float | None = Field(title="下限")
    high: int | float | None = Field(title="上限")
    unit: str = Field(title="计量单位")
    text: str = Field(title="原文", description="the figure as written, e.g. 3万余册")
    file: str = Field(title="文件")
    line: int = Field(title="行")


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
    """A practice (or problem, or plan) and the offices that report it, with their lines."""

    model_config = ConfigDict(extra="forbid")

    text: str
    labels: list[str]
    files: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    counted: bool = Field(default=False, description="printed with its office count (4个单位中有3个…)")


class MetricCell(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    text: str = Field(description="the figure as written, e.g. 97.41% or 40余场次")
    low: int | float
    high: int | float | None
    unit: str
    source: Source


class MetricColumn(BaseModel):
    """One canonical metric across offices: the cells, and a total or range only where units match."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["count", "rate"]
    cells: list[MetricCell]
    summary: str | None = Field(default=None, description="合计… or 最低…最高…, when metric and unit match")
    note: str | None = Field(default=None, description="why no total or range is given")


class SectionDigest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SectionKind
    title: str
    offices: int = Field(default=0, description="offices digested (the N of N个单位中有M个)")
    common: list[Practice] = Field(default_factory=list)
    notable: list[Practice] = Field(default_factory=list)
    figures: list[Practice] = Field(default_factory=list, description="key-figure clauses with their office")


class DigestRun(RunStats):
    """A digest run's stats, plus map results resumed from the store and ledger rows written."""

    resumed_maps: int = Field(default=0, description="reports whose map result came from the map store")
    failed_maps: int = Field(default=0, description="reports the model could not summarise (their offline "
                             "practices are used)")
    ledger_rows: int = 0


class DigestResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: Document
    text: str = Field(description="the digest as plain text (what was parsed)")
    checked_text: str = Field(default="", description="the text the self-check read: the same, with the office "
                              "counts the digest computes (4个单位中有3个) and the metric table blanked")
    check: CheckReport
    year: int
    reports: list[ReportRef]
    skipped: list[SkippedFile]
    left_out: list[LeftOut] = Field(default_factory=list, description="reports of another year")
    sections: list[SectionDigest]
    totals: list[Total]
    rates: list[RateSummary]
    metrics: list[MetricColumn] = Field(default_factory=list, description="the office × metric table")
    attribution: list[SentenceSources] = Field(default_factory=list, description="each digest sentence's sources")
    corrected: list[str] = Field(default_factory=list, description="quotations corrected where lint is certain")
    dropped: list[str] = Field(default_factory=list, description="items removed because check flagged them")
    run: DigestRun
