"""Approximate forms that make no sense: 余 or 多 after a number that is not round (32余幅).

余/多 say "somewhat more than a round number": 40余场, 3万余册, 十余次. After 32 or 5 they
claim a precision and a vagueness at once; the writer either knows the count (32幅) or means a
round one (30余幅). The figure extractor already knows each numeral's precision (the place of
its last non-zero digit, or of 万/亿), so a figure qualified by 余/多 whose precision is below
ten is flagged. Figures in 《》 titles and fixed phrases are not figures and stay quiet.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Approx
from aidraft.lint.base import make, rule
from aidraft.lint.model import LintFinding
from aidraft.parse.document import Document

MARKERS = ("余", "多")
ROUND = Decimal(10)


def _round_down(numeral: str) -> str | None:
    """A round form to suggest for an Arabic integer: 32 → 30, 105 → 100; None otherwise."""
    if not numeral.isdigit() or int(numeral) < 10:
        return None
    digits = len(numeral)
    step = 10 ** (1 if digits <= 2 else digits - 2)
    return str(int(numeral) // step * step)


@rule("approx-nonround")
def approx_nonround(doc: Document) -> Iterator[LintFinding]:
    """Figures like 32余幅, 5余人, 三十二余次: 余/多 after a number that is not round."""
    for figure in extract_figures(doc.text):
        if figure.start < doc.body_start or figure.approx != Approx.over:
            continue
        at = figure.text.find(figure.numeral)
        if at == -1:
            continue
        after = figure.text[at + len(figure.numeral) : at + len(figure.numeral) + 1]
        if after not in MARKERS or figure.value.precision >= ROUND:
            continue
        marker = after
        start = figure.start + at
        end = start + len(figure.numeral) + 1
        rounded = _round_down(figure.numeral)
        hint = f"；如确为约数，可写“{rounded}{marker}”" if rounded else ""
        yield make(
            doc,
            "approx-nonround",
            start,
            end,
            f"约数用法不当：“{figure.numeral}{marker}”中“{marker}”只能跟在整数（如10、40、3万）之后，"
            f"确切数字应去掉“{marker}”{hint}",
            suggestion=figure.numeral,
        )
