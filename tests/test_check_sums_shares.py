"""Totals a draft states over parts (parts after 其中 in its own sentence, parts it names that the
notes give on lines of their own: check/arithmetic.py, check/named_total.py), and shares named by
what they count (简易程序案件占比67.1% from the notes' counts)."""

from __future__ import annotations

import pytest

from aidraft.check.arithmetic import check_arithmetic
from aidraft.check.model import FLAGGED, FigureStatus
from aidraft.check.run import check_text
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import NamedText

derived, contradicted, supported = FigureStatus.derived, FigureStatus.contradicted, FigureStatus.supported
flagged = "flagged"  # contradicted or unsupported: anything but backed


def assert_one(expected: FigureStatus | str, found: list[FigureStatus]) -> None:
    """One figure found, with the ``expected`` status, or flagged (contradicted or unsupported)."""
    if expected == flagged:
        assert len(found) == 1 and found[0] in FLAGGED, found
    else:
        assert found == [expected]


def all_statuses(draft: str, notes: str) -> list[FigureStatus]:
    return [f.status for f in check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)]).figures]


def statuses(draft: str, notes: str, figure: str) -> list[FigureStatus]:
    report = check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)])
    found = [f.status for f in report.figures if f.text == figure]
    assert found, [f.text for f in report.figures]
    return found


@pytest.mark.parametrize(("sentence", "verified"), [
    ("全年共受理行政复议案件120件，其中维持86件、撤销34件。", "= 86件 + 34件"),
    ("办理劳动争议案件64宗，包括调解结案40宗，裁决24宗。", "= 40宗 + 24宗"),
    ("全年共接待群众来访三百一十五人次，其中集体访一百人次、个人访二百一十五人次。", "= 一百人次 + 二百一十五人次"),
    ("受理投诉举报210件，其中电话投诉150件、网络投诉60件，办结205件。", "= 150件 + 60件"),  # 办结 is no part
    ("投入资金共计356万元，其中财政资金300万元、社会资金56万元。", "= 300万元 + 56万元"),
    # a partial or overlapping list is no error, and verifies nothing
    ("共受理信访事项120件，其中来信45件、来访50件。", None),
    ("共受理信访事项120件，其中涉法涉诉60件、重复信访70件。", None),
    ("共受理信访事项120件，其中来信45件。", None),  # one part is no sum
])
def test_a_total_stated_first_is_verified_by_the_parts_after_its_marker(sentence: str, verified: str | None) -> None:
    result = check_arithmetic(extract_figures(sentence))
    assert list(result.verified.values()) == ([verified] if verified else [])
    assert result.findings == []


@pytest.mark.parametrize(("draft", "notes", "figure", "expected"), [
    # two bullets, each named in the total's clause by words the other does not have
    ("全年受理行政复议和应诉案件共120件。", "- 办理行政复议案件86件，纠错率12.8%\n- 办理行政应诉案件34件，败诉2件",
     "120件", derived),
    ("开展法治宣传和普法培训活动共计92场。", "- 开展法治宣传活动58场\n- 组织普法培训34场\n- 召开座谈会1场", "92场", derived),
    ("道路改造和广场建设共投入资金356万元。", "道路改造投入资金300万元。\n\n另：广场建设投入资金56万元。", "356万元", derived),
    ("阵地建设和资料印制累计投入86.6万元。", "- 阵地建设投入52.34万元\n- 资料印制投入34.21万元", "86.6万元", derived),
    ("阵地建设和资料印制累计投入86.5万元。", "- 阵地建设投入52.34万元\n- 资料印制投入34.21万元", "86.5万元", flagged),
    ("全年共调解土地纠纷、婚姻家庭纠纷和邻里纠纷143起。",
     "- 调解土地纠纷61起\n- 调解婚姻家庭纠纷50起\n- 调解邻里纠纷32起", "143起", derived),
    # a wrong total is still caught
    ("全年受理行政复议和应诉案件共121件。", "- 办理行政复议案件86件\n- 办理行政应诉案件34件", "121件", contradicted),
    # parts the clause does not tell apart: 信访 and 受理 are words of both
    ("全年受理信访事项共120件。", "- 通过信访渠道受理来信86件\n- 通过信访渠道受理来访34件，办结30件", "120件", flagged),
    # no total marker: a bare value is no sum of anything
    ("受理行政复议和应诉案件120件。", "- 办理行政复议案件86件\n- 办理行政应诉案件34件", "120件", contradicted),
    # a part of last year, or a plan, is no part of this year's total
    ("全年受理行政复议和应诉案件共120件。", "- 2024年办理行政复议案件86件，2025年办理行政复议案件90件\n- 办理行政应诉案件34件",
     "120件", flagged),
])
def test_a_total_over_named_parts_of_the_notes(draft: str, notes: str, figure: str, expected: FigureStatus | str) -> None:
    found = statuses(draft, notes, figure)
    assert_one(expected, found)


def test_a_total_stated_first_is_derived_even_where_a_part_is_the_nearest_context() -> None:
    draft = "全年受理行政复议和应诉案件共120件，其中行政复议案件86件、行政应诉案件34件。"
    notes = "- 办理行政复议案件86件\n- 办理行政应诉案件34件"
    assert statuses(draft, notes, "120件") == [derived]
    assert statuses(draft, notes, "86件") == [supported]


@pytest.mark.parametrize(("draft", "notes", "expected"), [
    ("办理行政处罚案件70件，其中简易程序案件占比67.1%。", "- 办理行政处罚案件70件，其中适用简易程序47件", derived),
    ("简易程序案件占比67.1%。", "- 全年办理行政处罚案件70件，适用简易程序办理47件", derived),
    ("女性来访者占比45%。", "- 接待来访群众200人，其中女性90人", derived),
    ("网上信访占信访总量的比例为62.5%。", "- 受理信访事项320件，其中网上信访200件", derived),
    ("调解成功的纠纷所占比重为87.5%。", "- 排查矛盾纠纷160起，调解成功140起", derived),
    ("全年办理行政处罚案件70件，简易程序案件47件，占比67.1%。", "- 办理行政处罚案件70件，其中适用简易程序47件", derived),
    # another part of the same whole is no such share
    ("一般程序案件占比67.1%。", "- 办理行政处罚案件70件，其中适用简易程序47件", flagged),
    ("男性来访者占比45%。", "- 接待来访群众200人，其中女性90人", flagged),
    ("简易程序案件占比32.9%。", "- 办理行政处罚案件70件，其中适用简易程序47件", flagged),
])
def test_a_share_is_named_by_what_it_counts(draft: str, notes: str, expected: FigureStatus | str) -> None:
    found = [f.status for f in check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)]).figures
             if f.unit == "%"]
    assert_one(expected, found)


@pytest.mark.parametrize(("draft", "notes", "expected"), [
    # a notes line's counts add up to a stated total only as a list: from its start or its 其中
    ("全年共受理信访事项756件。", "受理来信156件，来访212件，网上信访388件，办结740件", derived),
    ("全年共受理信访事项368件。", "受理来信156件、来访212件", derived),
    ("全年共办理复议案件120件。", "办理行政复议案件，其中维持86件、撤销34件", derived),
    ("全年共受理信访事项600件。", "受理来信156件，来访212件，网上信访388件，办结740件", flagged),  # 212 + 388: no list
    # the line states the total's own metric with another value: that value stands
    ("全年共查处案件53件。", "查处案件48件，罚没款5万元，移送司法机关5件", contradicted),
    ("全年共受理信访事项740件。", "受理信访事项388件，办结352件，在办36件", contradicted),
    # last year's value and a change are no parts of this year's total
    ("累计培训执法人员1560人次。", "2025年培训执法人员860人次，2024年培训700人次", flagged),
    ("全年共受理信访事项190件。", "受理信访事项152件，较上年增加38件", flagged),
])
def test_a_lines_counts_add_up_only_as_a_list(draft: str, notes: str, expected: FigureStatus | str) -> None:
    assert_one(expected, all_statuses(draft, notes))


def test_a_wrong_total_says_it_differs_from_its_own_parts() -> None:
    report = check_text(NamedText(path="d", text="来信156件、来访212件、网上信访388件，合计765件。"),
                        [NamedText(path="n", text="- 来信156件\n- 来访212件\n- 网上信访388件")])
    total = report.figures[-1]
    assert total.status is contradicted and "156件 + 212件 + 388件 = 756" in (total.note or "")
    assert "388件" not in (total.note or "").split("=")[0].replace("156件 + 212件 + 388件", "")


@pytest.mark.parametrize(("text", "expected"), [
    ("受益群众1.2万，覆盖率95%。", [("1.2万", "", "12000"), ("95%", "%", "95")]),
    ("发放宣传资料3万余，", [("3万余", "", "(30000, 40000)")]),
    ("惠及群众近10万。", [("近10万", "", "[90000, 100000)")]),
    ("挽回经济损失120余万。", [("120余万", "", "(1200000, 1300000)")]),
    ("2024年投入1.2亿。", [("1.2亿", "", "120000000")]),
    ("投入2万元，走访3万户。", [("2万元", "元", "20000"), ("3万户", "户", "30000")]),  # a counter stays the unit
    ("惠及1.2万群众。", []),  # a word follows: no bare figure (its counter is unknown)
    ("编号2万A，共3千，", []),
])
def test_wan_and_yi_without_a_counter_are_figures(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(f.text, f.unit, f.value.display()) for f in extract_figures(text)] == expected


@pytest.mark.parametrize(("draft", "notes", "expected"), [
    ("受益群众1.2万。", "受益群众12000人", supported),
    ("受益群众1.2万人。", "- 受益群众1.2万", supported),
    ("投入资金21万，", "投入资金21万元", supported),
    ("惠及群众近10万。", "惠及群众9.6万人", FigureStatus.rounded),
    ("受益群众1.5万。", "受益群众12000人", flagged),  # checked now: it was never extracted
    ("受益群众1.2万。", "- 培训人员12000人", flagged),  # another metric's 12000人
    ("开展法律服务进社区活动，受益群众1.2万。", "开展法律服务进社区活动受益群众1.2万人", supported),
    ("帮助农民工追回工资1200万。", "帮助农民工追回工资1200万元", supported),
    ("受益群众1.2万。", "罚没收入1.2万元", flagged),
])
def test_a_figure_without_a_counter_is_checked_in_its_metrics_context(draft: str, notes: str,
                                                                       expected: FigureStatus | str) -> None:
    assert_one(expected, all_statuses(draft, notes))


@pytest.mark.parametrize(("heading", "unit"), [("件数", "件"), ("人数", "人"), ("件", "件"), ("人次", "人次"), ("万元", "元"),
                                               ("2025年（件）", "件"), ("2025年件数", "件"), ("上年件数", "件"), ("渠道", "")])
def test_a_column_heading_may_be_its_counter(heading: str, unit: str) -> None:
    table = f"| 项目 | {heading} |\n|---|---|\n| 受理来信 | 156 |\n"
    assert [(f.text, f.unit) for f in extract_figures(table)] == [("156", unit)]


@pytest.mark.parametrize(("draft", "notes", "expected"), [
    # a named total's parts are of its metric: no other step, no negated count, nothing of last year
    ("全年共受理行政复议和行政应诉案件120件。", "受理行政复议案件86件。\n受理行政应诉案件34件。", derived),
    ("全年共受理行政复议和行政应诉案件120件。", "受理行政复议案件86件。\n办结行政应诉案件34件。", flagged),
    ("全年共受理行政复议和行政应诉案件120件。", "受理行政复议案件86件。\n未按期办结行政应诉案件34件。", flagged),
    ("全年共受理行政复议和行政应诉案件120件。", "受理行政复议案件86件。\n上年办理行政应诉案件34件。", flagged),
    # an approximate total holds the parts' sum
    ("全年共发放宣传资料和普法读物约1.2万份。", "发放宣传资料8000份\n发放普法读物4000份", derived),
    ("全年共发放宣传资料和普法读物1.2万余份。", "发放宣传资料8100份\n发放普法读物4000份", derived),
    # a notes line's list adds up whole, or up to a count of another step; never cut short
    ("共受理信访事项368件。", "受理信访事项：来信156件，来访212件，网上信访388件", flagged),
    ("共受理信访事项756件。", "受理信访事项：来信156件，来访212件，网上信访388件", derived),
    # a share's whole is no other part of that whole, and its part is the one it names
    ("来信占比50%。", "受理信访事项300件，其中来访150件，网上信访100件，来信50件", flagged),
    ("刑事案件占比60%。", "办理法律援助案件200件，其中民事案件120件，刑事案件80件", flagged),
    ("刑事案件占比40%。", "办理法律援助案件200件，其中民事案件120件，刑事案件80件", derived),
    ("一般程序案件占67.1%。", "办理行政处罚案件70件，适用简易程序47件", flagged),
    # a line's label names its part (线上：180件), and a bare 1.2万 needs its metric's context
    ("线下调解纠纷180件。", "线上：180件\n线下：320件", flagged),
    ("线下调解纠纷320件。", "线上：180件\n线下：320件", supported),
    ("受益群众1.2万。", "罚没收入1.2万", flagged),
])
def test_parts_wholes_and_labels_of_the_second_hunt(draft: str, notes: str, expected: FigureStatus | str) -> None:
    assert_one(expected, all_statuses(draft, notes))
