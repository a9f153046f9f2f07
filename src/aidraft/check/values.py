"""Can one stated value stand for another? Interval comparisons of two figures' values, by the
checker's one rounding (half up) and its reading of bounds (以上, 不低于): whether a notes figure
backs a draft figure (``compatibility``), and whether the two could state the same quantity at
all (``consistent``: a finer draft value is unverified, not contradicted).
"""

from __future__ import annotations

from aidraft.check.derived import quantize_half_up, rate_rounding
from aidraft.check.model import FigureStatus
from aidraft.figures.model import Approx, Figure, FigureKind, Quantity


def compatibility(f: Figure, s: Figure) -> FigureStatus | None:
    """supported, rounded, or None: can notes figure ``s`` stand behind draft figure ``f``?

    A change's direction is part of its value: 同比上升7.5% is not supported by 同比下降7.5%.
    Rounding is half up only: 98.6% may be written 99%, never 98%.
    """
    if f.direction != s.direction:
        return None
    fv, sv = f.value, s.value
    f_low, s_low = fv.low, sv.low
    if f_low == s_low and fv.high == sv.high and fv.low_open == sv.low_open and fv.high_open == sv.high_open:
        return FigureStatus.supported  # the same interval (Quantity.key, without building tuples)
    s_exact = sv.high is not None and s_low == sv.high and not sv.low_open
    if f.approx is not Approx.exact:
        if s_exact and fv.contains(s_low):
            return FigureStatus.rounded
        if not s_exact and sv.within(fv) and not (bound(fv) and bound(sv)):
            return FigureStatus.rounded  # a bound restated looser (90%以上 for 不低于95%) changes it
        return None
    if s_exact and fv.high == f_low and not fv.low_open:
        if f_low == s_low:
            return FigureStatus.supported
        rounding = rate_rounding if f.kind is FigureKind.percent else quantize_half_up
        if fv.precision > sv.precision and f_low == rounding(s_low, fv.precision):
            return FigureStatus.rounded
    return None


def bound(q: Quantity) -> bool:
    """以上/以下 forms: one side open-ended (or from zero), not a 余/约 range."""
    return q.high is None or q.low == 0


def consistent(f: Figure, s: Figure) -> bool:
    """Could ``f`` and ``s`` state the same quantity? False for opposite directions and for
    values that no rounding reconciles; a draft figure finer than its source (93.33% for 93.3%)
    or an exact value inside a source's bound (96% for 95%以上) is unverified, not contradicted."""
    if f.direction and s.direction and f.direction != s.direction:
        return False
    fv, sv = f.value, s.value
    if bound(fv) and bound(sv):
        return fv.key() == sv.key()  # a target or floor restated with another number is another claim
    if fv.exact and sv.exact:
        coarse = max(fv.precision, sv.precision)
        return quantize_half_up(fv.low, coarse) == quantize_half_up(sv.low, coarse)
    if fv.exact:
        return sv.contains(fv.low)
    if sv.exact:
        return fv.contains(sv.low)
    return overlap(fv, sv)


def overlap(a: Quantity, b: Quantity) -> bool:
    for x, y in ((a, b), (b, a)):
        if x.high is not None and (x.high < y.low or (x.high == y.low and (x.high_open or y.low_open))):
            return False
    return True
