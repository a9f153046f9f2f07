"""The editable outline (plan.yaml): outline sign-off before anything is written.

``aidraft plan NOTES -o plan.yaml`` writes the program's plan from the notes ledger: sections in
order, their titles, sub-section headings, each note (ledger id, status, text) under the heading it
goes to, and last year's promises with what the notes say about them. The clerk moves notes,
renames headings, reorders or drops sections; ``aidraft draft NOTES --plan plan.yaml`` writes from
the edited outline unchanged. Notes are placed by id; the note text and ``notes_file`` in the file
are checked against the notes, so an outline of edited (or other) notes is refused, never
silently applied to the notes that now carry its ids.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from aidraft.draft.followup import PlanFollowup
from aidraft.draft.plan import DraftPlan, PlannedSection, PlannedSubsection
from aidraft.errors import InputError
from aidraft.ingest.read import read_text
from aidraft.ledger.model import Ledger, Status, note_id
from aidraft.messages import msg
from aidraft.parse.document import SectionKind
from aidraft.strict import Strict

HEADER = """\
# 报告提纲（aidraft plan）：可直接修改后用 aidraft draft 笔记文件 --plan 本文件 写出报告。
# - 调整各部分顺序、标题（title）和小标题（heading）；删除整个部分即不写该部分；
# - 笔记（notes）按编号（id）移到其他小标题下即可改变归属；status 仅供查看；text 用于核对笔记，请勿改动
#   （笔记改动后本提纲不再适用，请重新生成）；
# - pending 为去年承诺而今年笔记没有回应的事项，正文中会留“待补充”请补写；
# - promises 为去年报告中的工作安排及今年完成情况（只读）。
"""


class OutlineNote(Strict):
    id: str
    status: Status | None = None
    text: str = ""


class OutlineSubsection(Strict):
    heading: str = ""
    lead: str = ""
    topic: str = ""
    notes: list[OutlineNote] = Field(default_factory=list)


class OutlineSection(Strict):
    kind: SectionKind
    title: str
    lead: str = ""
    subsections: list[OutlineSubsection] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list)


class OutlinePromise(Strict):
    promise: str
    status: str
    evidence: list[str] = Field(default_factory=list)
    reason: str = ""


class OutlineFile(Strict):
    """plan.yaml."""

    office: str
    year: int
    level: str
    notes_file: str = ""
    sections: list[OutlineSection]
    promises: list[OutlinePromise] = Field(default_factory=list)


def to_outline(plan: DraftPlan, ledger: Ledger, followups: list[PlanFollowup], notes_file: str) -> OutlineFile:
    entries = ledger.by_index()

    def note(index: int) -> OutlineNote:
        entry = entries.get(index)
        return OutlineNote(id=note_id(index), status=entry.status if entry else None, text=entry.text if entry else "")

    sections = [OutlineSection(kind=s.kind, title=s.title, lead=s.lead, pending=s.pending, subsections=[
        OutlineSubsection(heading=sub.title, lead=sub.lead, topic=sub.topic, notes=[note(i) for i in sub.item_ids])
        for sub in s.subsections]) for s in plan.sections]
    promises = [OutlinePromise(promise=f.promise, status=f.status, evidence=[e.note_id for e in f.evidence],
                               reason=f.reason) for f in followups]
    return OutlineFile(office=plan.office, year=plan.year, level=plan.level, notes_file=notes_file,
                       sections=sections, promises=promises)


def render_outline(outline: OutlineFile) -> str:
    data = outline.model_dump(mode="json")
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def read_outline(path: Path, ledger: Ledger) -> tuple[DraftPlan, list[str]]:
    """The edited outline file as the plan to write, plus warnings (notes the clerk left out).
    Unknown ids, a note placed twice, bad YAML: one-line InputError naming the file."""
    try:
        raw = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}: the outline is not valid YAML{where}") from None
    outline = validate_outline(raw, str(path))
    if outline.notes_file and Path(outline.notes_file).name != Path(ledger.path).name:
        raise InputError(msg("outline.other_notes", source=str(path), written=outline.notes_file, notes=ledger.path),
                         hint=msg("outline.fresh.hint"))
    return plan_from_outline(outline, ledger, str(path))


def validate_outline(raw: object, source: str) -> OutlineFile:
    """``raw`` (loaded YAML, or the web page's edited form) as an OutlineFile: unknown fields and
    wrong kinds are refused in one line, whichever way the outline was edited."""
    try:
        return OutlineFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        raise InputError(msg("outline.field", source=source, where=where, error=err["msg"]),
                         hint=msg("outline.fresh.hint")) from None


def _same(text: str) -> str:
    """A note's text as compared with the outline's copy: spacing aside."""
    return "".join(text.split())


def plan_from_outline(outline: OutlineFile, ledger: Ledger, source: str) -> tuple[DraftPlan, list[str]]:
    """The outline as the plan to write, used unchanged: every note by its id where the clerk put
    it, every title and heading as edited. A note id the notes lack, a note whose text is not the
    notes' (the notes changed since ``aidraft plan``), a note placed twice or a section left
    without a title is one line; notes left out come back as warnings."""
    index_of = {entry.id: entry.index for entry in ledger.items}
    text_of = {entry.id: entry.text for entry in ledger.items}
    seen: dict[str, str] = {}
    sections: list[PlannedSection] = []
    for number, section in enumerate(outline.sections, 1):
        if not section.title.strip():
            raise InputError(msg("outline.no_title", source=source, number=number))
        subsections = []
        for sub in section.subsections:
            ids = []
            for note in sub.notes:
                if note.id not in index_of:
                    raise InputError(msg("outline.unknown_note", source=source, id=note.id, count=len(index_of)),
                                     hint=msg("outline.unknown_note.hint"))
                if note.text and _same(note.text) != _same(text_of[note.id]):
                    raise InputError(msg("outline.note_changed", source=source, id=note.id, written=note.text[:30],
                                         notes=text_of[note.id][:30]), hint=msg("outline.unknown_note.hint"))
                if note.id in seen:
                    raise InputError(msg("outline.placed_twice", source=source, id=note.id, first=seen[note.id],
                                         second=sub.heading or section.title))
                seen[note.id] = sub.heading or section.title
                ids.append(index_of[note.id])
            subsections.append(PlannedSubsection(topic=sub.topic or "outline", title=sub.heading.strip(),
                                                 lead=sub.lead, item_ids=ids))
        sections.append(PlannedSection(kind=section.kind, title=section.title.strip(), lead=section.lead,
                                       subsections=subsections, pending=section.pending))
    left_out = [entry.id for entry in ledger.items if entry.id not in seen]
    warnings = [f"{source}: notes left out of the outline are not written: {'、'.join(left_out)}"] if left_out else []
    return DraftPlan(office=outline.office, year=outline.year, level=outline.level, sections=sections), warnings
