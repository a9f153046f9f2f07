"""Changes (同比下降7.5%, 较上年减少23件, 提高7.2个百分点, 翻一番) derived from this year's and last
year's values.

A change figure is recomputed from a pair: this year's value (the figure the draft's sentence
names before the change, or the notes figure of that metric) and last year's (a figure of the same
sentence dated 上年/去年/同期, or this year's less the change in units it states: 较上年增加38件; the
same from the notes sentence of this year's value; the notes' figure of the metric dated last year;
the prior report's figure of the same metric). The direction is part of the value: 下降 for a rise
is contradicted.

A pair found only loosely (last year's value from a prior report by a middling context match)
may derive a change but never contradicts one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from aidraft.check.dating import Lines, change_starts, column, header_roles
from aidraft.check.derived import quantize_half_up
from aidraft.check.kinship import other_metric
from aidraft.check.model import FigureStatus
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import SourceIndex, context_key
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind
from aidraft.messages import DOC_LANG, text
from aidraft.text import dice

STRONG = 0.7  # context similarity at which a source figure names the same metric for sure
LOOSE = 0.5
HUNDRED = Decimal(100)
RESPECTIVELY = "分别"


@dataclass
class ChangeContext:
    """The operands a change figure's own sentence names."""

    current: Figure | None = None  # this year's value: 受理282件，同比下降…
    previous: Figure | None = None  # last year's value: 较上年的305件…
    delta: Figure | None = None  # the change in units between them: 受理152件，较上年增加38件，增长33.3%
    delta_sure: bool = True  # no other level of its unit before it (受理152件，办结150件，较上年增加38件: whose?)
    ambiguous: bool = False  # a table row with two values and no header saying which year is which


TENTH = Decimal("0.1")
#: changes stated as a ratio of this year's value to last year's: 翻一番 (×2^N), 增长1倍 (+N×100%)
RATIO_UNITS = ("番", "倍")
SUMMABLE = (FigureKind.count, FigureKind.money)  # what a change in units (增加38件, 减少12万元) changes


@dataclass
class Outcome:
    status: FigureStatus
    source: SourceFigure | None
    note: str


def states_change(fig: Figure) -> bool:
    """A change (同比下降7.5%, 增长1倍), or a multiple of last year's value (是上年的2倍)."""
    return bool(fig.direction) or (fig.unit == "倍" and lexicon().last_year_re.search(fig.before) is not None)


def _operand_ok(change: Figure, fig: Figure) -> bool:
    """Can ``fig`` be an operand of ``change``: a level (no direction) of the kind the change needs."""
    if fig.direction or fig is change:
        return False
    if change.kind is FigureKind.percent or change.unit in RATIO_UNITS:
        return fig.kind in (FigureKind.count, FigureKind.money)
    if change.kind is FigureKind.points:
        return fig.kind is FigureKind.percent
    lex = lexicon()
    return lex.unit_class(fig.unit) == lex.unit_class(change.unit)


def _dated_in_words(fig: Figure) -> bool:
    return bool(lexicon().last_year_re.search(fig.before))


_dated_last_year = _dated_in_words  # dated 上年/去年 in words (change_contexts knows more)


def _source_last_year(sf: SourceFigure) -> bool:
    """A source figure of last year's: dated 上年/去年, or by its table column or year (check/dating.py)."""
    return sf.last_year or _dated_last_year(sf.figure)


def _table_row(lines: Lines, change: Figure, figs: list[Figure]) -> ChangeContext | None:
    """A change in a table row (指标 | 2025年 | 2024年 | 同比): its operands by the header's columns."""
    text = lines.text
    line_start = lines.row_start(change.start)
    if line_start is None:
        return None
    cells = [f for f in figs if f.start >= line_start and f.end <= change.start and _operand_ok(change, f)]
    if len(cells) < 2:
        return None
    roles = header_roles(text, line_start)
    if roles is None:
        return ChangeContext(ambiguous=True)
    by_role = {roles[c]: f for f in cells if (c := column(text, line_start, f)) < len(roles)}
    if "this" not in by_role or "last" not in by_role:
        return ChangeContext(ambiguous=True)
    return ChangeContext(current=by_role["this"], previous=by_role["last"])


def change_contexts(figures: list[Figure], lines: Lines, last_year: set[int] | None = None) -> dict[int, ChangeContext]:
    """For each change figure (by start), the operands named in its own sentence (or table row).
    ``last_year``: starts of figures known to be last year's (check/dating.py: an earlier year,
    由A…下降到B); without it, those dated 上年/去年 in words and 由A…到B."""
    if last_year is None:
        last_year = change_starts(figures)

    def _dated_last_year(fig: Figure) -> bool:
        return fig.start in last_year or _dated_in_words(fig)

    out: dict[int, ChangeContext] = {}
    by_sentence: dict[int, list[Figure]] = {}
    for fig in figures:
        by_sentence.setdefault(fig.sentence_start, []).append(fig)
    for figs in by_sentence.values():
        for i, change in enumerate(figs):
            if not states_change(change):
                continue
            row = _table_row(lines, change, figs)
            if row is not None:
                out[change.start] = row
                continue
            ctx = ChangeContext()
            for fig in reversed(figs[:i]):
                if _operand_ok(change, fig):
                    if _dated_last_year(fig):
                        ctx.previous = ctx.previous or fig
                    elif ctx.current is None:
                        ctx.current = fig
            if ctx.previous is None:
                ctx.previous = next((f for f in figs[i + 1 :] if _operand_ok(change, f) and _dated_last_year(f)),
                                    None)
            if ctx.previous is None and ctx.current is not None:
                ctx.delta = _delta_after(ctx.current, figs[:i])
                ctx.delta_sure = not any(f.start < ctx.current.start and not f.direction and _unit(f) == _unit(ctx.current)
                                         for f in figs[:i])
            out[change.start] = ctx
        _respectively(figs, out)
    return out


def _respectively(figs: list[Figure], out: dict[int, ChangeContext]) -> None:
    """分别较上年提高1.5个和2.1个百分点, 分别增长19.4%和下降15%: k changes after 分别, one joined to
    the next by 和/、/及/与 (in either direction), take the k values before them, in order."""
    i = 0
    while i < len(figs):
        first = figs[i]
        if not first.direction or RESPECTIVELY not in first.before:
            i += 1
            continue
        run = [first]
        while i + len(run) < len(figs) and _joined(run[-1], figs[i + len(run)]):
            run.append(figs[i + len(run)])
        values = [f for f in figs[:i] if _operand_ok(first, f) and not _dated_last_year(f)]
        if len(run) > 1 and len(values) >= len(run):
            for change, value in zip(run, values[-len(run):]):
                out[change.start] = ChangeContext(current=value)
        i += len(run)


JOINS = ("和", "、", "及", "与", "，")
JOIN_GAP = 4  # characters between two changes of one 分别 list: 和下降, 、下降


def _joined(previous: Figure, fig: Figure) -> bool:
    """Is ``fig`` the next change of ``previous``'s 分别 list (19.4%和下降15%)?"""
    gap = fig.start - previous.end
    return (bool(fig.direction) and fig.kind is previous.kind and 0 < gap <= JOIN_GAP
            and fig.sentence_start == previous.sentence_start and fig.preceding(gap).startswith(JOINS))


def _delta_after(level: Figure, figs: list[Figure]) -> Figure | None:
    """The change in units stated right after ``level`` (受理152件，较上年增加38件): the first figure of
    its unit after it, when that one has a direction; a level in between owns any later change."""
    unit = _unit(level)
    for fig in figs:
        if fig.start <= level.start or fig.kind not in SUMMABLE or _unit(fig) != unit:
            continue
        return fig if fig.direction and fig.value.exact else None
    return None


def _exact(fig: Figure) -> Decimal | None:
    return fig.value.low if fig.value.exact else None


def _best(index: SourceIndex, units: list[str], key: frozenset[str], *, dated: bool | None,
          like: Figure | None = None) -> tuple[float, SourceFigure] | None:
    """The source figure of a metric (by context) in one of ``units``, dated last year or not, and
    never of another metric than ``like`` (last year's 办结 is no base for this year's 受理)."""
    best: tuple[float, SourceFigure] | None = None
    for sf in index.by_context(key, units):
        fig = sf.figure
        if fig.direction or fig.value.low is None or not fig.value.exact:
            continue
        if like is not None and other_metric(like, fig):
            continue
        if dated is not None and _source_last_year(sf) != dated:
            continue
        sim = dice(key, sf.key)
        if best is None or sim > best[0]:
            best = (sim, sf)
    return best


def _same_sentence_last_year(index: SourceIndex, sf: SourceFigure) -> SourceFigure | None:
    """Last year's value beside this year's in one notes sentence (282件，上年同期305件)."""
    lex = lexicon()
    for other in index.sentence_of(sf):
        fig = other.figure
        if (other is not sf and not fig.direction and fig.value.exact and _source_last_year(other)
                and lex.unit_class(fig.unit) == sf.unit_class):
            return other
    return None


def _computed(change: Figure, v1: Decimal, v0: Decimal) -> tuple[Decimal, str] | None:
    """The change from v0 to v1 in the change figure's terms: (magnitude, direction)."""
    if change.unit == "番":
        if v0 <= 0 or v1 <= v0:
            return None
        return (v1 / v0).quantize(Decimal("0.1"), ROUND_HALF_UP), "up"
    if change.unit == "倍" and not change.direction:  # 是上年的2倍: this year's over last year's
        return (v1 / v0, "") if v0 > 0 else None
    if change.kind is FigureKind.percent or change.unit == "倍":  # 增长1倍 is +100%
        if v0 == 0:
            return None
        delta = (v1 - v0) * (HUNDRED if change.kind is FigureKind.percent else 1) / v0
    else:
        delta = v1 - v0
    return abs(delta), ("up" if delta > 0 else "down" if delta < 0 else "")


def _agrees(change: Figure, magnitude: Decimal, direction: str) -> bool:
    if direction != change.direction:
        return False
    if change.unit == "番":
        return magnitude == Decimal(2) ** int(change.value.low)
    if change.unit == "倍":  # 3倍 is 3.0倍: a ratio of 2.5 is 两倍半, never rounded up to 3倍
        return change.value.contains(quantize_half_up(magnitude, min(change.value.precision, TENTH)))
    if change.value.exact:
        return quantize_half_up(magnitude, change.value.precision) == change.value.low
    return change.value.contains(quantize_half_up(magnitude, change.value.precision))


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _describe(change: Figure, v1: Figure, v0: str, magnitude: Decimal, direction: str) -> str:
    sign = {"up": "+", "down": "−"}.get(direction, "±")
    if change.unit == "番":
        shown = f"×{_fmt(magnitude)}"
    elif change.unit == "倍":
        value = _fmt(magnitude.quantize(min(change.value.precision, TENTH), ROUND_HALF_UP))
        shown = f"{sign}{value}倍" if change.direction else f"×{value}"
    else:
        places = change.value.precision if change.value.precision < 1 else Decimal(1)
        shown = f"{sign}{_fmt(magnitude.quantize(places, ROUND_HALF_UP))}{change.unit}"
    return f"{v1.text} vs {v0} → {shown}"


def derive_change(change: Figure, ctx: ChangeContext | None, notes: SourceIndex,
                  prior: SourceIndex | None) -> Outcome | None:
    """derived or contradicted when a pair of this year's and last year's values is found; else None."""
    ctx = ctx or ChangeContext()
    if ctx.ambiguous:
        return None
    key = context_key(change)
    # this year's value: the sentence's own, else the notes figure of the change's metric
    current, current_src, strong = ctx.current, None, True
    if current is not None and current.value.exact:
        found = _best(notes, [_unit(current)], context_key(current), dated=False)
        if found is not None and found[0] >= LOOSE and found[1].figure.value.low == current.value.low:
            current_src = found[1]
    elif current is None:
        found = _best(notes, _operand_units(change, notes), key, dated=False)
        if found is None or found[0] < LOOSE:
            return None
        current_src, current, strong = found[1], found[1].figure, found[0] >= STRONG
    else:
        return None
    if _exact(current) is None:
        return None
    v1 = current.value.low
    base = _last_year(ctx, current, current_src, notes, prior, strong)
    if base is None:
        return None
    v0, shown, source, pair_strong = base
    computed = _computed(change, v1, v0)
    if computed is None:
        return None
    magnitude, direction = computed
    note = _describe(change, current, shown, magnitude, direction)
    if _agrees(change, magnitude, direction):
        return Outcome(FigureStatus.derived, source or current_src, note)
    if pair_strong:
        written = text(f"check.direction.{change.direction}", DOC_LANG) if change.direction else ""
        return Outcome(FigureStatus.contradicted, source or current_src,
                       text("check.change_contradicted", DOC_LANG, pair=note, written=written, figure=change.text))
    return None


Base = tuple[Decimal, str, SourceFigure | None, bool]  # last year's value, as shown, its source, strong


def _last_year(ctx: ChangeContext, current: Figure, current_src: SourceFigure | None, notes: SourceIndex,
               prior: SourceIndex | None, strong: bool) -> Base | None:
    """Last year's value, from the first of: the change's sentence (较上年的305件, or this year's
    value less the change in units its sentence states: 较上年增加38件); the notes sentence of this
    year's value (282件，上年同期305件 / 152件，较上年增加38件); the notes figure of the metric
    dated last year (上年受理114件, on a line of its own); last year's report."""
    v1 = current.value.low
    if ctx.previous is not None:
        return _level(ctx.previous, current_src, strong)
    if ctx.delta is not None:  # derives either way; contradicts only where it is surely this value's
        return _less(v1, current, ctx.delta, current_src, strong and ctx.delta_sure)
    if current_src is not None:
        beside = _same_sentence_last_year(notes, current_src)
        if beside is not None:
            return _level(beside.figure, beside, strong)
        delta = _delta_after(current_src.figure, [sf.figure for sf in notes.sentence_of(current_src)])
        if delta is not None:
            return _less(v1, current, delta, current_src, strong)
    found = _best(notes, [_unit(current)], context_key(current), dated=True, like=current)
    if found is not None and found[0] >= STRONG:
        return _level(found[1].figure, found[1], strong)
    if prior is not None:
        found = _best(prior, [_unit(current)], context_key(current), dated=None, like=current)
        if found is not None and found[0] >= LOOSE:
            return _level(found[1].figure, found[1], strong and found[0] >= STRONG)
    return None


def _level(previous: Figure, source: SourceFigure | None, strong: bool) -> Base | None:
    v0 = _exact(previous)
    return None if v0 is None else (v0, previous.text, source, strong)


def _less(v1: Decimal, current: Figure, delta: Figure, source: SourceFigure | None, strong: bool) -> Base | None:
    """Last year's value as this year's less the change in units: 152件 − 38件 (增加), 152件 + 38件 (减少)."""
    step = delta.value.low if delta.direction == "up" else -delta.value.low
    v0 = v1 - step
    if v0 <= 0:
        return None
    return v0, f"{current.text}{'−' if step > 0 else '+'}{delta.text.lstrip('-−－')}", source, strong


def _unit(fig: Figure) -> str:
    return lexicon().unit_class(fig.unit)


def _operand_units(change: Figure, notes: SourceIndex) -> list[str]:
    """The unit classes this year's value may have when the change's sentence names none."""
    if change.kind is FigureKind.points:
        return ["%"]
    if change.kind is FigureKind.percent or change.unit in RATIO_UNITS:
        return notes.unit_classes(FigureKind.count, FigureKind.money)
    return [_unit(change)]
