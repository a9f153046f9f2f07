"""Decide the status of one draft figure against the notes and last year's report.

Order of decisions, each explainable to a user:
1. supported / rounded — a notes figure with the same unit gives this value (or a value this
   one faithfully approximates). If a notes figure with a clearly closer context (the same
   metric) gives a different value, the match is a coincidence and we go on.
2. derived — a rate equal to the ratio of two counts on one line of the notes, a sum of
   consecutive counts on one line, or a rate that recomputes from counts in its own sentence.
3. stale — last year's report gives it (same unit, compatible value, related context).
4. contradicted — the notes give the same metric a different value.
5. unsupported — nothing gives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidraft.check.model import FigureStatus
from aidraft.check.sources import SourceFigure, SourceIndex, context_key, quantize_both
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import metric_phrase
from aidraft.figures.model import Approx, Figure, FigureKind
from aidraft.messages import DOC_LANG, text
from aidraft.text import bigrams, dice

SAME_METRIC = 0.7  # context similarity above which two figures count the same thing
OVERSHADOW_GAP = 0.25  # a compatible match this much less similar than a conflicting one is chance
CONTRADICT = 0.5
STALE_CONTEXT = 0.3
# Small counts (3次) and wide intervals (10余次) match many unrelated figures by chance: such a
# match also needs some shared context.
COINCIDENCE_CONTEXT = 0.1
SMALL = 10


@dataclass
class Verdict:
    status: FigureStatus
    source: SourceFigure | None = None
    note: str | None = None


def compatibility(f: Figure, s: Figure) -> FigureStatus | None:
    """supported, rounded, or None: can notes figure ``s`` stand behind draft figure ``f``?"""
    fv, sv = f.value, s.value
    if fv.key() == sv.key():
        return FigureStatus.supported
    if f.approx is not Approx.exact:
        if sv.exact and fv.contains(sv.low):
            return FigureStatus.rounded
        if not sv.exact and sv.within(fv):
            return FigureStatus.rounded
        return None
    if fv.exact and sv.exact:
        if fv.low == sv.low:
            return FigureStatus.supported
        if fv.precision > sv.precision and fv.low in quantize_both(sv.low, fv.precision):
            return FigureStatus.rounded
    return None


def _best_match(f: Figure, key: frozenset[str], cands: list[SourceFigure]) -> tuple[
        tuple[float, FigureStatus, SourceFigure] | None, tuple[float, SourceFigure] | None]:
    """The most similar compatible source and the most similar source of any value."""
    best_ok: tuple[float, FigureStatus, SourceFigure] | None = None
    best_any: tuple[float, SourceFigure] | None = None
    for sf in cands:
        sim = dice(key, sf.key)
        if best_any is None or sim > best_any[0]:
            best_any = (sim, sf)
        compat = compatibility(f, sf.figure)
        if compat is None:
            continue
        if sim < COINCIDENCE_CONTEXT and (compat is FigureStatus.rounded or f.value.low < SMALL):
            continue
        rank = sim + (0.01 if compat is FigureStatus.supported else 0.0)
        if best_ok is None or rank > best_ok[0] + (0.01 if best_ok[1] is FigureStatus.supported else 0.0):
            best_ok = (sim, compat, sf)
    return best_ok, best_any


def _derived(f: Figure, notes: SourceIndex, unit_class: str) -> Verdict | None:
    """A rate from two counts on one notes line, a sum of counts on one line, or a total over reports."""
    if f.kind is FigureKind.percent:
        pair = notes.rate(f.value.precision, f.value.low) if f.value.exact else None
        if pair:
            a, b = pair
            return Verdict(FigureStatus.derived, b,
                           f"= {a.figure.text} / {b.figure.text} ({a.file}:{a.figure.line})")
        return None
    if not lexicon().total_re.search(f.before):
        return None
    parts = notes.sum_of(unit_class, f.value.low) if f.value.exact else None
    if parts:
        expr = " + ".join(p.figure.text for p in parts)
        return Verdict(FigureStatus.derived, parts[-1], f"= {expr} ({parts[0].file}:{parts[0].figure.line})")
    return _cross_total(f, notes, unit_class)


def _cross_total(f: Figure, notes: SourceIndex, unit_class: str) -> Verdict | None:
    """A total over several reports of one metric (a digest's 各地合计…)."""
    key = bigrams(metric_phrase(f))
    for phrase_key, total, members in notes.totals(unit_class):
        if dice(key, phrase_key) < SAME_METRIC:
            continue
        if total.key() == f.value.key() or (f.approx is not Approx.exact and total.within(f.value)):
            files = len({m.file for m in members})
            expr = " + ".join(m.figure.text for m in members)
            return Verdict(FigureStatus.derived, members[0], text("check.derived_total", DOC_LANG, expr=expr, files=files))
    return None


def judge(f: Figure, notes: SourceIndex | None, prior: SourceIndex | None, *, verified_rate: str | None = None,
          operands_backed: bool = False) -> Verdict:
    """The status of draft figure ``f``.

    ``verified_rate`` explains a rate or total that recomputes from figures in its own sentence;
    ``operands_backed`` says those figures are themselves supported, rounded or derived, in which
    case the recomputation stands even where the notes give the metric other values (an overall
    rate over several reports differs from each report's rate by nature).
    """
    if notes is None:
        return Verdict(FigureStatus.unchecked)
    unit_class = lexicon().unit_class(f.unit)
    key = context_key(f)
    best_ok, best_any = _best_match(f, key, notes.candidates_for(f, key, unit_class))
    # The notes state this very metric with a value that does not fit: no coincidence may save it.
    conflict = (
        best_any is not None and best_any[0] >= SAME_METRIC
        and (best_ok is None or best_any[0] - best_ok[0] >= OVERSHADOW_GAP)
    )
    if best_ok is not None and not conflict:
        return Verdict(best_ok[1], best_ok[2])
    if not conflict:
        derived = _derived(f, notes, unit_class)
        if derived is not None:
            return derived
        if verified_rate is not None:
            return Verdict(FigureStatus.derived, None, verified_rate)
    elif verified_rate is not None and operands_backed:
        return Verdict(FigureStatus.derived, None, verified_rate)
    elif lexicon().total_re.search(f.before):
        # a total over reports differs from every part by nature: the same metric is no conflict
        total = _cross_total(f, notes, unit_class)
        if total is not None:
            return total
    if prior is not None:
        stale_ok, _ = _best_match(f, key, prior.candidates_for(f, key, unit_class))
        if stale_ok is not None and stale_ok[0] >= STALE_CONTEXT:
            return Verdict(FigureStatus.stale, stale_ok[2], text("check.stale", DOC_LANG))
    if best_any is not None and best_any[0] >= CONTRADICT:
        other = best_any[1].figure
        return Verdict(FigureStatus.contradicted, best_any[1], text("check.contradicted", DOC_LANG, other=other.text))
    return Verdict(FigureStatus.unsupported, None, text("check.unsupported", DOC_LANG))
