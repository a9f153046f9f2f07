"""Zero claims compared by event and object, years and 由A…到B dating last year's values, and
counters with a noun built in or a 千 of their own (千米)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aidraft.check.model import FigureStatus
from aidraft.check.run import check_text
from aidraft.check.sources import SourceIndex
from aidraft.check.zero_claims import back_zero_count
from aidraft.figures.extract import extract_figures
from aidraft.figures.zero import zero_claims
from aidraft.ingest.read import NamedText

S, U, C, D = FigureStatus.supported, FigureStatus.unsupported, FigureStatus.contradicted, FigureStatus.derived
HEAD = "# 主要举措和成效\n"


def _statuses(notes: str, draft: str) -> dict[str, FigureStatus]:
    report = check_text(NamedText(path="d.md", text=draft), [NamedText(path="n.md", text=HEAD + notes + "\n")])
    return {f.text: f.status for f in report.figures}


@pytest.mark.parametrize(
    ("notes", "draft", "claim", "expected"),
    [
        # the notes' own claim in a short clause: its object is the sentence's earlier words
        ("- 行政应诉案件15件，无一例败诉", "全年行政应诉案件15件，保持零败诉。", "零败诉", S),
        # a count of the cases is no count of the 败诉; the 0 count of 败诉 backs the claim
        ("- 行政复议案件30件，被纠错0件", "全年行政复议决定实现零纠错。", "零纠错", S),
        ("- 全年发生交通事故7起，死亡0人", "全年交通事故未造成人员死亡。", "未造成", S),
        ("- 全年发生交通事故7起，死亡0人", "全年未发生亡人事故。", "未发生", S),
        # 无一 + the event word, 没有 + the event word
        ("- 行政应诉案件15件，败诉3件", "全年行政应诉案件15件，无一败诉。", "无一败诉", C),
        ("- 行政应诉案件15件，败诉3件", "全年行政应诉案件15件，没有败诉案件。", "没有败诉", C),
        ("- 行政复议决定被纠错4件", "行政复议决定无一被纠错。", "无一被纠错", C),
        # none of the grave ones is no claim of none at all
        ("- 妥善处置矛盾纠纷苗头5起，未发生重大群体性事件", "全年未发生群体性事件。", "未发生", U),
        ("- 全年未发生重大群体性事件", "全年未发生重大群体性事件。", "未发生", S),
    ],
)
def test_zero_claims_by_event_and_object(notes: str, draft: str, claim: str, expected: FigureStatus) -> None:
    assert _statuses(notes, draft)[claim] is expected


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("全年无一败诉。", ["无一败诉"]),
        ("行政复议决定无一被纠错。", ["无一被纠错"]),
        ("没有发生安全事故。", ["没有发生"]),
        ("没有败诉案件。", ["没有败诉"]),
        ("各项任务无一例外完成。", []),
    ],
)
def test_none_heads_with_an_event_word(text: str, claims: list[str]) -> None:
    assert [z.text for z in zero_claims(text)] == claims


@pytest.mark.parametrize(
    ("notes", "draft", "backed"),
    [
        ("- 行政应诉案件实现零败诉", "全年行政应诉案件败诉0件。", "零败诉"),
        ("- 全年未发生进京非访", "进京非访0起。", "未发生"),
        ("- 行政应诉案件败诉2件", "全年行政应诉案件败诉0件。", None),  # a count, not a claim
        ("- 未发生重大群体性事件", "群体性事件0起。", None),  # a grade backs no count of all
        ("- 明年力争进京非访零发生", "进京非访0起。", None),  # a target backs no result
    ],
)
def test_a_zero_count_backed_by_a_claim_of_none(notes: str, draft: str, backed: str | None) -> None:
    index = SourceIndex.build([NamedText(path="n", text=notes)])
    found = back_zero_count(extract_figures(draft)[0], index)
    assert (found.figure.text if found else None) == backed


PAIR = "- 行政执法案件2025年540件，2024年600件"
TABLE = "\n| 指标 | 本年 | 上年 |\n|---|---|---|\n| 行政执法立案（件） | 126 | 148 |"


@pytest.mark.parametrize(
    ("notes", "draft", "expected"),
    [
        ("- 行政执法案件2025年540件，2024年600件", "2024年办理行政执法案件600件，2025年办理540件，下降10%。",
         {"600件": S, "540件": S, "10%": D}),
        (PAIR, "行政执法案件由2024年的600件下降到540件。", {"600件": S, "540件": S}),
        (PAIR, "2025年行政执法案件540件，2024年为600件。", {"540件": S, "600件": S}),
        (TABLE, "与上年相比，行政执法立案由148件减少至126件。", {"148件": S, "126件": S}),
        # no comparison and no year: 由A到B dates nothing
        (PAIR, "行政执法案件由600件下降到540件。", {"600件": C}),
        # a year that starts a span dates no value to last year
        ("- 2020年以来累计培训执法人员500人次", "2020年以来累计培训执法人员500人次，2025年新增60人次。", {"500人次": S}),
    ],
)
def test_years_and_from_to_date_last_years_values(notes: str, draft: str, expected: dict[str, FigureStatus]) -> None:
    got = _statuses(notes, draft)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("notes", "draft", "figure", "expected"),
    [
        ("- 全县28个执法部门全部完成公示", "全县28个部门全部完成公示。", "28个部门", S),
        ("- 9个村创建为民主法治示范村", "全镇15个村（社区）中，9个创建为民主法治示范村。", "9个", S),
        ("- 新建污水管网8.6公里", "新建污水管网8.6千米。", "8.6千米", S),
        ("- 新建污水管网8.6公里", "新建污水管网9.6千米。", "9.6千米", C),
    ],
)
def test_counters_with_a_noun_and_kilometres(notes: str, draft: str, figure: str, expected: FigureStatus) -> None:
    assert _statuses(notes, draft)[figure] is expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("总长12.5千米", Decimal("12.5"), "千米"),
        ("面积3.2平方千米", Decimal("3.2"), "平方千米"),
        ("服务3千人", Decimal("3000"), "人"),
    ],
)
def test_kilo_counters_are_no_thousand(text: str, value: Decimal, unit: str) -> None:
    fig = extract_figures(text)[0]
    assert (fig.value.low, fig.unit) == (value, unit)


@pytest.mark.parametrize(("notes", "status"), [("- 全年行政诉讼实现零败诉", "supported"), ("- 行政诉讼败诉2件", "contradicted"),
                                              ("- 受理信访事项860件", "unsupported")])
def test_a_count_of_0_is_backed_by_the_notes_claim_of_none(notes: str, status: str) -> None:
    from aidraft.check.run import check_text
    from aidraft.ingest.read import NamedText

    report = check_text(NamedText(path="d", text="全年行政诉讼败诉0件。"), [NamedText(path="n", text=notes)])
    assert [f.status.value for f in report.figures] == [status]
