"""What the notes' counts give beyond themselves: rates (a ratio of two counts) and sums, and the
one rounding the checker accepts.

Derived from the counts of one notes line, or of neighbouring lines: two bullets one under the
other that count the same object give a rate (受理法律援助申请210件 / 办结法律援助案件205件), and a
whole list of alike lines gives a total (一季度…45件 … 四季度…55件). Worked out once per index,
on first use (``SourceIndex.derived``): most drafts never need them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import combinations

from aidraft.check.source_figure import SourceFigure
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind, Quantity
from aidraft.text import dice, han_bigrams

RATE_PRECISIONS = (Decimal(10), Decimal(1), Decimal("0.1"), Decimal("0.01"))  # 七成 is to ten points
MAX_SUM_RUN = 6
BLOCK_LINES = 6  # bullets above a count whose counts may pair with it in a rate
LIST_LINES_ALIKE = 0.5  # context similarity of one-count lines that list parts (一季度…45件 / 二季度…52件)
MAX_LIST_LINES = 12  # lines such a list may run to (twelve months)
MAX_PAIR_FIGURES = 12
MEMO = 1 << 15

Pair = tuple[SourceFigure, SourceFigure, list[SourceFigure]]


def quantize_half_up(value: Decimal, precision: Decimal) -> Decimal:
    """The one rounding the checker accepts: half up (98.6% is 99%, never 98%)."""
    return value.quantize(precision.normalize(), ROUND_HALF_UP)  # 100.00 (from 2.16万) is the hundreds


FINEST = Decimal("0.0001")


def rate_rounding(value: Decimal, precision: Decimal) -> Decimal:
    """A share in percent, half up at ``precision``, except that a share strictly between 0 and 100
    never rounds to either: 99.6% written 100% says every one, so it keeps the first precision that
    tells it from 100 (99.6)."""
    rounded = quantize_half_up(value, precision)
    while rounded in (0, 100) and rounded != value and precision > FINEST:
        precision /= 10
        rounded = quantize_half_up(value, precision)
    return rounded


def quantize_both(value: Decimal, precision: Decimal) -> tuple[Decimal]:
    """The accepted roundings of a rate ``value`` (kept as a tuple for callers that test ``in``)."""
    return (rate_rounding(value, precision),)


class Derived:
    """The rates and sums of an index's lines (``lines``: each notes line's figures, in order)."""

    def __init__(self, lines: list[list[SourceFigure]]) -> None:
        self._rates: dict[tuple[Decimal, Decimal], list[Pair]] = {}
        self._complements: dict[tuple[Decimal, Decimal], list[Pair]] = {}
        self._sums: dict[tuple[str, Decimal], list[SourceFigure]] = {}
        self._listed: set[tuple[str, Decimal]] = set()  # sums of lists of alike lines
        self._derive(lines)
        self._sorted_sums: dict[str, list[tuple[Decimal]]] = defaultdict(list)
        for unit, total in self._sums:
            self._sorted_sums[unit].append((total,))
        for totals in self._sorted_sums.values():
            totals.sort()

    def rates(self, precision: Decimal, value: Decimal) -> list[Pair]:
        """Every (numerator, denominator, their line's counts of that unit) whose ratio, at
        ``precision``, is ``value`` percent."""
        return self._rates.get((precision, value), [])

    def complements(self, precision: Decimal, value: Decimal) -> list[Pair]:
        """Every (negated count, whole, line) of one line whose complement share, at ``precision``,
        is ``value`` percent: 抽检15260批次，不合格218批次 gives a 合格率 of 98.6%."""
        return self._complements.get((precision, value), [])

    def sum_of(self, unit_class: str, value: Decimal) -> list[SourceFigure] | None:
        """Consecutive counts on one line, or a whole list of alike lines, that add up to ``value``."""
        return self._sums.get((unit_class, value))

    def listed(self, parts: list[SourceFigure]) -> bool:
        """Are ``parts`` (from ``sum_of``) a list of alike lines (一季度… 二季度…), not one line's counts?"""
        return (parts[0].unit_class, sum((p.figure.value.low for p in parts), Decimal(0))) in self._listed

    def sum_rounded(self, unit_class: str, value: Quantity) -> list[SourceFigure] | None:
        """Counts whose sum, finer than ``value``, rounds half up to it (86.6万元 for 52.34 + 34.21)."""
        half = value.precision / 2
        totals = self._sorted_sums.get(unit_class, [])
        at = bisect_left(totals, (value.low - half,))
        while at < len(totals) and totals[at][0] < value.low + half:
            total = totals[at][0]
            if total != value.low and quantize_half_up(total, value.precision) == value.low:
                return self._sums[(unit_class, total)]
            at += 1
        return None

    def sum_within(self, unit_class: str, value: Quantity) -> list[SourceFigure] | None:
        """Counts that add up to a sum inside ``value`` (1280 for 1200余件)."""
        totals = self._sorted_sums.get(unit_class, [])
        at = bisect_left(totals, (value.low,))
        while at < len(totals) and (value.high is None or totals[at][0] <= value.high):
            total = totals[at][0]
            if value.contains(total):
                return self._sums[(unit_class, total)]
            at += 1
        return None

    def _derive(self, lines: list[list[SourceFigure]]) -> None:
        previous: list[SourceFigure] = []
        block: list[list[SourceFigure]] = []  # the counts of the bullets above, while they follow on
        run: list[SourceFigure] = []  # consecutive lines of one count each, alike: parts of a total
        for line_figs in lines:
            counts = [sf for sf in line_figs if sf.figure.kind is FigureKind.count and sf.figure.value.exact]
            by_unit: dict[str, list[SourceFigure]] = defaultdict(list)
            for sf in counts:
                by_unit[sf.unit_class].append(sf)
            for unit, group in by_unit.items():
                self._derive_group(unit, group)
            # the line before, or the one before that with a blank line between (bullets spaced out)
            follows = bool(counts and previous and previous[0].file == counts[0].file
                           and 0 < counts[0].figure.line - previous[0].figure.line <= 1 + _blank_lines_between(
                               previous[0].figure, counts[0].figure))
            if follows:  # 受理210件 / 办结205件 as two bullets, or a few bullets apart (受理 / 化解 / 按期办结)
                for above in block[-BLOCK_LINES:]:
                    self._derive_across(above, counts)
                block.append(counts)
            elif counts:
                block = [counts]
            if follows and len(counts) == 1 and len(previous) == 1 and counts[0].unit_class == previous[0].unit_class \
                    and dice(counts[0].key, previous[0].key) >= LIST_LINES_ALIKE:
                run = [*(run or previous), counts[0]]
            else:
                self._add_run(run)
                run = []
            previous = counts
        self._add_run(run)

    def _add_run(self, run: list[SourceFigure]) -> None:
        """A whole list of alike lines (一季度…45件 … 四季度…55件) adds up to its total; a part of
        the list (the first three quarters) is no total of anything."""
        if 2 <= len(run) <= MAX_LIST_LINES:
            total = sum((sf.figure.value.low for sf in run), Decimal(0))
            if (run[0].unit_class, total) not in self._sums:
                self._sums[(run[0].unit_class, total)] = list(run)
                self._listed.add((run[0].unit_class, total))

    def _derive_across(self, above: list[SourceFigure], below: list[SourceFigure]) -> None:
        """Rates from a count of one line and a count of the next that count the same object
        (受理法律援助申请210件 / 办结法律援助案件205件; never 化解矛盾纠纷300起 / 受理法律援助案件400件)."""
        both = above[:MAX_PAIR_FIGURES] + below[:MAX_PAIR_FIGURES]
        for a in above[:MAX_PAIR_FIGURES]:
            for b in below[:MAX_PAIR_FIGURES]:
                if a.unit_class != b.unit_class or not _same_object(a, b):
                    continue
                self._add_rate(a, b, both, either_way=False)

    def _add_rate(self, a: SourceFigure, b: SourceFigure, line: list[SourceFigure], *, either_way: bool) -> None:
        """The smaller count over the larger, at every precision a rate is written in; equal counts
        of one line (受理1120件，办结1120件) give 100% either way round."""
        lo, hi = sorted((a, b), key=lambda sf: sf.figure.value.low)
        if hi.figure.value.low == 0:
            return
        ratio = lo.figure.value.low * 100 / hi.figure.value.low
        orders = [(lo, hi), (hi, lo)] if either_way and ratio == 100 else [(lo, hi)]
        for precision in RATE_PRECISIONS:
            for rounded in quantize_both(ratio, precision):
                for num, den in orders:
                    self._rates.setdefault((precision, rounded), []).append((num, den, line))

    def _derive_group(self, unit: str, group: list[SourceFigure]) -> None:
        for a, b in combinations(group[:MAX_PAIR_FIGURES], 2):
            self._add_rate(a, b, group, either_way=True)
            if a.kin.negated != b.kin.negated:  # 抽检15260批次，不合格218批次: the share of the rest
                neg, whole = (a, b) if a.kin.negated else (b, a)
                if 0 < neg.figure.value.low < whole.figure.value.low:
                    share = (whole.figure.value.low - neg.figure.value.low) * 100 / whole.figure.value.low
                    for precision in RATE_PRECISIONS:
                        self._complements.setdefault((precision, rate_rounding(share, precision)), []).append(
                            (neg, whole, group))
        self._add_sums(unit, group)

    def _add_sums(self, unit: str, group: list[SourceFigure]) -> None:
        """Sums of a line's counts that may be a total's parts: whole lists of this year's levels
        (no change, no figure of last year), from the line's first count or its 其中/包括 to the end
        of the list: the line's last count, or one before a count of another step (来信156件，来访
        212件，网上信访388件，办结740件: 756; never 156 + 212, a list cut short, nor 212 + 388)."""
        parts_re = lexicon().parts_re
        levels = [sf for sf in group if not sf.figure.direction and not sf.last_year]
        for i in range(len(levels)):
            if i > 0 and not parts_re.match(levels[i].figure.before.lstrip()):
                continue
            total = levels[i].figure.value.low
            for j in range(i + 1, min(len(levels), i + MAX_SUM_RUN)):
                total += levels[j].figure.value.low
                if _list_ends(levels, i, j):
                    self._sums.setdefault((unit, total), levels[i : j + 1])


def _list_ends(levels: list[SourceFigure], first: int, last: int) -> bool:
    """Does the list from ``first`` end at ``last``: the line's last count, or the next one names a
    step of handling its first does not (办结 after 受理来信…, 来访…)?"""
    if last == len(levels) - 1:
        return True
    following = levels[last + 1].kin.steps
    return bool(following) and not following & levels[first].kin.steps


def _blank_lines_between(a: Figure, b: Figure) -> int:
    """1 when the one line between two figures' lines is blank (bullets spaced out), else 0."""
    return 1 if b.line - a.line == 2 and not a.next_line().strip() else 0


def _same_object(a: SourceFigure, b: SourceFigure) -> bool:
    """Do two counts of neighbouring lines count the same object? They share a Han bigram once
    the steps of handling are taken out (法律援助 in 受理法律援助申请 and 办结法律援助案件)."""
    return bool(_object_grams(a.figure.before + "|" + a.figure.after)
                & _object_grams(b.figure.before + "|" + b.figure.after))


@lru_cache(maxsize=MEMO)
def _object_grams(context: str) -> frozenset[str]:
    """The Han bigrams of a context with its steps of handling cut out."""
    return han_bigrams(lexicon().process_re.sub("|", context), within_runs=True)
