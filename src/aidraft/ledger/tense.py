"""The tense of a notes line from its time words alone: a later year as the time of the action, a
strong future word (拟, 明年, 下一步), or a weak one (计划, 准备) that yields to this year or a done
verb. What looks like a cue but is not one is taken out first (``cue_text``): quotations and
titles (“下一步行动”, 《明年怎么干》), 把-constructions written with 将 (将在建项目纳入监管), and the
except lists (草拟, 准备金). A later year as a cut-off (截至2026年1月10日) or the January of the
notes' writing (2026年1月上旬召开总结会，表彰4个) is no plan. Words are data (genre/notes_cues.yaml).
"""

from __future__ import annotations

from aidraft.figures.extract import extract_figures
from aidraft.ledger.model import Cue, CueKind, Status
from aidraft.parse.dates import year_spans, years_in
from aidraft.parse.notes_cues import NoteCues, blank_quoted, find_word

CLAUSE_MARKS = "，,；;。：:"
Verdict = tuple[Status, Cue]


def cue_text(text: str, cues: NoteCues) -> str:
    """``text`` with what is no cue of its own blanked to NULs (offsets kept): quotations and
    titles, and the 将 of a 把-construction (将 + object + 纳入/推广至 …)."""
    text = blank_quoted(text)
    ba = cues.future.ba
    at = text.find("将")
    while at >= 0:
        end = min((i for i in (text.find(m, at) for m in "，,；;。") if i >= 0), default=len(text))
        obj = text[at + 1:end]
        verb = min(((obj.find(v, 2), v) for v in ba.verbs if obj.find(v, 2) >= 2), default=None)
        if verb and not any(obj.startswith(w) for w in ba.not_object) and "将" not in obj[:verb[0]]:
            text = text[:at] + "\0" + text[at + 1:]
        at = text.find("将", at + 1)
    return text


def clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The part of the clause around [start, end) before it and after it."""
    head = max(text.rfind(mark, 0, start) for mark in CLAUSE_MARKS) + 1
    tails = [i for i in (text.find(mark, end) for mark in CLAUSE_MARKS) if i >= 0]
    return text[head:start], text[end : min(tails, default=len(text))]


def _year_as_object(text: str, start: int, end: int, cues: NoteCues) -> str | None:
    """The done verb that governs a later year named in the object (制定2026年度学法计划, 2026年度
    计划已印发), or None when the year is the time of the action (2026年开展…, 将制定2026年…)."""
    before, after = clause(text, start, end)
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


def _reporting_date(text: str, named: int, start: int, end: int, year: int | None, cues: NoteCues) -> bool:
    """A later year that dates the report, not the work: 截至2026年1月10日 (a cut-off), or January
    or February of the next year with a done verb and a count (notes are written then)."""
    rule = cues.overrule
    if any(text[:start].rstrip().endswith(w) for w in rule.cutoff):
        return True
    month = text[end:].lstrip("年度 \t")
    if year is None or named != year + 1 or not any(month.startswith(m) for m in rule.report_months):
        return False
    after = month[month.find("月") + 1:].lstrip("0123456789日号上中下旬份")
    if any(after.startswith(d) for d in rule.deadline):
        return False  # 2026年1月前完成 is a deadline
    done = find_word(text, cues.done_verbs.action + cues.done_verbs.completion)
    return done is not None and any(f.kind.value == "count" for f in extract_figures(text))


def tense(text: str, year: int | None, cues: NoteCues) -> Verdict | None:
    """planned / done from time words alone; None when the text has none. ``text`` is the line
    as ``cue_text`` leaves it.

    A later year makes the line planned only as the time of the action: a done verb governing an
    object that merely names the later year (制定2026年度学法计划并组织实施) is this year's work."""
    future = cues.future
    years = years_in(text)
    object_year: Cue | None = None
    for named, start, end in year_spans(text):
        if year is None or named <= year or _reporting_date(text, named, start, end, year, cues):
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
        return weak_plan(text, weak, year, years, cues)
    return (Status.done, object_year) if object_year else None


def weak_plan(text: str, word: str, year: int | None, years: list[int], cues: NoteCues) -> Verdict:
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
