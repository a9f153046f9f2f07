"""What the offline writer may state: plan lines as the notes promise them (their verb, their
deadline), headings and leads only where the notes mean the practice, the petition opening only
for petition work, no background or personal data, and one date placeholder in .md and .docx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aidraft.draft.bank import phrase_bank
from aidraft.draft.output import write_outputs
from aidraft.draft.pipeline import DraftResult, OfflineDrafter, resolve_inputs, run_draft
from aidraft.draft.write_offline import future_register
from aidraft.messages import DOC_LANG, text
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import parse_notes
from aidraft.privacy import Masker

PETITION_OPENING = "关于加强和改进人民信访工作的重要思想"


def draft(office: str, notes: str) -> DraftResult:
    parsed = parse_notes(f"---\noffice: {office}\nyear: 2025\n---\n{notes}", "notes.md")
    return run_draft(resolve_inputs(parsed, [], None, None), OfflineDrafter(), path="draft")


def section(result: DraftResult, kind: SectionKind) -> str:
    found = result.document.section_of_kind(kind)
    assert found is not None
    return result.document.text[found.start : found.end]


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("明年3月前建成教育执法信息平台", "2026年3月前建成教育执法信息平台"),  # the month keeps its year
        ("同时拟建立执法质量考评制度", "建立执法质量考评制度"),  # its own verb, no prefix
        ("另外，明年上半年完成执法人员轮训", "上半年完成执法人员轮训"),
        ("2026年底前完成全部中小学法治副校长轮训", "年底前完成全部中小学法治副校长轮训"),
        ("2026年上半年出台《校外培训监管办法》", "上半年出台《校外培训监管办法》"),
        ("拟于6月底前修订《行政处罚裁量基准》", "6月底前修订《行政处罚裁量基准》"),
        ("2026年3月底前完成规范性文件清理", "2026年3月底前完成规范性文件清理"),
        ("2027年实现执法记录仪全覆盖", "2027年实现执法记录仪全覆盖"),  # not next year: stays
        ("执法队伍", "执法队伍方面，【待补充：具体安排】"),  # a thing: no invented practice
        ("明年基层培训", "扎实推进基层培训"),  # an activity: pushed on
        ("路政信息平台上线运行", "路政信息平台上线运行"),  # a verb inside the note
    ],
)
def test_a_plan_line_keeps_its_verb_and_its_deadline(note: str, written: str) -> None:
    assert future_register(note, phrase_bank(), 2026) == written


def test_deadlines_survive_into_the_plans_section() -> None:
    plans = section(draft("柳湾区教育局", "- 开展法治副校长培训2期\n# 下步打算\n"
                          "- 2026年底前完成全部中小学法治副校长轮训\n- 2026年上半年出台《校外培训监管办法》\n"
                          "- 明年3月前建成教育执法信息平台\n- 执法队伍\n"), SectionKind.plans)
    for kept in ("年底前完成全部中小学", "上半年出台《校外培训监管办法》", "2026年3月前建成", "执法队伍方面，【待补充"):
        assert kept in plans, plans
    assert "扎实推进3月前" not in plans and "扎实推进执法队伍" not in plans


@pytest.mark.parametrize(
    ("note", "heading", "lead"),
    [
        ("开展校外培训机构专项检查45家次", "强化理论武装", "干部职工法治学习"),
        ("考核排名全市第3名", "加强组织领导", "同部署、同推进、同考核"),
    ],
)
def test_a_keyword_inside_another_meaning_claims_no_practice(note: str, heading: str, lead: str) -> None:
    measures = section(draft("柳湾区教育局", f"- {note}\n- 办理行政复议案件3件\n"), SectionKind.measures)
    assert heading not in measures and lead not in measures, measures


def test_a_keyword_meant_as_the_topic_still_groups_and_backs_the_lead() -> None:
    result = draft("柳湾区教育局", "- 组织执法人员法治培训6期\n- 将法治建设纳入年度绩效考核\n")
    measures = section(result, SectionKind.measures)
    assert "强化理论武装" in measures and "同部署、同推进、同考核" in measures
    lead = next(s for _, s in result.traced_sentences() if "同考核" in s.text)
    assert lead.note_ids == ["N2"]


@pytest.mark.parametrize(
    ("office", "notes", "petition", "cited"),
    [
        ("石门镇人民政府", "- 开展村规民约合法性审查12件\n- 接待群众信访8批次\n- 组织法治讲座4场\n", False, []),
        ("青溪县信访局", "- 组织法治讲座4场\n", True, []),  # the office name makes the claim
        ("石门镇人民政府", "- 受理信访事项30件\n- 化解信访积案3件\n- 组织法治讲座4场\n", True, ["N1", "N2"]),
    ],
)
def test_the_petition_opening_only_for_petition_work(tmp_path: Path, office: str, notes: str, petition: bool,
                                                     cited: list[str]) -> None:
    result = draft(office, notes)
    assert (PETITION_OPENING in result.document.preamble) is petition
    paths = write_outputs(result, tmp_path / "report.docx")
    sentences = json.loads(paths.check.read_text(encoding="utf-8"))["sentences"]
    assert sentences[0]["section"] == "preamble" and sentences[0]["kind"] == "connective"
    assert sentences[0]["text"] in result.document.text and sentences[0]["note_ids"] == cited


PERSONAL = ["13812345678", "330102198003121234", "lina@example.com"]


def test_background_is_never_stated_and_personal_data_is_masked(tmp_path: Path) -> None:
    result = draft("柳湾区教育局", "- 开展校园安全执法检查20次\n"
                   "- 备注：此条数据来自基教科\n"
                   "- 开通校园安全投诉热线13812345678，受理投诉56件\n"
                   "- 核查身份证号330102198003121234的涉事人员信息并移交公安\n"
                   "- 设立法律咨询邮箱 lina@example.com，回复咨询30件\n")
    body = result.document.text
    assert "基教科" not in body  # context: never a statement
    assert [v for v in PERSONAL if v in body] == []
    assert "〔手机号甲〕" in body and "〔身份证号甲〕" in body and "〔邮箱甲〕" in body
    assert "受理投诉56件" in body  # the rest of the sentence stays
    privacy = result.run.privacy
    assert privacy is not None and privacy.occurrences == {"email": 1, "id_card": 1, "mobile": 1}
    assert result.run.events and "3" in result.run.events[0]
    paths = write_outputs(result, tmp_path / "report.docx")
    record = paths.check.read_text(encoding="utf-8") + paths.markdown.read_text(encoding="utf-8")
    assert [v for v in PERSONAL if v in record] == []


def test_notes_without_personal_data_leave_no_privacy_note() -> None:
    result = draft("柳湾区教育局", "- 开展校园安全执法检查20次\n")
    assert result.run.privacy is None and result.run.events == []


def test_the_markdown_date_line_is_the_docx_placeholder(tmp_path: Path) -> None:
    result = draft("柳湾区教育局", "- 开展校园安全执法检查20次\n")
    markdown = write_outputs(result, tmp_path / "report.docx").markdown.read_text(encoding="utf-8")
    lines = markdown.rstrip("\n").split("\n")
    assert lines[-1] == text("docx.date_missing", DOC_LANG)
    assert "年　月　日" not in markdown


@pytest.mark.parametrize(
    ("note", "written"),
    [
        # a plan word that is part of another word, or the 将 of a 把-construction, is kept
        ("拟定《公共法律服务事项清单》，年底前公布", "拟定《公共法律服务事项清单》，年底前公布"),
        ("草拟《法律顾问管理办法》", "草拟《法律顾问管理办法》"),
        ("将“枫桥经验”调解模式推广至全部村居", "将“枫桥经验”调解模式推广至全部村居"),
        # a verb outside the closed list, with its object: the sentence stays, no placeholder
        ("2026年培育乡村法治带头人600名以上", "培育乡村法治带头人600名以上"),
        ("下一步，局长将带头讲授宪法专题课", "局长将带头讲授宪法专题课"),
        ("招录专职人民调解员20名", "招录专职人民调解员20名"),
        # still: a modal before its own verb goes, a bare thing gets the placeholder
        ("拟修订行政执法公示办法", "修订行政执法公示办法"),
        ("调解队伍", "调解队伍方面，【待补充：具体安排】"),
    ],
)
def test_the_plans_writer_strips_only_plan_words_and_keeps_verbs(note: str, written: str) -> None:
    assert future_register(note, phrase_bank(), 2026) == written


@pytest.mark.parametrize(
    ("note", "public", "masked"),
    [
        ("审结行政诉讼案件（2025）浙0381行初562号，依法出庭应诉", "（2025）浙0381行初562号", None),
        ("开通法律援助热线0577-65551234，接听咨询3200人次", "0577-65551234", None),
        ("在县公共法律服务中心（青石县迎宾大道66号）设立援助窗口", "青石县迎宾大道66号", None),
        ("公布投诉邮箱12348@sfj.gov.cn，受理投诉21件", "12348@sfj.gov.cn", None),
        # a person's data stays masked
        ("为受援人李强（手机13705550123）办理援助", None, "13705550123"),
        ("约谈当事人，其家住青石县迎宾大道66号", None, "迎宾大道66号"),
    ],
)
def test_the_offline_draft_masks_persons_not_institutions(note: str, public: str | None, masked: str | None) -> None:
    body = draft("青石县司法局", f"- {note}\n").document.text
    if public:
        assert public in body
    if masked:
        assert masked not in body and "〔" in body
    assert "〔住址甲〕）" not in body or "（〔住址甲〕）" in body  # no mask starts inside a place name


def test_the_model_path_still_masks_institutional_data() -> None:
    masked = Masker().mask("开通法律援助热线0577-65551234，审结（2025）浙0381行初562号，邮箱12348@sfj.gov.cn")
    assert "0577-65551234" not in masked and "562号" not in masked and "sfj.gov.cn" not in masked
