"""The strong cues of a notes line that win over its heading, and the one home of "is this a
problem or the remedy of one".

A heading decides its ordinary lines; a plan word (拟, 明年) wins under a measures heading, a done
marker on the MAIN verb (已完成, 今年3月召开) under a plans or problems heading, and a problem
word with no remedy under a measures heading. A done marker inside an attributive or background
clause (在已完成试点的基础上, 参照今年5月出台的办法, …调离后，, 已实现…但…) says nothing of the
line's own verb. Words are data (genre/notes_cues.yaml ``overrule``, ``problems``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aidraft import regexes
from aidraft.figures.extract import extract_figures
from aidraft.ledger.model import Cue, CueKind, Status
from aidraft.ledger.tense import CLAUSE_MARKS, Verdict, tense
from aidraft.parse.notes_cues import NoteCues, find_word


def _markers(text: str, year: int | None, cues: NoteCues) -> Iterator[tuple[int, int, str]]:
    """Every done marker of ``text`` as (start, end, word): 已完成, 均已 …, or this year with a month
    (今年3月召开, not a deadline such as 今年6月前)."""
    rule = cues.overrule
    plain = text
    for ex in rule.done_except:
        plain = plain.replace(ex, "\0" * len(ex))
    for word in rule.done:
        yield from ((m.start(), m.end(), word) for m in re.finditer(re.escape(word), plain))
    dated = regexes.compile("(?:" + "|".join(map(re.escape, rule.this_year)) + r"|(20\d{2})年)\s*\d{1,2}月份?(?:\d{1,2}日)?")
    for m in dated.finditer(text):
        if (m.group(1) is None or int(m.group(1)) == year) and not any(text.startswith(d, m.end()) for d in rule.deadline):
            yield m.start(), m.end(), m.group(0)


def past_marker(text: str, year: int | None, cues: NoteCues) -> Cue | None:
    """The first done marker anywhere in the line."""
    found = min(_markers(text, year, cues), default=None)
    return Cue(kind=CueKind.tense, word=found[2]) if found else None


def main_past(text: str, year: int | None, cues: NoteCues) -> Cue | None:
    """The first done marker on the line's main verb: not after a word of its clause and before
    its 的 and a noun (在已完成试点的基础上, 参照今年5月出台的办法), not in a clause ending as background (…调离后), and not
    conceded before a turn (已实现全覆盖但效果一般)."""
    rule = cues.overrule
    for start, end, word in sorted(_markers(text, year, cues)):
        tail = [i for i in (text.find(mark, end) for mark in CLAUSE_MARKS) if i >= 0]
        stop = min(tail, default=len(text))
        rest = text[end:stop]
        head = max(text.rfind(mark, 0, start) for mark in CLAUSE_MARKS) + 1
        at = rest.find(rule.modifier)
        if text[head:start].strip() and at >= 0 and not rest[at + 1:at + 2].isdigit():
            continue  # attributive: 在/参照/对…的X (已整改…发现的问题 opens its clause: its main verb)
        if any(rest.endswith(w) for w in rule.background_ends) or find_word(text[end:], rule.contrast):
            continue
        return Cue(kind=CueKind.tense, word=word)
    return None


def problem_word(text: str, cues: NoteCues, words: list[str] | None = None, *, measures: bool = False) -> str | None:
    """The problem word of a line that states a problem, or None: none found, or the line is the
    remedy (its action with a count of what was done: 通报不规范案例6起; or the problem named as a
    remedy's target: 针对力量不足，引入…). An action right after 有待/亟待 is the problem's own.
    Under a measures heading (``measures``) the action alone makes the remedy: the heading says so."""
    problems = cues.problems
    word = find_word(text, problems.words if words is None else words, exceptions=problems.except_)
    if word is None:
        return None
    at = text.find(word)
    head = max(text.rfind(mark, 0, at) for mark in CLAUSE_MARKS) + 1
    if any(text[head:at].lstrip().startswith(t) for t in problems.targets):
        return None  # 针对…不足，… / 对…短缺问题，…: the problem a remedy targets
    actions = cues.overrule.problem_blockers + cues.done_verbs.action + problems.remedies
    acting = any(not any(text[:m.start()].endswith(w) for w in problems.modal)
                 for a in actions for m in re.finditer(re.escape(a), text))
    if acting and (measures or any(f.kind.value == "count" for f in extract_figures(text))):
        return None
    return word


def overrule(text: str, status: Status, year: int | None, cues: NoteCues) -> Verdict | None:
    """A strong cue in the line against its heading's status, or None: the heading decides.

    Planned wins under a done or problems heading (a later year as the time, 拟, 明年, 下一步, 将推进,
    准备 with no done verb); done under a plans or problems heading (a done marker on the main
    verb, nothing plan- or problem-like in the line); problem under a done heading (执法人员数量不足)
    when the line is no remedy. A problem word keeps a problems line where it is."""
    rule, future = cues.overrule, cues.future
    if status is Status.problem and find_word(text, cues.problems.words, exceptions=cues.problems.except_):
        return None
    if status is not Status.planned and past_marker(text, year, cues) is None:
        verdict = tense(text, year, cues)
        if verdict and verdict[0] is Status.planned:
            if verdict[1].kind is CueKind.year:
                return verdict
            word = find_word(text, rule.planned, exceptions=future.except_)
            if word:
                return Status.planned, Cue(kind=CueKind.future, word=word)
            if verdict[1].word in rule.weak_planned:  # 准备下半年出台…: the done-verb test left it a plan
                return verdict
    if status is not Status.done and status is not Status.duty:
        done = main_past(text, year, cues)
        if done and not find_word(text, future.strong + rule.planned, exceptions=future.except_ + rule.done_except):
            return Status.done, done
    if status is Status.done:
        word = problem_word(text, cues, rule.problem, measures=True)
        if word:
            return Status.problem, Cue(kind=CueKind.problem, word=word)
    return None
