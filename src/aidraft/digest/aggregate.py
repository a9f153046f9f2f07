"""Totals and rates across reports, computed by Python from the ledger, never by a model.

Rules (each one a reason a reviewer can check):
- A total needs the same ``metric_phrase`` and unit class in at least two reports, exactly one
  such figure per report (two in one report means the phrase names different things there), a
  count or money unit, and a metric of real words (not just the counter). The checker groups
  figures the same way, so a total we state is a total it recomputes.
- Intervals add as intervals (check.sources.add_quantities): 3万余册 + 2000余册 is (32000, 43000)
  册, stated as 3.2万册以上 — never 32000册.
- Figures of different years (--mixed-years) are never added or ranged together.
- Rates are never summed. A rate is recomputed as Σnumerators / Σdenominators when every report
  that states it gives both counts in the same sentence, under the same metrics, and those
  counts are the only figures of their metrics (so the totals are unambiguous); otherwise the
  digest gives the range across reports and names the lowest and the highest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from aidraft.digest.config import DIGEST_KINDS, digest_genre
from aidraft.digest.ledger import LedgerFigure
from aidraft.digest.model import Member, RateSummary, Total
from aidraft.digest.phrasing import fmt_number, rate_pair, total_clause
from aidraft.figures.model import FigureKind, Interval, Quantity, add_quantities
from aidraft.parse.document import SectionKind

SUMMABLE = frozenset({FigureKind.count, FigureKind.money})
MIN_METRIC = 3


def _member(lf: LedgerFigure) -> Member:
    return Member(label=lf.label, file=lf.file, line=lf.figure.line, figure=lf.figure.text)


def _kind(members: list[LedgerFigure]) -> SectionKind:
    """The standard section most members stand in (measures when they stand in none)."""
    kinds = Counter(m.kind for m in members if m.kind in {k.value for k in DIGEST_KINDS})
    return SectionKind(kinds.most_common(1)[0][0]) if kinds else SectionKind.measures


def _by_metric(figures: list[LedgerFigure], kinds: frozenset[FigureKind], *, objects: bool = False
               ) -> dict[tuple[int | None, str, str, str], list[LedgerFigure]]:
    """Figures of ``kinds`` grouped by (year, unit class, metric, canonical metric) where each of
    ≥2 reports gives one: reports of different years (--mixed-years) are never added or ranged
    together. ``objects`` (rates): the canonical metric splits a phrase, so a bare 化解率 of 矛盾纠纷
    is never ranged with one of 积案, and one whose object is unknown joins none."""
    bare = {b.cue for b in digest_genre().bare_rates}
    groups: dict[tuple[int | None, str, str, str], list[LedgerFigure]] = defaultdict(list)
    for lf in figures:
        if lf.figure.kind in kinds and len(lf.metric) >= MIN_METRIC and lf.metric != lf.figure.unit:
            if objects and not lf.canonical and any(cue in lf.metric for cue in bare):
                continue
            groups[(lf.year, lf.unit_class, lf.metric, lf.canonical if objects else "")].append(lf)
    out = {}
    for key, members in groups.items():
        files = [m.file for m in members]
        if len(set(files)) >= 2 and len(set(files)) == len(files):
            out[key] = members
    return out


def compute_totals(figures: list[LedgerFigure]) -> list[Total]:
    """Every unambiguous cross-report total, in order of first appearance."""
    totals: list[Total] = []
    for (_, unit_class, metric, _), members in _by_metric(figures, SUMMABLE).items():
        value = add_quantities([m.figure.value for m in members])
        unit = Counter(m.figure.unit for m in members).most_common(1)[0][0]
        text = fmt_number(value.low) + unit if value.exact else fmt_number(value.low) + unit + "以上"
        clause = total_clause(members, metric, text, value)
        if clause is None:
            continue
        totals.append(Total(metric=metric, unit=unit, unit_class=unit_class, value=Interval.of(value),
                            text=clause, kind=_kind(members), members=[_member(m) for m in members]))
    return totals


def _overall(rates: list[LedgerFigure], pairs: list[tuple[LedgerFigure, LedgerFigure]]) -> str | None:
    """Σnum / Σden at the finest precision the reports use, with both sums stated as totals."""
    genre = digest_genre()
    num = sum((n.figure.value.low for n, _ in pairs), Decimal(0))
    den = sum((d.figure.value.low for _, d in pairs), Decimal(0))
    if den == 0:
        return None
    precision = min(r.figure.value.precision for r in rates)
    rate = (num * 100 / den).quantize(precision, ROUND_HALF_UP)
    exact = Quantity.model_construct(low=den, high=den, low_open=False, high_open=False, precision=Decimal(1))
    den_clause = total_clause([d for _, d in pairs], pairs[0][1].metric, fmt_number(den) + pairs[0][1].figure.unit,
                              exact)
    exact_num = exact.model_copy(update={"low": num, "high": num})
    num_clause = total_clause([n for n, _ in pairs], pairs[0][0].metric, fmt_number(num) + pairs[0][0].figure.unit,
                              exact_num)
    if den_clause is None or num_clause is None:
        return None
    overall = genre.rate_overall.format(metric=rates[0].metric)
    return f"{den_clause}、{num_clause}，{overall}{fmt_number(rate)}%"


def _range(metric: str, members: list[LedgerFigure]) -> tuple[str, str, str | None, str | None]:
    genre = digest_genre()
    ordered = [m for _, m in sorted(enumerate(members), key=lambda im: (im[1].figure.value.low, im[0]))]
    low, high = ordered[0], ordered[-1]
    if low.figure.value.low == high.figure.value.low:
        names = genre.names([m.label for m in members])
        return "same", f"{genre.rate_same.format(metric=metric)}{fmt_number(low.figure.value.low)}%（{names}）", None, None
    text = (f"{genre.rate_range_low.format(metric=metric)}{fmt_number(low.figure.value.low)}%（{low.label}）、"
            f"{genre.rate_range_high}{fmt_number(high.figure.value.low)}%（{high.label}）")
    return "range", text, low.label, high.label


def compute_rates(figures: list[LedgerFigure]) -> list[RateSummary]:
    """Each rate stated by ≥2 reports: recomputed from counts when possible, else a range."""
    by_sentence: dict[tuple[str, int], list[LedgerFigure]] = defaultdict(list)
    for lf in figures:
        by_sentence[(lf.file, lf.figure.sentence_start)].append(lf)
    metric_counts = Counter((lf.unit_class, lf.metric) for lf in figures)
    out: list[RateSummary] = []
    for (_, _, metric, _), members in _by_metric(figures, frozenset({FigureKind.percent}), objects=True).items():
        members = [m for m in members if m.figure.value.exact]
        if len({m.file for m in members}) < 2:
            continue
        pairs = [rate_pair(m, by_sentence[(m.file, m.figure.sentence_start)]) for m in members]
        text, counts = None, []
        if all(p is not None for p in pairs):
            found = [p for p in pairs if p is not None]
            same_metrics = len({(n.metric, d.metric) for n, d in found}) == 1
            only = all(metric_counts[(x.unit_class, x.metric)] == len(found) for x in found[0])
            text = _overall(members, found) if same_metrics and only else None
            counts = [found[0][1].metric, found[0][0].metric]
        if text is not None:
            summary = RateSummary(metric=metric, mode="recomputed", text=text, kind=_kind(members),
                                  members=[_member(m) for m in members], counts=counts)
        else:
            mode, text, lowest, highest = _range(metric, members)
            summary = RateSummary(metric=metric, mode=mode, text=text, kind=_kind(members),  # type: ignore[arg-type]
                                  members=[_member(m) for m in members], lowest=lowest, highest=highest)
        out.append(summary)
    return out


def range_of(rate: RateSummary, figures: list[LedgerFigure]) -> RateSummary:
    """The range form of a recomputed rate (the fallback when the checker rejects the recompute)."""
    files = {(m.file, m.line, m.figure) for m in rate.members}
    members = [lf for lf in figures if lf.figure.kind is FigureKind.percent and lf.metric == rate.metric
               and (lf.file, lf.figure.line, lf.figure.text) in files]
    mode, text, lowest, highest = _range(rate.metric, members)
    return rate.model_copy(update={"mode": mode, "text": text, "lowest": lowest, "highest": highest, "counts": []})
