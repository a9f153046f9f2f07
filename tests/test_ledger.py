"""The notes ledger: status, section and deciding cue of every notes item (table-driven, many
offices, label styles and tense forms; none of these lines come from the samples or the corpus)."""

from __future__ import annotations

import pytest

from aidraft.parse.notes import parse_notes
from aidraft.ledger import CueKind, Status, build_ledger
from aidraft.ledger.model import Bound
from aidraft.parse.document import SectionKind


def statuses(text: str, year: int = 2025) -> list[tuple[str, Status]]:
    ledger = build_ledger(parse_notes(f"---\noffice: 东岭区司法局\nyear: {year}\n---\n{text}"))
    return [(i.text, i.status) for i in ledger.items]


@pytest.mark.parametrize(
    ("line", "status"),
    [
        # labels: problem, plan, duty, context in many wordings
        ("短板：基层调解员专业能力参差", Status.problem),
        # problem words without a label
        ("部分社区法律顾问服务频次偏低", Status.problem),
        ("群众法治意识淡薄", Status.problem),
        ("执法装备短缺", Status.problem),
        ("存在的问题是行政执法人员持证率不高", Status.problem),
        ("困难：编制紧张，人手少", Status.problem),
        ("主要差距：行政复议纠错率偏高", Status.problem),
        ("薄弱环节：执法案卷评查发现文书不规范", Status.problem),
        ("原因：新入职人员多，培训跟不上", Status.problem),
        ("下步工作：推进执法全过程记录", Status.planned),
        ("今后打算：完善公平竞争审查机制", Status.planned),
        ("明年打算：建成矛盾纠纷多元化解中心", Status.planned),
        ("2026年工作思路：深化“放管服”改革", Status.planned),
        ("一把手履职：带头讲法治课", Status.duty),
        ("背景：全局在编干部58名", Status.context),
        # tense: later year and future markers beat the absence of labels
        ("2026年完成执法证件换发", Status.planned),
        ("拟出台行政裁量权基准细则", Status.planned),
        ("力争行政复议办结率达到100%", Status.planned),
        ("预计明年一季度上线投诉平台", Status.planned),
        ("将继续深化“枫桥式”司法所创建", Status.planned),
        ("下一步加强网格员法律培训", Status.planned),
        ("准备组织一次执法技能比武", Status.planned),
        # tense beats keywords: 计划 with this year or a done verb is done
        ("制定年度学法计划，组织集中学法12次", Status.done),
        ("2025年度普法计划全部完成", Status.done),
        ("按计划完成执法人员轮训3期", Status.done),
        ("拟定并印发执法监督办法", Status.done),
        ("计划开展行政执法协调监督试点", Status.planned),
        # problem words, and words that contain them but are no problem
        ("网上办件答复质量有待提高", Status.problem),
        ("法律顾问作用发挥不够充分", Status.problem),
        ("补齐短板，新建调解室6个", Status.done),
        ("整改不规范执法问题12个", Status.done),
        # duty: a leader word with a duty verb, or a duty word alone
        ("局长带头包案化解积案4件", Status.duty),
        ("党组书记亲自主持召开法治专题会2次", Status.duty),
        ("班子成员年底述法", Status.duty),
        ("分管领导带队督查执法案卷", Status.duty),
        # words that contain a cue word but are not the cue
        ("要求各乡镇落实首办责任", Status.done),
        ("争取到上级调解经费20万元", Status.done),
        ("开展计划生育政策宣传8场", Status.done),
        ("全年尚未发生进京越级访", Status.done),
        ("副局长带队检查执法案卷4次", Status.done),
        ("明年1月召开年度述法会", Status.planned),
        # plain facts
        ("受理投诉举报1530件，办结率99.2%", Status.done),
        ("局长办公室改造完成", Status.done),
    ],
)
def test_status_of_one_line(line: str, status: Status) -> None:
    assert statuses(line) == [(statuses(line)[0][0], status)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("问题：执法力量不足；宣传形式单一；案卷归档不及时",
         [Status.problem, Status.problem, Status.problem]),
        ("明年：①推行说理式执法②建设普法阵地", [Status.planned, Status.planned]),
        ("下步打算：一是加强培训。二是完善制度", [Status.planned, Status.planned]),
        ("存在问题：\n- 调解协议履行率不高\n- 队伍年龄偏大\n", [Status.problem, Status.problem]),
        ("【下步打算】\n优化营商环境投诉处理\n", [Status.planned]),
        ("一、主要工作\n开展双随机抽查86次\n二、存在的不足\n抽查结果公示滞后\n三、下步打算\n推进信用监管\n",
         [Status.done, Status.problem, Status.planned]),
    ],
)
def test_labelled_lines_and_plain_headings(text: str, expected: list[Status]) -> None:
    assert [s for _, s in statuses(text)] == expected


def test_leader_work_under_measures_goes_to_duty_only_without_a_duty_heading() -> None:
    alone = "# 主要工作\n- 主要领导带头接访群众26批次\n- 调解纠纷300件\n"
    assert [s for _, s in statuses(alone)] == [Status.duty, Status.done]
    with_duty = alone + "# 第一责任人履职\n- 局长主持专题会议3次\n"
    assert [s for _, s in statuses(with_duty)] == [Status.done, Status.done, Status.duty]


def test_cue_line_section_and_ids() -> None:
    notes = parse_notes("---\nyear: 2025\n---\n开展宣讲12场\n短板：宣传单一\n拟建设普法长廊1处\n")
    ledger = build_ledger(notes)
    assert [i.id for i in ledger.items] == ["N1", "N2", "N3"]
    assert [i.line for i in ledger.items] == [4, 5, 6]
    assert [i.section for i in ledger.items] == [SectionKind.measures, SectionKind.problems, SectionKind.plans]
    assert [i.cue.kind for i in ledger.items] == [CueKind.default, CueKind.label, CueKind.future]
    assert ledger.items[1].cue.word == "短板" and ledger.items[2].cue.word == "拟"


@pytest.mark.parametrize(
    ("line", "bound"),
    [
        ("明年：行政复议纠错率控制在5%以内", Bound.at_most),
        ("明年：调解成功率95%以上", Bound.at_least),
        ("明年：群众满意率不低于98%", Bound.at_least),
        ("明年：新建调解组织12个", Bound.exact),
    ],
)
def test_planned_figures_are_targets_with_bounds(line: str, bound: Bound) -> None:
    item = build_ledger(parse_notes(line)).items[0]
    assert item.status is Status.planned and item.figures[0].bound is bound


def test_done_figures_carry_no_bound_and_problem_causes_are_marked() -> None:
    ledger = build_ledger(parse_notes("化解率达到92.5%\n问题：回访率偏低，主要是人手不足\n问题：宣传单一\n"))
    assert ledger.items[0].figures[0].bound is None
    assert [i.cause for i in ledger.items[1:]] == [True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、2025年推进法治政府建设的主要举措和成效\n受理来访300批次\n", Status.done),
        ("二、2025年党政主要负责人履行推进法治建设第一责任人职责情况\n研究法治工作3次\n", Status.duty),
        ("深入学习习近平总书记重要指示批示精神\n", Status.done),  # 总书记 is not the office's leader
    ],
)
def test_report_shaped_notes(text: str, expected: Status) -> None:
    assert [s for _, s in statuses(text)] == [expected]


def test_notes_command_shows_the_ledger(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from aidraft.cli.app import app

    notes = tmp_path / "notes.txt"
    notes.write_text("---\nyear: 2025\n---\n开展宣讲12场\n短板：宣传单一；阵地少\n拟建设普法长廊1处\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["notes", str(notes), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["items"]
    assert [(i["id"], i["status"], i["cue"]["kind"]) for i in items] == [
        ("N1", "done", "default"), ("N2", "problem", "label"), ("N3", "problem", "label"), ("N4", "planned", "future")]
    table = CliRunner().invoke(app, ["notes", str(notes)])
    assert table.exit_code == 0 and "label:短板" in table.stdout
    missing = CliRunner().invoke(app, ["notes", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_a_prose_paragraph_gives_one_item_per_sentence() -> None:
    line = ("今年以来，全局共受理群众来信来访1206件，按期办结率98.7%，群众满意率明显提升。"
            "网上信访答复质量仍有待提高。下一步，我局将继续推进信访事项网上办理。")
    assert [s for _, s in statuses(line)] == [Status.done, Status.problem, Status.planned]
