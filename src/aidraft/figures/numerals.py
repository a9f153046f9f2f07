"""Numeral cores → exact Decimals with their stated precision.

Chinese integers are read by the small table-driven core below (``chinese_int``), which is given
only the pure numeral core of a span, never a sentence. It replaces cn2an, whose import alone built
converters for a quarter of a second on every command. Decimals after 点 are read digit by digit so
that 九十七点四一 is Decimal('97.41'), not a float.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from aidraft.errors import InputError

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000), "亿": Decimal(10) ** 8}
UNIT = Decimal(1)  # the precision of an integer (Decimals are immutable: one object serves all)
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


def parse_arabic(core: str) -> tuple[Decimal, Decimal]:
    """'1,190' → (1190, 1); '2.22' → (2.22, 0.01). Full-width digits are accepted."""
    if core.isascii() and core.isdigit():  # most figures: too varied for a cache to pay
        return Decimal(core), UNIT
    return _parse_arabic(core)


@lru_cache(maxsize=4096)
def _parse_arabic(core: str) -> tuple[Decimal, Decimal]:
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
    whole = Decimal(chinese_int(integer))
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


def chinese_int(text: str) -> int:
    """A Chinese integer core → int; NumeralError when it is numeral-shaped but no number.

    Digits alone are read digit by digit (二〇二五 → 2025, as in 一〇五号), otherwise by place:
    亿 over 万 over 千百十 sections, 零 as a gap (一百零五 → 105), a leading 十 as 一十 (十二 → 12)
    and the spoken shorthand of a lone digit after a unit (三百五 → 350, 一万二 → 12000).
    """
    if not text or any(ch not in CN_DIGITS and ch not in MULTIPLIERS for ch in text):
        raise NumeralError(f"not a Chinese numeral: {text!r}")
    if not any(ch in MULTIPLIERS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    return _below(text, "亿", 10**8, lambda t: _below(t, "万", 10**4, _section))


def _below(text: str, unit: str, scale: int, upper: Callable[[str], int]) -> int:
    """``text`` split once at ``unit``: the part before counts in units of ``scale``."""
    head, found, tail = text.partition(unit)
    if not found:
        return upper(text)
    if not head or unit in tail:  # 万 with no digit before it, 万万, 亿亿
        raise NumeralError(f"not a Chinese numeral: {text!r}")
    high = upper(head) * scale
    if len(tail) == 1 and CN_DIGITS.get(tail, 0) > 0:  # 一万二: the lone digit is the next place
        return high + CN_DIGITS[tail] * scale // 10
    return high + (upper(tail) if tail else 0)


def _section(text: str) -> int:
    """A number below 10000 written with 千百十 (and 零 for gaps)."""
    total, pending, last_unit = 0, -1, 10_000
    for i, ch in enumerate(text):
        if ch in CN_DIGITS:
            if pending >= 0:  # 五五 inside a placed number
                raise NumeralError(f"not a Chinese numeral: {text!r}")
            pending = CN_DIGITS[ch] or -1  # 零 only marks a gap
            continue
        unit = SMALL_UNITS.get(ch, 0)
        if not unit or unit >= last_unit:  # 十十, 十百
            raise NumeralError(f"not a Chinese numeral: {text!r}")
        if pending < 0:
            if not (unit == 10 and i == 0):  # only a leading 十 may stand alone
                raise NumeralError(f"not a Chinese numeral: {text!r}")
            pending = 1
        total += pending * unit
        pending, last_unit = -1, unit
    if pending > 0:  # 三百五: a lone digit right after 百/千 is the next place down
        shorthand = len(text) > 1 and text[-2] in SMALL_UNITS and last_unit > 10
        total += pending * (last_unit // 10 if shorthand else 1)
    return total


def scale_of(multiplier: str) -> Decimal:
    """'万' → 10000; '' → 1. Used for Arabic cores followed by 万/亿 (3万, 2.22亿)."""
    if not multiplier:
        return Decimal(1)
    scale = Decimal(1)
    for ch in multiplier:
        scale *= MULTIPLIERS[ch]
    return scale


CN_NUMBERS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """一 … 九十九 and on (一百零一): section numbers (一、), sub-section numbers (（一）) and
    ordinals (十一是; notes of hundreds of items must not end the count in an error)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + CN_NUMBERS[n - 11]
    if n < 100:
        tens, ones = divmod(n, 10)
        return CN_NUMBERS[tens - 1] + "十" + (CN_NUMBERS[ones - 1] if ones else "")
    for unit, word in ((10000, "万"), (1000, "千"), (100, "百")):
        if n >= unit:
            head, rest = divmod(n, unit)
            tail = "" if not rest else ("零" if rest < unit // 10 else "") + ("一" if 10 <= rest < 20 else "") + cn_number(rest)
            return cn_number(head) + word + tail
    raise AssertionError(n)
