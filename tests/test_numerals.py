"""The Chinese-integer core of figures/numerals.py (it replaced cn2an at run time), table-driven,
with cn2an kept as a test-only oracle for the property test."""

from __future__ import annotations

from decimal import Decimal as D

import cn2an  # test-only oracle (the "test" extra); the project itself no longer imports it
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidraft.figures.extract import extract_figures
from aidraft.figures.numerals import NumeralError, chinese_int, parse_chinese


@pytest.mark.parametrize(
    ("core", "value"),
    [
        ("零", 0), ("〇", 0), ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("一十二", 12), ("二十", 20),
        ("九十九", 99), ("一百", 100), ("两百", 200), ("一百零五", 105), ("一百一十", 110),
        ("一百一", 110), ("三百五", 350), ("一千零一十", 1010), ("一千二", 1200), ("两千三百", 2300),
        ("两千零二十五", 2025), ("三千零五", 3005), ("一万", 10000), ("一万零二", 10002),
        ("一万零五十", 10050), ("一万二", 12000), ("一万二千", 12000), ("两万五", 25000), ("十万", 100000),
        ("十一万", 110000), ("三十万零", 300000), ("二十一万零三百", 210300), ("二十五万三", 253000),
        ("一千万", 10_000_000), ("一千万零一", 10_000_001), ("一千二百三十四万五千六百七十八", 12_345_678),
        ("两亿", 200_000_000), ("一亿零五", 100_000_005), ("一亿二千万", 120_000_000),
        ("三亿五千万", 350_000_000), ("一万亿", 10**12),
        # digits alone are read digit by digit (一〇五号, 二〇二五年)
        ("一二三", 123), ("二〇二五", 2025), ("一〇五", 105), ("九九", 99), ("两两", 22), ("零五", 5),
    ],
)
def test_chinese_int(core: str, value: int) -> None:
    assert chinese_int(core) == value


@pytest.mark.parametrize(
    "core",
    ["", "万", "亿", "十十", "十百", "百千", "万万", "亿万", "四万万", "一百五五", "一万二三", "三点", "十x", "二十五点"],
)
def test_not_a_chinese_int(core: str) -> None:
    with pytest.raises(NumeralError):
        chinese_int(core)


@pytest.mark.parametrize(
    ("core", "value", "precision"),
    [
        ("十二", D(12), D(1)),
        ("一百零五", D(105), D(1)),
        ("两千三百", D(2300), D(1)),  # 两千三百次 is an exact count
        ("一万二千", D(12000), D(1000)),  # once 万 appears the figure is round
        ("三万", D(30000), D(10000)),
        ("三点五", D("3.5"), D("0.1")),
        ("九十七点四一", D("97.41"), D("0.01")),
        ("零点五", D("0.5"), D("0.1")),
        ("百", D(100), D(1)),  # 近百次: a leading unit means 一百
        ("千", D(1000), D(1)),
    ],
)
def test_parse_chinese(core: str, value: D, precision: D) -> None:
    assert parse_chinese(core) == (value, precision)


@pytest.mark.parametrize("core", ["三点五五五五x", "十十", "万万", "三点十"])
def test_parse_chinese_refuses(core: str) -> None:
    with pytest.raises(NumeralError):
        parse_chinese(core)


@pytest.mark.parametrize(
    ("text", "span", "low", "high"),
    [
        ("满意率达百分之九十八。", "百分之九十八", D(98), D(98)),
        ("化解率百分之九十七点四一。", "百分之九十七点四一", D("97.41"), D("97.41")),
        ("增长三点五倍。", "三点五倍", D("3.5"), D("3.5")),
        ("接待群众一万二千人次。", "一万二千人次", D(12000), D(12000)),
        ("办结一百零五件。", "一百零五件", D(105), D(105)),
        ("培训两千三百人。", "两千三百人", D(2300), D(2300)),
        ("受理十二件。", "十二件", D(12), D(12)),
    ],
)
def test_chinese_figures_in_text(text: str, span: str, low: D, high: D) -> None:
    (fig,) = extract_figures(text)
    assert (fig.text, fig.value.low, fig.value.high) == (span, low, high)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_agrees_with_cn2an(n: int) -> None:
    """Our reader reads back every numeral cn2an writes; where cn2an's own reader also reads it,
    the two agree. (cn2an cannot read some of what it writes, e.g. 十九亿一千 for 1,900,001,000.)"""
    text = cn2an.an2cn(n, "low")
    assert chinese_int(text) == n
    try:
        theirs = cn2an.cn2an(text, "smart")
    except (KeyError, ValueError):
        return
    assert theirs == n
