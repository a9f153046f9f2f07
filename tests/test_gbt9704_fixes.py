"""GB/T 9704 details a tester found wrong: long 落款 offices, word-boundary title breaks, the
placeholder date's position, text drafts' checked copies, readable status marks, and the level
(州/县/旗/盟) an office's opening names its leadership by."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import RGBColor
from docx.text.run import Run
from lxml import etree

from aidraft.check.run import check_text
from aidraft.export.checked_docx import checked_docx
from aidraft.export.docx_writer import render_docx
from aidraft.export.layout import load_layout, text_width
from aidraft.ingest.read import NamedText
from aidraft.parse.office import identify, office_level
from aidraft.parse.structure import parse_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LONG = "中共青峦土家族苗族自治州委员会政法委员会青峦土家族苗族自治州信访局"
NOTES = NamedText(path="笔记.md", text="- 开展普法活动45场\n- 受理来信来访820件\n")


def _report(office: str, date: str, title: str | None = None, lines: int = 3) -> str:
    body = "\n".join(f"第{i:02d}项工作按计划推进完成并通过验收" for i in range(lines))
    title = title if title is not None else f"{office}关于2025年度法治政府建设情况的报告"
    return f"{title}\n\n一、主要举措和成效\n{body}\n\n{office}\n{date}\n"


def _paragraphs(data: bytes) -> list[etree._Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return root.find("w:body", NS).findall("w:p", NS)


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))


# --- 1. the 落款 office is recognised whatever its length ----------------------------------------

@pytest.mark.parametrize(("office", "title"), [
    (LONG, None),  # the report's own office
    (LONG, "关于2025年度法治政府建设情况的报告"),  # not named in the title: an office line above the date
    ("湘西土家族苗族自治州永顺县人力资源和社会保障局机关党委办公室", ""),
    ("望川区司法局", None),
    ("望川区司法局", "关于2025年度法治政府建设情况的报告"),
])
def test_closing_office_of_any_length_is_the_signature(office: str, title: str | None) -> None:
    doc = parse_text(_report(office, "2026年3月1日", title))
    assert doc.closing.split("\n") == [office, "2026年3月1日"]
    assert office not in doc.sections[-1].text
    assert doc.office == office


@pytest.mark.parametrize("line", [
    "全年共受理群众来信来访事项一千余件并全部按期办结办理情况良好群众满意度明显提升", "青峦县信访局"])
def test_a_long_line_not_above_the_date_stays_text(line: str) -> None:
    text = f"关于2025年度法治政府建设情况的报告\n\n一、主要举措和成效\n{line}\n\n2026年3月1日\n"
    closing = [part for part in parse_text(text).closing.split("\n") if part.strip()]
    assert closing == (["青峦县信访局", "2026年3月1日"] if len(line) < 10 else ["2026年3月1日"])


@pytest.mark.parametrize("date", ["2026年3月1日", "2026年　月　日"])
def test_long_office_signature_is_laid_out_and_keeps_with_the_text(date: str) -> None:
    layout = load_layout()
    paragraphs = _paragraphs(render_docx(parse_text(_report(LONG, date))))
    office, last = paragraphs[-2], paragraphs[-1]
    assert _text(office) == LONG
    assert office.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == layout.roles.closing.style_id
    assert office.find("w:pPr/w:ind", NS).get(f"{{{W}}}firstLine") in (None, "0")
    assert office.find(".//w:br", NS) is not None  # broken between words, not wrapped anywhere
    assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in paragraphs[-4:-1])
    assert last.find("w:pPr/w:keepNext", NS) is None
    assert _text(paragraphs[-4]).startswith("第02项")


@pytest.mark.parametrize(("office", "lines"), [
    (LONG, ["中共青峦土家族苗族自治州委员会政法委员会", "青峦土家族苗族自治州信访局"]),
    ("望川区司法局", ["望川区司法局"]),
])
def test_office_name_breaks_between_words(office: str, lines: list[str]) -> None:
    assert load_layout().split_office(office) == lines


# --- 2. titles break between words, at most three balanced lines ---------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    ("青峦土家族苗族自治州人力资源和社会保障局关于2025年度法治政府建设情况的报告",
     ["青峦土家族苗族自治州人力资源和社会保障局", "关于2025年度法治政府建设情况的报告"]),
    ("恩施土家族苗族自治州鹤峰县人力资源和社会保障局关于2025年度法治政府建设情况的报告",
     ["恩施土家族苗族自治州", "鹤峰县人力资源和社会保障局", "关于2025年度法治政府建设情况的报告"]),
    (LONG + "关于2025年度法治政府建设情况的报告",
     ["中共青峦土家族苗族自治州委员会政法委员会", "青峦土家族苗族自治州信访局", "关于2025年度法治政府建设情况的报告"]),
    ("某县人民政府办公室2025年度法治政府建设工作情况报告", ["某县人民政府办公室", "2025年度法治政府建设工作情况报告"]),
    ("某县信访局关于2025年度法治政府建设情况的报告", ["某县信访局", "关于2025年度法治政府建设情况的报告"]),
])
def test_title_breaks_at_word_boundaries(title: str, expected: list[str]) -> None:
    layout = load_layout()
    lines = layout.split_title(title)
    assert lines == expected and "".join(lines) == title
    assert len(lines) <= layout.title.max_lines
    assert all(text_width(line) <= layout.title.max_line_chars for line in lines)


@pytest.mark.parametrize(("text", "inside"), [
    ("某县人力资源和社会保障局", "社会保障"), ("中共某州委员会", "委员会"), ("某县市场监督管理局", "市场"),
    ("某市法治政府建设领导小组", "法治政府建设"), ("2025年度", "2025"),
])
def test_no_break_inside_a_word(text: str, inside: str) -> None:
    at = text.find(inside)
    assert not [c for c in load_layout().word_units.cuts(text) if at < c < at + len(inside)]


# --- 3. the placeholder date starts where the date will -------------------------------------------

@pytest.mark.parametrize("office", ["望川区司法局", "青峦土家族苗族自治州信访局", LONG])
def test_placeholder_starts_right_of_the_office(office: str) -> None:
    layout = load_layout()
    char = layout.roles.closing.char_twips
    paragraphs = _paragraphs(render_docx(parse_text(_report(office, "2026年　月　日"))))
    office_p, date_p = paragraphs[-2], paragraphs[-1]
    widest = max(text_width(line) for line in layout.split_office(office))
    office_start = layout.text_width_twips - int(office_p.find("w:pPr/w:ind", NS).get(f"{{{W}}}right")) - widest * char
    date_start = int(date_p.find("w:pPr/w:ind", NS).get(f"{{{W}}}left"))
    assert date_start - office_start == pytest.approx(layout.closing.date_shift_chars * char, abs=2)
    assert date_start + text_width(_text(date_p)) * char <= layout.text_width_twips  # it fits the line


# --- 4. a text draft's checked copy is laid out like a draft --------------------------------------

@pytest.mark.parametrize("draft", [
    ("# 望川区司法局关于2025年度法治政府建设情况的报告\n\n## 一、主要举措和成效\n\n### （一）强化学习\n\n"
     "全年开展普法活动45场，受理来信来访900件。\n\n望川区司法局\n\n2026年3月1日\n"),
    "望川区司法局关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n　　全年开展普法活动45场，受理来信来访900件。\n",
])
def test_text_draft_checked_copy_is_a_gbt9704_draft(draft: str) -> None:
    report = check_text(NamedText(path="d.md", text=draft), [NOTES])
    out, placed = checked_docx(report, draft, None)
    assert placed == 1
    doc = docx.Document(io.BytesIO(out))
    assert round(doc.sections[0].page_width.mm) == 210 and round(doc.sections[0].page_height.mm) == 297
    texts = [p.text for p in doc.paragraphs]
    assert not any(t.startswith("#") for t in texts)
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["一、主要举措和成效"] == load_layout().roles.heading1.style_name
    marked = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert marked == ["900件"]


# --- 5. status marks stay visible on any formatting -----------------------------------------------

def _clerk_draft(style: str) -> bytes:
    doc = docx.Document()
    p = doc.add_paragraph("全年开展普法活动45场，受理来信来访")
    run = p.add_run("900件")
    if style == "red":
        run.font.color.rgb = RGBColor(0xFF, 0, 0)
    elif style == "yellow":
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    p.add_run("，另有无据之数17次。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("style", "contradicted"), [
    ("plain", WD_COLOR_INDEX.RED), ("red", WD_COLOR_INDEX.YELLOW), ("yellow", WD_COLOR_INDEX.RED)])
def test_status_mark_is_always_visible(style: str, contradicted: WD_COLOR_INDEX) -> None:
    from aidraft.ingest.read import read_bytes_text

    data = _clerk_draft(style)
    text = read_bytes_text(data, "d.docx")
    report = check_text(NamedText(path="d.docx", text=text), [NOTES])
    out, placed = checked_docx(report, text, data)
    assert placed == 2
    result = docx.Document(io.BytesIO(out))
    runs = {r.text: r for p in result.paragraphs for r in p.runs}
    assert runs["900件"].font.highlight_color == contradicted
    assert runs["17次"].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert len(result.comments) == 2


@pytest.mark.parametrize(("font", "existing", "wanted", "expected"), [
    (None, None, WD_COLOR_INDEX.YELLOW, WD_COLOR_INDEX.YELLOW),
    (RGBColor(0xFF, 0, 0), None, WD_COLOR_INDEX.RED, WD_COLOR_INDEX.YELLOW),
    (None, WD_COLOR_INDEX.YELLOW, WD_COLOR_INDEX.YELLOW, WD_COLOR_INDEX.BRIGHT_GREEN),
    (RGBColor(0xC0, 0, 0), WD_COLOR_INDEX.YELLOW, WD_COLOR_INDEX.RED, WD_COLOR_INDEX.BRIGHT_GREEN),
])
def test_visible_highlight(font: RGBColor | None, existing: WD_COLOR_INDEX | None, wanted: WD_COLOR_INDEX,
                           expected: WD_COLOR_INDEX) -> None:
    from aidraft.export.checked_docx import visible_highlight

    run: Run = docx.Document().add_paragraph().add_run("12件")
    if font is not None:
        run.font.color.rgb = font
    run.font.highlight_color = existing
    assert visible_highlight(run, wanted) == expected


# --- 6. the level comes from the office's own unit ------------------------------------------------

@pytest.mark.parametrize(("office", "level"), [
    ("青峦土家族苗族自治州信访局", "州"), (LONG, "州"), ("湘西州信访局", "州"), ("江华瑶族自治县人社局", "县"),
    ("鄂托克旗信访局", "旗"), ("莫力达瓦达斡尔族自治旗信访局", "旗"), ("阿拉善盟信访局", "盟"),
    ("永州市信访局", "市"), ("重庆市沙坪坝区信访办公室", "区"), ("某某县信访局", "县"),
])
def test_office_level_is_its_own_unit(office: str, level: str) -> None:
    assert office_level(office) == level == identify(office).level


@pytest.mark.parametrize(("office", "leadership"), [
    ("青峦土家族苗族自治州信访局", "州委、州政府"), ("鄂托克旗信访局", "旗委、旗政府"), ("某某县信访局", "县委、县政府"),
    ("阿拉善盟信访局", "盟委、行署"), ("内蒙古自治区锡林郭勒盟司法局", "盟委、行署"), ("大兴安岭地区信访局", "地委、行署"),
    ("重庆市沙坪坝区信访办公室", "区委、区政府"), ("永州市司法局", "市委、市政府")])
def test_opening_names_the_office_s_own_leadership(office: str, leadership: str) -> None:
    from aidraft.draft.plan import plan_offline
    from aidraft.parse.notes import parse_notes

    notes = parse_notes(f"---\noffice: {office}\nyear: 2025\n---\n- 受理信访事项100件\n", "n.md")
    plan = plan_offline(notes, office=office, year=2025, level=notes.meta.level or "县")
    from aidraft.draft.bank import phrase_bank

    opening = plan.fill(phrase_bank().opening[-1].text)
    assert f"在{leadership}的坚强领导下" in opening and opening.count("委、") == 1
