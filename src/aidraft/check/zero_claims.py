"""Judge zero claims (零发生, 无一例被纠错, 未发生群体性事件: figures/zero.py) against the notes.

A claim of none stands only where the notes claim none of the same thing or count it as 0; a
count above 0 of the same thing this year contradicts it (发生进京非访2起 against 进京非访零发生).
A target (力争零发生) is backed only by a target or claim of the notes and never contradicted by
this year's count. Whatever the notes do not say is unsupported, as any figure would be.
"""

from __future__ import annotations

from aidraft.check.match import Verdict, _note
from aidraft.check.model import FigureStatus
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import SourceIndex
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind
from aidraft.figures.zero import claim_key, claim_metric, is_target, qualifiers
from aidraft.text import dice

CLAIM_SAME = 0.5  # metric similarity at which a notes claim of none backs the draft's
COUNT_SAME = 0.6  # … at which a notes count of the same thing contradicts it (or, at 0, backs it)
MAX_POSTING = 400  # a bigram in this many notes figures says nothing about the metric


def judge_zero(claim: Figure, notes: SourceIndex | None) -> Verdict:
    if notes is None:
        return Verdict(FigureStatus.unchecked)
    key = claim_key(claim)
    target = is_target(claim)
    best: tuple[float, SourceFigure] | None = None
    for sf, planned in _zeros_sharing(notes, key):
        if planned and not target:
            continue  # the notes' 力争零发生 is no result
        sim = dice(key, sf.key)
        if best is None or sim > best[0]:
            best = (sim, sf)
    if best is not None and best[0] >= CLAIM_SAME:
        return Verdict(FigureStatus.supported, best[1])
    grades = qualifiers(claim_metric(claim))
    dated = lexicon().last_year_re
    conflict: tuple[float, SourceFigure] | None = None
    for sf in _counts_sharing(notes, key):
        fig = sf.figure
        sim = dice(key, sf.key)
        if sim < COUNT_SAME or not grades <= qualifiers(fig.before + fig.after) or dated.search(fig.before):
            continue
        if fig.value.high == 0:
            return Verdict(FigureStatus.supported, sf)  # 进京非访0起
        if not target and (conflict is None or sim > conflict[0]):
            conflict = (sim, sf)
    if conflict is not None:
        return Verdict(FigureStatus.contradicted, conflict[1], _note("check.contradicted").format(other=conflict[1].figure.text))
    return Verdict(FigureStatus.unsupported, None, _note("check.zero.unsupported"))


def _zeros_sharing(notes: SourceIndex, key: frozenset[str]) -> list[tuple[SourceFigure, bool]]:
    """The notes' claims of none sharing a bigram with ``key``, each with whether it is a target."""
    postings = notes.zero_postings
    if postings is None:
        postings = notes.zero_postings = {}
        for sf in notes.zeros:
            entry = (sf, is_target(sf.figure))
            for gram in sf.key:
                postings.setdefault(gram, []).append(entry)
    seen: dict[int, tuple[SourceFigure, bool]] = {}
    for gram in key:
        for entry in postings.get(gram, ()):
            seen.setdefault(id(entry[0]), entry)
    return list(seen.values())


def _counts_sharing(notes: SourceIndex, key: frozenset[str]) -> list[SourceFigure]:
    """The notes' counts (levels, not changes) whose context shares a telling bigram with ``key``,
    from postings built on the first claim checked against these notes."""
    postings = notes.count_postings
    if postings is None:
        postings = notes.count_postings = {}
        for sf in notes.figures:
            fig = sf.figure
            if fig.kind is FigureKind.count and not fig.direction:
                for gram in sf.key:
                    postings.setdefault(gram, []).append(sf)
    seen: dict[int, SourceFigure] = {}
    for gram in key:
        posting = postings.get(gram, ())
        if len(posting) <= MAX_POSTING:
            for sf in posting:
                seen.setdefault(id(sf), sf)
    return list(seen.values())
