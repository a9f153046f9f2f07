"""Notes → ledger: decide each item's status from the evidence the notes give, strongest first.

A notes heading or line label names the section outright; otherwise the tense decides (a later
year, 拟/力争/明年 …), and a weak plan word (计划, 准备) yields to this year or a done verb, so
"制定年度学法计划并组织实施" stays a measure. Problem words and a leader doing his duty come after
tense; everything else is work done. All cue words are data (genre/notes_cues.yaml).
"""

from __future__ import annotations

import re

from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Approx, Figure, Interval
from aidraft.parse.notes import NoteItem, Notes
from aidraft.parse.notes_cues import NoteCues, find_word, note_cues
from aidraft.ledger.model import (SECTION_OF, Bound, Cue, CueKind, Ledger, LedgerFigure, LedgerItem, Status,
                                  note_id)
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import standard_kinds

YEAR = re.compile(r"(?<!\d)(20\d{2})(?=\s*年|[）)]|$)")
BOOK_TITLE = re.compile(r"《[^》]*》")
HEADING_STATUS = {SectionKind.problems: Status.problem, SectionKind.plans: Status.planned,
                  SectionKind.duty: Status.duty, SectionKind.measures: Status.done}

Verdict = tuple[Status, Cue]


def years_in(text: str) -> list[int]:
    """Years named in a text, outside 《document titles》 (which name other years' plans)."""
    return [int(m.group(1)) for m in YEAR.finditer(BOOK_TITLE.sub("", text))]


def _tense(text: str, year: int | None, cues: NoteCues) -> Verdict | None:
    """planned / done from time words alone; None when the text has none."""
    future = cues.future
    years = years_in(text)
    later = next((y for y in years if year is not None and y > year), None)
    if later is not None:
        return Status.planned, Cue(kind=CueKind.year, word=f"{later}年")
    strong = find_word(text, future.strong, exceptions=future.except_)
    if strong:
        return Status.planned, Cue(kind=CueKind.future, word=strong)
    lead = next((w for w in future.leading if text.startswith(w) and not find_word(text[:4], future.except_)), None)
    if lead:
        return Status.planned, Cue(kind=CueKind.future, word=lead)
    weak = find_word(text, future.weak, exceptions=future.except_)
    if weak:
        return _weak_plan(text, weak, year, years, cues)
    return None


def _weak_plan(text: str, word: str, year: int | None, years: list[int], cues: NoteCues) -> Verdict:
    """A weak plan word (计划, 准备, a 目标 label): done when the line names this year or a done verb."""
    this_year = f"{year}年" if year is not None and year in years else find_word(text, cues.future.this_year)
    if this_year:
        return Status.done, Cue(kind=CueKind.tense, word=f"{word}+{this_year}")
    at = text.find(word)
    stop = at + len(word)
    rest = text[:stop] + "\0\0" + text[stop + 2:] if at >= 0 else text  # 计划完成… is still a plan
    done = (find_word(rest, cues.done_verbs.completion)
            or (find_word(text[:at], cues.done_verbs.action) if at > 0 else None))
    if done:
        return Status.done, Cue(kind=CueKind.tense, word=f"{word}+{done}")
    return Status.planned, Cue(kind=CueKind.future, word=word)


def _duty(text: str, cues: NoteCues) -> Cue | None:
    alone = find_word(text, cues.duty.alone)
    if alone:
        return Cue(kind=CueKind.leader, word=alone)
    leader = find_word(text, cues.duty.leaders, exceptions=cues.duty.except_)
    verb = find_word(text, cues.duty.verbs) if leader else None
    return Cue(kind=CueKind.leader, word=f"{leader}+{verb}") if leader and verb else None


def _problem(text: str, cues: NoteCues) -> Cue | None:
    word = find_word(text, cues.problems.words, exceptions=cues.problems.except_)
    if word and find_word(text, cues.problems.remedies) and any(f.kind.value == "count" for f in extract_figures(text)):
        return None
    return Cue(kind=CueKind.problem, word=word) if word else None


def _by_label(item: NoteItem, year: int | None, cues: NoteCues) -> Verdict | None:
    label = item.label or ""
    labels = cues.labels
    for words, status in ((labels.cause, Status.problem), (labels.problem, Status.problem)):
        word = find_word(label, words)
        if word:
            return status, Cue(kind=CueKind.label, word=label)
    word = find_word(label, labels.plan)
    if word:
        if find_word(label, labels.weak_plan) and not find_word(label, [w for w in labels.plan
                                                                       if w not in labels.weak_plan]):
            status, cue = _weak_plan(item.text, word, year, years_in(item.text), cues)
            return status, cue if status is Status.done else Cue(kind=CueKind.label, word=label)
        return Status.planned, Cue(kind=CueKind.label, word=label)
    if find_word(label, labels.duty):
        return Status.duty, Cue(kind=CueKind.label, word=label)
    if find_word(label, labels.context):
        return Status.context, Cue(kind=CueKind.label, word=label)
    return None


def classify(item: NoteItem, year: int | None, *, duty_heading: bool = False, cues: NoteCues | None = None) -> Verdict:
    """The status of one notes item and the cue that decided it.

    ``duty_heading`` says whether the notes have a duty section of their own: without one, a
    leader's own work found under a measures heading goes to the duty section.
    """
    cues = cues or note_cues()
    text = item.text
    if item.label:
        verdict = _by_label(item, year, cues)
        if verdict:
            return verdict
    if item.kind is not None and item.kind in HEADING_STATUS:
        status = HEADING_STATUS[item.kind]
        duty = _duty(text, cues) if status is Status.done and not duty_heading else None
        if duty:
            return Status.duty, duty
        return status, Cue(kind=CueKind.heading, word=item.heading or item.kind.value)
    tense = _tense(text, year, cues)
    if tense and tense[0] is Status.planned:
        return tense
    problem = _problem(text, cues)
    if problem:
        return Status.problem, problem
    duty = _duty(text, cues)
    if duty:
        return Status.duty, duty
    return tense or (Status.done, Cue(kind=CueKind.default))


def figure_bound(fig: Figure, cues: NoteCues | None = None) -> Bound:
    """How a target figure bounds the actual: 95%以上 and 不低于95% from below, 5%以内 from above."""
    cues = cues or note_cues()
    around = fig.before[-6:] + "\0" + fig.after[:4]
    if find_word(around, cues.targets.at_most):
        return Bound.at_most
    if fig.approx is Approx.over or find_word(around, cues.targets.at_least):
        return Bound.at_least
    return Bound.exact


def ledger_figures(text: str, status: Status, cues: NoteCues | None = None) -> list[LedgerFigure]:
    """The figures of one item; in a planned item each is a target with its bound."""
    cues = cues or note_cues()
    return [LedgerFigure(text=f.text, unit=f.unit, value=Interval.of(f.value), metric=f.metric,
                         bound=figure_bound(f, cues) if status is Status.planned else None)
            for f in extract_figures(text)]


def section_of(item: NoteItem, status: Status) -> SectionKind:
    """The section an item goes to: its status's, except that done work under a heading naming a
    standard kind no status stands for (a kind added to the section catalogue) stays there."""
    if (status is Status.done and item.kind is not None and item.kind not in HEADING_STATUS
            and item.kind in standard_kinds()):
        return item.kind
    return SECTION_OF[status]


def build_ledger(notes: Notes, *, year: int | None = None) -> Ledger:
    """Every notes item as a ledger entry with its status, section and deciding cue."""
    cues = note_cues()
    year = year if year is not None else notes.meta.year
    duty_heading = any(i.kind is SectionKind.duty and not i.label for i in notes.items)
    entries: list[LedgerItem] = []
    for item in notes.items:
        status, cue = classify(item, year, duty_heading=duty_heading, cues=cues)
        cause = status is Status.problem and (find_word(item.label or "", cues.labels.cause) is not None
                                              or find_word(item.text, cues.problems.cause_words) is not None)
        entries.append(LedgerItem(id=note_id(item.id), index=item.id, text=item.text, line=item.line,
                                  heading=item.heading, figures=ledger_figures(item.text, status, cues),
                                  status=status, section=section_of(item, status), cue=cue, cause=cause))
    return Ledger(path=notes.path, office=notes.meta.office, year=year, items=entries)
