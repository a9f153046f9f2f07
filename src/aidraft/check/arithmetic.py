"""Arithmetic inside one text: rates that must equal a ratio of two counts, totals that must equal
the sum of the parts listed before them.

Deliberately conservative, because a false alarm here teaches users to ignore the checker. A
rate or total is *verified* when any plausible pairing recomputes it, and *reported* only when the
pairing is unambiguous:
- a rate's numerator is the one count of its sentence that names the rate's verb with the same
  qualifier (按期办结率 ← 按期办结285件; 提前办结 and 调解结案 are sub-counts, not numerators);
  its denominator is the one larger count of that unit in the sentence outside a 其中/包括 list,
  or, when the sentence has none, in the sentence before;
- a total is checked only when it stands as 共/合计/总计 N right after a list of parts with no
  其中 sub-list among them;
- a total stated first (共120件，其中复议86件、应诉34件) is verified when the parts after its 其中 add
  up to it, and never reported when they do not: such a list may be partial or overlapping.
Bounds are intervals here too: 化解率95%以上 holds for any ratio of at least 95%.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from aidraft.check.derived import quantize_half_up, rate_rounding
from aidraft.check.kinship import other_part, parts_of
from aidraft.check.model import ArithmeticFinding
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind
from aidraft.text import han_bigrams, is_han

RATE_WORDS = ("率", "占比", "比例", "比重")
SHARE_WORDS = RATE_WORDS[1:]  # a share names what it counts (简易程序案件占比), a rate its verb (办结率)
SUBJECT_AFTER = 4  # characters after a count that may name it (47件简易程序案件 is rare; 47件次 is common)
SUMMED = (FigureKind.count, FigureKind.money)  # what a 其中 list adds up (件, 万元)
TOTAL_BEFORE = ("共", "共计", "合计", "总计", "共有", "一共")
STEM = 2  # a rate's verb: the two characters before 率 (化解率 → 化解)
QUALIFIER = 2


@dataclass
class ArithmeticResult:
    findings: list[ArithmeticFinding] = field(default_factory=list)
    verified: dict[int, str] = field(default_factory=dict)  # figure start → how it recomputes
    operands: dict[int, list[int]] = field(default_factory=dict)  # figure start → starts it is made of


def _stem(fig: Figure) -> tuple[str, str] | None:
    """(verb, qualifier) of a rate: 按期办结率 → (办结, 按期), 不合格率 → (不合格, …); None when the
    figure is no rate."""
    before = fig.before.rstrip("达到为是约近超过了")
    for word in RATE_WORDS:
        pos = before.rfind(word)
        if pos >= STEM:
            start = pos - STEM
            negated = lexicon().negated_re.search(before[:pos])
            if negated is not None:
                start = negated.start()  # the negated verb is the verb: 不合格率, 未按期办结率
            return before[start:pos], _qualifier(before[:start])
    return None


def _qualifier(text: str) -> str:
    """The word right before a verb, unless it is a neutral modifier (已, 累计, 成功 …) or no word."""
    text = lexicon().neutral_re.sub("", text)
    tail = text[-QUALIFIER:]
    return tail if len(tail) == QUALIFIER and all(map(is_han, tail)) else ""


def _names(count: Figure, stem: str, qualifier: str) -> bool:
    """Does ``count`` count the rate's numerator (its verb, with the same qualifier)?"""
    for context in (count.before, count.after):
        pos = context.rfind(stem) if context is count.before else context.find(stem)
        if pos == -1:
            continue
        if (context is count.before and stem[0] not in lexicon().negation_chars
                and lexicon().negated_re.search(context[: pos + len(stem)])):
            return False  # 不合格15批次, 未按期办结6件 count no 合格, no 按期办结
        own = _qualifier(context[:pos]) if context is count.before else ""
        return own == qualifier or (not qualifier and not own)
    return False


def rate_operands_fit(rate: Figure, num: Figure, den: Figure, line: list[Figure]) -> bool:
    """Could ``num`` / ``den``, two counts on one notes line, be the rate ``rate`` states?

    The numerator names the rate's verb with its qualifier: 按期办结率 is 按期办结288件, never the
    办结296件 beside it. A qualifier that no count of the line carries before the verb (信访事项
    办结率: 事项 is what is counted) need only stand on the line before the numerator. Where one of
    the line's counts at least as large as the numerator carries the qualifier (交办积案40件 for
    积案化解率), the denominator is such a count, never the 受理300件 beside it.
    """
    num_parts = parts_of(num)
    if other_part(parts_of(rate), num_parts) or other_part(num_parts, parts_of(den)):
        return False  # 一般程序案件占67.1% is no share of 简易程序47件; 网上信访100件 is no whole of 来信50件
    subject = _share_subject(rate)
    if subject is not None:  # 简易程序案件占比: a share is named by what it counts, not by a verb
        return _names_part(num, den, subject)
    stemmed = _stem(rate)
    if stemmed is None:
        return True
    stem, qualifier = stemmed
    if not _names(num, stem, qualifier):
        if not qualifier or not _names(num, stem, ""):
            return False
        before, after = num.line_text()
        if qualifier + stem in before + num.text + after or qualifier not in before:
            return False
    if qualifier:
        carriers = [c.start for c in line if c.start != num.start and c.value.low >= num.value.low
                    and qualifier in c.before + c.after[:QUALIFIER + 2]]
        if carriers and den.start not in carriers:
            return False
    return True


def _share_subject(rate: Figure) -> frozenset[str] | None:
    """The words of what a share (占比, 比例, 比重) counts, from its clause (简易程序案件占比67.1%:
    简易程序案件); None for a rate (…率) and for a share whose clause names nothing before it."""
    before = rate.before.rstrip("达到为是约近超过了")
    for word in SHARE_WORDS:
        pos = before.rfind(word)
        if pos >= 0 and "率" not in before[pos:]:
            words = han_bigrams(before[:pos].rstrip("所占的"), within_runs=True)
            return words or None
    return None


def _names_part(num: Figure, den: Figure, subject: frozenset[str]) -> bool:
    """Does ``num`` count what a share's subject names beyond the whole ``den`` counts? The whole's
    own words (案件 of 办理行政处罚案件70件) leave the subject; the numerator must hold at least a third
    of the rest (简易程序 of 适用简易程序47件 for 简易程序案件占比; 程序 alone is no 一般程序案件)."""
    part = subject - _words(den)
    if not part:
        return True  # the subject names only the whole (案件占比): nothing to tell the parts by
    named = len(part & _words(num))
    return named >= 1 and 3 * named >= len(part)


def _words(count: Figure) -> frozenset[str]:
    return han_bigrams(count.before + count.after[:SUBJECT_AFTER], within_runs=True)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _parts_start(figs: list[Figure]) -> int:
    """Offset from which a sentence lists sub-counts (after 其中/包括), or a large sentinel."""
    lex = lexicon()
    for fig in figs:
        if lex.parts_re.search(fig.before):
            return fig.start
    return 1 << 62


class _Pairing:
    """The (numerator, denominator) pairs of one sentence for one (verb, qualifier), built once and
    shared by every rate of that sentence that names them; the ratios are computed once per precision.

    Building pairs per rate cost rates × numerators × counts: cubic in a long line of figures.
    """

    def __init__(self, pairs: list[tuple[Figure, Figure]]) -> None:
        self.pairs = pairs
        self._ratios: dict[Decimal, tuple[list[Decimal], dict[Decimal, int]]] = {}

    def ratios(self, precision: Decimal) -> tuple[list[Decimal], dict[Decimal, int]]:
        """Each pair's ratio at ``precision`` and the first pair giving each ratio."""
        found = self._ratios.get(precision)
        if found is None:
            ratios = [rate_rounding(num.value.low * 100 / den.value.low, precision) for num, den in self.pairs]
            first: dict[Decimal, int] = {}
            for i, ratio in enumerate(ratios):
                first.setdefault(ratio, i)
            found = self._ratios[precision] = (ratios, first)
        return found


def _pairing(stem: str, qualifier: str, counts: list[Figure], previous: list[Figure],
             unit_class: dict[int, str]) -> _Pairing:
    named = [_names(c, stem, qualifier) for c in counts]
    numerators = [c for c, n in zip(counts, named) if n]
    if not numerators:
        return _Pairing([])
    parts_from = _parts_start(counts)
    # a named count is never its own denominator: excluding named counts excludes ``num`` itself
    free = [d for d, n in zip(counts, named) if not n and d.start < parts_from and d.value.low > 0]
    before_parts = _parts_start(previous)
    earlier = [d for d in previous if d.start < before_parts and d.value.low > 0]
    pairs: list[tuple[Figure, Figure]] = []
    for num in numerators:
        cls, low = unit_class[num.start], num.value.low
        dens = [d for d in free if unit_class[d.start] == cls and d.value.low >= low]
        if not dens:
            dens = [d for d in earlier if unit_class[d.start] == cls and d.value.low >= low]
        pairs.extend((num, den) for den in dens)
    return _Pairing(pairs)


def _check_rate(rate: Figure, counts: list[Figure], previous: list[Figure], unit_class: dict[int, str],
                out: ArithmeticResult, pairings: dict[tuple[str, str], _Pairing]) -> None:
    stemmed = _stem(rate)
    if stemmed is None:
        return
    pairing = pairings.get(stemmed)
    if pairing is None:
        pairing = pairings[stemmed] = _pairing(*stemmed, counts, previous, unit_class)
    pairs = pairing.pairs
    if not pairs:
        return
    v = rate.value
    if v.exact and not v.high_open:
        hit = pairing.ratios(v.precision)[1].get(v.low)
    else:  # a bound or an approximation holds for the ratio itself: 94.75% is no 95%以上, 68.3% is 近七成
        hit = next((i for i, (num, den) in enumerate(pairs) if v.contains(num.value.low * 100 / den.value.low)), None)
    if hit is not None:
        num, den = pairs[hit]
        out.verified[rate.start] = f"= {num.text} / {den.text}"
        out.operands[rate.start] = [num.start, den.start]
        return
    if len(pairs) != 1:
        return  # ambiguous pairing: never a finding
    num, den = pairs[0]
    ratio = num.value.low * 100 / den.value.low
    expected = _fmt(rate_rounding(ratio, v.precision) if v.exact else quantize_half_up(ratio, Decimal("0.01")))
    out.findings.append(ArithmeticFinding(
        kind="rate", text=rate.text, start=rate.start, end=rate.end, line=rate.line,
        sentence=rate.sentence_window(), stated=rate.text, expected=expected + "%",
        message=f"{rate.text} 与 {num.text}/{den.text} = {expected}% 不符",
    ))


def _check_total(total: Figure, parts: list[Figure], out: ArithmeticResult) -> None:
    low = sum((p.value.low for p in parts), Decimal(0))
    exact = all(p.value.exact for p in parts)
    if exact and total.value.contains(low):
        out.verified[total.start] = "= " + " + ".join(p.text for p in parts)
        out.operands[total.start] = [p.start for p in parts]
        return
    if not exact:
        return  # a sum of approximate parts is an interval; 共N余 forms are left to the matcher
    out.findings.append(ArithmeticFinding(
        kind="sum", text=total.text, start=total.start, end=total.end, line=total.line,
        sentence=total.sentence_window(), stated=total.text, expected=_fmt(low),
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
    previous: list[Figure] = []
    for start in sorted(by_sentence):
        figs = by_sentence[start]
        counts = [f for f in figs if f.kind is FigureKind.count and f.value.exact and not f.direction]
        pairings: dict[tuple[str, str], _Pairing] = {}
        for rate in (f for f in figs if f.kind is FigureKind.percent and not f.direction):
            _check_rate(rate, counts, previous, unit_class, out, pairings)
        run: list[Figure] = []
        for fig in counts:
            if fig.before.strip() in TOTAL_BEFORE and len(run) >= 2:
                same = [p for p in run if unit_class[p.start] == unit_class[fig.start]]
                if len(same) >= 2 and not any(lex.parts_re.search(p.before) or lex.last_year_re.search(p.before)
                                              for p in same):
                    _check_total(fig, same, out)
                run = []
            else:
                run.append(fig)
        _verify_parts_after([f for f in figs if f.kind in SUMMED and f.value.exact and not f.direction],
                            unit_class, out)
        previous = counts
    return out


def _verify_parts_after(counts: list[Figure], unit_class: dict[int, str], out: ArithmeticResult) -> None:
    """共受理120件，其中行政复议86件、行政应诉34件: the first counts of the total's unit after its
    其中/包括 that add up to it verify it. The total is the nearest count of that unit before the
    marker; other counts after the parts (…，办结118件) are no parts."""
    parts_re = lexicon().parts_re
    for i, fig in enumerate(counts):
        if i == 0 or not parts_re.match(fig.before.lstrip()):
            continue
        unit = unit_class[fig.start]
        total = next((c for c in reversed(counts[:i]) if unit_class[c.start] == unit), None)
        if total is None or total.start in out.verified or lexicon().last_year_re.search(total.before):
            continue
        parts = [c for c in counts[i:] if unit_class[c.start] == unit]
        running = Decimal(0)
        for n, part in enumerate(parts, 1):
            running += part.value.low
            if n >= 2 and running == total.value.low:
                out.verified[total.start] = "= " + " + ".join(p.text for p in parts[:n])
                out.operands[total.start] = [p.start for p in parts[:n]]
                break
            if running > total.value.low:
                break
