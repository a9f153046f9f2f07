"""Targets held against actuals: a target figure (群众满意率达到95%以上, 不超过5%) and the actual
figure of the same metric, with the bound semantics of the ledger (at least / at most / exact).

One home for the comparison: this year's own targets against this year's figures (build_ledger),
and last year's promises against this year's figures (draft/followup.py).
"""

from __future__ import annotations

from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Approx, Figure
from aidraft.ledger.model import Bound, LedgerItem, Status, TargetCheck
from aidraft.parse.notes_cues import NoteCues, find_word, note_cues
from aidraft.text import han_only


def figure_bound(fig: Figure, cues: NoteCues | None = None) -> Bound:
    """How a target figure bounds the actual: 95%以上 and 不低于95% from below, 5%以内 from above."""
    cues = cues or note_cues()
    around = fig.before[-6:] + "\0" + fig.after[:4]
    if fig.approx is Approx.under or find_word(around, cues.targets.at_most):
        return Bound.at_most
    if fig.approx is Approx.over or find_word(around, cues.targets.at_least):
        return Bound.at_least
    return Bound.exact


def metric_stem(fig: Figure) -> str:
    """The metric a figure measures, without target words, and without the time and plan words a
    note opens with: '力争化解率达到' → '化解率', '预计全年群众满意率' → '群众满意率'. Never cut
    inside a word (全年群众满意率 is no 年群众满意率)."""
    before = fig.before
    cues = note_cues()
    for word in cues.targets.at_least + cues.targets.at_most + cues.targets.markers:
        before = before.replace(word, "")
    stem = han_only(before)
    link = next((w for w in cues.targets.links if stem.endswith(w)), "")
    stem = stem[: len(stem) - len(link)]
    leading = sorted(cues.future.weak + cues.future.strong + cues.future.this_year, key=len, reverse=True)
    while word := next((w for w in leading if stem.startswith(w) and len(stem) > len(w) + 1), None):
        stem = stem[len(word):]
    return stem


def _common_suffix(x: str, y: str) -> str:
    common = 0
    while common < min(len(x), len(y)) and x[-1 - common] == y[-1 - common]:
        common += 1
    return x[len(x) - common:]


def same_metric(a: Figure, b: Figure) -> bool:
    """Same unit and the same last characters of the metric (化解率 / 信访事项化解率)."""
    if a.unit != b.unit:
        return False
    x, y = metric_stem(a), metric_stem(b)
    common = len(_common_suffix(x, y))
    return common >= 3 or (common >= 2 and common == min(len(x), len(y)))


def target_verdict(target: Figure, actual: Figure, bound: Bound | None = None) -> bool | None:
    """Whether ``actual`` meets ``target`` (at most its limit, else at least its value: reaching a
    plain number is doing it), or None when its interval says neither: 97%以上 neither meets nor
    misses 98%以上. Only a value wholly on the wrong side is a shortfall."""
    bound = bound or figure_bound(target)
    low, high = actual.value.low, actual.value.high
    if bound is Bound.at_most:
        limit = target.value.high if target.value.high is not None else target.value.low
        if high is not None and high <= limit:
            return True
        return False if low > limit or (low == limit and actual.value.low_open) else None
    if low >= target.value.low:
        return True
    below = high is not None and (high < target.value.low or (high == target.value.low and actual.value.high_open))
    return False if below else None


def is_target(text: str, status: Status, cues: NoteCues | None = None) -> bool:
    """A note whose figures are targets: a planned note, or one naming a target (目标, 指标)."""
    cues = cues or note_cues()
    return status is Status.planned or find_word(text, cues.targets.markers) is not None


def compare_targets(targets: list[LedgerItem], actuals: list[LedgerItem],
                    cues: NoteCues | None = None) -> list[TargetCheck]:
    """Each target figure of ``targets`` with the first actual of the same metric in ``actuals``
    that decides it (met or not); a target no actual decides is left out."""
    cues = cues or note_cues()
    out: list[TargetCheck] = []
    for item in targets:
        for target in extract_figures(item.text):
            bound = figure_bound(target, cues)
            match = next(((a, fig, met) for a in actuals for fig in extract_figures(a.text)
                          if same_metric(target, fig) and (met := target_verdict(target, fig, bound)) is not None),
                         None)
            if match is None:
                continue
            actual_item, actual, met = match
            metric = _common_suffix(metric_stem(actual), metric_stem(target)) or metric_stem(actual)
            out.append(TargetCheck(target_id=item.id, target=target.text, bound=bound, actual_id=actual_item.id,
                                   actual=actual.text, metric=metric, met=met,
                                   reason=f"目标{metric}{target.text}，实际{actual.text}，"
                                          + ("已达到目标" if met else "未达到目标")))
    return out
