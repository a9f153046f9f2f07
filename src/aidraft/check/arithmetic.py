"""Arithmetic inside one text: rates that must equal a ratio of two counts, totals that must equal
the sum of the parts listed before them.

Deliberately conservative, because a false alarm here teaches users to ignore the checker:
- a rate is checked only when its own sentence names its numerator (化解率 … 已化解207起) and
  gives at least one other count of the same unit as the denominator;
- a total is checked only when it stands as 共/合计/总计 N right after a list of parts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from aidraft.check.model import ArithmeticFinding
from aidraft.check.sources import quantize_both
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind

RATE_WORDS = ("率", "占比", "比例", "比重")
TOTAL_BEFORE = ("共", "共计", "合计", "总计", "共有", "一共")


@dataclass
class ArithmeticResult:
    findings: list[ArithmeticFinding] = field(default_factory=list)
    verified: dict[int, str] = field(default_factory=dict)  # figure start → how it recomputes
    operands: dict[int, list[int]] = field(default_factory=dict)  # figure start → starts it is made of


def _stem(fig: Figure) -> str | None:
    """The verb a rate is made of: 化解率 → 化解, 受理率 → 受理; None when the figure is no rate."""
    before = fig.before.rstrip("达到为是约近超过了")
    for word in RATE_WORDS:
        pos = before.rfind(word)
        if pos >= 2:
            return before[pos - 2 : pos]
    return None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _check_rate(rate: Figure, counts: list[Figure], unit_class: dict[int, str], out: ArithmeticResult) -> None:
    stem = _stem(rate)
    if stem is None:
        return
    numerators = [c for c in counts if stem in c.before or stem in c.after]
    best: tuple[Decimal, Figure, Figure] | None = None
    for num in numerators:
        for den in counts:
            if den is num or unit_class[den.start] != unit_class[num.start] or den.value.low == 0:
                continue
            if num.value.low > den.value.low:
                continue
            ratio = num.value.low * 100 / den.value.low
            if rate.value.low in quantize_both(ratio, rate.value.precision):
                out.verified[rate.start] = f"= {num.text} / {den.text}"
                out.operands[rate.start] = [num.start, den.start]
                return
            if best is None or abs(ratio - rate.value.low) < abs(best[0] - rate.value.low):
                best = (ratio, num, den)
    if best is None:
        return
    ratio, num, den = best
    expected = _fmt(ratio.quantize(rate.value.precision))
    out.findings.append(ArithmeticFinding(
        kind="rate", text=rate.text, start=rate.start, end=rate.end, line=rate.line, sentence=rate.sentence,
        stated=_fmt(rate.value.low) + "%", expected=expected + "%",
        message=f"{rate.text} 与 {num.text}/{den.text} = {expected}% 不符",
    ))


def _check_total(total: Figure, parts: list[Figure], out: ArithmeticResult) -> None:
    low = sum((p.value.low for p in parts), Decimal(0))
    exact = all(p.value.exact for p in parts)
    if exact and low == total.value.low:
        out.verified[total.start] = "= " + " + ".join(p.text for p in parts)
        out.operands[total.start] = [p.start for p in parts]
        return
    if not exact:
        return  # a sum of approximate parts is an interval; 共N余 forms are left to the matcher
    out.findings.append(ArithmeticFinding(
        kind="sum", text=total.text, start=total.start, end=total.end, line=total.line, sentence=total.sentence,
        stated=_fmt(total.value.low), expected=_fmt(low),
        message=f"{total.text} 与所列各项之和 {' + '.join(p.text for p in parts)} = {_fmt(low)} 不符",
    ))


def check_arithmetic(figures: list[Figure]) -> ArithmeticResult:
    """Check every rate and total in the text the figures were extracted from."""
    lex = lexicon()
    out = ArithmeticResult()
    unit_class = {f.start: lex.unit_class(f.unit) for f in figures}
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for fig in figures:
        by_sentence[fig.sentence_start].append(fig)
    for figs in by_sentence.values():
        counts = [f for f in figs if f.kind is FigureKind.count and f.value.exact]
        for rate in (f for f in figs if f.kind is FigureKind.percent and f.value.exact):
            _check_rate(rate, counts, unit_class, out)
        run: list[Figure] = []
        for fig in counts:
            if fig.before.strip() in TOTAL_BEFORE and len(run) >= 2:
                same = [p for p in run if unit_class[p.start] == unit_class[fig.start]]
                if len(same) >= 2:
                    _check_total(fig, same, out)
                run = []
            else:
                run.append(fig)
    return out
