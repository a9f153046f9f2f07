"""Figures of another part or another year back nothing: parts of one whole are counted apart
(check/kinship.py, genre/contrasts.yaml), and a figure dated to last year (by its year before the
year the text reports on: check/dating.py) is backed only by last year's."""

from __future__ import annotations

import pytest

from aidraft.check.kinship import _clause_parts, other_part
from aidraft.check.model import FLAGGED, FigureStatus
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText


def statuses(draft: str, notes: str) -> list[tuple[str, FigureStatus]]:
    report = check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)])
    return [(f.text, f.status) for f in report.figures]


@pytest.mark.parametrize(("draft", "notes"), [
    ("线上调解矛盾纠纷320件。", "线上调解180件，线下调解320件"),
    ("女性受援人占比55%。", "男性占比55%，女性占比45%"),
    ("简易程序案件占比67.1%。", "一般程序案件占比67.1%"),
    ("受理来信388件。", "来信156件，来访212件，网上信访388件"),
    ("办理民事法律援助案件86件。", "- 办理刑事法律援助案件86件\n- 办理民事法律援助案件120件"),
    ("上半年开展普法宣传42场。", "- 下半年开展普法宣传42场"),
    ("化解重复信访积案15件。", "- 化解初信初访15件"),
    ("农村地区调解纠纷210起。", "- 城镇地区调解纠纷210起\n- 农村地区调解纠纷180起"),
    ("受理行政诉讼一审案件30件。", "- 二审30件\n- 一审45件"),
    ("5月受理投诉52件。", "- 4月受理投诉52件\n- 5月受理投诉60件"),
    ("外地户籍农民工讨薪案件26件。", "- 本地户籍农民工讨薪案件26件"),
])
def test_another_parts_value_backs_nothing(draft: str, notes: str) -> None:
    assert all(status in FLAGGED for _, status in statuses(draft, notes))


@pytest.mark.parametrize(("draft", "notes"), [
    ("线上调解矛盾纠纷180件。", "线上调解180件，线下调解320件"),
    ("网上信访388件。", "来信156件，来访212件，网上信访388件"),  # 网上 and 网上信访: one part
    ("调解矛盾纠纷500件。", "线上调解180件，线下调解320件，共调解500件"),  # the whole names no part
    ("其中市级交办12件。", "- 市级交办信访事项12件\n- 县级交办信访事项33件"),
    ("办理首次信访事项60件。", "- 办理初次信访事项60件"),  # two spellings of one part
    ("1-11月受理投诉600件。", "- 1-11月受理投诉600件"),
])
def test_the_same_part_or_the_whole_is_compared_as_usual(draft: str, notes: str) -> None:
    assert [status for _, status in statuses(draft, notes)] == [FigureStatus.supported]


def test_swapped_values_of_two_parts_are_both_contradicted() -> None:
    found = statuses("其中市级交办信访事项12件，县级交办33件。", "- 市级交办信访事项33件\n- 县级交办信访事项12件")
    assert [status for _, status in found] == [FigureStatus.contradicted, FigureStatus.contradicted]


@pytest.mark.parametrize(("a", "b", "other"), [
    ("线上调解", "线下调解", True),
    ("线上线下调解", "线上调解", False),  # a clause of both sides names the whole
    ("开展培训", "线下培训", False),  # only one clause names a part
    ("乡镇级调处", "县级调处", True),
    ("乡镇（街道）级调处", "乡级调处", False),
])
def test_clause_parts(a: str, b: str, other: bool) -> None:
    assert other_part(_clause_parts(a, ""), _clause_parts(b, "")) is other


@pytest.mark.parametrize(("draft", "notes", "figure", "expected"), [
    # the notes' figure dated by the year before the one they or the draft report on is last year's
    ("2025年工作报告\n群众满意率97.3%。", "群众满意率98.5%（2024年97.3%）", "97.3%", "flagged"),
    ("2025年工作报告\n群众满意率98.5%，较上年提高1.2个百分点。", "群众满意率98.5%（2024年97.3%）", "1.2个百分点",
     FigureStatus.derived),
    ("2025年工作报告\n全年受理信访事项114件。", "- 2025年受理信访事项152件\n- 2024年受理信访事项114件", "114件",
     FigureStatus.contradicted),
    ("受理信访事项152件，同比增长33.3%。", "---\nyear: 2025\n---\n- 受理信访事项152件\n- 2024年受理信访事项114件",
     "33.3%", FigureStatus.derived),
    ("受理信访事项152件，同比增长33.3%。", "# 2025年信访工作笔记\n- 受理信访事项152件\n- 2024年受理信访事项114件",
     "33.3%", FigureStatus.derived),
    ("2025年工作报告\n全年受理投诉600件。", "2025年工作笔记\n2024年：受理投诉600件\n2025年：受理投诉700件", "600件", "flagged"),
    ("2025年工作报告\n全年受理投诉700件。", "2025年工作笔记\n2024年：受理投诉600件\n2025年：受理投诉700件", "700件",
     FigureStatus.supported),
    # a value the draft dates to last year is backed only by last year's figure
    ("全年受理信访事项152件，上年为152件。", "受理信访事项152件", "152件", "second flagged"),
    ("由2024年的920件下降到860件。", "受理信访事项860件，上年920件", "920件", FigureStatus.supported),
])
def test_dated_figures_back_only_figures_of_their_year(draft: str, notes: str, figure: str,
                                                       expected: FigureStatus | str) -> None:
    found = [status for text, status in statuses(draft, notes) if text == figure]
    if expected == "flagged":
        assert found and all(s in FLAGGED for s in found)
    elif expected == "second flagged":
        assert found[0] is FigureStatus.supported and found[1] in FLAGGED
    else:
        assert found == [expected]


@pytest.mark.parametrize(("text", "year"), [
    ("---\noffice: 某县司法局\nyear: 2025\n---\n- 受理1件", 2025),
    ("某县司法局关于2025年度法治政府建设情况的报告\n一、主要举措", 2025),
    ("# 青溪县信访局2025年工作笔记\n- 受理1件", 2025),
    ("- 2024年度考核工作\n- 2024年受理114件", None),  # a list item is no title
    ("一、2024年工作\n受理1件", None),
    ("2024年12月，开展培训3次。", None),
])
def test_the_year_a_text_says_it_reports_on(text: str, year: int | None) -> None:
    from aidraft.check.dating import stated_year

    assert stated_year(text) == year
