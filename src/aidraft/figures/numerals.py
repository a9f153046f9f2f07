"""Numeral cores → exact Decimals with their stated precision.

cn2an parses Chinese integers; it is only ever given the pure numeral core of a span (never a
sentence: on whole sentences it rewrites words such as 统一). Decimals after 点 are read digit by
digit here so that 九十七点四一 is Decimal('97.41'), not a float.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import cn2an

from aidraft.errors import InputError

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MULTIPLIERS = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000), "亿": Decimal(10) ** 8}
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


class NumeralError(InputError):
    """A span looked like a numeral but is not one."""


def last_nonzero_place(value: Decimal) -> Decimal:
    """Place value of the last non-zero digit: 40 → 10, 2000 → 1000, 57 → 1, 97.41 → 0.01."""
    if value == 0:
        return Decimal(1)
    sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


def decimal_places_precision(text: str) -> Decimal:
    """0.01 for '97.41', 1 for '207'."""
    if "." in text:
        return Decimal(1).scaleb(-len(text.split(".", 1)[1]))
    return Decimal(1)


@lru_cache(maxsize=4096)
def parse_arabic(core: str) -> tuple[Decimal, Decimal]:
    """'1,190' → (1190, 1); '2.22' → (2.22, 0.01). Full-width digits are accepted."""
    text = core.translate(FULLWIDTH).replace(",", "")
    try:
        return Decimal(text), decimal_places_precision(text)
    except ArithmeticError as exc:  # decimal.InvalidOperation
        raise NumeralError(f"not a number: {core!r}") from exc


@lru_cache(maxsize=4096)
def parse_chinese(core: str) -> tuple[Decimal, Decimal]:
    """'两千' → (2000, 1); '九十七点四一' → (97.41, 0.01); '三万' → (30000, 10000).

    Precision is 1 for plain integers (三十次 is exactly thirty) but the place of the last
    non-zero digit once 万 or 亿 appears (三万 is a round figure, like 3万).
    """
    integer, _, fraction = core.partition("点")
    if integer[:1] in MULTIPLIERS and integer[:1] != "十":
        integer = "一" + integer  # 百 → 一百, 千余 → 一千
    if not integer:
        integer = "零"
    try:
        whole = Decimal(int(cn2an.cn2an(integer, "smart")))
    except (ValueError, KeyError) as exc:
        raise NumeralError(f"not a Chinese numeral: {core!r}") from exc
    if fraction:
        try:
            digits = "".join(str(CN_DIGITS[ch]) for ch in fraction)
        except KeyError as exc:
            raise NumeralError(f"not a Chinese decimal: {core!r}") from exc
        value = Decimal(f"{whole}.{digits}")
        return value, Decimal(1).scaleb(-len(digits))
    if "万" in integer or "亿" in integer:
        return whole, last_nonzero_place(whole)
    return whole, Decimal(1)


def scale_of(multiplier: str) -> Decimal:
    """'万' → 10000; '' → 1. Used for Arabic cores followed by 万/亿 (3万, 2.22亿)."""
    if not multiplier:
        return Decimal(1)
    scale = Decimal(1)
    for ch in multiplier:
        scale *= MULTIPLIERS[ch]
    return scale
