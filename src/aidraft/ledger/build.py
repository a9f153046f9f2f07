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
from aidraft.ledger.targets import compare_targets, figure_bound, is_target
from aidraft.parse.dates import year_spans, years_in
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import NoteItem, Notes
from aidraft.parse.notes_cues import NoteCues, find_word, note_cues

CLAUSE_MARKS = "，,；;。：:"
HEADING_STATUS = {SectionKind.problems: Status.problem, SectionKind.plans: Status.planned,
                  SectionKind.duty: Status.duty, SectionKind.measures: Status.done}

Verdict = tuple[Status, Cue]
_YEAR_DIGITS = regexes.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The part of the clause around [start, end) before it and after it."""
    head = max(text.rfind(mark, 0, start) for mark in CLAUSE_MARKS) + 1
    tails = [i for i in (text.find(mark, end) for mark in CLAUSE_MARKS) if i >= 0]
    return text[head:start], text[end : min(tails, default=len(text))]


def _year_as_object(text: str, start: int, end: int, cues: NoteCues) -> str | None:
    """The done verb that governs a later year named in the object (制定2026年度学法计划, 2026年度
    计划已印发), or None when the year is the time of the action (2026年开展…, 将制定2026年…)."""
    before, after = _clause(text, start, end)
    future = cues.future
    for verb in cues.done_verbs.govern_year:
        at = before.rfind(verb)
        if at < 0:
            continue
        lead = before[:at].rstrip()
        if find_word(lead, future.strong + future.weak, exceptions=future.except_) or any(
                lead.endswith(w) for w in future.before_verb):
            return None
        return verb
    return find_word(after, cues.done_verbs.past)


def _tense(text: str, year: int | None, cues: NoteCues) -> Verdict | None:
    """planned / done from time words alone; None when the text has none.

    A later year makes the line planned only as the time of the action: a done verb governing an
    object that merely names the later year (制定2026年度学法计划并组织实施) is this year's work."""
    future = cues.future
    years = years_in(text)
    object_year: Cue | None = None
    for named, start, end in year_spans(text):
        if year is None or named <= year:
            continue
        verb = _year_as_object(text, start, end, cues)
        if verb is None:
            return Status.planned, Cue(kind=CueKind.year, word=f"{named}年")
        object_year = object_year or Cue(kind=CueKind.tense, word=f"{verb}+{named}年")
    strong = find_word(text, future.strong, exceptions=future.except_)
    if strong:
        return Status.planned, Cue(kind=CueKind.future, word=strong)
    lead = next((w for w in future.leading if text.startswith(w) and not find_word(text[:4], future.except_)), None)
    if lead:
        return Status.planned, Cue(kind=CueKind.future, word=lead)
    weak = find_word(text, future.weak, exceptions=future.except_)
    if weak:
        return _weak_plan(text, weak, year, years, cues)
    return (Status.done, object_year) if object_year else None


def _weak_plan(text: str, word: str, year: int | None, years: list[int], cues: NoteCues) -> Verdict:
    """A weak plan word (计划, 准备, a 目标 label): done when the line names this year or a done verb."""
    plain = text
    for y, s, e in year_spans(text):  # 2026年度 in 2025 notes is not 年度 of this year
        if y != year:
            plain = plain[:s] + "\0" * (e - s + 1) + plain[e + 1:]
    this_year = f"{year}年" if year is not None and year in years else find_word(plain, cues.future.this_year)
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


def _later_heading(item: NoteItem, year: int | None) -> bool:
    """A heading (or topic) naming only years after the notes' year (## 2026年, 2026年重点工作):
    the time of the lines under it, so they are plans."""
    if year is None or not item.heading or item.kind not in (None, SectionKind.measures, SectionKind.duty):
        return False
    years = years_in(item.heading) + [int(y) for y in _YEAR_DIGITS.findall(item.heading)]  # 2024—2026年
    return bool(years) and min(years) > year


def _past(text: str, year: int | None, cues: NoteCues) -> Cue | None:
    """A clear done marker: 已完成, 完成了, 已整改 …, or this year with a month (今年3月召开, not a
    deadline such as 今年6月前)."""
    rule = cues.overrule
    word = find_word(text, rule.done, exceptions=rule.done_except)
    if word:
        return Cue(kind=CueKind.tense, word=word)
    dated = regexes.compile("(?:" + "|".join(map(re.escape, rule.this_year)) + r"|(20\d{2})年)\s*\d{1,2}月份?(?:\d{1,2}日)?")
    for m in dated.finditer(text):
        if (m.group(1) is None or int(m.group(1)) == year) and not any(text.startswith(d, m.end()) for d in rule.deadline):
            return Cue(kind=CueKind.tense, word=m.group(0))
    return None


def _overrule(text: str, status: Status, year: int | None, cues: NoteCues) -> Verdict | None:
    """A strong cue in the line against its heading's status, or None: the heading decides.

    Planned wins under a done or problems heading (a later year as the time, 拟, 明年, 下一步, 将推进,
    准备 with no done verb); done under a plans or problems heading (已完成, 今年3月召开); problem
    under a done heading (执法人员数量不足) when the line names no remedy or action. A problem word
    keeps a problems line where it is."""
    rule, future = cues.overrule, cues.future
    if status is Status.problem and find_word(text, cues.problems.words, exceptions=cues.problems.except_):
        return None
    if status is not Status.planned and _past(text, year, cues) is None:
        tense = _tense(text, year, cues)
        if tense and tense[0] is Status.planned:
            word = find_word(text, rule.planned, exceptions=future.except_)
            if tense[1].kind is CueKind.year or word:
                return tense if tense[1].kind is CueKind.year else (Status.planned, Cue(kind=CueKind.future, word=word or ""))
    if status is not Status.done and status is not Status.duty:
        done = _past(text, year, cues)
        if done and not find_word(text, future.strong + rule.planned, exceptions=future.except_ + rule.done_except):
            return Status.done, done
    if status is Status.done:
        word = find_word(text, rule.problem, exceptions=cues.problems.except_)
        blockers = rule.problem_blockers + cues.done_verbs.action + cues.problems.remedies
        if word and not find_word(text, blockers):
            return Status.problem, Cue(kind=CueKind.problem, word=word)
    return None


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
            if this_years_target(item, year, cues):  # 目标：满意率达到98%以上 is this year's yardstick
                return Status.done, Cue(kind=CueKind.tense, word=f"{label}+{year}年" if year else label)
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
    if item.jotting:
        return Status.context, Cue(kind=CueKind.jotting, word=item.jotting)
    if item.label:
        verdict = _by_label(item, year, cues)
        if verdict:
            return verdict
    kind = SectionKind.plans if _later_heading(item, year) else item.kind
    if kind is not None and kind in HEADING_STATUS:
        heading = item.heading or kind.value
        status, cue = _overrule(text, HEADING_STATUS[kind], year, cues) or (HEADING_STATUS[kind], None)
        cue = cue.model_copy(update={"overrules": heading}) if cue else Cue(kind=CueKind.heading, word=heading)
        duty = _duty(text, cues) if status is Status.done and not duty_heading and kind is not SectionKind.duty else None
        if duty:
            return Status.duty, duty.model_copy(update={"overrules": cue.overrules})
        return status, cue
    tense = _tense(text, year, cues)
    if tense and tense[0] is Status.planned:
        return tense
    problem = _problem(text, cues)
    if problem:
        return Status.problem, problem
    duty = _duty(text, cues)
    if duty:
        return Status.duty, duty
    if tense:
        return tense
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
    entries: list[LedgerItem] = []
    current: list[LedgerItem] = []  # this year's targets
    for item in notes.items:
        status, cue = classify(item, year, duty_heading=duty_heading, cues=cues)
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
