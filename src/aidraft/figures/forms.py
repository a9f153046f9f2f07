"""Figures written in forms other than number + counter, each with one decided rule
(README, "Debatable forms"):

- 三分之二: a share. The percent M/N × 100 to the nearest whole percent: 三分之二 is [66.5, 67.5),
  so 66.7% supports it; 三分之二以上 is [66.67, ∞).
- 九成 / 九成以上 / 近九成: tenths. N成 is N × 10% at a precision of ten points (so 86% supports
  九成 by half-up rounding); bounds and 近 as for any figure. 一成不变 is no figure: a 成 followed
  by another character (other than 以上/左右/的) is a verb.
- 翻一番 / 翻两番: a change by a multiple. 翻N番 is an upward change of ×2^N (unit 番); it is
  derived when this year's value over last year's, half-up to one decimal, is 2^N.
- 连续3年: a count of years (unit 年); dates (2023年) stay no figure.
- 3‰ / 千分之三: per mille, a percent at a tenth of a point: 0.3%, exact.

X分 (scores) are ordinary counters read only after Arabic digits (genre/figures.yaml,
arabic_only_units): 考核得分96.5分 is a figure, 十分重视 is not.
"""

from __future__ import annotations

import re
from decimal import Decimal

from aidraft import regexes
from aidraft.figures.lexicon import CompiledLexicon
from aidraft.figures.model import Approx, FigureKind, Quantity, quantity
from aidraft.figures.numerals import NumeralError, parse_arabic, parse_chinese
from aidraft.text import on_first_use

_CN = "一二两三四五六七八九十百"
# [X][X]* rather than [X]+: a pattern that starts with a character class lets the regex engine
# skip to those characters instead of trying a match at every position
FRACTION = on_first_use(rf"(?P<den>[{_CN}千][{_CN}千]*)分之(?P<num>[{_CN}零〇]+(?:点[{_CN}零〇]+)?)(?P<suf>以上|以下|左右)?")
PER_MILLE = regexes.compile(r"(?<![0-9.])(?P<n>[0-9]+(?:\.[0-9]+)?)‰")  # searched only in texts holding ‰
# Patterns that open with one literal character (成, 续, 翻) let the regex engine jump between its
# occurrences; what comes before it is tested looking back. A match then starts at that literal.
TENTHS = regexes.compile(r"成(?<=(?P<n>[一二两三四五六七八九1-9])成)(?:(?P<suf>以上|以下|左右)|(?=的)|(?![\u4e00-\u9fff]))")
TENTHS_PRE = ("超过", "近", "超", "约")
DOUBLING = regexes.compile(r"翻(?P<n>[一两二三]|[1-3])番")
YEARS_RUN = regexes.compile(r"续(?<=[连持]续)(?P<n>[0-9]{1,2}|[一二两三四五六七八九十]{1,2})(?:个)?年")
HUNDRED = Decimal(100)


def _number(core: str) -> Decimal:
    return parse_arabic(core)[0] if core.isdigit() else parse_chinese(core)[0]


def _fields(m: re.Match[str], value: Quantity, approx: Approx, kind: FigureKind, unit: str, numeral: str) -> dict[
        str, object]:
    return dict(text=m.group(0), start=m.start(), end=m.end(), value=value, approx=approx, kind=kind, unit=unit,
                numeral=numeral, chinese=not numeral.isdigit(), wordlike=False)


def _per_mille(m: re.Match[str], core: str) -> dict[str, object]:
    """3‰, 千分之三: a percent at a tenth of the written precision (0.3%)."""
    value, precision = parse_arabic(core) if core[0].isdigit() else parse_chinese(core)
    ten = Decimal(10)
    return _fields(m, quantity(value / ten, value / ten, precision / ten), Approx.exact, FigureKind.percent, "%", core)


def _fraction(m: re.Match[str]) -> dict[str, object] | None:
    if m.group("den") == "百":  # 百分之九十 is an ordinary percent
        return None
    if m.group("den") == "千" and not m.group("suf"):
        return _per_mille(m, m.group("num"))
    if "点" in m.group("num"):
        return None
    den, num = _number(m.group("den")), _number(m.group("num"))
    if den == 0 or num > den:
        return None
    share = (num * HUNDRED / den).quantize(Decimal("0.01"))
    suffix = m.group("suf")
    pre = next((p for p in TENTHS_PRE if m.string.startswith(p, m.start() - len(p))), "")
    if pre in ("超过", "超", "近") and not suffix:  # 超过三分之二 is (66.67, ∞), 近三分之二 [60, 66.67)
        q = (quantity(share, None, Decimal(1), low_open=True) if pre != "近"
             else quantity(share - share / 10, share, Decimal(1), high_open=True))
        fields = _fields(m, q, Approx.over if pre != "近" else Approx.near, FigureKind.percent, "%", m.group(0))
        fields["start"], fields["text"] = m.start() - len(pre), m.string[m.start() - len(pre) : m.end()]
        return fields
    if suffix == "以上":
        return _fields(m, quantity(share, None, Decimal(1)), Approx.over, FigureKind.percent, "%", m.group(0))
    if suffix == "以下":
        return _fields(m, quantity(Decimal(0), share, Decimal(1)), Approx.under, FigureKind.percent, "%", m.group(0))
    whole = share.quantize(Decimal(1))
    value = quantity(whole - Decimal("0.5"), whole + Decimal("0.5"), Decimal(1), high_open=True)
    return _fields(m, value, Approx.about, FigureKind.percent, "%", m.group(0))


def _tenths(m: re.Match[str]) -> dict[str, object]:
    core = m.group("n")
    text, start = m.string, m.start("n")
    if start > 0 and text[start - 1] in "0123456789一二两三四五六七八九十百千万":
        return {}  # 十成, 25成: not tenths
    pre = next((p for p in TENTHS_PRE if text.startswith(p, start - len(p))), "")
    value = _number(core) * 10
    ten = Decimal(10)
    suffix = m.group("suf") or ""
    if pre in ("超过", "超"):
        q, approx = quantity(value, None, ten, low_open=True), Approx.over
    elif suffix == "以上":
        q, approx = quantity(value, None, ten), Approx.over
    elif suffix == "以下":
        q, approx = quantity(Decimal(0), value, ten), Approx.under
    elif pre == "近":
        q, approx = quantity(value - value / 10, value, ten, high_open=True), Approx.near
    elif pre == "约" or suffix == "左右":
        q, approx = quantity(value - 5, value + 5, ten), Approx.about
    else:
        q, approx = quantity(value, value, ten), Approx.exact
    fields = _fields(m, q, approx, FigureKind.percent, "%", core + "成")
    fields["start"] = start - len(pre)
    fields["text"] = text[start - len(pre) : m.end()]
    return fields


def form_fields(text: str) -> list[dict[str, object]]:
    """The figures of ``text`` in the forms above, as extract's field dicts (without context)."""
    out: list[dict[str, object]] = []
    try:
        # 分之 is not where a fraction starts: a substring test (a fast scan in C) skips texts without it
        for m in FRACTION.finditer(text) if "分之" in text else ():
            fields = _fraction(m)
            if fields is not None:
                out.append(fields)
        out.extend(f for f in (_tenths(m) for m in TENTHS.finditer(text)) if f)
        for m in PER_MILLE.finditer(text) if "‰" in text else ():
            fields = _per_mille(m, m.group("n"))
            fields["start"], fields["text"] = m.start("n"), text[m.start("n") : m.end()]
            out.append(fields)
        for m in DOUBLING.finditer(text):
            n = _number(m.group("n"))
            fields = _fields(m, quantity(n, n, Decimal(1)), Approx.exact, FigureKind.multiple, "番", m.group("n"))
            fields["direction"] = "up"
            out.append(fields)
        for m in YEARS_RUN.finditer(text):
            n = _number(m.group("n"))
            fields = _fields(m, quantity(n, n, Decimal(1)), Approx.exact, FigureKind.count, "年", m.group("n"))
            fields["start"] = m.start("n")
            fields["text"] = text[m.start("n") : m.end()]
            out.append(fields)
    except NumeralError:
        pass
    return out


RANK_HEAD = 6  # characters before 第N that may hold its scope and verb: 全市排名, 位居全省


def rank_fields(text: str, lex: CompiledLexicon) -> list[dict[str, object]]:
    """Ranks (全省第七, 全市排名第3位), as extract's field dicts (without context)."""
    out: list[dict[str, object]] = []
    for m in lex.rank_re.finditer(text):
        head = lex.rank_head_re.search(text, max(0, m.start() - RANK_HEAD), m.start())
        if head is None:
            continue  # 第三季度, 第二轮: ordinals
        raw = m.group("rank")
        value, precision = parse_arabic(raw) if raw.isdigit() else parse_chinese(raw)
        start = m.start() if head.group("verb") else head.start()  # 排名第三: the verb is its clause's
        out.append({"text": text[start : m.end()], "start": start, "end": m.end(),
                    "value": quantity(value, value, precision), "approx": Approx.exact,
                    "kind": FigureKind.rank, "unit": "名次", "numeral": raw, "chinese": not raw.isdigit()})
    return out
