"""The .docx export meets GB/T 9704-2012 in the XML itself: what Word and WPS will read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pydantic import ValidationError

from aidraft.export import docx_writer
from aidraft.export.docx_writer import render_docx, write_docx
from aidraft.export.layout import Layout, load_layout, text_width
from aidraft.parse.document import Document, NumberStyle, Section, SectionKind
from support import docx_to_pdf_text, docx_to_pdfs, pdf_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TITLE = "某某县信访局关于2023年度法治政府建设情况的报告"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _s(
    number: str, title: str, text: str = "", *children: Section, kind: SectionKind | None = None
) -> Section:
    """A section whose level and numbering style follow from how its number is written."""
    if number.endswith("、"):
        level, style = 1, NumberStyle.cn_dun
    elif number.startswith("（") and not number[1].isdigit():
        level, style = 2, NumberStyle.cn_paren
    elif number.endswith("."):
        level, style = 3, NumberStyle.ar_dot
    else:
        level, style = 4, NumberStyle.ar_paren
    return Section(
        level=level, number=number, style=style, title=title, text=text,
        line=1, start=0, end=0, kind=kind, children=list(children),
    )


def sample_document() -> Document:
    """A fictional county petition office's report: four sections with sub-sections."""
    sections = [
        _s("一、", "主要举措和成效", "",
           _s("（一）", "强化理论学习，筑牢法治根基",
              "全年召开党组理论学习中心组专题学习会议6次，组织干部职工参加法治理论考试，参考率100%。",
              _s("1.", "规范信访事项受理", "依法受理群众来信来访1268件【待核实】，按期受理率100%。",
                 _s("（1）", "网上信访", "网上信访占比达到62.5%。"))),
           _s("（二）", "推进源头治理，化解矛盾纠纷",
              "一是开展矛盾纠纷排查；二是落实领导包案。\n全年化解信访积案【待补充】件。"),
           kind=SectionKind.measures),
        _s("二、", "党政主要负责人履行推进法治建设第一责任人职责情况", "",
           _s("（一）", "坚持带头尊法学法", "局主要负责人带头讲授法治专题党课2次。"),
           kind=SectionKind.duty),
        _s("三、", "存在的不足和原因", "基层信访干部法治素养仍需提升，信访事项办理质效有待提高。",
           kind=SectionKind.problems),
        _s("四、", "2024年工作安排", "",
           _s("（一）", "深化信访工作法治化", "全面落实《信访工作条例》，推进“五个法治化”。"),
           kind=SectionKind.plans),
    ]
    return Document(
        title=TITLE,
        office="某某县信访局",
        year=2023,
        preamble="2023年，某某县信访局坚持以习近平新时代中国特色社会主义思想为指导，"
        "扎实推进法治政府建设。现将有关情况报告如下：",
        closing="某某县信访局\n2024年3月15日",
        sections=sections,
        text="（测试用虚构文本）",
    )


@pytest.fixture(scope="module")
def layout() -> Layout:
    return load_layout()


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_docx(sample_document())


@pytest.fixture(scope="module")
def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: etree.fromstring(zf.read(name)) for name in zf.namelist() if name.endswith(".xml")}


@pytest.fixture(scope="module")
def body(parts: dict[str, etree._Element]) -> etree._Element:
    return parts["word/document.xml"].find("w:body", NS)


def _text(p: etree._Element) -> str:
    return "".join(p.xpath(".//w:t/text()", namespaces=NS))


def _para(body: etree._Element, startswith: str) -> etree._Element:
    return next(p for p in body.iterfind("w:p", NS) if _text(p).startswith(startswith))


def _runs_with_text(p: etree._Element) -> list[etree._Element]:
    return [r for r in p.iterfind("w:r", NS) if r.find("w:t", NS) is not None]


@pytest.mark.parametrize(
    ("tag", "attr", "value"),
    [
        ("pgSz", "w", "11906"),
        ("pgSz", "h", "16838"),
        ("pgMar", "top", "2098"),
        ("pgMar", "bottom", "1984"),
        ("pgMar", "left", "1587"),
        ("pgMar", "right", "1474"),
        ("docGrid", "type", "lines"),
        ("docGrid", "linePitch", "579"),
    ],
)
def test_section_geometry(body: etree._Element, tag: str, attr: str, value: str) -> None:
    element = body.find(f"w:sectPr/w:{tag}", NS)
    assert element is not None and element.get(_w(attr)) == value


def test_every_run_names_its_east_asian_font(parts: dict[str, etree._Element]) -> None:
    names = ["word/document.xml"] + [n for n in parts if n.startswith("word/footer")]
    runs = [r for n in names for r in parts[n].iter(_w("r"))]
    assert len(runs) > 20
    for run in runs:
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert fonts is not None, etree.tostring(run, encoding="unicode")
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(_w(attr)), attr
        assert fonts.get(_w("hint")) == "eastAsia"


@pytest.mark.parametrize("attr", ["asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"])
def test_no_theme_fonts_in_styles(data: bytes, attr: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert f"w:{attr}=".encode() not in zf.read("word/styles.xml")
        assert "word/stylesWithEffects.xml" not in zf.namelist()
        assert "docProps/thumbnail.jpeg" not in zf.namelist()


def test_doc_defaults_and_normal_use_fangsong(parts: dict[str, etree._Element]) -> None:
    styles = parts["word/styles.xml"]
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert default.get(_w("eastAsia")) == "仿宋_GB2312"
    normal = styles.xpath("w:style[w:name/@w:val='Normal']", namespaces=NS)[0]
    assert normal.find("w:rPr/w:rFonts", NS).get(_w("eastAsia")) == "仿宋_GB2312"
    assert normal.find("w:rPr/w:sz", NS).get(_w("val")) == "32"
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(_w("eastAsia")) == "zh-CN"


def test_every_body_paragraph_has_exact_579_spacing(body: etree._Element) -> None:
    paragraphs = body.findall("w:p", NS)
    assert len(paragraphs) > 15
    for p in paragraphs:
        spacing = p.find("w:pPr/w:spacing", NS)
        assert spacing.get(_w("line")) == "579"
        assert spacing.get(_w("lineRule")) == "exact"


@pytest.mark.parametrize(
    ("startswith", "font", "size", "bold", "keep_next", "jc"),
    [
        ("某某县信访局关于", "方正小标宋简体", "44", False, True, "center"),
        ("2023年，某某县信访局", "仿宋_GB2312", "32", False, False, "both"),
        ("一、主要举措和成效", "黑体", "32", False, True, "both"),
        ("（一）强化理论学习", "楷体_GB2312", "32", False, True, "both"),
        ("1.规范信访事项受理", "仿宋_GB2312", "32", True, True, "both"),
        ("（1）网上信访", "仿宋_GB2312", "32", False, True, "both"),
        ("全年召开党组理论学习", "仿宋_GB2312", "32", False, False, "both"),
        ("2024年3月15日", "仿宋_GB2312", "32", False, False, "right"),
    ],
)
def test_roles(
    body: etree._Element, startswith: str, font: str, size: str, bold: bool, keep_next: bool, jc: str
) -> None:
    p = _para(body, startswith)
    assert (p.find("w:pPr/w:keepNext", NS) is not None) is keep_next
    assert p.find("w:pPr/w:jc", NS).get(_w("val")) == jc
    for run in _runs_with_text(p):
        rpr = run.find("w:rPr", NS)
        assert rpr.find("w:rFonts", NS).get(_w("eastAsia")) == font
        assert rpr.find("w:sz", NS).get(_w("val")) == size
        assert (rpr.find("w:b", NS) is not None) is bold


@pytest.mark.parametrize("startswith", ["2023年，某某县", "一、主要举措", "全年召开党组"])
def test_16pt_runs_are_condensed_and_indented(body: etree._Element, startswith: str) -> None:
    p = _para(body, startswith)
    assert p.find("w:pPr/w:ind", NS).get(_w("firstLineChars")) == "200"
    for run in _runs_with_text(p):
        assert run.find("w:rPr/w:spacing", NS).get(_w("val")) == "-5"


def test_title_is_split_before_guanyu_and_followed_by_blank_line(body: etree._Element) -> None:
    paragraphs = body.findall("w:p", NS)
    title = paragraphs[0]
    assert title.find(".//w:br", NS) is not None
    lines = "".join(t.text if t.tag == _w("t") else "\n" for t in title.iter(_w("t"), _w("br"))).split("\n")
    assert lines == ["某某县信访局", "关于2023年度法治政府建设情况的报告"]
    assert _text(paragraphs[1]) == ""


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("某县信访局2023年法治政府建设报告", ["某县信访局2023年法治政府建设报告"]),
        (TITLE, ["某某县信访局", "关于2023年度法治政府建设情况的报告"]),
        (
            "中共某某市某某区委员会政法委员会机关关于2023年度法治政府建设情况的报告",
            ["中共某某市某某区委员会政法委员会机关", "关于2023年度法治政府建设情况的报告"],
        ),
        # never inside 法治政府建设: the office as a whole on the first line
        ("某某县人民政府办公室2023年度法治政府建设工作情况报告", ["某某县人民政府办公室", "2023年度法治政府建设工作情况报告"]),
    ],
)
def test_title_split_rule(layout: Layout, title: str, expected: list[str]) -> None:
    lines = layout.title.split(title)
    assert lines == expected
    assert "".join(lines) == title


def test_placeholders_are_highlighted_yellow(body: etree._Element) -> None:
    highlighted = [
        "".join(r.xpath("w:t/text()", namespaces=NS))
        for r in body.iter(_w("r"))
        if r.find("w:rPr/w:highlight", NS) is not None
    ]
    assert highlighted == ["1268件【待核实】", "【待补充】"]
    for run in body.iter(_w("r")):
        hl = run.find("w:rPr/w:highlight", NS)
        if hl is not None:
            assert hl.get(_w("val")) == "yellow"
    plain = _para(body, "依法受理群众来信来访")
    assert [_text_of(r) for r in _runs_with_text(plain)] == ["依法受理群众来信来访", "1268件【待核实】", "，按期受理率100%。"]


def _text_of(run: etree._Element) -> str:
    return "".join(run.xpath("w:t/text()", namespaces=NS))


def test_even_and_odd_footers_with_page_field(parts: dict[str, etree._Element]) -> None:
    settings = parts["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    sect = parts["word/document.xml"].find("w:body/w:sectPr", NS)
    refs = {ref.get(_w("type")) for ref in sect.iterfind("w:footerReference", NS)}
    assert refs == {"default", "even"}
    footers = [parts[n] for n in parts if n.startswith("word/footer")]
    assert len(footers) == 2
    aligns = set()
    for footer in footers:
        p = footer.find("w:p", NS)
        assert "PAGE" in "".join(p.xpath(".//w:instrText/text()", namespaces=NS))
        assert [f.get(_w("fldCharType")) for f in p.iter(_w("fldChar"))] == ["begin", "separate", "end"]
        assert _text(p) == "— 1 —"
        for run in p.iter(_w("r")):
            assert run.find("w:rPr/w:sz", NS).get(_w("val")) == "28"
            assert run.find("w:rPr/w:rFonts", NS).get(_w("eastAsia")) == "宋体"
        jc = p.find("w:pPr/w:jc", NS).get(_w("val"))
        ind = p.find("w:pPr/w:ind", NS)
        side = "right" if jc == "right" else "left"
        assert ind.get(_w(side)) == "320"
        aligns.add(jc)
    assert aligns == {"left", "right"}


def test_closing_follows_blank_line_with_gbt_indents(body: etree._Element, layout: Layout) -> None:
    paragraphs = [p for p in body.findall("w:p", NS)]
    office, date = paragraphs[-2], paragraphs[-1]
    assert _text(paragraphs[-3]) == ""
    assert (_text(office), _text(date)) == ("某某县信访局", "2024年3月15日")
    office_r = int(office.find("w:pPr/w:ind", NS).get(_w("right")))
    date_r = int(date.find("w:pPr/w:ind", NS).get(_w("right")))
    char = layout.roles.closing.char_twips
    # the date is longer than office-minus-two, so it sits 右空二字 and the office moves left
    assert date_r == 2 * char
    office_left_edge = office_r + text_width("某某县信访局") * char
    date_left_edge = date_r + text_width("2024年3月15日") * char
    assert office_left_edge - date_left_edge == pytest.approx(2 * char, abs=1)


def test_core_properties(data: bytes) -> None:
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == TITLE
    assert props.author == "某某县信访局"
    assert props.last_modified_by == "某某县信访局"
    assert "python-docx" not in (props.comments or "")


def test_author_falls_back_to_aidraft() -> None:
    doc = sample_document().model_copy(update={"office": None})
    assert docx.Document(io.BytesIO(render_docx(doc))).core_properties.author == "aidraft"


def test_python_docx_reads_back_the_text(data: bytes) -> None:
    text = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "二、党政主要负责人履行推进法治建设第一责任人职责情况" in text
    assert "一是开展矛盾纠纷排查；二是落实领导包案。" in text
    assert "全年化解信访积案【待补充】件。" in text


def test_layout_rejects_unknown_keys() -> None:
    raw = load_layout().model_dump()
    raw["page"]["gutter_mm"] = 0
    with pytest.raises(ValidationError):
        Layout.model_validate(raw)


def test_title_does_not_inherit_body_condensing_or_indent(body: etree._Element) -> None:
    title = body.find("w:p", NS)
    ind = title.find("w:pPr/w:ind", NS)
    assert (ind.get(_w("firstLine")), ind.get(_w("firstLineChars"))) == ("0", "0")
    for run in _runs_with_text(title):
        assert run.find("w:rPr/w:spacing", NS).get(_w("val")) == "0"


@pytest.mark.parametrize(
    ("startswith", "style_id", "level"),
    [
        ("一、主要", "GwHeading1", "0"),
        ("（一）强化", "GwHeading2", "1"),
        ("1.规范", "GwHeading3", "2"),
        ("（1）网上", "GwHeading4", "3"),
    ],
)
def test_headings_use_styles_with_outline_levels(
    body: etree._Element, parts: dict[str, etree._Element], startswith: str, style_id: str, level: str
) -> None:
    """Outline levels make the headings show in Word's navigation pane."""
    p = _para(body, startswith)
    assert p.find("w:pPr/w:pStyle", NS).get(_w("val")) == style_id
    assert p.find("w:pPr/w:outlineLvl", NS).get(_w("val")) == level
    style = parts["word/styles.xml"].xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)[0]
    assert style.find("w:pPr/w:outlineLvl", NS).get(_w("val")) == level
    assert style.find("w:pPr/w:keepNext", NS) is not None


def test_same_input_same_document_xml() -> None:
    def document_xml(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read("word/document.xml")

    assert document_xml(render_docx(sample_document())) == document_xml(render_docx(sample_document()))


def test_write_docx_keeps_old_file_when_rendering_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.docx"
    write_docx(sample_document(), target)
    good = target.read_bytes()

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("render failed")

    monkeypatch.setattr(docx_writer, "render_docx", broken)
    with pytest.raises(RuntimeError):
        write_docx(sample_document(), target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


@pytest.mark.integration
def test_libreoffice_converts_to_pdf(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    write_docx(sample_document(), source)
    text = docx_to_pdf_text(source, tmp_path)
    assert "法治政府建设情况的报告" in text
    assert "某某县信访局" in text


# --- the signature block (GB/T 9704 7.3.5) ------------------------------------------------------

def _report_text(lines: int, date: str) -> str:
    body = "\n".join(f"第{i:02d}项工作按计划推进完成并通过验收" for i in range(lines))
    return f"望川区司法局关于2025年度法治政府建设情况的报告\n\n{body}\n\n望川区司法局\n{date}\n"


def _closing_paragraphs(data: bytes) -> list[etree._Element]:
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find("w:body", NS)
    return body.findall("w:p", NS)


@pytest.mark.parametrize("date", ["2026年　月　日", "　　年　月　日", "XXXX年X月X日"])
def test_unknown_date_is_a_highlighted_placeholder_and_the_block_keeps_together(date: str) -> None:
    from aidraft.parse.structure import parse_text

    doc = parse_text(_report_text(3, date), "r.txt")
    assert doc.closing.strip().endswith(date.strip())  # the blank date is recognised as the closing
    paragraphs = _closing_paragraphs(render_docx(doc))
    texts = [_text(p) for p in paragraphs]
    assert texts[-3:] == ["", "望川区司法局", "【待补充：成文日期】"]
    date_p = paragraphs[-1]
    # set where the date will start: left-aligned two characters right of the office's first character
    assert date_p.find("w:pPr/w:jc", NS).get(_w("val")) == "left"
    assert date_p.find(".//w:r/w:rPr/w:highlight", NS).get(_w("val")) == "yellow"
    # the last line of text, the blank line and the office keep with what follows
    assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in paragraphs[-4:-1])


def test_title_does_not_snap_to_grid_and_app_names_aidraft() -> None:
    data = render_docx(sample_document())
    title = _closing_paragraphs(data)[0]
    assert title.find("w:pPr/w:snapToGrid", NS).get(_w("val")) == "0"
    app = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml"))
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.find(ns + "Application").text == "aidraft"


@pytest.mark.integration
def test_signature_renders_right_aligned_and_never_alone_on_the_last_page(tmp_path: Path) -> None:
    """Body lengths around a full page: wherever the page ends, the office and date share their
    page with text and sit at the right margin less their GB/T 9704 indents."""
    from aidraft.parse.structure import parse_text

    layout = load_layout()
    sources = []
    for n in range(15, 22):  # one-line paragraphs: the page ends before, inside and after the block
        path = tmp_path / f"r{n}.docx"
        write_docx(parse_text(_report_text(n, "2026年　月　日"), path.name), path)
        sources.append(path)
    page_w = 210 / 25.4 * 72
    text_right = page_w - layout.page.margin_right_mm / 25.4 * 72
    for pdf in docx_to_pdfs(sources, tmp_path):
        lines = pdf_lines(pdf)
        office = [ln for ln in lines if ln[3] == "望川区司法局"]
        date = [ln for ln in lines if "待补充" in ln[3]]
        assert office and date, f"{pdf.name}: signature not rendered"
        page = office[-1][0]
        assert date[-1][0] == page, f"{pdf.name}: office and date on different pages"
        body_on_page = [ln for ln in lines if ln[0] == page and ln[3].startswith("第")]
        assert body_on_page, f"{pdf.name}: the signature stands alone on page {page}"
        for _, x_min, x_max, _text_ in (office[-1], date[-1]):
            assert x_min > page_w / 2  # right-aligned, not left body text
            assert text_right - x_max >= 2 * 16 - 3  # at least 右空二字 (16 pt characters)
        # the date placeholder sits 右空二字 at most a few points off; the office further in
        assert abs((text_right - date[-1][2]) - 2 * 16) < 4
