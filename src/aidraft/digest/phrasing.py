"""How the digest writes a number, a total and a quoted figure so the checker reads them back
exactly as meant.

Every clause built here is verified by extracting its figures again: the value must be the one
computed, the metric (figures.metric.metric_phrase) the one the reports use, and a total must
carry a total marker. A clause that fails is not printed: nothing in a digest may say more
than the ledger does.
"""

from __future__ import annotations

from decimal import Decimal

from aidraft.check.derived import quantize_both
from aidraft.digest.config import digest_genre
from aidraft.digest.ledger import LedgerFigure
from aidraft.digest.metric_names import clause_of, clean_before
from aidraft.figures.extract import extract_figures
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import metric_phrase
from aidraft.figures.model import FigureKind, Quantity

_TWO_PLACES = Decimal("0.01")
TRIED_MEMBERS = 5


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def fmt_number(value: Decimal) -> str:
    """12000 → 1.2万, 222000000 → 2.22亿, 73.4 → 73.4: the way reports write large numbers."""
    for scale, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if value >= scale and (value / scale) == (value / scale).quantize(_TWO_PLACES):
            return _plain(value / scale) + word
    return _plain(value)


def _reads_as(clause: str, metric: str, value: Quantity) -> bool:
    figs = extract_figures(clause)
    if len(figs) != 1:
        return False
    fig = figs[0]
    if value.exact:
        same = fig.value.exact and fig.value.key() == value.key()
    else:
        same = not fig.value.exact and value.within(fig.value)
    return same and metric_phrase(fig) == metric and bool(lexicon().total_re.search(fig.before))


def total_clause(members: list[LedgerFigure], metric: str, value_text: str, value: Quantity) -> str | None:
    """合计发放宣传资料3.2万册以上 — worded like one of the reports, verified to read back right.

    Only whole clauses of the reports are used: a clause too long for the checker's context
    window would need cutting mid-phrase (合计生活的若干准则等法律法规…), so its total is left out."""
    template = digest_genre().total
    candidates: list[str] = []
    for lf in members[:TRIED_MEMBERS]:
        before, after = clause_of(lf.figure)
        core = clean_before(before)
        candidates += [core + value_text + after, core + value_text]
    for body in dict.fromkeys(candidates):
        clause = template.format(clause=body)
        if _reads_as(clause, metric, value):
            return clause
    return None


def rate_pair(rate: LedgerFigure, sentence: list[LedgerFigure]) -> tuple[LedgerFigure, LedgerFigure] | None:
    """The two counts of the rate's own sentence it is the ratio of (化解207起 / 交办282起).

    The numerator must name the rate's verb (化解 for 化解率), as the checker's arithmetic asks."""
    pos = rate.metric.rfind("率")
    stem = rate.metric[max(0, pos - 2) : pos] if pos >= 1 else ""
    counts = [c for c in sentence if c.figure.kind is FigureKind.count and c.figure.value.exact]
    value, precision = rate.figure.value.low, rate.figure.value.precision
    for num in counts:
        if not stem or stem not in num.figure.before + num.figure.after:
            continue
        for den in counts:
            if den is num or den.unit_class != num.unit_class or den.figure.value.low == 0:
                continue
            if num.figure.value.low > den.figure.value.low:
                continue
            if value in quantize_both(num.figure.value.low * 100 / den.figure.value.low, precision):
                return num, den
    return None
