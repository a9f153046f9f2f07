"""The notes ledger against its headings: a strong contrary cue in a line wins over the heading above
it, a heading naming a later year is a plans heading, 其他需要报告的情况 is a section of its own,
title and bare year lines are no items, leaders of towns and courts do their duty, jottings are
context and causes are causes. Table-driven; every line is written for these tests (a county
education bureau, a town government, a district city-management bureau, a market regulator, a
medical-insurance bureau), none from the samples or the corpus."""

from __future__ import annotations

import pytest

from aidraft.ledger import CueKind, Status, build_ledger
from aidraft.ledger.model import Ledger, LedgerItem
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import parse_notes


def ledger_of(body: str, *, office: str = "白沙县教育局", year: int | None = 2025) -> Ledger:
    front = f"---\noffice: {office}\nyear: {year}\n---\n" if year else ""
    return build_ledger(parse_notes(front + body))


def one(body: str, text: str, **kw: object) -> LedgerItem:
    """The ledger item whose text is ``text``."""
    ledger = ledger_of(body, **kw)  # type: ignore[arg-type]
    found = [i for i in ledger.items if i.text == text]
    assert found, [i.text for i in ledger.items]
    return found[0]


# 1. a heading decides ordinary lines; a strong contrary cue wins and says what it overruled
@pytest.mark.parametrize(
    ("heading", "line", "status", "cue"),
    [
        # done headings: a plan in the measures
        ("主要工作", "准备下半年出台行政裁量权基准", Status.planned, CueKind.future),
        ("主要工作", "下一步将加快推进“双随机、一公开”监管", Status.planned, CueKind.future),
        ("主要工作", "拟于明年上半年出台企业信用修复办法", Status.planned, CueKind.future),
        ("主要举措和成效", "2026年将开展校外培训机构执法专项行动", Status.planned, CueKind.year),
        ("工作开展情况", "将推进医保基金智能监控全覆盖", Status.planned, CueKind.future),
        # …a problem in the measures, unless the line names the remedy or an action
        ("主要工作", "执法人员数量不足，基层所平均仅3人", Status.problem, CueKind.problem),
        ("主要工作", "乡镇中心校法治副校长到岗率偏低", Status.problem, CueKind.problem),
        ("主要工作", "针对执法力量不足，新招录执法人员12名", Status.done, CueKind.heading),
        ("主要工作", "开展薄弱学校依法治校帮扶20所", Status.done, CueKind.heading),
        ("主要工作", "补齐短板，新建标准化调解室6个", Status.done, CueKind.heading),
        # facts stay facts: a lost suit is a count, not a shortcoming word
        ("主要工作", "行政诉讼败诉2件", Status.done, CueKind.heading),
        ("主要工作", "行政复议决定被撤销1件", Status.done, CueKind.heading),
        # ordinary lines follow the heading; a done marker keeps a measure a measure
        ("主要工作", "修订行政执法事项清单", Status.done, CueKind.heading),
        ("主要工作", "已于今年3月印发实施方案", Status.done, CueKind.heading),  # cut from ，下一步将全面推开
        ("主要工作", "为今后依法行政打下基础", Status.done, CueKind.heading),
        ("主要工作", "争取省级专项资金300万元", Status.done, CueKind.heading),
        ("主要工作", "制定年度学法计划并组织实施", Status.done, CueKind.heading),
        # problems heading: a plan or a done thing is no problem…
        ("存在的不足", "2026年将开展执法人员轮训", Status.planned, CueKind.year),
        ("存在的不足", "完成了执法记录仪配备", Status.done, CueKind.tense),
        ("存在的问题", "已整改案卷评查发现的问题15个", Status.done, CueKind.tense),
        # …unless the line names the problem itself
        ("存在的不足", "执法记录仪使用不规范", Status.problem, CueKind.heading),
        ("存在的不足", "已完成的案卷评查发现文书说理不足", Status.problem, CueKind.heading),
        ("存在的不足", "基层执法力量薄弱，下一步需加强", Status.problem, CueKind.heading),
        # plans heading: a clear past is this year's work
        ("下步打算", "已完成市场主体年报公示工作，公示率92%", Status.done, CueKind.tense),
        ("下步打算", "于今年5月召开校园安全法治工作推进会", Status.done, CueKind.tense),
        ("下步打算", "修订执法事项清单", Status.planned, CueKind.heading),
        ("下步打算", "在已完成的清单基础上继续动态调整", Status.planned, CueKind.heading),
        ("下步打算", "今年6月前完成执法证件换发", Status.planned, CueKind.heading),  # a deadline
        ("下步打算", "加强薄弱环节执法监督", Status.planned, CueKind.heading),
    ],
)
def test_strong_contrary_cue_wins_over_heading(heading: str, line: str, status: Status, cue: CueKind) -> None:
    item = one(f"# {heading}\n- {line}\n", line)
    assert (item.status, item.cue.kind) == (status, cue)
    overruled = cue is not CueKind.heading
    assert (item.cue.overrules == heading) is overruled
    assert (f"(overrules {heading})" in item.cue.describe()) is overruled


def test_leader_past_under_plans_heading_is_duty() -> None:
    item = one("# 下步打算\n- 局长张某某于今年3月主持召开法治专题会\n", "局长张某某于今年3月主持召开法治专题会")
    assert (item.status, item.section, item.cue.overrules) == (Status.duty, SectionKind.duty, "下步打算")


# 2. a heading naming a year after the notes' year files its lines as plans
@pytest.mark.parametrize(
    ("body", "year"),
    [
        ("# 主要工作\n- 查处无证行医案件14件\n## 2026年\n- 修订行政执法事项清单\n", 2025),
        ("# 主要工作\n- 查处无证行医案件14件\n## 2026年重点工作\n- 修订行政执法事项清单\n", 2025),
        ("# 2026年重点工作\n- 修订行政执法事项清单\n", 2025),
        ("- 查处无证行医案件14件\n2026年\n- 修订行政执法事项清单\n", 2025),  # a bare year line
        ("# 明年\n- 修订行政执法事项清单\n", 2025),
        ("# 2026年工作计划\n- 修订行政执法事项清单\n", 2025),
        ("# 主要工作\n- 查处无证行医案件14件\n## 2025年重点工作\n- 修订行政执法事项清单\n", 2024),
    ],
)
def test_later_year_heading_makes_plans(body: str, year: int) -> None:
    item = one(body, "修订行政执法事项清单", year=year)
    assert (item.status, item.section) == (Status.planned, SectionKind.plans)


@pytest.mark.parametrize(
    "body",
    [
        "# 2025年\n- 修订行政执法事项清单\n",
        "# 主要工作\n## 2024—2026年三年行动落实情况\n- 修订行政执法事项清单\n",
    ],
)
def test_this_year_or_a_span_heading_is_no_plan(body: str) -> None:
    assert one(body, "修订行政执法事项清单").status is Status.done


@pytest.mark.parametrize(
    "body",
    [
        "# 主要工作\n- 全年受理医保基金违规举报36件\n## 2026年重点工作\n- 修订医保基金监管执法事项清单\n",
        "全年受理医保基金违规举报36件\n2026年\n修订医保基金监管执法事项清单\n",
    ],
)
def test_plan_year_heading_does_not_set_the_report_year(body: str) -> None:
    assert ledger_of(body, year=None).year == 2025


# 3. 其他需要报告的情况 is a section of its own
@pytest.mark.parametrize(
    "heading", ["其他需要报告的情况", "五、其他需要报告的情况", "其他需要说明的事项", "需要报告的其他事项", "其他事项"])
def test_other_matters_heading(heading: str) -> None:
    body = f"# 主要工作\n- 开展校园法治讲座40场\n# {heading}\n- 本局于2025年6月完成机构改革\n"
    item = one(body, "本局于2025年6月完成机构改革")
    assert (item.status, item.section, item.cue.kind) == (Status.done, SectionKind.other, CueKind.heading)
    assert one(body, "开展校园法治讲座40场").section is SectionKind.measures


# 4. title lines and bare year lines are no items
@pytest.mark.parametrize(
    ("first", "office"),
    [
        ("长宁区城市管理局2025年法治工作小结", "长宁区城市管理局"),
        ("桐乡县医疗保障局 2025年度工作小结", "桐乡县医疗保障局"),
        ("青山镇人民政府2025年法治建设工作笔记", "青山镇人民政府"),
        ("城南区市场监督管理局2025年法治工作", "城南区市场监督管理局"),
    ],
)
def test_title_line_is_no_item(first: str, office: str) -> None:
    ledger = ledger_of(f"{first}\n2025年\n组织执法人员培训4期，培训320人次\n2025年度\n查处违法建设38处\n", year=None)
    assert [i.text for i in ledger.items] == ["组织执法人员培训4期，培训320人次", "查处违法建设38处"]
    assert (ledger.office, ledger.year) == (office, 2025)


# 5. leaders of towns, counties, courts and stations do their duty
@pytest.mark.parametrize(
    ("office", "line", "status"),
    [
        ("青山镇人民政府", "镇长李明亲自督办重大信访案件3件", Status.duty),
        ("石门乡人民政府", "乡长带头包案化解积案2件", Status.duty),
        ("白沙县人民政府", "县长主持召开县政府常务会议专题研究法治政府建设", Status.duty),
        ("东湖区人民政府", "区长带队开展执法检查", Status.duty),
        ("白沙县人民法院", "院长亲自接访群众12人次", Status.duty),
        ("青山镇司法所", "所长带头讲授法治课", Status.duty),
        ("城东街道办事处", "党工委书记听取法治建设工作汇报2次", Status.duty),
        ("白沙县教育局", "党组书记、局长亲自部署依法治校工作", Status.duty),
        ("青山镇人民政府", "副镇长带队开展安全检查", Status.done),
        ("青山镇人民政府", "建立社区长效机制，研究部署矛盾排查", Status.done),
        ("青山镇人民政府", "城市长效管理考核部署会召开2次", Status.done),
    ],
)
def test_leaders(office: str, line: str, status: Status) -> None:
    assert one(f"- {line}\n", line, office=office).status is status


# 6. lines that are no work: context with a cue saying why, or dropped (comments)
@pytest.mark.parametrize(
    ("line", "text", "word"),
    [
        ("TODO 补上案卷评查数", "TODO 补上案卷评查数", "TODO"),
        ("todo：核对培训人次", "todo：核对培训人次", "TODO"),
        ("待补充：复议纠错率", "待补充：复议纠错率", "待补充"),
        ("是否需要写入双减督查？", "是否需要写入双减督查？", "？"),
        ("联系人：张伟，电话13812345678", "联系人：张伟，电话13812345678", "联系人"),
        ("见附件1《执法检查统计表》", "见附件1《执法检查统计表》", "见附件"),
        ("此条数据来自执法科", "此条数据来自执法科", "此条数据来自"),
        ("注：以上数据截至11月底", "注：以上数据截至11月底", "注："),
    ],
)
def test_jottings_are_context(line: str, text: str, word: str) -> None:
    item = one(f"# 主要工作\n- 开展校园法治讲座40场\n- {line}\n", text)
    assert (item.status, item.cue.kind, item.cue.word) == (Status.context, CueKind.jotting, word)
    assert item.figures == [] or item.status is Status.context


def test_remark_label_is_context() -> None:
    item = one("- 备注：以上数据截至11月底\n", "以上数据截至11月底")
    assert (item.status, item.cue.kind) == (Status.context, CueKind.label)


@pytest.mark.parametrize(
    "comment",
    ["<!-- 内部草稿，勿外传 -->", "‹!-- 内部草稿 -->", "<!--\n内部草稿\n勿外传\n-->", "开展校园法治讲座40场<!-- 数字待核 -->"],
)
def test_comments_are_dropped(comment: str) -> None:
    ledger = ledger_of(f"{comment}\n- 查处违法建设38处\n")
    assert "内部草稿" not in " ".join(i.text for i in ledger.items)
    assert ledger.items[-1].text == "查处违法建设38处"
    assert all("<" not in i.text and "‹" not in i.text for i in ledger.items)


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("是否需要写入双减督查？督查培训机构63家", "督查培训机构63家"),
        ("督查培训机构63家，要不要单列？", "督查培训机构63家"),
    ],
)
def test_question_mixed_with_a_fact_keeps_the_fact(line: str, text: str) -> None:
    item = one(f"- {line}\n", text)
    assert (item.status, [f.text for f in item.figures]) == (Status.done, ["63家"])


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("办理行政复议案件12件（待核实）", "办理行政复议案件12件"),
        ("办理行政复议案件12件(待确认)", "办理行政复议案件12件"),
        ("办理行政复议案件12件 待核实", "办理行政复议案件12件"),
    ],
)
def test_doubted_line_is_kept_and_flagged(line: str, text: str) -> None:
    item = one(f"# 主要工作\n- {line}\n", text)
    assert (item.status, item.unverified, [f.text for f in item.figures]) == (Status.done, True, ["12件"])


def test_undoubted_line_is_not_flagged() -> None:
    assert not one("- 办理行政复议案件12件\n", "办理行政复议案件12件").unverified


@pytest.mark.parametrize(
    ("line", "text"),
    [("查处违法建设→拆除面积3200平方米", "查处违法建设，拆除面积3200平方米"),
     ("受理投诉->办结98件", "受理投诉，办结98件")],
)
def test_arrow_reads_as_comma(line: str, text: str) -> None:
    assert one(f"- {line}\n", text).status is Status.done


# 7. causes: an opener or an inline 原因 makes a cause item
@pytest.mark.parametrize(
    ("heading", "line", "items"),
    [
        ("存在的不足和原因", "主要是基层力量薄弱", [("基层力量薄弱", True)]),
        ("存在的不足和原因", "原因是新入职人员多，培训跟不上", [("新入职人员多，培训跟不上", True)]),
        ("存在的不足", "究其原因，学法用法氛围不浓", [("学法用法氛围不浓", True)]),
        ("主要工作", "主要原因是执法经费保障不足", [("执法经费保障不足", True)]),
        ("存在的不足", "存在的问题是案卷质量参差不齐，原因：培训不够",
         [("案卷质量参差不齐", False), ("培训不够", True)]),
        ("存在的不足", "执法文书说理不充分；原因是办案人员更替频繁",
         [("执法文书说理不充分", False), ("办案人员更替频繁", True)]),
        # an inline 主要是 stays with its problem (the writer reads it there)
        ("存在的不足", "基层执法力量薄弱，主要是人员编制少", [("基层执法力量薄弱，主要是人员编制少", True)]),
    ],
)
def test_causes(heading: str, line: str, items: list[tuple[str, bool]]) -> None:
    ledger = ledger_of(f"# {heading}\n- {line}\n")
    assert [(i.text, i.cause) for i in ledger.items] == items
    assert all(i.status is Status.problem for i in ledger.items)


def test_cause_label_reaches_the_notes_item() -> None:
    """The writer tells a cause line by its label (原因): an opener gives it one."""
    notes = parse_notes("---\nyear: 2025\n---\n# 存在的不足和原因\n- 执法力量不足\n- 主要是编制少\n")
    assert [(i.text, i.label) for i in notes.items] == [("执法力量不足", None), ("编制少", "原因")]


def test_main_is_no_cause_outside_problems() -> None:
    item = one("# 主要工作\n- 主要是开展校园法治讲座40场\n", "主要是开展校园法治讲座40场")
    assert (item.status, item.cause) == (Status.done, False)
