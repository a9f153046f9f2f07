"""The notes ledger: every notes item with a stable id, its figures, its status (done, planned,
problem, duty, context), the section it goes to and the cue that decided.

Drafters (offline and LLM) write from the ledger, sentences cite its ids, and the checker uses the
statuses to find a fact written in the wrong section. The ids ("N1", "N2" …) follow the order of
the items in the notes, so they are stable across runs of the same notes.
"""

# no `from __future__ import annotations`: see aidraft.strict

from enum import Enum

from pydantic import Field

from aidraft.figures.model import Interval
from aidraft.parse.document import SectionKind
from aidraft.strict import Strict


class Status(str, Enum):
    done = "done"  # work done in the report year: a measure
    planned = "planned"  # next year's work or a target
    problem = "problem"  # a shortcoming (or its cause)
    duty = "duty"  # the principal leader's own rule-of-law duty
    context = "context"  # background that is neither (staff numbers, remarks)


SECTION_OF: dict[Status, SectionKind] = {
    Status.done: SectionKind.measures,
    Status.planned: SectionKind.plans,
    Status.problem: SectionKind.problems,
    Status.duty: SectionKind.duty,
    Status.context: SectionKind.measures,
}


class CueKind(str, Enum):
    heading = "heading"  # a notes heading naming a section kind
    label = "label"  # a line label: 问题：… 明年打算：…
    year = "year"  # a later year named in the line
    future = "future"  # a future marker: 拟, 将继续, 力争, 明年 …
    tense = "tense"  # a plan word overruled: this year or a done verb
    problem = "problem"  # a problem word: 不足, 有待, 短板 …
    leader = "leader"  # a leader word with a duty verb (局长…带头), or a duty word (述法)
    jotting = "jotting"  # no work: TODO, a question to oneself, a contact, a pointer to an attachment
    default = "default"  # nothing else: a done fact


class Cue(Strict):
    """What decided an item's status, for the clerk to see (and overrule in the notes)."""

    kind: CueKind
    word: str = Field(default="", description="the heading, label or word that decided")
    overrules: str = Field(default="", description="the notes heading this cue won against (拟 under 主要工作)")

    def describe(self) -> str:
        said = f"{self.kind.value}:{self.word}" if self.word else self.kind.value
        return f"{said} (overrules {self.overrules})" if self.overrules else said


class Bound(str, Enum):
    at_least = "at_least"  # 95%以上, 不低于95%, 力争达到95%
    at_most = "at_most"  # 控制在5%以内
    exact = "exact"


class LedgerFigure(Strict):
    text: str = Field(description="the figure as written in the note")
    unit: str
    value: Interval
    metric: str = Field(description="what is counted, from the words around the figure")
    bound: Bound | None = Field(default=None, description="set on a target's figure: a planned item's, or one naming a 目标")


class LedgerItem(Strict):
    id: str = Field(description="N1, N2 …: stable, in notes order")
    index: int = Field(ge=0, description="the notes item id this entry wraps")
    text: str
    line: int = Field(ge=1, description="line in the notes file")
    heading: str | None = Field(default=None, description="the notes heading or topic label above the item")
    figures: list[LedgerFigure] = Field(default=[])
    status: Status
    section: SectionKind
    cue: Cue
    cause: bool = Field(default=False, description="a problem item that is (or names) a cause")
    unverified: bool = Field(default=False, description="the notes doubt it ((待核实)): state it only once checked")


class TargetCheck(Strict):
    """A target of this year's notes and this year's actual figure of the same metric."""

    target_id: str = Field(description="the ledger id of the note that states the target")
    target: str = Field(description="the target as written, e.g. 95%以上")
    bound: Bound
    actual_id: str
    actual: str = Field(description="the actual figure as written, e.g. 92.3%")
    metric: str = Field(description="the metric both measure, as the notes word it")
    met: bool
    reason: str = Field(description="in Chinese, for the clerk")


class Ledger(Strict):
    path: str
    office: str | None = None
    year: int | None = None
    items: list[LedgerItem]
    targets: list[TargetCheck] = Field(default=[], description="this year's targets held against "
                                       "this year's figures of the same metric")

    def get(self, note_id: str) -> LedgerItem | None:
        return next((i for i in self.items if i.id == note_id), None)

    def by_index(self) -> dict[int, LedgerItem]:
        return {i.index: i for i in self.items}

    def in_section(self, kind: SectionKind) -> list[LedgerItem]:
        return [i for i in self.items if i.section is kind]

    def with_status(self, status: Status) -> list[LedgerItem]:
        return [i for i in self.items if i.status is status]


def note_id(index: int) -> str:
    """The ledger id of notes item ``index`` (0-based): N1 for the first."""
    return f"N{index + 1}"
