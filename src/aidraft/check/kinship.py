"""Whether two figures can count the same thing at all, whatever their words share.

Context similarity (``sources.context_key``) says how alike two figures' words are; some small
words change the metric outright and weigh nothing in a bigram count. These rules say so, each
from genre data (genre/figures.yaml):

- a negated verb is another metric: 不合格15批次 is no 合格15批次, 未按期办结 no 按期办结;
- steps of handling are counted apart: 受理 is no 办结, 排查 no 化解 (``process_verbs``);
- a plan beside the actual figure (计划全年组织12次，实际组织8次) backs only a plan, and a target
  (目标：参保率达到97%以上, 未达到97%的目标) never contradicts an actual figure;
- rates of other names are other metrics: 按期办结率99.2% is no 满意率99.2%;
- an end of a range (3至5个工作日) backs only a range's end, never a single value;
- parts of one whole are counted apart: 线上 is no 线下, 市级 no 县级, 女性 no 男性 (genre/contrasts.yaml).

Figures of another metric neither back nor contradict each other (``match.py``); a change is
derived only from last year's figure of the same metric (``change.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from aidraft import genre, regexes
from aidraft.figures.extract import CHINESE_NUMERALS, RANGE_MARKS
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind
from aidraft.strict import Strict

PART_AFTER = 4  # characters after a figure that may name its part (12件（市级）)


@lru_cache(maxsize=8192)
def _negated_clause(before: str) -> bool:  # many figures share a clause; a str caches its hash
    """Does the clause count a negated verb (不合格, 未按期办结信访事项)?"""
    return lexicon().negated_re.search(before) is not None


@lru_cache(maxsize=8192)
def _clause_steps(before: str, after: str) -> frozenset[str]:
    """The steps of handling (受理, 办结 …) a clause names."""
    return frozenset(lexicon().process_re.findall(before + after))


@lru_cache(maxsize=8192)
def _planned_clause(before: str) -> bool:
    """Is the clause stated as planned (计划…, 年初计划…, 我局计划…, 力争…), not as done (完成年度计划任务12项)?"""
    lex = lexicon()
    found = lex.planned_re.search(before)
    return found is not None and lex.done_re.search(before, 0, found.start()) is None


class Contrasts(Strict):
    """genre/contrasts.yaml: sets of words naming parts of one whole, spellings of a part joined by |."""

    sets: list[list[str]]


@cache
def _contrast_words() -> tuple[re.Pattern[str], dict[str, tuple[int, int]]]:
    """One pattern for every contrast word, and each word's (set, member)."""
    member_of: dict[str, tuple[int, int]] = {}
    for i, members in enumerate(genre.load("contrasts.yaml", Contrasts).sets):
        for j, spellings in enumerate(members):
            for word in spellings.split("|"):
                member_of[word] = (i, j)
    return regexes.compile(regexes.alternation(member_of)), member_of


Parts = tuple[tuple[int, frozenset[int]], ...]  # (set, the members a clause names), by set


@lru_cache(maxsize=8192)
def _clause_parts(before: str, after: str) -> Parts:
    """The parts of wholes a clause names (线上 of 线上调解180件)."""
    pattern, member_of = _contrast_words()
    named: dict[int, set[int]] = {}
    for word in pattern.findall(before + after):
        i, j = member_of[word]
        named.setdefault(i, set()).add(j)
    return tuple((i, frozenset(js)) for i, js in sorted(named.items()))


RANGE_REACH = 4  # characters looked at beside a figure for a range mark and the number past it
_NEAR_MARK = frozenset(RANGE_MARKS + " \t")


def in_range(fig: Figure) -> bool:
    """Is it an end of a range (3至5个工作日: both 3 and 5个工作日)?"""
    left, right = fig.around(1)
    if left not in _NEAR_MARK and right not in _NEAR_MARK:
        return False  # most figures: no mark and no space beside them
    before, after = fig.around(RANGE_REACH)
    before, after = before.rstrip(" \t"), after.lstrip(" \t")
    head = after[:1] in RANGE_MARKS and _numeral_at(after[1:].lstrip(" \t"), 0)
    tail = before[-1:] in RANGE_MARKS and _numeral_at(before[:-1].rstrip(" \t"), -1)
    return head or tail


def _numeral_at(text: str, at: int) -> bool:
    return bool(text) and (text[at].isdigit() or text[at] in CHINESE_NUMERALS)


@lru_cache(maxsize=8192)
def _target_after(after: str) -> bool:
    """Does the clause after the figure name it a target (97%以上的目标)?"""
    return after.startswith(tuple(lexicon().lex.plan_after_markers))


def parts_of(fig: Figure, label: str | None = None) -> Parts:
    """The parts of wholes its clause or its line's label names (线上 of 线上：180件, 线下调解320件);
    ``label``: its line label when the caller has it."""
    label = fig.line_label() if label is None else label
    return _clause_parts(f"{label}|{fig.before}" if label else fig.before, fig.after[:PART_AFTER])


RATE_HEAD = 2  # Han characters before 率 that name a rate: 满意率, 办结率, 参保率


@lru_cache(maxsize=8192)
def _rate_head(before: str, after: str) -> str:
    """The name of the rate a clause states (满意 of 群众满意率99.2%, of 99.2%的满意率), or ''."""
    at = before.rfind("率")
    if at >= RATE_HEAD:
        return before[at - RATE_HEAD : at]
    at = after.find("率")
    return after[at - RATE_HEAD : at] if at >= RATE_HEAD else ""


def rate_head(fig: Figure) -> str:
    """The name of the rate a percent figure states (合格 of 抽检合格率98.6%), or ''. In a 分别 list
    (按期办结率、群众满意率分别为99.1%、97.8%) the k-th value states the k-th rate named."""
    if fig.kind is not FigureKind.percent or fig.direction:
        return ""
    listed = _respective_head(fig.preceding(RESPECTIVE_REACH))
    return listed if listed is not None else _rate_head(fig.before, fig.after)


RESPECTIVE_REACH = 60  # characters of its sentence before a value that may hold its 分别 list
_RATE_NAMES = regexes.compile(r"([\u4e00-\u9fff]{2})率")
_PERCENT_MARKS = ("%", "％", "百分之")


@lru_cache(maxsize=8192)
def _respective_head(head: str) -> str | None:
    """The rate name paired with the value that ``head`` (its sentence before it) leads to, when the
    value is one of a 分别 list; None otherwise."""
    at = head.rfind("分别")
    if at < 0:
        return None
    start = max(head.rfind(mark, 0, at) for mark in "，；：。") + 1
    names = _RATE_NAMES.findall(head, start, at)
    k = sum(head.count(mark, at) for mark in _PERCENT_MARKS)
    return names[k] if len(names) > 1 and k < len(names) else None


@dataclass(frozen=True)
class Kin:
    """What of a figure decides its metric beyond its words, worked out once per figure (a draft
    figure is weighed against hundreds of notes figures)."""

    negated: bool
    in_range: bool
    planned: bool
    plan_beside_actual: bool
    steps: frozenset[str]
    rate: str = ""
    parts: Parts = ()

    @classmethod
    def of(cls, fig: Figure) -> Kin:
        before = fig.before
        target = _target_after(fig.after)  # 未完成97%以上的年度目标: the target, no negated count
        label = fig.line_label()  # 目标：参保率达到97%以上 (a plan), 线上：180件 (a part)
        plan = _planned_clause(before) or target or (bool(label) and _planned_clause(label))
        beside = plan and lexicon().actual_re.search(fig.sentence) is not None  # 计划12次，实际8次
        rate = rate_head(fig)
        steps = _clause_steps(before, fig.after)
        if rate and steps and _respective_head(fig.preceding(RESPECTIVE_REACH)) == rate:
            steps = _clause_steps(rate, "")  # 受理率、办结率分别…: each value names its own rate's step
        return cls(_negated_clause(before) and not target, in_range(fig), plan, beside, steps, rate,
                   parts_of(fig, label))

    def other(self, s: Kin) -> bool:
        """Is a figure of kin ``s`` of another metric than one of this kin?"""
        if s.negated != self.negated or s.in_range != self.in_range:
            return True
        if self.rate and s.rate and self.rate != s.rate:
            return True  # 满意率 is no 办结率 (按期办结率 and 办结率 share their head, 办结)
        if s.plan_beside_actual and not self.planned:
            return True  # 计划…12次 (实际8次) backs no 组织…12次
        if self.parts and s.parts and other_part(self.parts, s.parts):
            return True  # 线上调解 is no 线下调解
        return bool(self.steps) and bool(s.steps) and not self.steps & s.steps


def other_part(a: Parts, b: Parts) -> bool:
    """Do two clauses name different parts of one whole (and none in common)?"""
    named = dict(b)
    return any(i in named and not members & named[i] for i, members in a)


def other_metric(f: Figure, s: Figure) -> bool:
    """Is ``s`` a figure of another metric than ``f``, whatever their words share?"""
    return Kin.of(f).other(Kin.of(s))
