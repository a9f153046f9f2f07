"""A .docx reads as what a person sees in Word: automatic numbers, no hidden or deleted text,
soft breaks joined, text boxes once, the office in the page header, merged cells' labels; and the
checked copy marks the same characters it read."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.text.run import Run

from aidraft.check.run import check_text
from aidraft.export.checked_docx import checked_docx
from aidraft.ingest.docx_numbering import format_number
from aidraft.ingest.docx_text import docx_bytes_text
from aidraft.ingest.read import NamedText, read_bytes_text
from aidraft.parse.structure import names_office, parse_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
Build = Callable[[DocumentObject], None]


def _bytes(build: Build) -> bytes:
    doc = Document()
    build(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xml(fragment: str):  # type: ignore[no-untyped-def]
    """A WordprocessingML fragment whose root element declares the namespaces it uses."""
    head, _, rest = fragment.partition(">")
    closing = head.endswith("/")
    head = head[:-1] if closing else head
    return parse_xml(f"{head} {NS}{'/' if closing else ''}>{rest}")


# --- 1. automatic numbering ---------------------------------------------------------------------

def _lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def _numbering(doc: DocumentObject, abstracts: dict[int, list[str]], nums: dict[int, str]) -> None:
    """Replace numbering.xml with these abstract definitions (levels as XML) and instances."""
    root = doc.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    for aid, levels in abstracts.items():
        root.append(_xml(f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'))
    for nid, inner in nums.items():
        root.append(_xml(f'<w:num w:numId="{nid}">{inner}</w:num>'))


def _num_pr(element, num_id: int | None, ilvl: int | None = None) -> None:  # type: ignore[no-untyped-def]
    num_pr = element.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    if num_id is not None:
        num_pr.get_or_add_numId().val = num_id


CN_HEADINGS = [_lvl(0, "chineseCounting", "%1、"), _lvl(1, "chineseCountingThousand", "（%2）"),
               _lvl(2, "decimal", "%3.")]


def _styled_headings(doc: DocumentObject) -> None:
    """Heading 1/2/3 numbered through their styles, as a template's outline list does."""
    _numbering(doc, {0: CN_HEADINGS}, {1: '<w:abstractNumId w:val="0"/>'})
    for level, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
        _num_pr(doc.styles[name].element, 1, level)
    doc.add_paragraph("某县信访局2025年法治政府建设情况报告")
    doc.add_paragraph("主要举措和成效", "Heading 1")
    doc.add_paragraph("强化组织领导", "Heading 2")
    doc.add_paragraph("召开专题会议", "Heading 3")
    doc.add_paragraph("全年召开专题会议4次。")
    doc.add_paragraph("完善制度建设", "Heading 2")
    doc.add_paragraph("存在的不足", "Heading 1")
    doc.add_paragraph("基层力量薄弱", "Heading 2")


def _list_formats(doc: DocumentObject) -> None:
    """Paragraph-level numPr in several formats; an unknown format is decimal."""
    _numbering(doc, {0: [_lvl(0, "decimal", "%1.")], 1: [_lvl(0, "ideographTraditional", "%1、")],
                     2: [_lvl(0, "decimalEnclosedCircle", "%1")], 3: [_lvl(0, "madeUpFormat", "第%1条")],
                     4: [_lvl(0, "bullet", "\u2022")]},
               {n + 1: f'<w:abstractNumId w:val="{n}"/>' for n in range(5)})
    for num, texts in ((1, ("开展普法活动", "办理复议案件")), (2, ("甲项", "乙项")), (3, ("一项",)), (4, ("条款",)),
                       (5, ("要点",))):
        for text in texts:
            _num_pr(doc.add_paragraph(text)._p, num, 0)


def _restarts(doc: DocumentObject) -> None:
    """Two instances of one definition continue each other; a startOverride restarts; numId 0 is off;
    %1.%2 shows both levels, and a level restarts under a new parent."""
    _numbering(doc, {0: [_lvl(0, "decimal", "%1."), _lvl(1, "decimal", "%1.%2")]},
               {1: '<w:abstractNumId w:val="0"/>', 2: '<w:abstractNumId w:val="0"/>',
                3: '<w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'})
    for text, num, ilvl in (("甲", 1, 0), ("甲一", 1, 1), ("甲二", 1, 1), ("乙", 2, 0), ("乙一", 2, 1),
                            ("重新开始", 3, 0), ("不编号", 0, 0), ("接着", 3, 0)):
        _num_pr(doc.add_paragraph(text)._p, num, ilvl)


def _style_link(doc: DocumentObject) -> None:
    """A style carrying only numId; its level is the lvl whose pStyle names it; an outline-level
    paragraph numbered directly."""
    _numbering(doc, {0: [_lvl(0, "chineseCounting", "%1、", '<w:pStyle w:val="Heading1"/>'),
                         _lvl(1, "chineseCounting", "（%2）", '<w:pStyle w:val="Heading2"/>')]},
               {1: '<w:abstractNumId w:val="0"/>'})
    _num_pr(doc.styles["Heading 1"].element, 1)
    _num_pr(doc.styles["Heading 2"].element, 1)
    doc.add_paragraph("总体情况", "Heading 1")
    doc.add_paragraph("主要做法", "Heading 2")
    p = doc.add_paragraph("大纲级别的段落")
    p._p.get_or_add_pPr().append(_xml('<w:outlineLvl w:val="1"/>'))
    _num_pr(p._p, 1, 1)


@pytest.mark.parametrize(("build", "expected"), [
    (_styled_headings, ("某县信访局2025年法治政府建设情况报告\n一、主要举措和成效\n（一）强化组织领导\n1.召开专题会议\n"
                        "全年召开专题会议4次。\n（二）完善制度建设\n二、存在的不足\n（一）基层力量薄弱\n")),
    (_list_formats, "1.开展普法活动\n2.办理复议案件\n甲、甲项\n乙、乙项\n①一项\n第1条条款\n要点\n"),
    (_restarts, "1.甲\n1.1甲一\n1.2甲二\n2.乙\n2.1乙一\n1.重新开始\n不编号\n2.接着\n"),
    (_style_link, "一、总体情况\n（一）主要做法\n（二）大纲级别的段落\n"),
], ids=["heading-styles", "formats", "restarts", "style-link"])
def test_automatic_numbers_are_read(build: Build, expected: str) -> None:
    assert docx_bytes_text(_bytes(build)) == expected


@pytest.mark.parametrize(("n", "fmt", "shown"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCountingThousand", "二十"), (105, "chineseCountingThousand", "一百零五"),
    (3, "ideographTraditional", "丙"), (2, "ideographZodiac", "丑"), (12, "chineseLegalSimplified", "壹拾贰"),
    (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (7, "decimalZero", "07"), (3, "decimalFullWidth", "３"),
    (2025, "ideographDigital", "二〇二五"), (9, "ordinalText", "9"),
])
def test_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_parser_sees_numbered_headings() -> None:
    doc = parse_text(read_bytes_text(_bytes(_styled_headings), "r.docx"))
    assert [(s.number, s.title) for s in doc.sections] == [("一、", "主要举措和成效"), ("二、", "存在的不足")]
    assert [(c.number, c.title) for c in doc.sections[0].children] == [("（一）", "强化组织领导"), ("（二）", "完善制度建设")]


# --- 2–4. hidden text, tracked changes, breaks ---------------------------------------------------

def _hidden_run(doc: DocumentObject) -> None:
    p = doc.add_paragraph("开展法治宣传活动")
    p.add_run("35").font.hidden = True
    p.add_run("41场次")


def _hidden_kinds(doc: DocumentObject) -> None:
    """vanish through a character style, specVanish, vanish switched off, a hidden paragraph mark."""
    style = doc.styles.add_style("隐藏字", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    p = doc.add_paragraph("受理")
    p.add_run("（草稿）", style="隐藏字")
    p.add_run("来信")
    p._p.append(_xml('<w:r><w:rPr><w:specVanish/></w:rPr><w:t>批注</w:t></w:r>'))
    p._p.append(_xml('<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>820件</w:t></w:r>'))
    joined = doc.add_paragraph("审核规范性文件")
    joined._p.get_or_add_pPr().append(_xml("<w:rPr><w:vanish/></w:rPr>"))
    doc.add_paragraph("27件")


def _tracked(doc: DocumentObject) -> None:
    """A deleted table row, a deleted and a moved-away paragraph mark, an inserted run."""
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("指标", "数量"), ("已删除", "99件"), ("受理来信", "820件")]):
        row.cells[0].text, row.cells[1].text = label, value
    table.rows[1]._tr.insert(0, _xml('<w:trPr><w:del w:id="1" w:author="a"/></w:trPr>'))
    first = doc.add_paragraph("审核规范性文件")
    first._p.get_or_add_pPr().append(_xml('<w:rPr><w:del w:id="2" w:author="a"/></w:rPr>'))
    second = doc.add_paragraph("27件，")
    second._p.get_or_add_pPr().append(_xml('<w:rPr><w:moveFrom w:id="3" w:author="a"/></w:rPr>'))
    last = doc.add_paragraph("合法性审核率100%")
    last._p.append(_xml('<w:ins w:id="4" w:author="a"><w:r><w:t>。</w:t></w:r></w:ins>'))


def _breaks(doc: DocumentObject) -> None:
    p = doc.add_paragraph("审核规范性文件")
    p.add_run().add_break()
    p.add_run("27件，合法性审核率100%")
    p._p.append(_xml("<w:r><w:cr/><w:t>。</w:t></w:r>"))
    q = doc.add_paragraph("Rule of")
    q.add_run().add_break()
    q.add_run("Law")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # a page break alone is no line
    r = doc.add_paragraph("第二页")
    r._p.append(_xml('<w:r><w:br w:type="page"/><w:t>接续</w:t></w:r>'))


@pytest.mark.parametrize(("build", "expected"), [
    (_hidden_run, "开展法治宣传活动41场次\n"),
    (_hidden_kinds, "受理来信820件\n审核规范性文件27件\n"),
    (_tracked, "指标 | 数量\n受理来信 | 820件\n审核规范性文件27件，合法性审核率100%。\n"),
    (_breaks, "审核规范性文件27件，合法性审核率100%。\nRule of Law\n第二页接续\n"),
], ids=["hidden-run", "hidden-kinds", "tracked", "breaks"])
def test_what_word_shows(build: Build, expected: str) -> None:
    assert docx_bytes_text(_bytes(build)) == expected


# --- 5. text boxes -------------------------------------------------------------------------------

_BOX = '<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>'
_CHOICE = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
           '<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
           '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')


def _text_boxes(doc: DocumentObject) -> None:
    p = doc.add_paragraph("正文在前")
    p._p.append(_xml(_CHOICE.format(box=_BOX.format("框内：全年受理来信820件"))))
    p.add_run("，正文在后")
    q = doc.add_paragraph("旧式文本框")
    q._p.append(_xml(f'<w:r><w:pict><v:shape><v:textbox>{_BOX.format("VML框内文字")}</v:textbox></v:shape>'
                     "</w:pict></w:r>"))
    doc.add_paragraph("结尾")


def test_text_box_is_read_once_after_its_anchor() -> None:
    assert docx_bytes_text(_bytes(_text_boxes)) == "正文在前，正文在后\n框内：全年受理来信820件\n旧式文本框\nVML框内文字\n结尾\n"


# --- 6. the office in the page header ------------------------------------------------------------

def _with_header(header: str, title: str) -> Build:
    def build(doc: DocumentObject) -> None:
        doc.sections[0].header.paragraphs[0].text = header
        doc.add_paragraph(title)
        doc.add_paragraph("一、主要举措和成效")
        doc.add_paragraph("全年办理行政复议案件37件。")
    return build


@pytest.mark.parametrize(("header", "title", "office", "first_line"), [
    ("梧桐县市场监督管理局", "2025年法治政府建设工作情况", "梧桐县市场监督管理局", "梧桐县市场监督管理局"),
    ("梧桐县市场监督管理局", "某县信访局关于2025年度法治政府建设情况的报告", "某县信访局",
     "某县信访局关于2025年度法治政府建设情况的报告"),  # the body names its office: the header is not read
    ("内部资料 注意保存", "2025年法治政府建设工作情况", None, "2025年法治政府建设工作情况"),  # not an office
], ids=["header-office", "body-office-wins", "header-not-office"])
def test_header_names_the_office_when_the_body_does_not(header: str, title: str, office: str | None,
                                                        first_line: str) -> None:
    text = read_bytes_text(_bytes(_with_header(header, title)), "r.docx", names_office)
    assert text.split("\n")[0] == first_line
    assert parse_text(text).office == office
    # a reader that asks nothing of the office (check, lint) reads the body only
    assert read_bytes_text(_bytes(_with_header(header, title)), "r.docx").split("\n")[0] == title


# --- 7. merged cells -----------------------------------------------------------------------------

def _merged(doc: DocumentObject) -> None:
    table = doc.add_table(rows=4, cols=3)
    for r, values in enumerate([("指标", "项目", "数量"), ("", "案件数", "120件"), ("", "罚没款", "350万元"),
                                ("", "", "500件")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0)).text = "行政处罚案件"
    table.cell(3, 0).merge(table.cell(3, 1)).text = "合计"
    legacy = doc.add_table(rows=1, cols=3).rows[0]  # Word 97's horizontal merge: w:hMerge cells
    for cell, (merge, value) in zip(legacy.cells, [("restart", "合计"), ("continue", ""), (None, "7件")]):
        cell.text = value
        if merge:
            cell._tc.get_or_add_tcPr().append(_xml(f'<w:hMerge w:val="{merge}"/>'))


def test_merged_cells_keep_their_label_and_are_read_once() -> None:
    assert docx_bytes_text(_bytes(_merged)) == (
        "指标 | 项目 | 数量\n行政处罚案件 | 案件数 | 120件\n行政处罚案件 | 罚没款 | 350万元\n合计 | 500件\n合计 | 7件\n")


# --- the checked copy marks what was read --------------------------------------------------------

NOTES = NamedText(path="笔记.md", text="- 开展法治宣传活动40场次\n- 办理行政复议案件36件\n- 受理来信来访820件\n")


def _numbered_figure(doc: DocumentObject) -> None:
    _numbering(doc, {0: [_lvl(0, "decimal", "%1.")]}, {1: '<w:abstractNumId w:val="0"/>'})
    doc.add_paragraph("某县信访局2025年法治政府建设情况报告")
    p = doc.add_paragraph("全年办理行政复议案件")
    _num_pr(p._p, 1, 0)
    p.add_run("37件").bold = True
    p.add_run("，受理来信来访820件。")


def _soft_broken_figure(doc: DocumentObject) -> None:
    p = doc.add_paragraph("全年受理来信来访820件，")
    p.add_run().add_break()
    p.add_run("办理行政复议案件37件。")


@pytest.mark.parametrize("build", [_hidden_run, _numbered_figure, _soft_broken_figure,
                                   _with_header("梧桐县市场监督管理局", "2025年法治政府建设工作情况")],
                         ids=["hidden-run", "numbered", "soft-break", "header"])
def test_checked_copy_marks_only_the_read_figure(build: Build) -> None:
    data = _bytes(build)
    text = read_bytes_text(data, "draft.docx")
    report = check_text(NamedText(path="draft.docx", text=text), [NOTES])
    flagged = {f.text for f in report.figures if f.flagged}
    assert flagged in ({"41场次"}, {"37件"})
    out, placed = checked_docx(report, text, data)
    assert placed == 1
    assert read_bytes_text(out, "checked.docx") == text
    result = Document(io.BytesIO(out))
    runs = [Run(r, None) for r in result.element.body.iter(f"{{{W}}}r")]  # type: ignore[arg-type]
    assert [r.text for r in runs if r.font.highlight_color is not None] == [flagged.pop()]
    assert all(r.font.highlight_color is None for r in runs if r.font.hidden)  # the hidden 35 is left alone
