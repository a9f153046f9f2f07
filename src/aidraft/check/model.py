"""The check report: every figure of a draft with its status and source, plus arithmetic findings."""

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aidraft.figures.model import Interval


class FigureStatus(str, Enum):
    supported = "supported"  # same value and unit in the notes
    rounded = "rounded"  # a faithful approximation of a notes figure (12次 → 10余次)
    derived = "derived"  # recomputed from notes figures: a rate from two counts, a sum
    unsupported = "unsupported"
    contradicted = "contradicted"  # the notes give the same quantity a different value
    stale = "stale"  # not in the notes but in last year's report
    unchecked = "unchecked"  # no notes were given
    misplaced = "misplaced"  # backed by a note that belongs in another section (a plan in the measures …)


FLAGGED = frozenset({FigureStatus.unsupported, FigureStatus.contradicted, FigureStatus.stale,
                     FigureStatus.misplaced})


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    line: int
    sentence: str
    text: str = Field(description="the figure as written in the source")


class CheckedFigure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    start: int
    end: int
    line: int
    value: int | float | Interval
    unit: str
    kind: str
    approx: str
    metric: str
    status: FigureStatus
    source: SourceRef | None = None
    note: str | None = Field(default=None, description="how a derived figure recomputes, or why it is flagged")

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


class ArithmeticFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["rate", "sum"]
    text: str
    start: int
    end: int
    line: int
    sentence: str
    stated: str
    expected: str
    message: str


class MisplacedSentence(BaseModel):
    """A sentence that states a note in a section the note does not belong to."""

    model_config = ConfigDict(extra="forbid")

    text: str
    line: int
    section: str = Field(description="the section kind it stands in")
    note_id: str
    note_line: int
    note_section: str = Field(description="the section kind the note belongs to")


class CheckSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    figures: int
    by_status: dict[str, int]
    arithmetic: int
    flagged: int


class CheckReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft: str
    notes: list[str]
    prior: list[str]
    figures: list[CheckedFigure]
    arithmetic: list[ArithmeticFinding]
    summary: CheckSummary
    misplaced_sentences: list[MisplacedSentence] = Field(default=[])

    @property
    def flagged(self) -> bool:
        return self.summary.flagged > 0
