"""The checked draft as Word: the user's own document back, each flagged figure highlighted with
a comment saying why and what the source says, everything else unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from typer.testing import CliRunner

from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText
from aidraft.cli.app import app
from aidraft.export.checked_docx import checked_docx
from aidraft.ingest.read import read_bytes_text

NOTES = NamedText(path="笔记.md", text="- 办理行政复议案件36件\n- 调解矛盾纠纷1234件\n- 开展普法活动45场\n- 受理来信来访820件\n")


def _doc(build) -> bytes:  # type: ignore[no-untyped-def]
    doc = Document()
    build(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _split_bold(doc) -> None:  # type: ignore[no-untyped-def]
    """A figure spread over runs with different formatting ("3" bold, "7件" plain)."""
    doc.add_paragraph("某区司法局2025年度法治政府建设情况报告")
    p = doc.add_paragraph("全年办理行政复议案件")
    p.add_run("3").bold = True
    p.add_run("7件，调解矛盾纠纷1200余件，培训执法人员58名。")


def _in_table(doc) -> None:  # type: ignore[no-untyped-def]
    doc.add_paragraph("某市人社局情况报告")
    cell = doc.add_table(rows=1, cols=2).rows[0].cells
    cell[0].text = "普法"
    cell[1].text = "开展普法活动45场，受理来信来访900件"


def _data_table(doc) -> None:  # type: ignore[no-untyped-def]
    """A Word table of bare numbers: the unit is in the column header, the metric in the row label."""
    doc.add_paragraph("一、主要举措和成效")
    rows = doc.add_table(rows=4, cols=2).rows
    for row, (label, value) in zip(rows, [("指标", "数量（件）"), ("办理行政复议案件", "36"), ("调解矛盾纠纷", "1500"),
                                          ("受理来信来访", "820")]):
        row.cells[0].text, row.cells[1].text = label, value


def _soft_break(doc) -> None:  # type: ignore[no-untyped-def]
    p = doc.add_paragraph("第一行：开展普法活动45场")
    p.add_run().add_break()
    p.add_run("第二行：受理来信来访 820件，另有无据之数17次")


@pytest.mark.parametrize(("build", "flagged"), [
    (_split_bold, {"37件": WD_COLOR_INDEX.RED, "58名": WD_COLOR_INDEX.YELLOW}),
    (_in_table, {"900件": WD_COLOR_INDEX.RED}),
    (_data_table, {"1500": WD_COLOR_INDEX.RED}),  # 1234件 in the notes; 36 and 820 are backed
    (_soft_break, {"17次": WD_COLOR_INDEX.YELLOW}),
])
def test_flagged_figures_are_highlighted_and_commented(build, flagged: dict[str, WD_COLOR_INDEX]) -> None:  # type: ignore[no-untyped-def]
    data = _doc(build)
    text = read_bytes_text(data, "draft.docx")
    report = check_text(NamedText(path="draft.docx", text=text), [NOTES])
    assert {f.text for f in report.figures if f.flagged} == set(flagged)
    out, placed = checked_docx(report, text, data)
    assert placed == len(flagged)
    result = Document(io.BytesIO(out))
    assert read_bytes_text(out, "checked.docx") == text  # not a character changed
    marked: dict[str, WD_COLOR_INDEX] = {}
    for run in result.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r"):
        from docx.text.run import Run

        r = Run(run, None)  # type: ignore[arg-type]
        if r.font.highlight_color is not None:
            marked[r.text] = r.font.highlight_color
    assert "".join(marked) == "".join(flagged)  # the figures, whole, and nothing else
    assert set(marked.values()) == set(flagged.values())
    comments = [c.text for c in result.comments]
    assert len(comments) == len(flagged)
    assert all(c.startswith("【") for c in comments)
    if "37件" in flagged:
        assert any("材料中此项为36件" in c and "笔记.md 第1行" in c for c in comments)
        bold = [r for r in result.paragraphs[1].runs if r.bold]
        assert [r.text for r in bold] == ["3"]  # the user's formatting is kept inside the figure


def test_unflagged_paragraphs_are_byte_identical() -> None:
    data = _doc(_split_bold)
    text = read_bytes_text(data, "d.docx")
    report = check_text(NamedText(path="d.docx", text=text), [NOTES])
    out, _ = checked_docx(report, text, data)
    from lxml import etree

    before = [etree.tostring(p._p) for p in Document(io.BytesIO(data)).paragraphs]
    after = [etree.tostring(p._p) for p in Document(io.BytesIO(out)).paragraphs]
    assert before[0] == after[0] and before[1] != after[1]


def test_text_draft_becomes_a_plain_commented_docx() -> None:
    text = "# 某县市场监管局报告\n\n  全年开展普法活动45场，另有无据之数17次。\n"
    report = check_text(NamedText(path="d.md", text=text), [NOTES])
    out, placed = checked_docx(report, text, None)
    assert placed == 1
    doc = Document(io.BytesIO(out))
    assert [c.text for c in doc.comments][0].startswith("【无出处】")


def test_cli_check_writes_checked_docx_and_refuses_bad_outputs(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(_doc(_split_bold))
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES.text, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "checked.docx"
    result = runner.invoke(app, ["check", str(draft), "--notes", str(notes), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert len(Document(out).comments) == 2
    for bad in (str(tmp_path), str(tmp_path / "x.md")):
        result = runner.invoke(app, ["check", str(draft), "--notes", str(notes), "-o", bad])
        assert result.exit_code == 2 and "-o" in result.output


def test_check_without_notes_says_nothing_was_checked(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("全年开展普法活动45场。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(draft)], env={"AIDRAFT_LANG": "en"})
    assert result.exit_code == 1
    assert "nothing was checked" in result.output
    result = CliRunner().invoke(app, ["check", str(draft)], env={"AIDRAFT_LANG": "zh"})
    assert "数字均未核对" in result.output


def test_misplaced_fact_is_commented_with_the_section_it_belongs_to() -> None:
    from aidraft.check.placement import check_placement
    from aidraft.parse.notes import parse_notes
    from aidraft.ledger import build_ledger
    from aidraft.parse.structure import parse_text

    notes = "受理来访812批次\n问题：超期复核3件\n明年：新建调解室4个\n明年：推行视频接访\n"
    draft = ("一、主要举措和成效\n受理来访812批次。新建调解室4个。推行视频接访。\n"
             "二、下一步工作打算\n继续做好受理。\n")
    report = check_text(NamedText(path="d.txt", text=draft), [NamedText(path="n.txt", text=notes)])
    report = check_placement(report, parse_text(draft, "d.txt"), build_ledger(parse_notes(notes, "n.txt"), year=2025))
    out, placed = checked_docx(report, draft, None)
    comments = [c.text for c in Document(io.BytesIO(out)).comments]
    assert placed == len(comments) == 2  # the figure, and the sentence without a figure; never both
    assert all(c.startswith("【位置不当】") for c in comments)
    assert any("下一年度安排" in c for c in comments)
    highlighted = [r.text for p in Document(io.BytesIO(out)).paragraphs for r in p.runs if r.font.highlight_color]
    assert "".join(highlighted).count("4个") == 1 and "812批次" not in "".join(highlighted)
