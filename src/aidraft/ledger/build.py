"""Notes → ledger: decide each item's status from the evidence the notes give, strongest first.

A jotting (TODO, 联系人：…) is context. A line label names the section outright; a notes heading
decides its ordinary lines, but a strong contrary cue in the line wins (拟 under 主要工作, 已完成 under
下步打算, 不足 in a measure with no remedy), and a heading naming a later year (## 2026年) is a plans
heading. Without either the tense decides (a later year, 拟/力争/明年 …), and a weak plan word (计划,
准备) yields to this year or a done verb, so "制定年度学法计划并组织实施" stays a measure. Problem
words and a leader doing his duty come after tense; everything else is work done. All cue words
are data (genre/notes_cues.yaml).
"""

from __future__ import annotations

import re

from aidraft import regexes
from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Interval
from aidraft.ledger.model import SECTION_OF, Cue, CueKind, Ledger, LedgerFigure, LedgerItem, Status, note_id
from aidraft.ledger.overrule import overrule, problem_word
from aidraft.ledger.targets import compare_targets, figure_bound, is_target
from aidraft.ledger.tense import Verdict, cue_text, tense, weak_plan
from aidraft.parse.dates import years_in
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import NoteItem, Notes
from aidraft.parse.notes_cues import NoteCues, find_word, note_cues
from aidraft.text import HAN, HAN_CHAR

HEADING_STATUS = {SectionKind.problems: Status.problem, SectionKind.plans: Status.planned,
                  SectionKind.duty: Status.duty, SectionKind.measures: Status.done}

_YEAR_DIGITS = regexes.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _later_heading(item: NoteItem, year: int | None) -> bool:
    """A heading (or topic) naming only years after the notes' year (## 2026年, 2026年重点工作):
    the time of the lines under it, so they are plans."""
    if year is None or not item.heading or item.kind not in (None, SectionKind.measures, SectionKind.duty):
        return False
    years = years_in(item.heading) + [int(y) for y in _YEAR_DIGITS.findall(item.heading)]  # 2024—2026年
    return bool(years) and min(years) > year


def own_leaders(office: str | None, cues: NoteCues) -> list[str]:
    """The leader words naming the reporting office's own head, by the end of its name (a 局's 局长,
    a 镇's 镇长; genre/notes_cues.yaml ``duty.own_heads``); every leader word when it names none."""
    duty = cues.duty
    ending = max((e for e in duty.own_heads if office and office.endswith(e)), key=len, default=None)
    return duty.own_always + duty.own_heads[ending] if ending else duty.leaders


def _leader(text: str, leaders: list[str], cues: NoteCues) -> tuple[str, int] | None:
    """The first own-head leader word standing as a word (not 镇长 in 白沙镇长坑村), and its end."""
    duty = cues.duty
    plain = text
    for ex in duty.except_:
        plain = plain.replace(ex, "\0" * len(ex))
    place = regexes.compile(rf"[{HAN}]{{0,2}}(?:{'|'.join(map(re.escape, duty.place_suffixes))})")
    found: list[tuple[int, int, str]] = []
    for word in sorted(set(leaders), key=len, reverse=True):
        for m in re.finditer(re.escape(word), plain):
            in_place = (word[0] in duty.place_units and m.start() > 0 and HAN_CHAR.match(plain[m.start() - 1])
                        and place.match(plain, m.end()))
            if not in_place and not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), word))
    first = min(found, default=None)
    return (first[2], first[1]) if first else None


def _duty(text: str, cues: NoteCues, leaders: list[str] | None = None) -> Cue | None:
    """A duty word alone (述法), or the office's own head as the subject of a duty verb (局长带头…)."""
    alone = find_word(text, cues.duty.alone)
    if alone:
        return Cue(kind=CueKind.leader, word=alone)
    leader = _leader(text, cues.duty.leaders if leaders is None else leaders, cues)
    verb = find_word(text[leader[1]:], cues.duty.verbs) if leader else None
    return Cue(kind=CueKind.leader, word=f"{leader[0]}+{verb}") if leader and verb else None


def _problem(text: str, cues: NoteCues) -> Cue | None:
    word = problem_word(text, cues)
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
            if this_years_target(item, year, cues):  # 目标：满意率达到98%以上 is this year's yardstick
                return Status.done, Cue(kind=CueKind.tense, word=f"{label}+{year}年" if year else label)
            status, cue = weak_plan(cue_text(item.text, cues), word, year, years_in(item.text), cues)
            return status, cue if status is Status.done else Cue(kind=CueKind.label, word=label)
        return Status.planned, Cue(kind=CueKind.label, word=label)
    if find_word(label, labels.duty):
        return Status.duty, Cue(kind=CueKind.label, word=label)
    if find_word(label, labels.context):
        return Status.context, Cue(kind=CueKind.label, word=label)
    return None


def classify(item: NoteItem, year: int | None, *, duty_heading: bool = False, cues: NoteCues | None = None,
             leaders: list[str] | None = None) -> Verdict:
    """The status of one notes item and the cue that decided it.

    ``duty_heading`` says whether the notes have a duty section of their own: without one, a
    leader's own work found under a measures heading goes to the duty section. ``leaders``: the
    words naming the office's own head (``own_leaders``); None: any leader word.
    """
    cues = cues or note_cues()
    text = cue_text(item.text, cues)  # quotations and 把-constructions are no cues
    if item.jotting:
        return Status.context, Cue(kind=CueKind.jotting, word=item.jotting)
    if item.label:
        verdict = _by_label(item, year, cues)
        if verdict:
            return verdict
    kind = SectionKind.plans if _later_heading(item, year) else item.kind
    if kind is not None and kind in HEADING_STATUS:
        heading = item.heading or kind.value
        status, cue = overrule(text, HEADING_STATUS[kind], year, cues) or (HEADING_STATUS[kind], None)
        cue = cue.model_copy(update={"overrules": heading}) if cue else Cue(kind=CueKind.heading, word=heading)
        duty = _duty(text, cues, leaders) if status is Status.done and not duty_heading and kind is not SectionKind.duty else None
        if duty:
            return Status.duty, duty.model_copy(update={"overrules": cue.overrules})
        return status, cue
    verdict = tense(text, year, cues)
    if verdict and verdict[0] is Status.planned:
        return verdict
    problem = _problem(text, cues)
    if problem:
        return Status.problem, problem
    duty = _duty(text, cues, leaders)
    if duty:
        return Status.duty, duty
    if verdict:
        return verdict
    if item.kind is not None:  # done work under a heading no status stands for (其他需要报告的情况)
        return Status.done, Cue(kind=CueKind.heading, word=item.heading or item.kind.value)
    return Status.done, Cue(kind=CueKind.default)


def ledger_figures(text: str, status: Status, cues: NoteCues | None = None, *, target: bool | None = None
                   ) -> list[LedgerFigure]:
    """The figures of one item; in a target (a planned item, or one naming a 目标) each has its bound."""
    cues = cues or note_cues()
    target = is_target(text, status, cues) if target is None else target
    return [LedgerFigure(text=f.text, unit=f.unit, value=Interval.of(f.value), metric=f.metric,
                         bound=figure_bound(f, cues) if target else None)
            for f in extract_figures(text)]


def target_words(item: NoteItem) -> str:
    """Where a note may name a target: its label, its text, and a topic label above it (考核指标：)
    that names no section."""
    return ((item.heading or "") if item.kind is None else "") + (item.label or "") + item.text


def this_years_target(item: NoteItem, year: int | None, cues: NoteCues) -> bool:
    """A note stating a target of the report year, to be held against this year's figures: it names
    a target (目标, 指标) and no later year or period (明年目标 is to be met next year). A plan with
    no target word (力争办结率达到99%) is next year's work, not this year's yardstick."""
    own = target_words(item)
    if find_word(own, cues.targets.markers) is None:
        return False
    text = (item.heading or "") + own
    if year is not None and any(y > year for y in years_in(text)):
        return False
    return find_word(text, cues.targets.later) is None


def section_of(item: NoteItem, status: Status) -> SectionKind:
    """The section an item goes to: its status's, except that done work under a heading naming a
    kind no status stands for (# 其他需要报告的情况) stays there."""
    if status is Status.done and item.kind is not None and item.kind not in HEADING_STATUS:
        return item.kind
    return SECTION_OF[status]


def _no_cue_of_its_own(item: NoteItem, cue: Cue, cues: NoteCues) -> bool:
    """A later part of a split line that nothing but the default decided (no tense, problem or
    leader word, no 已): it shares the status of the part before it on its line."""
    return cue.kind is CueKind.default and find_word(item.text, cues.done_verbs.past) is None


def build_ledger(notes: Notes, *, year: int | None = None) -> Ledger:
    """Every notes item as a ledger entry with its status, section and deciding cue."""
    cues = note_cues()
    year = year if year is not None else notes.meta.year
    duty_heading = any(i.kind is SectionKind.duty and not i.label for i in notes.items)
    leaders = own_leaders(notes.meta.office, cues)
    entries: list[LedgerItem] = []
    current: list[LedgerItem] = []  # this year's targets
    for item in notes.items:
        status, cue = classify(item, year, duty_heading=duty_heading, cues=cues, leaders=leaders)
        if item.continues and entries and _no_cue_of_its_own(item, cue, cues):
            status, cue = entries[-1].status, entries[-1].cue  # 2026年将推进A；开展B: B is planned too
        cause = status is Status.problem and (find_word(item.label or "", cues.labels.cause) is not None
                                              or find_word(item.text, cues.problems.cause_words) is not None)
        target = is_target(target_words(item), status, cues)
        entries.append(LedgerItem(id=note_id(item.id), index=item.id, text=item.text, line=item.line,
                                  heading=item.heading, figures=ledger_figures(item.text, status, cues, target=target),
                                  status=status, section=section_of(item, status), cue=cue, cause=cause,
                                  unverified=item.unverified))
        if entries[-1].figures and this_years_target(item, year, cues):
            current.append(entries[-1])
    actuals = [e for e in entries if e.status in (Status.done, Status.duty) and e not in current]
    return Ledger(path=notes.path, office=notes.meta.office, year=year, items=entries,
                  targets=compare_targets(current, actuals, cues))
