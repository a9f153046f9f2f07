"""The offline draft says what the notes say, in report form: headings backed by the notes' words,
numbered label lines and sub-headings of the notes read as such, the report year and this year's
targets placed right, an outline of other notes refused, and the notes' jotting residue
(spaces, full-width digits, labels, conjunctions) gone from the prose (table-driven)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.draft.bank import phrase_bank
from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
from aidraft.draft.self_reference import self_reference
from aidraft.draft.write_offline import future_register, problem_register, prose
from aidraft.ledger import build_ledger
from aidraft.parse.notes import parse_notes

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith(("AIDRAFT_", "OPENAI_"))]:
        monkeypatch.delenv(name)


def draft_text(notes: str) -> str:
    parsed = parse_notes(notes, "notes.md")
    result = run_draft(resolve_inputs(parsed, [], None, None), OfflineDrafter())
    return result.document.text


def front(office: str, body: str) -> str:
    return f"---\noffice: {office}\nyear: 2025\n---\n{body}"


@pytest.mark.parametrize(
    ("notes", "unbacked"),
    [
        # 化解 groups a plan with 积案 work, but the notes never say 积案
        (front("柳塘镇人民政府", "# 主要工作\n- 调解邻里纠纷45起\n# 下步打算\n- 持续做好矛盾纠纷多元化解\n"), "积案"),
        (front("柳塘县信访局", "# 下一步工作\n- 推动初信初访矛盾就地化解\n"), "积案"),
        # 能力 alone is no 法治培训
        (front("柳塘县交通运输局", "# 明年打算\n- 提升窗口服务能力\n"), "法治培训"),
        # 考核 and 讲评 are no 述法
        (front("柳塘县交通运输局", "# 主要负责人履职情况\n- 组织年度法治考核讲评\n"), "述法"),
    ],
)
def test_a_heading_names_only_a_practice_the_notes_name(notes: str, unbacked: str) -> None:
    headings = [line for line in draft_text(notes).splitlines() if line.startswith("（")]
    assert headings and not any(unbacked in h for h in headings), headings


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["一、主要工作：办结复议案件86件。", "二、不足：基层执法力量薄弱。", "三、2026年工作：将修订执法公示办法。"],
         [("办结复议案件86件", "done"), ("基层执法力量薄弱", "problem"), ("2026年将修订执法公示办法", "planned")]),
        (["一、存在问题：执法记录仪配备不足；案卷归档不及时", "二、工作亮点：建成调解室4个"],
         [("执法记录仪配备不足", "problem"), ("案卷归档不及时", "problem"), ("建成调解室4个", "done")]),
        # a sub-heading inside a section, and a title block of two lines, are no activities
        (["柳塘县人力资源和社会保障局", "2025年法治建设工作情况", "一、工作情况", "（一）执法", "查办劳动保障违法案件47件",
          "（二）普法", "开展送法进企业活动9场"],
         [("查办劳动保障违法案件47件", "done"), ("开展送法进企业活动9场", "done")]),
        # a numbered line ending its part is an item, even with no figure
        (["二、主要工作：", "（1）办结复议案件12件。", "（2）全年无复议被纠错案件。", "三、不足：执法力量薄弱。"],
         [("办结复议案件12件", "done"), ("全年无复议被纠错案件", "done"), ("执法力量薄弱", "problem")]),
        (["县水利局2025年", "1. 河湖执法", "- 巡查河道132次", "2. 普法宣传", "- 发放宣传册800份"],
         [("巡查河道132次", "done"), ("发放宣传册800份", "done")]),
    ],
)
def test_numbered_labels_sub_headings_and_title_lines(lines: list[str], expected: list[tuple[str, str]]) -> None:
    notes = parse_notes("\n".join(lines) + "\n", "notes.txt")
    ledger = build_ledger(notes, year=2025)
    assert [(i.text, i.status.value) for i in ledger.items] == expected


@pytest.mark.parametrize(
    ("text", "office", "year"),
    [
        ("柳塘县人力资源和社会保障局\n2025年法治建设工作情况\n- 查办案件47件\n", "柳塘县人力资源和社会保障局", 2025),
        ("# 云岭市市场监督管理局 2025年法治建设\n- 查办案件31件\n", "云岭市市场监督管理局", 2025),
        ("2025年 桐溪市市场监督管理局 法治工作笔记\n- 开展双随机抽查126次\n", "桐溪市市场监督管理局", 2025),
        ("2025年，松岭区城市管理局，工作记录\n- 拆除违法建筑12处\n", "松岭区城市管理局", 2025),
        ("- 2025年受理行政复议申请64件\n- 2026年将推行复议案件繁简分流\n- 2026年将开展执法案卷评查\n", None, 2025),
        ("- 2026年拟建设智慧执法平台\n- 下一步：2026年将开展培训\n", None, 2025),
        ("# 2025年工作\n- 开展培训3次\n# 2026年打算\n- 2026年将完善制度\n- 2026年将开展评查\n", None, 2025),
    ],
)
def test_report_year_and_office_from_the_notes(text: str, office: str | None, year: int) -> None:
    meta = parse_notes(text, "notes.txt").meta
    assert (meta.year, meta.office) == (year, office)


@pytest.mark.parametrize(
    ("body", "kept_from_plans", "measures_says"),
    [
        ("- 群众满意率96.2%\n- 目标：群众满意率达到98%以上\n", "98%", "年度目标为群众满意率达到98%以上"),
        ("- 复议纠错率4.1%\n- 考核指标：复议纠错率控制在5%以内\n", "5%", "年度考核指标为复议纠错率控制在5%以内"),
    ],
)
def test_this_years_target_is_no_promise_for_next_year(body: str, kept_from_plans: str, measures_says: str) -> None:
    text = draft_text(front("柳塘县司法局", body))
    plans = text.split("推进法治政府建设的主要安排")[-1]
    assert kept_from_plans not in plans
    assert measures_says in text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda notes: notes.replace("- 开展法律进村居活动15场\n", ""), "N"),  # ids shift: a plan lands on a duty id
        (lambda notes: notes.replace("执法人员持证率偏低", "执法装备老化"), "执法人员持证率偏低"),
    ],
)
def test_an_outline_of_changed_notes_is_refused(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.md"
    notes.write_text(front("柳塘县司法局", "# 主要工作\n- 开展法律进村居活动15场\n- 局长带头述法\n"
                                     "# 问题\n- 执法人员持证率偏低\n# 明年\n- 拟修订执法公示办法\n"), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    assert runner.invoke(app, ["plan", str(notes), "-o", str(plan)]).exit_code == 0
    notes.write_text(edit(notes.read_text(encoding="utf-8")), encoding="utf-8")
    result = runner.invoke(app, ["draft", str(notes), "--plan", str(plan), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 2 and message in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1


def test_an_outline_of_another_notes_file_is_refused(tmp_path: Path) -> None:
    notes, other = tmp_path / "a.md", tmp_path / "b.md"
    notes.write_text(front("柳塘县司法局", "- 开展普法讲座6场\n"), encoding="utf-8")
    other.write_text(front("柳塘县司法局", "- 开展普法讲座6场\n"), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    assert runner.invoke(app, ["plan", str(notes), "-o", str(plan)]).exit_code == 0
    assert yaml.safe_load(plan.read_text(encoding="utf-8"))["notes_file"]
    result = runner.invoke(app, ["draft", str(other), "--plan", str(plan), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 2 and "a.md" in result.output


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("拟组建区级行政复议咨询委员会", "组建区级行政复议咨询委员会"),
        ("将编印执法案例汇编", "编印执法案例汇编"),
        ("计划选聘法律顾问", "选聘法律顾问"),
        ("明年基层培训", "扎实推进基层培训"),  # a bare jotting still gets a verb
    ],
)
def test_a_plan_keeps_its_own_verb(note: str, written: str) -> None:
    assert future_register(note, phrase_bank()) == written


@pytest.mark.parametrize(
    ("office", "short"),
    [
        ("云岭市城市管理局", "市城市管理局"),
        ("云岭市市场监督管理局", "市市场监管局"),
        ("柳塘县人力资源和社会保障局", "县人力资源社会保障局"),
        ("柳塘县信访局", "县信访局"),
        ("云岭市民政局", "市民政局"),
        ("江北省云岭市柳塘区司法局", "区司法局"),
        ("江城市司法局", "市司法局"),  # a place name ending in 城 keeps its 市
        ("江城市市场监督管理局", "市市场监管局"),
        ("江城市城市管理综合行政执法局", "市城市管理综合行政执法局"),
        ("龙城区市政管理局", "区市政管理局"),
    ],
)
def test_the_office_short_name_keeps_its_level(office: str, short: str) -> None:
    assert self_reference().short_name(office) == short


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("办理行政复议案件58件, 纠错9件; 纠错率15.5%", "办理行政复议案件58件，纠错9件；纠错率15.5%"),
        ("开展联合检查 (含夜查) 36次", "开展联合检查（含夜查）36次"),
        ("开展“双随机、一公开”抽查１２６次", "开展“双随机、一公开”抽查126次"),
        ("群众满意率９８．５％", "群众满意率98.5%"),
        ("受理1,190件， 办结1,176件", "受理1,190件，办结1,176件"),
        ("每周五14:00在大厅接访, 每次2小时", "每周五14:00在大厅接访，每次2小时"),  # a time keeps its colon
    ],
)
def test_jotted_punctuation_and_full_width_figures(note: str, written: str) -> None:
    assert prose(note) == written


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("存在的问题是部分村居法律顾问服务频次偏低", "部分村居法律顾问服务频次偏低"),
        ("但是，执法人员持证率偏低，仅为76%", "执法人员持证率偏低，仅为76%"),
        ("主要问题：案卷归档不及时", "案卷归档不及时"),
        ("不过存在的不足主要是培训形式单一", "培训形式单一"),
        ("困难群众法律援助覆盖面不宽", "困难群众法律援助覆盖面不宽"),  # no label: 困难 is the problem's own word
    ],
)
def test_a_problem_loses_its_label_and_conjunction(note: str, written: str) -> None:
    assert problem_register(note, phrase_bank()) == written


def test_a_long_enumeration_keeps_counting() -> None:
    body = "".join(f"- 开展第{n}批次执法检查{n + 10}次\n" for n in range(1, 14))
    text = draft_text(front("柳塘县司法局", body))
    assert "此外" not in text
    assert "十一是" in text and "十三是" in text


def test_problems_section_reads_without_labels() -> None:
    text = draft_text(front("柳塘县司法局", "# 存在问题\n- 存在的问题是基层执法力量薄弱\n- 但是，执法人员持证率偏低\n"))
    assert "一是基层执法力量薄弱。二是执法人员持证率偏低。" in text

