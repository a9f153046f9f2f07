"""The plan: which notes go into which section and sub-section, under which heading.

Both backends produce the same DraftPlan: the offline planner below puts each note in the
section its ledger entry names (aidraft.ledger: headings, labels, tense, cue words) and in the
phrase-bank topic its words fit; the LLM planner by structured output validated against these models.
"""

from __future__ import annotations

from pydantic import Field

from aidraft.draft.bank import Topic, phrase_bank
from aidraft.draft.self_reference import self_reference
from aidraft.ledger import Ledger, build_ledger
from aidraft.ledger.model import Status
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import catalogue, standard_kinds
from aidraft.parse.notes import NoteItem, Notes
from aidraft.parse.office import leadership
from aidraft.strict import Strict


class PlannedSubsection(Strict):
    topic: str = Field(description="phrase-bank topic id, or a free label from the model")
    title: str = Field(description="parallel clauses of four to six characters, e.g. 强化理论武装，筑牢法治根基")
    lead: str = Field(default="", description="an opening sentence with no figures")
    item_ids: list[int] = Field(description="ids of the notes items this sub-section reports")


class Shortfall(Strict):
    """A target of this year not met (目标95%以上, 实际92.3%), with the notes that state both."""

    metric: str
    target: str
    actual: str
    note_ids: list[str]


class PlannedSection(Strict):
    kind: SectionKind
    title: str
    lead: str = ""
    subsections: list[PlannedSubsection] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list, description="last year's promises the notes are silent on: "
                               "the section asks once for each (【待补充：去年提出“…”，今年完成情况】)")
    shortfalls: list[Shortfall] = Field(default_factory=list, description="this year's targets the notes' own "
                                        "figures fall short of: stated in the problems section")

    @property
    def item_ids(self) -> list[int]:
        return [i for sub in self.subsections for i in sub.item_ids]


class DraftPlan(Strict):
    office: str
    year: int
    level: str = Field(description="县, 区 or 市: who the office reports to")
    sections: list[PlannedSection]

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def short(self) -> str:
        """县信访局 for 青溪县信访局: how the report refers to its own office after the first time
        (draft/self_reference.py)."""
        return self_reference().short_name(self.office)

    def fill(self, template: str) -> str:
        return template.format(office=self.office, short=self.short, year=self.year,
                               next_year=self.next_year, level=self.level,
                               leadership=leadership(self.office, self.level))


def item_topic(text: str, topics: list[Topic], context: str = "") -> Topic:
    """The topic whose keywords the text hits most (ties: the earlier topic); the last is the
    catch-all. A topic whose heading claims something (信访) the text and ``context`` (the office
    name) do not mention is skipped, and so is one whose heading names a practice (积案) the text
    itself does not (its ``backing``)."""
    best, best_hits = topics[-1], 0
    for topic in topics:
        if not topic.takes(text + context) or not topic.backs(text):
            continue
        hits = topic.hits(text)
        if hits > best_hits:
            best, best_hits = topic, hits
    return best


def unstated(status: Status, text: str) -> bool:
    """True for a note the report never states: background, or a line announcing a list."""
    return status is Status.context or phrase_bank().announces(text)


def plan_offline(notes: Notes, *, office: str, year: int, level: str,
                 order: list[SectionKind] | None = None, titles: dict[SectionKind, str] | None = None,
                 ledger: Ledger | None = None) -> DraftPlan:
    """Assign every notes item to a section and a topic sub-section, in the phrase bank's order.

    ``order`` and ``titles`` come from last year's report when one is given, so the draft keeps
    its skeleton; sections the notes say nothing about still appear (marked 【待补充】 later).
    Background (``context`` in the ledger: remarks, contacts) and a line that only announces a
    list (主要工作如下：) are never stated: they go into no section.
    """
    bank = phrase_bank()
    ledger = ledger or build_ledger(notes, year=year)
    sections = {entry.index: entry.section for entry in ledger.items if not unstated(entry.status, entry.text)}
    standard = standard_kinds()
    by_kind: dict[SectionKind, list[NoteItem]] = {k: [] for k in standard}
    for item in notes.items:
        if item.id in sections:
            by_kind.setdefault(sections[item.id], []).append(item)
    plan = DraftPlan(office=office, year=year, level=level, sections=[])
    for kind in order or standard:
        items = by_kind.get(kind, [])
        topics = bank.topic_list(kind)
        grouped: dict[str, list[NoteItem]] = {}
        for item in items:
            grouped.setdefault(item_topic(f"{item.heading or ''} {item.text}", topics, office).id, []).append(item)
        subsections = [
            PlannedSubsection(topic=t.id, title=t.heading, item_ids=[i.id for i in grouped[t.id]],
                              lead=plan.fill(t.lead_for([i.text for i in grouped[t.id]])))
            for t in topics if t.id in grouped
        ]
        title = (titles or {}).get(kind) or catalogue().title(kind)
        plan.sections.append(PlannedSection(kind=kind, title=plan.fill(title),
                                            lead=plan.fill(bank.section_leads.get(kind, "")), subsections=subsections))
    for kind, items in by_kind.items():  # 其他需要报告的情况: a section only the notes ask for, last
        if items and kind not in (order or standard):
            plan.sections.append(PlannedSection(
                kind=kind, title=plan.fill((titles or {}).get(kind) or catalogue().title(kind)),
                subsections=[PlannedSubsection(topic=kind.value, title="", item_ids=[i.id for i in items])]))
    return plan
