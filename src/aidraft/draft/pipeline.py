"""The draft job: notes (+ last year's report) → plan → write sections → check → mark → Document.

The backend is a ``SectionDrafter``: the offline one here, or the LLM one in draft/llm_drafter.py.
Both return the same typed plan and sections, so assembly, checking and export are shared.
"""

from __future__ import annotations

import time
from typing import Protocol

from pydantic import Field

from aidraft.check.model import CheckReport
from aidraft.check.sources import SourceIndex
from aidraft.draft.assemble import finish, opening_sentence
from aidraft.draft.followup import PlanFollowup, follow_up, short_promise, silent
from aidraft.draft.personal import mask_sections, masked_event
from aidraft.draft.plan import DraftPlan, Shortfall, plan_offline, unstated
from aidraft.draft.prior import PlanGap, prior_mismatch, skeleton
from aidraft.draft.review import ReviewFinding
from aidraft.draft.write_offline import DraftSentence, WrittenSection, write_section_offline
from aidraft.errors import InputError
from aidraft.ingest.read import NamedText
from aidraft.ledger import Ledger, build_ledger
from aidraft.lint.model import LintReport
from aidraft.lint.run import lint_document
from aidraft.messages import msg
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.notes import NoteItem, Notes, source_text
from aidraft.parse.office import office_level
from aidraft.privacy import MaskSummary
from aidraft.runstats import RunStats
from aidraft.strict import Strict


class DraftInputs(Strict):
    """Everything a drafter may use, resolved: notes, last year's report(s), office and year."""

    notes: Notes
    priors: list[Document] = Field(default_factory=list)
    office: str
    year: int
    level: str

    @property
    def items(self) -> dict[int, NoteItem]:
        return {item.id: item for item in self.notes.items}

    def prior_section(self, kind: SectionKind) -> str | None:
        """Last year's section of this kind as text, a style example for the writer."""
        for doc in self.priors:
            section = doc.section_of_kind(kind)
            if section is not None:
                return doc.text[section.start : section.end]
        return None


class RunInfo(RunStats):
    """A draft run's stats, plus what personal data was masked before requests left."""

    privacy: MaskSummary | None = Field(default=None, description="what was masked before requests left")
    review: list[ReviewFinding] = Field(default_factory=list,
                                        description="the whole-report review: repetition, headings, jotting, leaks")


class SectionDrafter(Protocol):
    """A backend: plans the report and writes its sections."""

    name: str

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan: ...

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]: ...

    def run_info(self) -> RunInfo: ...


class OfflineDrafter:
    """The embedded default: keyword planning and phrase-bank prose, no model, no network."""

    name = "offline"

    def __init__(self) -> None:
        self.privacy: MaskSummary | None = None

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan:
        return base

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]:
        """The sections from the notes, with any personal data they would state masked."""
        items = inputs.items
        sections, self.privacy = mask_sections([write_section_offline(plan, section, items)
                                                for section in plan.sections], inputs.notes.text)
        return sections

    def run_info(self) -> RunInfo:
        event = masked_event(self.privacy) if self.privacy is not None else None
        return RunInfo(backend=self.name, events=[event] if event else [],
                       privacy=self.privacy if event else None)


class DraftResult(Strict):
    document: Document
    check: CheckReport
    lint: LintReport
    unanswered_plans: list[PlanGap]
    sections: list[WrittenSection]
    plan: DraftPlan
    run: RunInfo
    ledger: Ledger | None = None
    plans_followup: list[PlanFollowup] = Field(default_factory=list)
    opening: DraftSentence | None = Field(default=None, description="the opening paragraph and the notes that licensed it")

    def traced_sentences(self) -> list[tuple[WrittenSection, DraftSentence]]:
        return [(section, sentence) for section in self.sections for sentence in section.sentences]


def resolve_inputs(notes: Notes, priors: list[Document], office: str | None, year: int | None) -> DraftInputs:
    """Office and year from the flags, else the notes' front matter, else the text; one-line errors."""
    office = office or notes.meta.office or next((d.office for d in priors if d.office), None)
    if not office:
        raise InputError(msg("draft.no_office", path=notes.path), hint=msg("draft.no_office.hint"))
    if year is None:
        year = notes.meta.year or next((d.year + 1 for d in priors if d.year), None)
    if year is None:
        raise InputError(msg("draft.no_year", path=notes.path), hint=msg("draft.no_year.hint"))
    level = notes.meta.level or office_level(office) or "县"
    return DraftInputs(notes=notes, priors=priors, office=office, year=year, level=level)


def outline(inputs: DraftInputs) -> tuple[DraftPlan, Ledger, list[PlanFollowup]]:
    """The program's own plan from the ledger (last year's skeleton when given), with last year's
    promises followed up: what ``aidraft plan`` writes and what a draft starts from."""
    order, titles = skeleton(inputs.priors[0], inputs.year) if inputs.priors else (None, None)
    ledger = build_ledger(inputs.notes, year=inputs.year)
    base = plan_offline(inputs.notes, office=inputs.office, year=inputs.year, level=inputs.level,
                        order=order, titles=titles, ledger=ledger)
    followups = [f for doc in inputs.priors if prior_mismatch(doc, inputs.office, inputs.year) is None
                 for f in follow_up(doc, ledger)]
    return state_missed_targets(ask_for_silent_promises(base, followups), ledger), ledger, followups


def run_draft(inputs: DraftInputs, drafter: SectionDrafter, *, path: str | None = None,
              plan: DraftPlan | None = None) -> DraftResult:
    """Plan (or the clerk's edited ``plan``, used unchanged) → write → check → mark."""
    started = time.perf_counter()
    base, ledger, followups = outline(inputs)
    plan = drafter.plan(inputs, plan if plan is not None else base)
    sections = drafter.write(inputs, plan)
    opening = opening_sentence(plan, [(e.id, e.text) for e in ledger.items if not unstated(e.status, e.text)])
    notes_text = NamedText(path=inputs.notes.path, text=source_text(inputs.notes))
    priors = [NamedText(path=d.path or "prior", text=d.text) for d in inputs.priors]
    index = SourceIndex.build([notes_text])
    document, check = finish(plan, sections, notes_text, priors, notes_index=index, path=path, ledger=ledger,
                             opening=opening.text)
    gaps = [PlanGap(prior_file=f.prior_file, line=f.line, text=f.promise,
                    closest_note=f.evidence[0].text if f.evidence else None) for f in silent(followups)]
    run = drafter.run_info()
    run.seconds = round(time.perf_counter() - started, 3)
    return DraftResult(document=document, check=check, lint=lint_document(document), unanswered_plans=gaps,
                       sections=sections, plan=plan, run=run, ledger=ledger, plans_followup=followups,
                       opening=opening)


def ask_for_silent_promises(plan: DraftPlan, followups: list[PlanFollowup]) -> DraftPlan:
    """Last year's promises the notes are silent on go to the measures section (where this
    year's results are reported), once each, for the clerk to fill in."""
    pending = [short_promise(f.promise) for f in silent(followups)]
    if not pending:
        return plan
    sections = [s.model_copy(update={"pending": list(dict.fromkeys(pending))}) if s.kind is SectionKind.measures else s
                for s in plan.sections]
    return plan.model_copy(update={"sections": sections})


def state_missed_targets(plan: DraftPlan, ledger: Ledger) -> DraftPlan:
    """This year's targets that this year's figures fall short of go to the problems section."""
    missed = [Shortfall(metric=t.metric, target=t.target, actual=t.actual, note_ids=[t.target_id, t.actual_id])
              for t in ledger.targets if not t.met]
    if not missed:
        return plan
    sections = [s.model_copy(update={"shortfalls": missed}) if s.kind is SectionKind.problems else s
                for s in plan.sections]
    return plan.model_copy(update={"sections": sections})
