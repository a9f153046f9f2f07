"""Which notes figure may stand behind a draft figure: rates of other names, changes of other
metrics, targets against actual values, and bounds checked against the exact ratio."""

from __future__ import annotations

import pytest

from aidraft.check.model import FigureStatus
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText

S, U, C, D = FigureStatus.supported, FigureStatus.unsupported, FigureStatus.contradicted, FigureStatus.derived


def _report(draft: str, notes: str):  # type: ignore[no-untyped-def]
    return check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)])


def _status(draft: str, notes: str, figure: str) -> FigureStatus:
    found = [f for f in _report(draft, notes).figures if f.text == figure]
    assert found, [f.text for f in _report(draft, notes).figures]
    return found[-1].status


@pytest.mark.parametrize(
    ("notes", "draft", "figure", "expected"),
    [
        # a rate of another name is another metric, whatever the value
        ("- 执法案卷评查优良率97.6%\n- 行政处罚决定按期办结率99.2%", "案卷评查优良率99.2%。", "99.2%", C),
        ("- 执法案卷评查优良率97.6%\n- 行政处罚决定按期办结率99.2%", "当事人对执法工作的满意率为99.2%。", "99.2%", U),
        ("- 行政处罚决定按期办结率99.2%", "处罚决定办结率99.2%。", "99.2%", S),  # 按期办结率 and 办结率 share a head
        ("- 调解成功率96%", "96%的调解成功率", "96%", S),
        # a change of the same value on another line backs nothing: the pair of years decides
        ("- 受理工伤认定申请356件，同比下降12.3%\n- 新增城镇就业5620人，上年5200人", "新增城镇就业5620人，同比下降12.3%。",
         "12.3%", C),
        ("- 受理工伤认定申请356件，同比下降12.3%\n- 新增城镇就业5620人，上年5200人", "新增城镇就业5620人，同比增长8.1%。",
         "8.1%", D),
        ("- 受理工伤认定申请356件，同比下降12.3%", "受理工伤认定申请356件，同比下降12.3%。", "12.3%", S),
        ("- 甲县群众满意率97%\n- 乙县群众满意率99.2%", "群众满意率最低为97%（甲县）、最高为99.2%（乙县）。", "99.2%", S),
        # a target is no actual value, and the actual value no target
        ("- 年度目标：电子证照覆盖率达到95%以上\n- 全县电子证照覆盖率91.8%", "电子证照覆盖率为91.8%。", "91.8%", S),
        ("- 年度目标：电子证照覆盖率达到95%以上\n- 全县电子证照覆盖率91.8%", "电子证照覆盖率为91.8%，未达到95%以上的目标。",
         "95%以上", S),
    ],
)
def test_which_notes_figure_backs_a_draft_figure(notes: str, draft: str, figure: str, expected: FigureStatus) -> None:
    assert _status(draft, notes, figure) is expected


@pytest.mark.parametrize(
    ("notes", "draft", "figure", "finding"),
    [
        # a bound holds for the exact ratio, never for its rounding: 94.75% is no 95%以上
        ("- 受理群众来访400件\n- 按期办结379件", "受理群众来访400件，按期办结379件，按期办结率95%以上。", "95%以上", "94.75%"),
        ("- 交办积案60件\n- 化解积案41件", "交办积案60件，化解积案41件，化解率七成以上。", "七成以上", "68.33%"),
        ("- 交办积案60件\n- 化解积案41件", "交办积案60件，化解积案41件，化解率近七成。", "近七成", None),
        ("- 交办积案60件\n- 化解积案41件", "交办积案60件，化解积案41件，化解率超过六成。", "超过六成", None),
        ("- 交办积案60件\n- 化解积案41件", "交办积案60件，化解积案41件，化解率68.3%。", "68.3%", None),
        ("- 交办积案60件\n- 化解积案41件", "交办积案60件，化解积案41件，化解率超过三分之二。", "超过三分之二", None),
        ("- 交办积案60件\n- 化解积案41件", "交办积案60件，化解积案41件，化解率近三分之二。", "近三分之二", "68.33%"),
    ],
)
def test_in_text_rates_and_bounds(notes: str, draft: str, figure: str, finding: str | None) -> None:
    report = _report(draft, notes)
    found = [a for a in report.arithmetic if a.text == figure]
    if finding is None:
        assert not found and _status(draft, notes, figure) is D
    else:
        assert found and found[0].expected == finding


TABLE = "| 指标 | 2025年 | 2024年 |\n| --- | --- | --- |\n| 行政许可事项办理（件） | 9650 | 8420 |"
ROW_SENTENCE = "- 行政许可事项办理2025年9650件，2024年8420件"
TAB_TABLE = "指标\t本年\t上年\n行政许可事项办理（件）\t9650\t8420"


@pytest.mark.parametrize("notes", [TABLE, ROW_SENTENCE, TAB_TABLE])
@pytest.mark.parametrize(
    ("draft", "figure", "expected"),
    [
        ("办理行政许可事项8420件。", "8420件", C),  # last year's column is no figure of this year
        ("办理行政许可事项9650件。", "9650件", S),
        ("办理行政许可事项9650件，同比增长14.6%。", "14.6%", D),
        ("办理行政许可事项9650件，同比下降14.6%。", "14.6%", C),
        ("办理行政许可事项9650件，较上年的8420件增长14.6%。", "8420件", S),
    ],
)
def test_last_years_column_or_year_backs_only_last_years_value(notes: str, draft: str, figure: str,
                                                               expected: FigureStatus) -> None:
    assert _status(draft, notes, figure) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展普法宣传活动百余场次。", [("百余场次", "场次")]),  # a bare 百 with 余 is a figure
        ("检查用人单位千余户。", [("千余户", "户")]),
        ("群众、百姓和千家万户。", []),  # a bare 百/千 without an approximation is a word
        ("清运建筑垃圾4.5万吨，办理罚款21笔。", [("4.5万吨", "吨"), ("21笔", "笔")]),
        ("拆除违法建设12.6平方公里。", [("12.6平方公里", "平方公里")]),
        ("在全省市场监管系统法治建设考核中排名第三。", [("第三", "名次")]),  # the scope earlier in the clause
        ("综合考评位列第二。", [("第二", "名次")]),
        ("第三季度开展第二轮检查。", []),  # ordinals are no ranks
    ],
)
def test_more_forms_are_figures(text: str, expected: list[tuple[str, str]]) -> None:
    from aidraft.figures.extract import extract_figures

    assert [(f.text, f.unit) for f in extract_figures(text)] == expected


@pytest.mark.parametrize(
    ("draft", "figure", "expected"),
    [
        ("在全省市场监管系统法治建设考核中排名第一。", "第一", C),
        ("法治建设考核排名全省第三。", "全省第三", S),
        ("开展普法宣传活动百余场次。", "百余场次", C),  # the notes give 56场次
        ("拆除违法建设12.6平方公里。", "12.6平方公里", U),  # 平方公里 is no 平方米
        ("拆除违法建设12.6万㎡。", "12.6万㎡", S),
        ("拆除违法建设约合13万平方米。", "约合13万平方米", FigureStatus.rounded),  # 约合 is 约
    ],
)
def test_ranks_bare_hundreds_and_measures_are_checked(draft: str, figure: str, expected: FigureStatus) -> None:
    notes = "- 在全省市场监管系统法治建设考核中排名第三。\n- 开展普法宣传活动56场次\n- 拆除违法建设12.6万平方米\n"
    assert _status(draft, notes, figure) is expected


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("开展食品安全抽检15260批次，合格率98.6%。", D),  # (15260 − 218) / 15260
        ("食品安全抽检合格率98.57%。", D),
        ("食品安全抽检不合格率1.4%。", D),
        ("食品安全抽检合格率99.6%。", U),
        ("食品安全抽检覆盖率98.6%。", U),  # the rest's share is the 合格率's, no other rate's
    ],
)
def test_a_rate_of_the_rest_derives_from_a_negated_count(draft: str, expected: FigureStatus) -> None:
    notes = "2. 开展食品安全抽检15260批次，不合格218批次。"
    figure = next(f.text for f in _report(draft, notes).figures if f.unit == "%")
    assert _status(draft, notes, figure) is expected


@pytest.mark.parametrize(
    ("notes", "draft", "expected"),
    [
        # a 分别 list: the k-th value states the k-th rate named
        ("- 按期办结率99.1%\n- 群众满意率97.8%", "按期办结率、群众满意率分别为99.1%、97.8%。", [S, S]),
        ("- 信访事项及时受理率100%\n- 按期办结率99.1%\n- 群众满意率97.8%",
         "信访事项及时受理率、按期办结率和群众满意率分别达到100%、99.1%和97.8%。", [S, S, S]),
        ("- 按期办结率99.1%\n- 群众满意率97.8%", "按期办结率和群众满意率分别为97.8%和99.1%。", [U, U]),  # swapped: neither backed
        # a 分别 list of changes and the same changes one by one, either way round
        ("- 受理投诉举报4.6万件、咨询2.1万件，分别同比增长12.2%和6.5%",
         "受理投诉举报4.6万件，同比增长12.2%；受理咨询2.1万件，同比增长6.5%。", [S, S, S, S]),
        ("- 受理投诉举报4.6万件，同比增长12.2%\n- 受理咨询2.1万件，同比下降6.5%",
         "受理投诉举报4.6万件、咨询2.1万件，分别同比增长12.2%和下降6.5%。", [S, S, S, S]),
        # a range over the offices a notes line lists
        ("- 各乡镇信访事项按期办结率：城关镇100%，河口镇97.1%，柳林镇98.5%", "各乡镇按期办结率最低为97.1%，最高为100%。",
         [S, S]),
        # a comparison with the target restates the target's number
        ("- 年度目标：基本医保参保率达到97%以上\n- 基本医保参保率96.2%", "基本医保参保率96.2%，低于97%的年度目标。", [S, S]),
        ("- 年度目标：基本医保参保率达到97%以上\n- 基本医保参保率96.2%", "基本医保参保率96.2%，未完成97%以上的年度目标任务。",
         [S, S]),
        ("- 年度目标：基本医保参保率达到97%以上\n- 基本医保参保率96.2%", "基本医保参保率96.2%，低于95%的年度目标。", [S, C]),
    ],
)
def test_lists_ranges_and_targets_restated(notes: str, draft: str, expected: list[FigureStatus]) -> None:
    assert [f.status for f in _report(draft, notes).figures] == expected


@pytest.mark.parametrize(("draft", "expected"), [("网上信访占比七成。", D), ("网上信访占比八成。", U),
                                                 ("受理信访事项300件，其中网上信访210件，占比七成。", D)])
def test_a_share_in_tenths_derives_from_the_notes_counts(draft: str, expected: FigureStatus) -> None:
    notes = "- 受理信访事项300件，其中网上信访210件"
    figure = next(f.text for f in _report(draft, notes).figures if f.unit == "%")
    assert _status(draft, notes, figure) is expected
