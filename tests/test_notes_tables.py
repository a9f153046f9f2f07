"""Notes with tables, and lines with several items (table-driven, notes of offices of our own).

- a table's data rows (a Word table read as ``a | b | c`` rows, a Markdown table) are items in
  sentence form that keep each figure with its metric, unit and column; header and delimiter rows
  are no items, and the figures of those sentences are extracted and checked as usual;
- a line with several items (a；b, 一是a；二是b) gives one item each, and a part with no cue of
  its own shares the status of the part before it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.check.model import FLAGGED
from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
from aidraft.ledger import Status, build_ledger
from aidraft.parse.notes import parse_notes, read_notes
from aidraft.parse.notes_items import split_items

HEAD = "---\noffice: 白沙县市场监督管理局\nyear: 2025\n---\n# 主要工作\n"


@pytest.mark.parametrize(
    ("table", "items"),
    [
        # a Word table as the ingest layer reads it: year columns, units in the row labels
        ("项目 | 2025年 | 2024年\n查办案件（件） | 87 | 102\n罚没款（万元） | 412.6 | 390\n",
         ["查办案件2025年87件，2024年102件", "罚没款2025年412.6万元，2024年390万元"]),
        # Markdown: outer bars, a delimiter row, the unit in the column headers
        (("| 事项 | 2025年（件） | 2024年（件） |\n| :--- | ---: | ---: |\n| 投诉举报 | 1,206 | 1,344 |\n"
          "| 行政处罚 | 215 | - |\n"),
         ["投诉举报2025年1,206件，2024年1,344件", "行政处罚2025年215件"]),
        # 本年/上年: this year's value is the item, last year's its comparison; a sign is a change
        ("指标 | 本年 | 上年 | 同比\n特种设备检验（台） | 640 | 600 | +6.7%\n食品抽检合格率 | 98.4% | 97.9% |\n",
         ["特种设备检验640台，上年600台，同比增长6.7%", "食品抽检合格率98.4%，上年97.9%"]),
        # a 单位： line above the table, a row-number column, bare years in the header
        ("单位：万元\n\n序号 | 事项 | 2025 | 2024\n1 | 专项资金 | 56 | 48\n",
         ["专项资金2025年56万元，2024年48万元"]),
    ],
)
def test_table_rows_are_items_in_sentence_form(table: str, items: list[str]) -> None:
    notes = parse_notes(HEAD + table + "- 开展计量器具检定120台\n")
    assert [i.text for i in notes.items] == [*items, "开展计量器具检定120台"]


def test_a_word_table_in_docx_notes(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("一、主要工作")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([("事项", "2025年", "2024年"), ("行政复议（件）", "34", "41"),
                             ("复议纠错率", "8.8%", "12.2%")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("二、存在问题")
    doc.add_paragraph("复议人员不足")
    path = tmp_path / "notes.docx"
    doc.save(str(path))
    notes = read_notes(path)
    assert [i.text for i in notes.items] == ["行政复议2025年34件，2024年41件", "复议纠错率2025年8.8%，2024年12.2%",
                                             "复议人员不足"]
    assert notes.meta.year == 2025


def test_table_figures_are_drafted_and_checked() -> None:
    notes = parse_notes(
        "---\noffice: 白沙县市场监督管理局\nyear: 2025\n---\n# 主要工作\n"
        "| 事项 | 2025年（件） | 2024年（件） |\n|---|---|---|\n| 投诉举报 | 1,206 | 1,344 |\n"
        "| 立案查处 | 215 | 240 |\n# 存在问题\n- 执法装备不足\n")
    ledger = build_ledger(notes)
    assert [[f.text for f in i.figures] for i in ledger.items[:2]] == [["1,206件", "1,344件"], ["215件", "240件"]]
    result = run_draft(resolve_inputs(notes, [], None, None), OfflineDrafter())
    text = result.document.text
    assert "|" not in text and "事项" not in text and "---" not in text
    assert "投诉举报2025年1,206件，2024年1,344件" in text
    checked = {f.text: f.status.value for f in result.check.figures}
    assert {k: checked[k] for k in ("1,206件", "1,344件", "215件", "240件")} == dict.fromkeys(
        ("1,206件", "1,344件", "215件", "240件"), "supported")


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("一是开展普法12场;二是调解纠纷30件", ["开展普法12场", "调解纠纷30件"]),
        ("行政复议受理能力不足；信息化水平不高", ["行政复议受理能力不足", "信息化水平不高"]),
        ("在执法方面，一是检查企业46家，二是立案9件，三是结案7件", ["在执法方面，检查企业46家", "立案9件", "结案7件"]),
        ("组织考试1次。参考率100%", ["组织考试1次", "参考率100%"]),
        ("①修订裁量基准②编制权责清单", ["修订裁量基准", "编制权责清单"]),
        # a part that depends on the one before stays with it; nothing inside 《》 is cut
        ("受理投诉860件；其中网上投诉510件", ["受理投诉860件；其中网上投诉510件"]),
        ("执法力量不足；主要是编制长期空缺", ["执法力量不足；主要是编制长期空缺"]),
        ("印发《关于规范执法；强化监督的意见》；开展培训2次", ["印发《关于规范执法；强化监督的意见》", "开展培训2次"]),
        # 统一是 opens no enumeration
        ("执法文书格式统一是难点，二是后续工作", ["执法文书格式统一是难点，二是后续工作"]),
    ],
)
def test_a_line_with_several_items_is_split(line: str, parts: list[str]) -> None:
    assert [p.rstrip("，") for p in split_items(line)] == parts
    assert [i.text for i in parse_notes(HEAD + "- " + line + "\n").items] == parts


@pytest.mark.parametrize(
    ("line", "statuses"),
    [
        ("2026年将推进智慧监管；开展执法人员轮训", [Status.planned, Status.planned]),
        ("局长带头述法；讲授法治课2次", [Status.duty, Status.duty]),
        ("执法力量不足；办案周期偏长", [Status.problem, Status.problem]),
        ("检查企业46家；2026年将推行信用监管", [Status.done, Status.planned]),
        ("拟开展执法案卷评查；已完成执法证件换发", [Status.planned, Status.done]),
    ],
)
def test_a_later_part_without_a_cue_shares_the_lines_status(line: str, statuses: list[Status]) -> None:
    notes = parse_notes(f"---\noffice: 白沙县市场监督管理局\nyear: 2025\n---\n- {line}\n")
    assert [i.status for i in build_ledger(notes).items] == statuses


def test_markers_in_the_text_are_the_flagged_figures_of_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checker that would judge a figure by the marker after it (flagged unmarked, passed once
    marked) must not make the record disagree with the text: the record is the check that placed
    the markers."""
    from aidraft.check.model import FigureStatus
    from aidraft.draft import assemble

    real = assemble.check_text
    marker = "【待核实】"

    def judged_by_marker(draft, *args, **kwargs):  # type: ignore[no-untyped-def]
        report = real(draft, *args, **kwargs)
        figures = [f.model_copy(update={"status": FigureStatus.supported if draft.text.startswith(marker, f.end)
                                        else FigureStatus.unsupported}) if f.text == "46家" else f
                   for f in report.figures]
        return report.model_copy(update={"figures": figures})

    monkeypatch.setattr(assemble, "check_text", judged_by_marker)
    notes = parse_notes(HEAD + "- 检查企业46家\n- 开展普法宣传8场\n")
    result = run_draft(resolve_inputs(notes, [], None, None), OfflineDrafter())
    text = result.document.text
    flagged = [f for f in result.check.figures if f.status in FLAGGED]
    assert [f.text for f in flagged] == ["46家"] and text.count(marker) == 1
    assert all(text[f.start:f.end] == f.text for f in result.check.figures)
    assert text.startswith(marker, flagged[0].end)
