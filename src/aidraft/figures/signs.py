"""A minus sign written before a figure's number is part of its value.

同比增长−3.5%, 增幅为－2个百分点, 同比-3.5%: a negative change is a fall, so the figure is a change
down 3.5 (value 3.5, direction down: how the checker compares 下降3.5%, and how a table cell's −8.3%
reads, figures/tables.py). Before a level (温差为-5) the value itself is negative.

A minus is a sign only where nothing numeric stands before it: after a digit (3-5个工作日,
2024-2025年) or a Latin letter (A-3) it joins a range or a code, and at the start of a line it is a
list dash. Only an Arabic number takes a sign.
"""

from __future__ import annotations

from functools import cache
from re import Pattern

from aidraft import regexes
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Quantity, quantity
from aidraft.text import is_han

MINUS = frozenset("-−－")
#: What may stand before a sign besides a Han character: punctuation that opens a clause or a value.
SIGN_AFTER = frozenset("：:，,；;、（(［[=＝ \t")
DIGITS = frozenset("0123456789０１２３４５６７８９")
FLIP = {"up": "down", "down": "up"}
NEGATIVE = "negative"  # the field that marks a signed figure until its context is known


def mark_negatives(text: str, found: list[dict[str, object]]) -> None:
    """Take the minus sign before each Arabic figure into its span, marked ``negative``."""
    signed = _after_minus(text)  # few: each figure is looked up, not looked at
    if not signed:
        return
    for fields in found:
        start: int = fields["start"]  # type: ignore[assignment]
        if start not in signed or start < 2 or text[start] not in DIGITS:
            continue
        before = text[: start - 1].rstrip(" \t")[-1:]
        if not before or not (is_han(before) or before in SIGN_AFTER):
            continue  # 3-5个工作日, A-3, a dash opening a line
        fields["start"] = start - 1
        fields["text"] = text[start - 1 : fields["end"]]  # type: ignore[misc]
        fields[NEGATIVE] = True


def _after_minus(text: str) -> set[int]:
    """The positions right after each minus sign of ``text``."""
    out: set[int] = set()
    for minus in MINUS:
        at = text.find(minus)
        while at >= 0:
            out.add(at + 1)
            at = text.find(minus, at + 1)
    return out


@cache
def _compared() -> Pattern[str]:
    """A comparison (同比, 较上年) ending the words before a figure: 同比-3.5% is a change."""
    ch = lexicon().lex.changes
    fillers = regexes.alternation(ch.fillers)
    return regexes.compile(f"(?:{regexes.alternation(ch.comparisons)})(?:{fillers})*$")


def signed_direction(fields: dict[str, object], before: str, direction: str) -> str:
    """The direction of a figure, its sign applied: a change's turns round (增长−3.5% falls), a bare
    comparison's is down (同比-3.5%); a level's value becomes negative and it has none."""
    if not fields.pop(NEGATIVE, False):
        return direction
    if direction:
        return FLIP[direction]
    if _compared().search(before.rstrip(" \t")):
        return "down"
    value: Quantity = fields["value"]  # type: ignore[assignment]
    if value.high is not None:
        fields["value"] = quantity(-value.high, -value.low, value.precision,
                                   low_open=value.high_open, high_open=value.low_open)
    return ""

