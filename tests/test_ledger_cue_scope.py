"""Where a cue word counts in a notes line: not inside a quotation or a longer word, not in an
attributive or background clause, not in the remedy of a problem, not in a topic label that merely
contains it, not as the first word of a sentence about contacts, not in a cut-off date; a leader
word only as the office's own head; a mixed line is cut into its done and planned parts.
Table-driven; every line is written for these tests (a county justice bureau, a district market
regulator, a town government, a petition bureau), none from the samples or the corpus."""

from __future__ import annotations

import pytest

from aidraft.ledger import Status, build_ledger
from aidraft.ledger.model import Ledger
from aidraft.parse.notes import parse_notes
from aidraft.parse.notes_items import drop_questions


def ledger_of(body: str, office: str = "青石县司法局") -> Ledger:
    return build_ledger(parse_notes(f"---\noffice: {office}\nyear: 2025\n---\n{body}"))


def statuses(body: str, office: str = "青石县司法局") -> list[tuple[str, Status]]:
    return [(i.text, i.status) for i in ledger_of(body, office).items]


def status_of(heading: str, line: str, office: str = "青石县司法局") -> Status:
    items = ledger_of((f"# {heading}\n" if heading else "") + f"- {line}\n", office).items
    assert len(items) == 1, [i.text for i in items]
    return items[0].status


# 1. plan words inside a quotation, a longer word or a 把-construction are no plan
@pytest.mark.parametrize(
    "line",
    [
        "举办“今后怎么办”法治沙龙，参加群众260人",
        "开展“明年再出发”主题宣讲8场",
        "学习《下一步工作要点》，组织专题研讨3次",
        "草拟行政规范性文件9件",
        "拟订《行政复议案件办理规程》并印发",
        "将在建工程全部纳入安全执法监管，检查工地86个",
        "将依法行政情况纳入部门年度考核，考核单位41个",
        "计提法律援助风险准备金150万元",
        "准备工作扎实，组织法律知识竞赛，参赛队伍24支",
        "打算盘、算细账，为小微企业减免费用42万元",
    ],
)
def test_a_plan_word_that_is_no_plan_leaves_done_work_done(line: str) -> None:
    assert status_of("主要工作", line) is Status.done


@pytest.mark.parametrize(
    "line",
    ["准备下半年修订行政执法事项清单", "打算适时修订法律顾问工作规则", "将继续将法治建设纳入绩效考核"],
)
def test_a_real_plan_still_overrules_the_measures_heading(line: str) -> None:
    assert status_of("主要工作", line) is Status.planned


# 2. a done marker in an attributive or background clause is no done work
@pytest.mark.parametrize(
    ("heading", "line", "status"),
    [
        ("下一步工作打算", "在已完成社区矫正信息化试点的基础上，全县推广", Status.planned),
        ("下一步工作打算", "参照今年4月印发的省级规范，细化县级执法指引", Status.planned),
        ("下一步工作打算", "在已建成调解网络的基础上，提升调解成功率", Status.planned),
        ("下一步工作打算", "巩固今年8月开展执法大练兵取得的成效", Status.planned),
        ("下一步工作打算", "对均已签约的法律顾问实行年度考评", Status.planned),
        ("存在的问题", "3名公证员今年5月退休后，公证岗位至今空缺", Status.problem),
        ("存在的问题", "法律援助网点已实现镇村全覆盖但知晓度不高", Status.problem),
        ("存在的问题", "部分调解员聘书已于今年7月到期仍在履职", Status.problem),
        # the main verb past: still done
        ("下一步工作打算", "于今年6月召开全县法治政府建设推进会", Status.done),
        ("存在的问题", "已整改评查发现的问题案卷11卷", Status.done),
    ],
)
def test_only_a_done_marker_on_the_main_verb_overrules(heading: str, line: str, status: Status) -> None:
    assert status_of(heading, line) is status


# 3. a problem word inside the remedy or the inspection is done work, with or without a heading
@pytest.mark.parametrize(
    ("heading", "line"),
    [
        ("主要工作", "通报行政执法不规范典型案例4起，以案促改"),
        ("主要工作", "评查行政许可案卷160卷，发现不规范问题9个，均已反馈整改"),
        ("主要工作", "对山区群众法律服务资源短缺问题，开通流动法律服务车，服务群众2100人次"),
        ("主要工作", "帮扶调解基础薄弱的村居12个"),
        ("主要工作", "发现办理进度滞后的复议案件3件，督促限期办结"),
        ("", "针对基层普法力量不足，引入社会律师事务所4家，开展讲座36场"),
        ("", "针对公证服务资源短缺，开通线上公证服务，办理公证1500件"),
    ],
)
def test_the_remedy_of_a_problem_is_done_work(heading: str, line: str) -> None:
    assert status_of(heading, line) is Status.done


@pytest.mark.parametrize(
    ("heading", "line"),
    [
        ("主要工作", "基层司法所执法人员数量不足，平均仅2人"),
        ("主要工作", "行政执法人员业务能力有待提升"),
        ("", "调解员队伍专业化水平有待提升"),
        ("", "加强了调解队伍建设，但村级调解力量仍然薄弱"),
    ],
)
def test_a_problem_stated_stays_a_problem(heading: str, line: str) -> None:
    assert status_of(heading, line) is Status.problem


# 4. a question mark inside a quotation or a title cuts nothing
@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("针对“离婚财产怎么分？”等高频咨询，编写问答30条", "针对“离婚财产怎么分？”等高频咨询，编写问答30条"),
        ("印发《欠薪了找谁？》明白纸8000份", "印发《欠薪了找谁？》明白纸8000份"),
        ("开展普法进企业12场，要不要单列？", "开展普法进企业12场"),
    ],
)
def test_a_quoted_question_is_no_question_to_oneself(line: str, kept: str) -> None:
    assert drop_questions(line)[0] == kept
    items = ledger_of(f"# 主要工作\n- {line}\n").items
    assert [i.text for i in items] == [kept] and items[0].status is Status.done


# 5. a topic label that merely contains a cue word is a topic: it keeps its words
@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("困难职工法律援助：办理援助案件210件", "困难职工法律援助方面，办理援助案件210件"),
        ("群众诉求问题化解：化解矛盾纠纷640件", "群众诉求问题化解方面，化解矛盾纠纷640件"),
        ("调解难点突破：化解疑难纠纷27件", "调解难点突破方面，化解疑难纠纷27件"),
        ("经费安排：落实普法专项经费60万元", "经费安排方面，落实普法专项经费60万元"),
        ("法律顾问：为村居配备顾问118名", "法律顾问方面，为村居配备顾问118名"),
        ("政策说明会：举办涉企政策说明会7场", "举办涉企政策说明会7场"),  # the line names it already
    ],
)
def test_a_topic_label_is_no_cue_and_stays_in_the_sentence(line: str, text: str) -> None:
    assert statuses(f"# 主要工作\n- {line}\n") == [(text, Status.done)]


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("主要问题：村级调解员流动性大", Status.problem),
        ("存在的不足：执法文书制作不够规范", Status.problem),
        ("下步工作打算：修订执法监督办法", Status.planned),
        ("2026年工作安排：开展执法案卷评查", Status.planned),
    ],
)
def test_a_cue_label_still_names_its_section(line: str, status: Status) -> None:
    assert ledger_of(f"# 主要工作\n- {line}\n").items[0].status is status


# 6. a contact word makes a jotting only as a label
@pytest.mark.parametrize(
    ("line", "jotting"),
    [
        ("联系人制度覆盖全部村居，为96个村居明确普法联系人", False),
        ("经办人员培训合格率100%", False),
        ("数据来源更加多元，共享部门数据9类", False),
        ("联系人：周敏 13900001111", True),
        ("联系人周敏 13900001111", True),
        ("经办人：陈亮", True),
        ("数据来源：县统计局", True),
    ],
)
def test_a_contact_word_is_a_jotting_only_as_a_label(line: str, jotting: bool) -> None:
    item = ledger_of(f"# 主要工作\n- {line}\n").items[0]
    assert (item.status is Status.context) is jotting


# 7. a later year as a cut-off or a reporting date is no plan
@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("截至2026年1月15日，办理法律援助案件1320件", Status.done),
        ("截止2026年2月，累计培训人民调解员860人次", Status.done),
        ("2026年1月中旬召开全县司法行政工作会议，表彰先进集体6个", Status.done),
        ("2026年1月前完成法律顾问续聘", Status.planned),  # a deadline
        ("2026年3月召开全县法治督察推进会", Status.planned),
    ],
)
def test_a_cut_off_date_is_no_plan(line: str, status: Status) -> None:
    assert status_of("主要工作", line) is status


# 11. a leader word counts as a word, and only as the reporting office's own head
@pytest.mark.parametrize(
    ("office", "line", "status"),
    [
        ("石门镇人民政府", "石门镇长岭村调委会主持调解纠纷19件", Status.done),  # 镇长 inside a place name
        ("石门镇人民政府", "镇长带头接访群众26人次", Status.duty),
        ("青石县司法局", "组织村（社区）党组织书记、村委会主任法治培训3期", Status.done),
        ("青石县司法局", "局长带头讲授法治课2次", Status.duty),
        ("青石县信访局", "县长接访群众15次", Status.done),  # the county head's work, not the bureau's duty
        ("青石县信访局", "局长亲自包案化解信访积案4件", Status.duty),
        ("青石县人民政府", "县长主持召开政府常务会议研究法治工作3次", Status.duty),
    ],
)
def test_a_leader_word_is_the_office_own_head(office: str, line: str, status: Status) -> None:
    assert status_of("", line, office) is status


# 12. a mixed line gives its done part and its plan part
@pytest.mark.parametrize(
    ("heading", "line", "expected"),
    [
        ("# 主要工作\n", "全年办理法律援助案件980件，明年将扩大到1100件",
         [("全年办理法律援助案件980件", Status.done), ("明年将扩大到1100件", Status.planned)]),
        ("# 主要工作\n", "完成了公证档案数字化，下一步将接入省级平台",
         [("完成了公证档案数字化", Status.done), ("下一步将接入省级平台", Status.planned)]),
        ("# 下步打算\n", "已完成调解组织规范化建设，明年将开展星级评定",
         [("已完成调解组织规范化建设", Status.done), ("明年将开展星级评定", Status.planned)]),
        # no done work before the plan: one item
        ("", "开展专项整治，力争年底前全部完成", [("开展专项整治，力争年底前全部完成", Status.planned)]),
    ],
)
def test_a_mixed_line_is_cut_before_its_plan(heading: str, line: str, expected: list[tuple[str, Status]]) -> None:
    assert statuses(f"{heading}- {line}\n") == expected
