"""Decide the status of one draft figure against the notes and last year's report.

Order of decisions, each explainable to a user:
1. supported / rounded — a notes figure with the same unit (and direction) gives this value or
   a value this one faithfully approximates (half up). If a notes figure with a clearly closer
   context (the same metric) gives a value no rounding reconciles, the match is a coincidence.
2. derived / contradicted — a change (同比下降7.5%) recomputed from this year's and last year's
   values (check/change.py).
3. derived — a rate equal to the ratio of two counts on one line of the notes, a sum of
   consecutive counts on one line, or a rate that recomputes from counts in its own sentence;
   tried before a contradiction, so a finer rate the notes' counts give exactly is derived.
4. last year's value (较上年的305件, a table's 2024年 column) backed by last year's report.
5. stale — last year's report gives it (same unit, compatible value, related context).
6. contradicted — the notes give the same metric a value no rounding reconciles.
7. unsupported — nothing gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from aidraft.check.arithmetic import RATE_WORDS, rate_operands_fit
from aidraft.check.change import ChangeContext, derive_change, states_change
from aidraft.check.kinship import Kin, rate_head
from aidraft.check.model import FigureStatus
from aidraft.check.named_total import named_parts
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import Candidates, SourceIndex, context_key, sentence_key, shares_metric
from aidraft.check.values import bound, compatibility, consistent
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import metric_phrase
from aidraft.figures.model import Approx, Figure, FigureKind, Quantity
from aidraft.messages import DOC_LANG, template, text
from aidraft.text import bigrams, dice

SAME_METRIC = 0.7  # context similarity above which two figures count the same thing
OVERSHADOW_GAP = 0.25  # a compatible match this much less similar than a conflicting one is chance
CONTRADICT = 0.5
STALE_CONTEXT = 0.3
# Small counts (3次), wide intervals (10余次), rates and changes match many unrelated figures by
# chance: such a match also needs some shared context.
COINCIDENCE_CONTEXT = 0.1
SMALL = 10
BOUND_CONTEXT = 0.4  # a bound (50%以上) holds for most values: only its own metric's value backs it


@dataclass
class Verdict:
    status: FigureStatus
    source: SourceFigure | None = None
    note: str | None = None
    parts: tuple[SourceFigure, ...] = ()  # the notes figures a derived total adds up


@cache
def _note(key: str) -> str:
    """A note's template, looked up once (a large draft flags thousands of figures); notes with
    parameters are filled with ``str.format``."""
    return template(key, DOC_LANG)


def _same_claim(f: Figure, sf: SourceFigure, last_year: bool, kin: LazyKin) -> bool:
    """Could ``s`` contradict ``f`` at all? Not when one is a change and the other a level
    (较上年增加3次 against 12次), nor when ``f`` is dated to last year (by its sentence or its table
    column) and ``s`` is not (比上年的305件 against this year's 282件: only last year's report can
    tell) or ``s`` is and ``f`` is not (the notes' 2024年8420件 beside 2025年9650件), nor when ``s``
    is of another metric (``kinship.py``)."""
    s = sf.figure
    if bool(f.direction) != bool(s.direction) or kin.get().other(sf.kin) or kin.get().planned != sf.kin.planned:
        return False  # a target (目标：97%以上) is no contradiction of this year's 96.2%
    if f.direction:
        return True
    dated = lexicon().last_year_re
    return bool(last_year or dated.search(f.before)) == bool(sf.last_year or dated.search(s.before))


class LazyKin:
    """A draft figure's Kin, worked out when first asked for (most figures never need it)."""

    __slots__ = ("fig", "kin")

    def __init__(self, fig: Figure) -> None:
        self.fig, self.kin = fig, None

    def get(self) -> Kin:
        if self.kin is None:
            self.kin = Kin.of(self.fig)
        return self.kin


def _best_match(f: Figure, key: frozenset[str], cands: Candidates, kin: LazyKin, dated: bool = False) -> tuple[
        tuple[float, FigureStatus, SourceFigure] | None, tuple[float, SourceFigure] | None]:
    """The most similar compatible source and the most similar source of any value. A source of
    last year's (a table's 2024年 column) backs ``f`` only when ``f`` is ``dated`` to last year too."""
    values, same, scored_contexts = cands
    v = f.value
    def other(sf: SourceFigure) -> bool:
        return kin.get().other(sf.kin)

    if same and not bound(v):
        # The walk below stops at the first source in f's own context (similarity 1) that
        # supports it: these are all such candidates, in the walk's order.
        for sf in same:
            if compatibility(f, sf.figure) is FigureStatus.supported and not other(sf) and _same_year(sf, dated):
                return (1.0, FigureStatus.supported, sf), (1.0, sf)
    best_ok: tuple[float, FigureStatus, SourceFigure] | None = None
    best_any: tuple[float, SourceFigure] | None = None
    scored: dict[frozenset[str], float] = {}  # figures of one context share one key object
    lowest = v.low - v.precision
    highest = None if v.high is None else v.high + v.precision

    bounded = bound(v)
    best_bound: tuple[float, SourceFigure] | None = None
    # a rate or a change of the same value is common across metrics: it needs some shared context
    coincident = f.kind is FigureKind.percent or bool(f.direction) or not f.unit  # …so is a bare 1.2万
    wider: list[frozenset[str]] = []

    def wide() -> frozenset[str]:
        if not wider:
            wider.append(sentence_key(f))
        return wider[0]

    def consider(sf: SourceFigure, sim: float) -> None:
        nonlocal best_ok, best_bound
        if bounded and bound(sf.figure.value) and (best_bound is None or sim > best_bound[0]):
            best_bound = (sim, sf)
        low = sf.figure.value.low
        if low < lowest or (highest is not None and low > highest):
            return  # no rounding or bound reaches it
        if not _same_year(sf, dated):
            return  # the notes' 2024年8420件 is no figure of this year, their 152件 none of last year
        compat = compatibility(f, sf.figure)
        if compat is None or other(sf):
            return  # 不合格15批次 backs no 合格15批次, 办结1120件 no 受理1120件
        if sim < COINCIDENCE_CONTEXT:
            if compat is FigureStatus.rounded or f.value.low < SMALL:
                return
            if coincident and not (shares_metric(wide(), sf.key) or shares_metric(key, sentence_key(sf.figure))
                                   or shares_metric(wide(), sentence_key(sf.figure))):
                return  # the same rate or change of another metric: a coincidence
        if sim < BOUND_CONTEXT and compat is FigureStatus.rounded and bound(v):
            return  # 50%以上 holds for most rates: only the same metric's value backs a bound
        rank = sim + (0.01 if compat is FigureStatus.supported else 0.0)
        if best_ok is None or rank > best_ok[0] + (0.01 if best_ok[1] is FigureStatus.supported else 0.0):
            best_ok = (sim, compat, sf)

    for sf in values:
        sim = scored.get(sf.key)
        if sim is None:
            sim = scored[sf.key] = dice(key, sf.key)
        if best_any is None or sim > best_any[0]:
            best_any = (sim, sf)
        consider(sf, sim)
        if best_ok is not None and best_ok[0] == 1.0 and best_ok[1] is FigureStatus.supported and not bounded:
            return best_ok, best_any  # the same value in the same context: nothing can outrank it
    contexts = scored_contexts()
    if contexts is not None:
        for sim, group in contexts.alike:  # the same metric: its values matter even far from this one
            if group.first.key not in scored:  # (a context met among the values was weighed there)
                for sf in group.between(lowest, highest):
                    consider(sf, sim)
        if contexts.best is not None and (best_any is None or contexts.best[0] > best_any[0]):
            best_any = contexts.best
    if best_bound is not None and best_bound[0] >= SAME_METRIC and (best_ok is None or best_bound[0] >= best_ok[0]):
        # a bound (target, floor) of the same metric decides a bound: 不低于95% is no 不低于55%
        same = best_bound[1].figure.value.key() == v.key() and best_bound[1].figure.direction == f.direction
        best_ok = (best_bound[0], FigureStatus.supported, best_bound[1]) if same else None
        best_any = best_bound
    return best_ok, best_any


def _across_bare(f: Figure, key: frozenset[str], notes: SourceIndex, unit_class: str, kin: LazyKin,
                 dated: bool) -> tuple[float, FigureStatus, SourceFigure] | None:
    """A figure with no counter (受益群众1.2万) and one with a counter (受益群众12000人) may state one
    value: each backs the other in the same metric's context (a missing counter is no other metric)."""
    classes = [u for u in notes.unit_classes(FigureKind.count, FigureKind.money) if u] if not unit_class else [""]
    for other in classes:
        if other == unit_class or other not in notes.by_unit:
            continue
        ok, _ = _best_match(f, key, notes.candidates_for(f, key, other, SAME_METRIC), kin, dated)
        if ok is not None and ok[0] >= CONTRADICT:
            return ok
    return None


def _same_year(sf: SourceFigure, dated: bool) -> bool:
    """Is ``sf`` of the year a draft figure is (``dated``: last year's, 较上年的305件)? A source is last
    year's by its column or year (``sf.last_year``) or its words (上年同期305件)."""
    if not dated:
        return not sf.last_year
    return sf.last_year or lexicon().last_year_re.search(sf.figure.before) is not None


def _derived(f: Figure, notes: SourceIndex, unit_class: str, key: frozenset[str]) -> Verdict | None:
    """A rate from two counts on one notes line, a sum of counts on one line, or a total over reports."""
    if f.direction:
        return None  # a change is no ratio of two counts
    if f.kind is FigureKind.percent:
        for a, b, line in _rate_pairs(f, notes):
            if rate_operands_fit(f, a.figure, b.figure, [c.figure for c in line]):
                return Verdict(FigureStatus.derived, b,
                               f"= {a.figure.text} / {b.figure.text} ({a.file}:{a.figure.line})")
        head = rate_head(f)
        if head and f.value.exact:
            for neg, whole, _ in notes.derived.complements(f.value.precision, f.value.low):
                if any(n + head in neg.figure.before for n in lexicon().lex.negations):  # 不合格 for 合格率
                    return Verdict(FigureStatus.derived, whole, f"= ({whole.figure.text} − {neg.figure.text}) / "
                                                                f"{whole.figure.text} ({whole.file}:{whole.figure.line})")
        return None
    lex = lexicon()
    explicit = lex.total_re.search(f.before) is not None  # 共/合计…
    summed = explicit or lex.sum_re.search(f.before) is not None  # …or the year's whole (全年…), from a list
    if summed:
        if f.value.exact:  # the sum itself, or one finer that rounds to it (86.6万元: 52.34万 + 34.21万)
            parts = notes.derived.sum_of(unit_class, f.value.low) or notes.derived.sum_rounded(unit_class, f.value)
        else:
            parts = notes.derived.sum_within(unit_class, f.value)
        listed = bool(parts) and notes.derived.listed(parts)  # type: ignore[arg-type]
        if parts and (explicit or listed):
            return _sum_verdict(parts, listed)
    named = named_parts(f, key, notes, unit_class)  # 行政复议和应诉案件共120件, from two lines
    if named:
        return _sum_verdict(named, True)
    return _cross_total(f, notes, unit_class) if summed else None


def _sum_verdict(parts: list[SourceFigure], listed: bool) -> Verdict:
    """A total derived from ``parts``; ``listed``: the parts are the ones it adds up (a conflict with
    one of them is none)."""
    expr = " + ".join(p.figure.text for p in parts)
    return Verdict(FigureStatus.derived, parts[-1], f"= {expr} ({parts[0].file}:{parts[0].figure.line})",
                   tuple(parts) if listed else ())


MAX_SHARE_STEPS = 12  # whole percents an approximate share (约七分之一, 近三成) is looked up at


def _rate_pairs(f: Figure, notes: SourceIndex) -> list[tuple[SourceFigure, SourceFigure, list[SourceFigure]]]:
    """The count pairs of the notes whose ratio the rate ``f`` states: at its own precision when it
    is exact, else every pair whose ratio lies inside it (纠错率约为七分之一 from 纠错6件 / 42件). An
    approximate share must name its rate (…率, 占比): a range as wide as 近九成 holds for too many
    pairs of unrelated counts to be derived from any of them."""
    v = f.value
    if v.exact:
        return notes.derived.rates(v.precision, v.low)
    if v.high is None or v.high - v.low > MAX_SHARE_STEPS or not any(w in f.before for w in RATE_WORDS):
        return []
    out = []
    for whole in range(int(v.low), int(v.high) + 2):
        for a, b, line in notes.derived.rates(Decimal(1), Decimal(whole)):
            if v.contains(a.figure.value.low * 100 / b.figure.value.low):
                out.append((a, b, line))
    return out


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
          operands_backed: bool = False, change: ChangeContext | None = None, last_year: bool = False) -> Verdict:
    """The status of draft figure ``f``.

    ``verified_rate`` explains a rate or total that recomputes from figures in its own sentence;
    ``operands_backed`` says those figures are themselves supported, rounded or derived, in which
    case the recomputation stands even where the notes give the metric other values (an overall
    rate over several reports differs from each report's rate by nature). ``change`` holds the
    operands a change figure's sentence names (this year's and last year's values); ``last_year``
    says a table column dates the figure to last year.
    """
    if notes is None:
        return Verdict(FigureStatus.unchecked)
    unit_class = lexicon().unit_class(f.unit)
    key = context_key(f)
    kin = LazyKin(f)
    dated = last_year or lexicon().last_year_re.search(f.before) is not None
    best_ok, best_any = _best_match(f, key, notes.candidates_for(f, key, unit_class, SAME_METRIC), kin, dated)
    if best_ok is None and f.kind in (FigureKind.count, FigureKind.money):
        best_ok = _across_bare(f, key, notes, unit_class, kin, dated)
    if best_ok is None and kin.get().planned:
        target = _same_target(f, key, notes, unit_class)
        if target is not None:
            return Verdict(FigureStatus.supported, target)
    # whether the most similar notes figure could state this value (asked once, where it matters)
    agrees = (best_any is None or best_any[0] < CONTRADICT or consistent(f, best_any[1].figure)
              or not _same_claim(f, best_any[1], last_year, kin))
    # The notes state this very metric with a value that does not fit: no coincidence may save it.
    conflict = (
        best_any is not None and best_any[0] >= SAME_METRIC and not agrees
        and (best_ok is None or best_any[0] - best_ok[0] >= OVERSHADOW_GAP)
    )
    if best_ok is not None and not conflict:
        return Verdict(best_ok[1], best_ok[2])
    if states_change(f):
        outcome = derive_change(f, change, notes, prior)
        if outcome is not None:
            return Verdict(outcome.status, outcome.source, outcome.note)
    derived = _derived(f, notes, unit_class, key)
    if derived is not None and (not conflict or (f.kind is FigureKind.percent and _same_line(derived, best_any))
                                or (best_any is not None and any(p is best_any[1] for p in derived.parts))):  # a total is no part
        return derived  # derivation comes first: a finer rate the notes' counts give exactly
    if not conflict:
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
        prior_ok, _ = _best_match(f, key, prior.candidates_for(f, key, unit_class, SAME_METRIC), kin)
        if prior_ok is not None and (last_year or lexicon().last_year_re.search(f.before)):
            # a value the draft dates to last year (较上年的305件) is last year's report's to give
            return Verdict(prior_ok[1], prior_ok[2], _note("check.last_year"))
        if prior_ok is not None and prior_ok[0] >= STALE_CONTEXT:
            return Verdict(FigureStatus.stale, prior_ok[2], _note("check.stale"))
    if not agrees:
        assert best_any is not None
        other = best_any[1].figure
        shown = other.text
        if (f.direction and other.direction and f.direction != other.direction  # the notes' 上升5% for 下降5%
                and other.text[:1] not in "-−－"):  # …unless its sign says it (增长−3.5%)
            shown = _note(f"check.direction.{other.direction}") + other.text
        return Verdict(FigureStatus.contradicted, best_any[1], _note("check.contradicted").format(other=shown))
    return Verdict(FigureStatus.unsupported, None, _note("check.unsupported"))


def _threshold(q: Quantity) -> Decimal | None:
    """The one number a target is set at: a bound's end (97%以上, 10%以内) or the value itself."""
    if q.high is None:
        return q.low
    if q.low == 0 or q.low == q.high:
        return q.high
    return None


def _same_target(f: Figure, key: frozenset[str], notes: SourceIndex, unit_class: str) -> SourceFigure | None:
    """A target of the notes that ``f`` restates by its number (低于97%的年度目标, 97%的目标 for
    目标：…达到97%以上): the same metric, also a target, set at the same number."""
    mark = _threshold(f.value)
    if mark is None:
        return None
    for sf in notes.by_context(key, [unit_class]):
        if sf.kin.planned and _threshold(sf.figure.value) == mark and dice(key, sf.key) >= CONTRADICT:
            return sf
    return None


def _same_line(derived: Verdict, best_any: tuple[float, SourceFigure] | None) -> bool:
    src = derived.source
    return (src is not None and best_any is not None and src.file == best_any[1].file
            and src.figure.line == best_any[1].figure.line)
