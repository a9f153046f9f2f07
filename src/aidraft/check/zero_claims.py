"""Judge zero claims (零发生, 无一例被纠错, 未发生群体性事件: figures/zero.py) against the notes.

A claim of none stands only where the notes claim none of the same thing or count it as 0; a
count above 0 of the same thing this year contradicts it (发生进京非访2起 against 进京非访零发生).
A target (力争零发生) is backed only by a target or claim of the notes and never contradicted by
this year's count. Whatever the notes do not say is unsupported, as any figure would be.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from aidraft.check.match import Verdict, _note
from aidraft.check.model import FigureStatus
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import SourceIndex
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind
from aidraft.figures.zero import (
    claim_key,
    claim_parts,
    count_parts,
    event_in,
    is_target,
    object_key,
    qualifiers,
)
from aidraft.text import dice

CLAIM_SAME = 0.5  # metric similarity at which a notes claim of none backs the draft's
COUNT_SAME = 0.6  # … at which a notes count of the same thing contradicts it (or, at 0, backs it)
MAX_POSTING = 400  # a bigram in this many notes figures says nothing about the metric


def judge_zero(claim: Figure, notes: SourceIndex | None) -> Verdict:
    if notes is None:
        return Verdict(FigureStatus.unchecked)
    event, obj = claim_parts(claim)
    key = object_key(obj[1])
    target = is_target(claim)
    grades = qualifiers(obj[1])
    best: tuple[float, SourceFigure] | None = None
    for sf, planned, other_event, other_obj, other_grades in _zeros_sharing(notes, claim_key(claim)):
        if planned and not target:
            continue  # the notes' 力争零发生 is no result
        if other_event != event or not other_grades <= grades:
            continue  # none of the grave ones (重大) is no claim of none at all
        sim = _similarity(obj, other_obj, event)
        if best is None or sim > best[0]:
            best = (sim, sf)
    if best is not None and best[0] >= CLAIM_SAME:
        return Verdict(FigureStatus.supported, best[1])
    dated = lexicon().last_year_re
    conflict: tuple[float, SourceFigure] | None = None
    for sf in _counts_sharing(notes, key | object_key(obj[0]) | object_key(event)):
        fig = sf.figure
        if sf.last_year or dated.search(fig.before) or not grades <= qualifiers(fig.before + fig.after):
            continue
        names, count_obj = count_parts(fig, event)
        if not names:
            continue  # 行政诉讼案件12件 counts cases, not 败诉
        if fig.value.high == 0:
            sim = max(_similarity(obj, count_obj, event), _contained(key, object_key(count_obj[1])))
            if sim >= COUNT_SAME:
                return Verdict(FigureStatus.supported, sf)  # 进京非访0起, 死亡0人
            continue
        sim = _similarity(obj, count_obj, event)
        if sim >= COUNT_SAME and not target and (conflict is None or sim > conflict[0]):
            conflict = (sim, sf)
    if conflict is not None:
        return Verdict(FigureStatus.contradicted, conflict[1], _note("check.contradicted").format(other=conflict[1].figure.text))
    return Verdict(FigureStatus.unsupported, None, _note("check.zero.unsupported"))


@lru_cache(maxsize=1 << 14)
def _similarity(a: tuple[str, str], b: tuple[str, str], event: str) -> float:
    """How alike two objects (narrow, wide) of one event are: the better of their clauses' words
    and their words with the sentence's earlier ones. With the event named on both sides, no
    object on either (全年零败诉 against 败诉2件) is the same event; a claim of 发生 needs its object."""
    best = 0.0
    for x, y in ((a[0], b[0]), (a[1], b[1])):
        kx, ky = object_key(x), object_key(y)
        if not kx and not ky and event != "发生":
            return 1.0
        best = max(best, dice(kx, ky))
    return best


def _contained(key: frozenset[str], other: frozenset[str]) -> float:
    """1 when the claim's object is part of the count's (亡人事故 in 生产安全事故死亡0人)."""
    return 1.0 if key and key <= other else 0.0


def count_key(fig: Figure) -> frozenset[str]:
    """What a notes count is indexed by for claims: its clause's event words and its object."""
    clause = fig.before + "|" + fig.after
    return object_key(count_parts(fig, "")[1][1]) | object_key(clause)


T = TypeVar("T")
ZeroEntry = tuple[SourceFigure, bool, str, tuple[str, str], frozenset[str]]  # claim, target, event, object, grades


def _zeros_sharing(notes: SourceIndex, key: frozenset[str]) -> list[ZeroEntry]:
    """The notes' claims of none sharing a bigram with ``key``, each with whether it is a target, its
    event, object and grades: worked out once per claim, and one claim of each wording (a text that
    repeats 赴京“零上访” a hundred times is weighed once)."""
    postings = notes.zero_postings
    if postings is None:
        postings = notes.zero_postings = {}
        kept: set[tuple[object, ...]] = set()
        for sf in notes.zeros:
            event, obj = claim_parts(sf.figure)
            entry = (sf, is_target(sf.figure), event, obj, qualifiers(obj[1]))
            if entry[1:] in kept:
                continue
            kept.add(entry[1:])
            for gram in sf.key:
                postings.setdefault(gram, []).append(entry)
    return _sharing(postings, key, lambda entry: entry[0])


def _counts_sharing(notes: SourceIndex, key: frozenset[str]) -> list[SourceFigure]:
    """The notes' counts (levels, not changes) whose context shares a telling bigram with ``key``,
    from postings built on the first claim checked against these notes."""
    postings = notes.count_postings
    if postings is None:
        postings = notes.count_postings = {}
        for sf in notes.figures:
            fig = sf.figure
            if fig.kind is FigureKind.count and not fig.direction:
                for gram in count_key(fig):
                    postings.setdefault(gram, []).append(sf)
    return _sharing(postings, key, lambda sf: sf, MAX_POSTING)


def _sharing(postings: dict[str, list[T]], key: frozenset[str], figure_of: Callable[[T], SourceFigure],
             cap: int | None = None) -> list[T]:
    """The entries of ``postings`` under any bigram of ``key``, each once (by its source figure),
    skipping bigrams past ``cap`` entries (too common to say anything)."""
    seen: dict[int, T] = {}
    for gram in key:
        posting = postings.get(gram, ())
        if cap is None or len(posting) <= cap:
            for entry in posting:
                seen.setdefault(id(figure_of(entry)), entry)
    return list(seen.values())


def back_zero_count(fig: Figure, notes: SourceIndex | None) -> SourceFigure | None:
    """The notes' claim of none that backs a draft count of 0 (败诉0件 by 实现零败诉, 进京非访0起 by
    未发生进京非访): the same event (named in the count's clause) and object; never a target, nor a
    claim of none of the grave ones (重大) for a count of all. None when no claim backs it.

    For match.py to call on a draft count whose value is exactly 0 and that nothing else backs."""
    if notes is None or fig.value.high != 0 or fig.value.low != 0 or fig.direction:
        return None
    clause = event_in(fig.before + "|" + fig.after)
    grades = qualifiers(fig.before + fig.after)
    best: tuple[float, SourceFigure] | None = None
    for sf, planned, event, obj, claim_grades in _zeros_sharing(notes, count_key(fig)):
        if planned or not claim_grades <= grades:
            continue
        names, count_obj = count_parts(fig, event)
        if not names or (event == "发生" and not clause and not obj[1]):
            continue
        sim = max(_similarity(obj, count_obj, event), _contained(object_key(count_obj[1]), object_key(obj[1])))
        if sim >= COUNT_SAME and (best is None or sim > best[0]):
            best = (sim, sf)
    return best[1] if best else None
