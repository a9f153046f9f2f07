"""Figures of the source texts (notes, or last year's report), indexed for the matcher.

Everything a lookup needs is computed once per source set: figures by unit class, each
figure's context bigrams, and the rates and sums that the figures of one line can produce.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from itertools import combinations

from pydantic import BaseModel, ConfigDict

from aidraft.figures.extract import extract_figures
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import metric_phrase
from aidraft.figures.model import Figure, FigureKind, Quantity
from aidraft.text import bigrams

RATE_PRECISIONS = (Decimal(1), Decimal("0.1"), Decimal("0.01"))
MAX_SUM_RUN = 6
MAX_PAIR_FIGURES = 12
SMALL_UNIT = 64  # up to this many figures of a unit, compare with all of them
MAX_RANGE = 2000  # value-compatible candidates looked at, at most
MAX_POSTING = 400  # a context bigram this common says nothing about the metric


class NamedText(BaseModel):
    """A source text and the name it is reported under."""

    model_config = ConfigDict(extra="forbid")

    path: str
    text: str


def context_key(fig: Figure) -> frozenset[str]:
    """Character bigrams of the words around a figure, without function words such as 共/累计."""
    lex = lexicon()
    before = lex.stopword_re.sub("", fig.before)[-10:]
    after = lex.stopword_re.sub("", fig.after)[:6]
    text = before + "|" + after
    return frozenset(text[i : i + 2] for i in range(len(text) - 1) if "|" not in text[i : i + 2])


def add_quantities(values: list[Quantity]) -> Quantity:
    """The interval of a sum: lows add, highs add (unbounded if any is), openness is kept."""
    highs = [v.high for v in values]
    return Quantity.model_construct(
        low=sum((v.low for v in values), Decimal(0)),
        high=None if any(h is None for h in highs) else sum(highs, Decimal(0)),  # type: ignore[arg-type]
        low_open=any(v.low_open for v in values),
        high_open=any(v.high_open for v in values),
        precision=min(v.precision for v in values),
    )


def quantize_both(value: Decimal, precision: Decimal) -> tuple[Decimal, Decimal]:
    """Half-up rounding and truncation: offices use both when they state a rate."""
    return value.quantize(precision, ROUND_HALF_UP), value.quantize(precision, ROUND_DOWN)


@dataclass
class SourceFigure:
    file: str
    figure: Figure
    key: frozenset[str]
    unit_class: str


@dataclass
class _UnitIndex:
    """Figures of one unit class, by value (sorted) and by context bigram."""

    lows: list[Decimal]
    order: list[int]
    postings: dict[str, list[int]]

    @classmethod
    def build(cls, figs: list[SourceFigure]) -> _UnitIndex:
        order = sorted(range(len(figs)), key=lambda i: figs[i].figure.value.low)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, sf in enumerate(figs):
            for gram in sf.key:
                postings[gram].append(i)
        return cls([figs[i].figure.value.low for i in order], order, dict(postings))


@dataclass
class SourceIndex:
    """All figures of a set of source texts, with lookups by unit class and by derivation.

    Rates and sums are derived lazily, on the first lookup: most drafts never need them.
    """

    figures: list[SourceFigure] = field(default_factory=list)
    by_unit: dict[str, list[SourceFigure]] = field(default_factory=lambda: defaultdict(list))
    lines: list[list[SourceFigure]] = field(default_factory=list)
    _rates: dict[tuple[Decimal, Decimal], tuple[SourceFigure, SourceFigure]] | None = None
    _sums: dict[tuple[str, Decimal], list[SourceFigure]] | None = None
    _totals: dict[str, list[tuple[frozenset[str], Quantity, list[SourceFigure]]]] | None = None
    _unit_indexes: dict[str, _UnitIndex] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: list[NamedText]) -> SourceIndex:
        index = cls()
        lex = lexicon()
        for named in texts:
            by_line: dict[int, list[SourceFigure]] = defaultdict(list)
            for fig in extract_figures(named.text):
                sf = SourceFigure(named.path, fig, context_key(fig), lex.unit_class(fig.unit))
                index.figures.append(sf)
                index.by_unit[sf.unit_class].append(sf)
                by_line[fig.line].append(sf)
            index.lines.extend(by_line.values())
        return index

    def candidates(self, unit_class: str) -> list[SourceFigure]:
        return self.by_unit.get(unit_class, [])

    def candidates_for(self, f: Figure, key: frozenset[str], unit_class: str) -> list[SourceFigure]:
        """The sources worth comparing with ``f``: all of them when few, else those whose value
        could be compatible (by a range over sorted values) or whose context shares a bigram.

        Without this, a megabyte of notes makes every draft figure meet every notes figure.
        """
        figs = self.by_unit.get(unit_class, [])
        if len(figs) <= SMALL_UNIT:
            return figs
        unit = self._unit_indexes.get(unit_class)
        if unit is None:
            unit = self._unit_indexes[unit_class] = _UnitIndex.build(figs)
        v = f.value
        lo = bisect_left(unit.lows, v.low - v.precision)
        hi = len(unit.lows) if v.high is None else bisect_right(unit.lows, v.high + v.precision)
        ids = set(unit.order[lo:hi][:MAX_RANGE])
        for gram in key:
            posting = unit.postings.get(gram)
            if posting is not None and len(posting) <= MAX_POSTING:
                ids.update(posting)
        return [figs[i] for i in sorted(ids)]

    def rate(self, precision: Decimal, value: Decimal) -> tuple[SourceFigure, SourceFigure] | None:
        """Two counts on one line whose ratio, at ``precision``, is ``value`` percent."""
        if self._rates is None:
            self._derive()
        assert self._rates is not None
        return self._rates.get((precision, value))

    def sum_of(self, unit_class: str, value: Decimal) -> list[SourceFigure] | None:
        """Consecutive counts on one line that add up to ``value``."""
        if self._sums is None:
            self._derive()
        assert self._sums is not None
        return self._sums.get((unit_class, value))

    def totals(self, unit_class: str) -> list[tuple[frozenset[str], Quantity, list[SourceFigure]]]:
        """Sums over several source files of figures with the same metric and unit: the totals a
        digest states (各地合计…). Intervals add as intervals: 3万余 + 2000余 is (32000, 42000)."""
        if self._totals is None:
            groups: dict[tuple[str, str], list[SourceFigure]] = defaultdict(list)
            for sf in self.figures:
                groups[(sf.unit_class, metric_phrase(sf.figure))].append(sf)
            self._totals = defaultdict(list)
            for (unit, phrase), members in groups.items():
                if len({m.file for m in members}) >= 2:
                    self._totals[unit].append((bigrams(phrase), add_quantities([m.figure.value for m in members]),
                                               members))
        return self._totals.get(unit_class, [])

    def _derive(self) -> None:
        self._rates, self._sums = {}, {}
        for line_figs in self.lines:
            counts = [sf for sf in line_figs if sf.figure.kind is FigureKind.count and sf.figure.value.exact]
            by_unit: dict[str, list[SourceFigure]] = defaultdict(list)
            for sf in counts:
                by_unit[sf.unit_class].append(sf)
            for unit, group in by_unit.items():
                self._derive_group(unit, group)

    def _derive_group(self, unit: str, group: list[SourceFigure]) -> None:
        assert self._rates is not None and self._sums is not None
        for a, b in combinations(group[:MAX_PAIR_FIGURES], 2):
            lo, hi = sorted((a, b), key=lambda sf: sf.figure.value.low)
            if hi.figure.value.low == 0:
                continue
            ratio = lo.figure.value.low * 100 / hi.figure.value.low
            for precision in RATE_PRECISIONS:
                for rounded in quantize_both(ratio, precision):
                    self._rates.setdefault((precision, rounded), (lo, hi))
        for i in range(len(group)):
            total = group[i].figure.value.low
            for j in range(i + 1, min(len(group), i + MAX_SUM_RUN)):
                total += group[j].figure.value.low
                self._sums.setdefault((unit, total), group[i : j + 1])
