"""Reading report files: encodings, .docx, and the one-line errors for everything else."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from aidraft.errors import AidraftError, InputError, UnsupportedFormatError
from aidraft.ingest.docx_text import docx_bytes_text
from aidraft.ingest.read import decode_bytes, normalise, read_bytes_text, read_text

SAMPLE = (
    "某县信访局关于2023年度法治政府建设情况的报告\n"
    "2023年，我局坚持依法履职，现将有关情况报告如下：\n"
    "一、主要举措和成效\n"
    "（一）强化学习，提升素养。组织专题学习5次，参学率100%。\n"
    "二、存在的问题\n"
    "宣传形式较为单一。\n"
)


def _bom_bytes(text: str, encoding: str) -> bytes:
    boms = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    return boms.get(encoding, b"") + text.encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "with_bom"),
    [
        ("utf-8", False),
        ("utf-8", True),
        ("gbk", False),
        ("gb18030", False),
        ("utf-16-le", True),
        ("utf-16-be", True),
        ("utf-16-le", False),
    ],
)
def test_encodings_read_back_identical(tmp_path: Path, encoding: str, with_bom: bool) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(_bom_bytes(SAMPLE, encoding) if with_bom else SAMPLE.encode(encoding))
    assert read_text(path) == SAMPLE


def test_gb18030_only_characters(tmp_path: Path) -> None:
    text = "㐀㐁䶮 是扩展A区汉字，GBK 没有它们。\n"
    path = tmp_path / "ext.txt"
    path.write_bytes(text.encode("gb18030"))
    assert read_text(path) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一行\r\n二行\r\n", "一行\n二行\n"),
        ("一行\r二行", "一行\n二行"),
        ("\ufeff标题\n", "标题\n"),
        ("混合\r\n换行\r结束\n", "混合\n换行\n结束\n"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_crlf_file_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(SAMPLE.replace("\n", "\r\n").encode("gbk"))
    assert read_text(path) == SAMPLE


@pytest.mark.parametrize(
    "sentence",
    [
        "坚持运用法治思维和法治方式开展信访工作。",
        "全年累计交办突出信访问题，督办到位，满意率明显提升。",
        "联通",  # the classic Notepad misdetection; strict UTF-8 rejects its GBK bytes
    ],
)
def test_gbk_prose_is_not_mistaken_for_utf8(sentence: str) -> None:
    assert decode_bytes(sentence.encode("gbk")) == sentence


_GB2312_HANZI = st.sampled_from(
    [bytes([a, b]).decode("gb2312") for a in range(0xB0, 0xD8) for b in range(0xA1, 0xFF) if (a, b) < (0xD7, 0xFA)]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_GB2312_HANZI, min_size=12, max_size=60).map("".join))
def test_gbk_round_trip_property(text: str) -> None:
    assert decode_bytes(text.encode("gbk")) == text


def _docx_bytes() -> bytes:
    doc = DocxDocument()
    doc.add_paragraph("某区信访办关于2023年度法治政府建设情况的报告")
    doc.add_paragraph("")
    doc.add_paragraph("一、主要举措和成效")
    doc.add_paragraph("   ")
    table = doc.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "指标"
    table.cell(1, 0).text = "受理率"
    table.cell(1, 1).text = "100%"
    doc.add_paragraph("二、存在的问题")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(_docx_bytes())
    assert read_text(path) == (
        # a merged one-cell row reads as a paragraph; a row of short cells as one line, cells split by |
        "某区信访办关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n指标\n受理率 | 100%\n二、存在的问题\n"
    )


def _tricky_docx_bytes() -> bytes:
    """Tracked changes, a content control, a tab stop, a soft break: what clerks' files contain."""
    doc = DocxDocument()
    para = doc.add_paragraph("一、主要")
    para.paragraph_format.tab_stops.add_tab_stop(914400)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    para._p.append(parse_xml(
        f'<w:ins xmlns:w="{w}" w:id="1" w:author="a"><w:r><w:t>举措和成效</w:t></w:r></w:ins>'))
    para._p.append(parse_xml(
        f'<w:del xmlns:w="{w}" w:id="2" w:author="a"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'))
    doc.element.body.insert(1, parse_xml(
        f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    doc.add_paragraph("第一行").add_run().add_break()
    doc.paragraphs[-1].add_run("第二行")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_tracked_changes_and_content_controls() -> None:
    # a soft line break is layout, not a new paragraph: its halves are one line
    assert docx_bytes_text(_tricky_docx_bytes()) == "一、主要举措和成效\n控件里的段落\n第一行第二行\n"


def test_docx_bytes_upload() -> None:
    assert read_bytes_text(_docx_bytes(), "upload.docx").startswith("某区信访办")
    assert docx_bytes_text(_docx_bytes()).endswith("二、存在的问题\n")


def _zip_without_word_part() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    return buf.getvalue()


_FAKE_ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le")


@pytest.mark.parametrize(
    ("name", "data", "error", "says"),
    [
        ("report.docx", b"this is plain text, not a zip", InputError, "not a valid .docx"),
        ("report.docx", _docx_bytes()[:300], InputError, "not a valid .docx"),
        ("report.docx", _zip_without_word_part(), InputError, ".docx"),
        ("report.docx", _FAKE_ENCRYPTED, InputError, "password protected"),
        ("report.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 64, InputError, "password protected"),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, UnsupportedFormatError, ".doc"),
        ("report.wps", b"anything", UnsupportedFormatError, "WPS"),
        ("report.pdf", b"%PDF-1.7", UnsupportedFormatError, "PDF"),
        ("report.rtf", b"{\\rtf1 hi}", UnsupportedFormatError, "RTF"),
        ("renamed.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, UnsupportedFormatError, ".doc"),
        ("renamed.txt", b"%PDF-1.4\n%\xe2\xe3", UnsupportedFormatError, "PDF"),
        ("empty.txt", b"", InputError, "empty"),
        ("blank.txt", b" \r\n\t\n ", InputError, "empty"),
        ("blank16.txt", codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), InputError, "empty"),
        ("junk.txt", bytes(range(256)) * 8, InputError, "not a text file"),
        ("junk.txt", b"\x00\x01\x02\x03\xff\xfe\x00\x00\x9c" * 40, InputError, "not a text file"),
        ("high.txt", bytes([0x80, 0xFF, 0x81]) * 100, InputError, "not a text file"),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_inputs_raise_one_line_errors(
    tmp_path: Path, name: str, data: bytes, error: type[AidraftError], says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        read_text(path)
    line = info.value.one_line()
    assert says in line
    assert "\n" not in line


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
@pytest.mark.usefixtures("english")
def test_unsupported_formats_say_how_to_convert(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(UnsupportedFormatError) as info:
        read_text(path)
    assert "save it as .docx" in info.value.one_line()
    assert "libreoffice --headless --convert-to docx" in info.value.one_line()


@pytest.mark.usefixtures("english")
def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


def test_read_bytes_text_decodes_gbk_upload() -> None:
    assert read_bytes_text(SAMPLE.replace("\n", "\r\n").encode("gbk"), "upload.txt") == SAMPLE
