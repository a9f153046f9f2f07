"""Changes (同比下降7.5%, 较上年减少23件, 提高7.2个百分点) derived from two years of values.

Property tests: hypothesis draws last year's and this year's counts or rates, writes this year's
value in the notes and last year's in the notes or in a prior report, and writes the change in the
draft in Arabic, Chinese, full-width or 万 forms. Every correct change must come back derived (or
supported); every wrong value, flipped direction or wrong unit must be flagged.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aidraft.check.change import Lines
from aidraft.check.model import FLAGGED, FigureStatus
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText

DIGITS = "零一二三四五六七八九"
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
METRICS = ["受理信访事项", "办理行政复议案件", "检查市场主体", "调处劳动争议", "办理法律援助案件", "整理归档案卷"]
UNITS = ["件", "家次", "件次", "卷", "宗", "人次"]
FORMS = ["arabic", "chinese", "fullwidth", "wan"]


def chinese_int(n: int) -> str:
    """Our own writer of Chinese integers below 10^8 (三万零五百二十), independent of the parser."""
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + ("一" if 10 <= low < 20 else "") + chinese_int(low)
        return chinese_int(high) + "万" + rest
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += ("" if (value == 10 and d == 1 and not out) else DIGITS[d]) + name
            zero = False
        elif out:
            zero = True
    return out


def chinese_decimal(value: Decimal) -> str:
    whole, _, frac = format(value, "f").partition(".")
    return chinese_int(int(whole)) + ("点" + "".join(DIGITS[int(c)] for c in frac) if frac else "")


def write(value: Decimal, form: str) -> str:
    """A number as a report may write it."""
    text = format(value, "f")
    if form == "chinese":
        return chinese_decimal(value)
    if form == "fullwidth":
        return text.translate(FULL)
    if form == "wan" and value >= 10000 and value % 100 == 0:
        return format((value / 10000).normalize(), "f") + "万"
    return text


def percent(value: Decimal, form: str) -> str:
    return "百分之" + chinese_decimal(value) if form == "chinese" else write(value, form) + ("％" if form == "fullwidth" else "%")


def half_up(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, ROUND_HALF_UP)


def status(draft: str, notes: str, prior: str | None, figure: str) -> FigureStatus:
    report = check_text(NamedText(path="draft", text=draft), [NamedText(path="notes", text=notes)],
                        [NamedText(path="prior", text=prior)] if prior else None)
    found = [f for f in report.figures if f.text.endswith(figure) or figure.endswith(f.text)]
    assert found, (figure, [f.text for f in report.figures])
    return found[-1].status


counts = st.integers(min_value=40, max_value=90000)
places = st.sampled_from([Decimal("0.1"), Decimal("1"), Decimal("0.01")])


def _years(v0: int, v1: int, metric: str, unit: str, where: str, form: str) -> tuple[str, str | None]:
    """Notes (this year; last year too when ``where`` is 'notes') and the prior report."""
    this_year = f"- 全年{metric}{write(Decimal(v1), form)}{unit}"
    if where == "notes":
        return this_year + f"，上年同期{v0}{unit}\n", None
    return this_year + "\n", f"2024年，我局全年{metric}{v0}{unit}，工作平稳推进。"


@settings(max_examples=120, deadline=None)
@given(counts, counts, st.sampled_from(METRICS), st.sampled_from(UNITS), st.sampled_from(FORMS), places,
       st.sampled_from(["notes", "prior"]), st.sampled_from(["同比", "较上年", "比上年"]))
def test_relative_change(v0: int, v1: int, metric: str, unit: str, form: str, place: Decimal, where: str,
                         cmp: str) -> None:
    assume(v0 != v1)
    exact = (Decimal(v1) - v0) * 100 / v0
    pct = half_up(abs(exact), place)
    assume(place * 2 <= pct < 1000)  # changes of ten times and more are written as 倍
    right, wrong_dir = ("上升", "下降") if exact > 0 else ("下降", "上升")
    notes, prior = _years(v0, v1, metric, unit, where, form)
    line = f"全年{metric}{write(Decimal(v1), form)}{unit}，{cmp}"
    stated = percent(pct, form)
    assert status(line + right + stated + "。", notes, prior, stated) in (FigureStatus.derived, FigureStatus.supported)
    assert status(line + wrong_dir + stated + "。", notes, prior, stated) in FLAGGED
    off = percent(pct + place * 3, form)
    assert status(line + right + off + "。", notes, prior, off) in FLAGGED
    # the right magnitude in the wrong unit (an absolute count instead of a percent)
    if pct == pct.to_integral_value() and pct != abs(Decimal(v1) - v0):
        as_count = write(pct, form) + unit
        assert status(line + right + as_count + "。", notes, prior, as_count) in FLAGGED


@settings(max_examples=120, deadline=None)
@given(counts, counts, st.sampled_from(METRICS), st.sampled_from(UNITS), st.sampled_from(FORMS),
       st.sampled_from(["notes", "prior"]))
def test_absolute_change(v0: int, v1: int, metric: str, unit: str, form: str, where: str) -> None:
    assume(v0 != v1)
    diff = Decimal(abs(v1 - v0))
    right, wrong_dir = ("增加", "减少") if v1 > v0 else ("减少", "增加")
    notes, prior = _years(v0, v1, metric, unit, where, form)
    line = f"全年{metric}{write(Decimal(v1), form)}{unit}，较上年"
    stated = write(diff, form) + unit
    assert status(line + right + stated + "。", notes, prior, stated) in (FigureStatus.derived, FigureStatus.supported)
    assert status(line + wrong_dir + stated + "。", notes, prior, stated) in FLAGGED
    off = write(diff + 7 if (diff + 7) % 10 else diff + 8, form) + unit  # 七万六千八百 would be a round figure
    assert status(line + right + off + "。", notes, prior, off) in FLAGGED


rates = st.integers(min_value=100, max_value=999).map(lambda n: Decimal(n) / 10)


@settings(max_examples=120, deadline=None)
@given(rates, rates, st.sampled_from(["网上信访占比", "群众满意率", "按期办结率", "调解成功率"]),
       st.sampled_from(FORMS), st.sampled_from(["notes", "prior"]))
def test_points_change(r0: Decimal, r1: Decimal, metric: str, form: str, where: str) -> None:
    assume(r0 != r1)
    diff = abs(r1 - r0)
    right, wrong_dir = ("提高", "下降") if r1 > r0 else ("下降", "提高")
    this_year = f"- {metric}{r1}%"
    notes, prior = ((this_year + f"，上年{r0}%\n", None) if where == "notes"
                    else (this_year + "\n", f"2024年，{metric}{r0}%，稳中有升。"))
    line = f"{metric}{percent(r1, form)}，{right}"
    points = write(diff, form) + "个百分点"
    assert status(line + points + "。", notes, prior, points) in (FigureStatus.derived, FigureStatus.supported)
    flipped = f"{metric}{percent(r1, form)}，{wrong_dir}" + points + "。"
    assert status(flipped, notes, prior, points) in FLAGGED
    off = write(diff + Decimal("0.3"), form) + "个百分点"
    assert status(line + off + "。", notes, prior, off) in FLAGGED


def test_derived_change_shows_its_pair() -> None:
    report = check_text(NamedText(path="d", text="全年受理信访事项282件，同比下降7.5%。"),
                        [NamedText(path="n", text="- 全年受理信访事项282件\n")],
                        [NamedText(path="p", text="2024年全年受理信访事项305件。")])
    change = report.figures[-1]
    assert change.status is FigureStatus.derived
    assert change.note == "282件 vs 305件 → −7.5%"
    assert change.source is not None and change.source.file == "p"


def test_change_stated_without_this_years_value_uses_the_notes() -> None:
    notes = "- 全年受理信访事项282件，上年同期305件\n"
    assert status("信访事项总量同比下降7.5%。", notes, None, "7.5%") is FigureStatus.derived
    assert status("信访事项总量同比上升7.5%。", notes, None, "7.5%") in FLAGGED


def test_change_in_text_pair_recomputes() -> None:
    notes = "- 全年受理信访事项282件\n"
    assert status("受理信访事项282件，较上年的305件减少23件。", notes, None, "23件") is FigureStatus.derived
    assert status("受理信访事项282件，较上年的305件减少13件。", notes, None, "13件") is FigureStatus.contradicted


def test_doubling() -> None:
    notes = "- 全年办理法律援助案件612件，上年同期306件\n"
    assert status("全年办理法律援助案件612件，较上年翻一番。", notes, None, "翻一番") is FigureStatus.derived
    assert status("全年办理法律援助案件612件，较上年翻两番。", notes, None, "翻两番") in FLAGGED


@pytest.mark.parametrize(
    ("draft", "figure", "derived"),
    [
        ("全年办理法律援助案件612件，同比增长1倍。", "1倍", True),  # +100%
        ("全年办理法律援助案件612件，同比增长2倍。", "2倍", False),
        ("全年办理法律援助案件459件，同比增长0.5倍。", "0.5倍", True),  # 459 / 306 − 1
        ("全年办理法律援助案件612件，是上年的2倍。", "2倍", True),  # a multiple of last year's value
        ("全年办理法律援助案件612件，为去年同期的两倍半。", "两倍半", False),
        ("全年办理法律援助案件765件，为去年同期的3倍。", "3倍", False),  # 2.5: 两倍半, never 3倍
        ("全年办理法律援助案件765件，为去年同期的两倍半。", "两倍半", True),
    ],
)
def test_multiples_of_last_year(draft: str, figure: str, derived: bool) -> None:
    this_year = next(n for n in ("459", "765", "612") if n in draft)
    found = status(draft, f"- 全年办理法律援助案件{this_year}件，上年同期306件\n", None, figure)
    assert (found is FigureStatus.derived) is derived
    assert derived or found in FLAGGED


def test_level_after_zhi_is_no_change() -> None:
    report = check_text(NamedText(path="d", text="信访总量下降至282件。"),
                        [NamedText(path="n", text="- 信访总量282件\n")])
    assert report.figures[0].status is FigureStatus.supported


TABLE_NOTES = "- 受理投诉举报21,604件次\n"
TABLE_PRIOR = "受理投诉举报18,350件次。"


@pytest.mark.parametrize(
    ("header", "sep"),
    [("指标 | 2025年 | 2024年 | 同比", " | "), ("指标 | 本年 | 上年 | 同比", " | "),
     ("指标        2025年      2024年      同比", "    "), ("指标\t2025年\t2024年\t同比", "\t")],
)
@pytest.mark.parametrize(("change", "ok"), [("上升17.7%", True), ("下降17.7%", False), ("上升15.7%", False)])
def test_change_in_a_table_row(header: str, sep: str, change: str, ok: bool) -> None:
    table = f"表1 主要数据\n{header}\n受理投诉举报{sep}21,604件次{sep}18,350件次{sep}{change}\n"
    report = check_text(NamedText(path="d", text=table), [NamedText(path="n", text=TABLE_NOTES)],
                        [NamedText(path="p", text=TABLE_PRIOR)])
    statuses = {f.text: f.status for f in report.figures}
    assert statuses["18,350件次"] is FigureStatus.supported  # last year's column, from last year's report
    assert (statuses[change[2:]] is FigureStatus.derived) is ok
    assert (statuses[change[2:]] in FLAGGED) is not ok


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [("按期办结率99.2%，群众满意率97.3%，分别较上年提高1.5个和2.1个百分点。", True),
     ("按期办结率百分之九十九点二，群众满意率百分之九十七点三，分别较上年提高一点五个和二点一个百分点。", True),
     ("按期办结率99.2%，群众满意率97.3%，分别较上年提高2.1个和1.5个百分点。", False),
     ("按期办结率99.2%，群众满意率97.3%，分别较上年下降1.5个和2.1个百分点。", False)],
)
def test_respectively(sentence: str, ok: bool) -> None:
    report = check_text(NamedText(path="d", text=sentence),
                        [NamedText(path="n", text="- 按期办结率99.2%，群众满意率97.3%\n")],
                        [NamedText(path="p", text="按期办结率97.7%，群众满意率95.2%。")])
    changes = [f for f in report.figures if f.unit == "个百分点"]
    assert len(changes) == 2
    assert all((f.status is FigureStatus.derived) is ok for f in changes)
    assert all((f.status in FLAGGED) is not ok for f in changes)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("办理行政处罚案件86件、听证案件34件，分别同比增长19.4%和下降15%。", ["derived", "derived"]),
     ("办理行政处罚案件86件、听证案件34件，同比分别增长19.4%、下降15%。", ["derived", "derived"]),
     ("办理行政处罚案件86件、听证案件34件，分别同比增长19.4%和下降17%。", ["derived", "contradicted"]),
     ("办理行政处罚案件86件、听证案件34件，分别同比增长19.4%和15%。", ["derived", "contradicted"])],  # both rise
)
def test_respectively_with_both_directions(sentence: str, expected: list[str]) -> None:
    notes = "- 全年办理行政处罚案件86件，上年72件\n- 办理听证案件34件，上年40件\n"
    report = check_text(NamedText(path="d", text=sentence), [NamedText(path="n", text=notes)])
    assert [f.status.value for f in report.figures if f.unit == "%"] == expected


@pytest.mark.parametrize(("text", "pos", "expected"), [
    ("受理 | 12 | 10", 5, 0),  # a row that starts the text
    ("说明。\n受理 | 12 | 10", 9, 4),
    ("指标 | 2025年\n" + "受理信访事项" * 100 + "12件", 610, None),  # a figure on a long prose line
    ("x" * 500 + "\n" + "受" * 390 + " | 12", 895, 501),  # a row just under MAX_ROW after a long line
    ("受理 | 12\n" + "受" * 500 + " | 12", 505, None),  # too long to be a row, though it has a break
])
def test_the_row_a_figure_stands_on(text: str, pos: int, expected: int | None) -> None:
    assert Lines(text).row_start(pos) == expected


def test_a_change_is_derived_only_from_last_years_figure_of_the_same_step() -> None:
    assert status("受理信访事项1120件，同比增长6.7%。", "- 受理信访事项1120件\n", "全年办结信访事项1050件。",
                  "6.7%") in FLAGGED
    assert status("受理信访事项1120件，同比增长6.7%。", "- 受理信访事项1120件\n", "全年受理信访事项1050件。",
                  "6.7%") is FigureStatus.derived


def test_a_flipped_change_says_which_way_the_notes_go() -> None:
    report = check_text(NamedText(path="d", text="信访总量同比下降5%。"), [NamedText(path="n", text="信访总量同比上升5%\n")])
    assert report.figures[0].status is FigureStatus.contradicted and "上升5%" in (report.figures[0].note or "")


@pytest.mark.parametrize(("draft", "notes", "figure", "expected"), [
    # last year's value is this year's less the change in units the notes state beside it
    ("受理信访事项152件，同比增长33.3%。", "- 受理信访事项152件，较上年增加38件", "33.3%", FigureStatus.derived),
    ("群众来访同比增长33.3%。", "- 接待群众来访152批次，比上年多38批次", "33.3%", FigureStatus.derived),
    ("办理法律援助案件152件，同比下降20%。", "- 办理法律援助案件152件，较上年减少38件", "20%", FigureStatus.derived),
    ("投入普法经费450万元，同比增长12.5%。", "- 投入普法经费450万元，较上年增加50万元", "12.5%", FigureStatus.derived),
    ("受理信访事项152件，同比增长30%。", "- 受理信访事项152件，较上年增加38件", "30%", FigureStatus.contradicted),
    ("受理信访事项152件，同比下降33.3%。", "- 受理信访事项152件，较上年增加38件", "33.3%", FigureStatus.contradicted),
    # …or the draft's own sentence states it
    ("投入资金450万元，较上年增加50万元，增长12.5%。", "- 投入资金450万元", "12.5%", FigureStatus.derived),
    ("受理信访事项152件，较上年增加38件，同比增长30%。", "- 受理信访事项152件", "30%", FigureStatus.contradicted),
    # a change in units after another level is that level's: it derives nothing of the first
    ("受理信访事项152件，办结150件，较上年增加38件，同比增长33.3%。", "- 受理信访事项152件", "33.3%", "flagged"),
    # …or the notes give last year's value on a line of its own
    ("受理信访事项152件，同比增长33.3%。", "- 受理信访事项152件\n- 上年受理信访事项114件", "33.3%", FigureStatus.derived),
    ("受理信访事项152件，同比增长20%。", "- 受理信访事项152件\n- 上年受理信访事项114件", "20%", FigureStatus.contradicted),
])
def test_last_years_value_from_a_change_in_units_or_a_line_of_its_own(draft: str, notes: str, figure: str,
                                                                     expected: FigureStatus | str) -> None:
    found = status(draft, notes, None, figure)
    assert found in FLAGGED if expected == "flagged" else found is expected
