"""Property tests: the parsers, the checker and the masker on arbitrary input.

A parser may reject input, but only with an AidraftError (one line for the CLI); anything else
is a crash a user would see as a traceback. The masker must give back exactly what it took.
"""

from __future__ import annotations

import codecs
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidraft.check.run import check_text
from aidraft.errors import AidraftError
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import NamedText, read_bytes_text
from aidraft.parse.notes import parse_notes
from aidraft.parse.structure import parse_text
from aidraft.privacy import Masker, detect

pytestmark = pytest.mark.slow  # 150 examples per property: seconds each

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
DIGITS = st.sampled_from("0123456789")
PUNCT = st.sampled_from("，。；：、！？（）《》“”%％.·—…- \t\n")
ZH_WORDS = st.sampled_from([
    "一、", "（二）", "三是", "第四", "百分之", "万", "余", "近", "约", "件", "次", "人", "场", "个百分点", "倍",
    "元", "亿元", "全省第", "名", "同比增长", "下降", "合计", "其中", "共", "2025年", "二〇二五年", "信访局",
    "法治政府建设", "存在的不足", "下一步", "# ", "## ", "- ", "1.", "（1）", "---\n", "office: ", "year: ",
])
ZHISH = st.lists(st.one_of(HAN, DIGITS, PUNCT, ZH_WORDS, st.characters()), max_size=120).map("".join)
HEADINGS = st.lists(
    st.tuples(st.sampled_from(["一、", "二、", "（一）", "（十二）", "1.", "1、", "# ", "第一部分 ", "", "   "]),
              ZHISH), max_size=12,
).map(lambda rows: "\n".join(h + t for h, t in rows))

# personal data and notes-like phrases for the masker
IDS = st.sampled_from(["330102198507154326", "440305199202290618", "510107197811032885", "11010519491231002X"])
PHONES = st.sampled_from(["13812345678", "159 0000 1111", "0571-88881234", "（010）66668888"])
NAMES = st.sampled_from(["张伟明", "欧阳春燕", "李娜", "王家豪", "赵敏"])
TRIGGERS = st.sampled_from(["信访人", "当事人", "来访人", "申请人", "投诉人："])
CONTACT = st.sampled_from(["身份证号", "手机", "电话", "联系方式", "卡号", "邮箱", ""])
FACTS = st.sampled_from(["受理信访事项1642件", "按期办结率98.6%", "开展宣讲32场", "化解积案68件", "反映问题",
                         "发放资料1.2万余份", "约3万人次", "〔人名甲〕", "【手机号乙】", "家住青溪县东山村"])
PII_TEXT = st.lists(
    st.one_of(
        st.tuples(TRIGGERS, NAMES).map("".join),
        st.tuples(CONTACT, st.one_of(IDS, PHONES)).map("".join),
        st.just("zhang.san@example.com"),
        st.just("6222021234567890128"),
        FACTS,
        NAMES,
        ZHISH,
    ),
    max_size=12,
).map("，".join)


@FUZZ
@given(st.one_of(ZHISH, HEADINGS, st.text(max_size=300)))
def test_parse_text_raises_only_aidraft_errors(text: str) -> None:
    try:
        document = parse_text(text, "fuzz.txt")
    except AidraftError:
        return
    for section in document.sections:
        assert 0 <= section.start <= section.end <= len(document.text)


@FUZZ
@given(st.one_of(ZHISH, HEADINGS, st.text(max_size=300)))
def test_parse_notes_raises_only_aidraft_errors(text: str) -> None:
    try:
        notes = parse_notes(text, "fuzz.md")
    except AidraftError:
        return
    assert notes.items and all(len(item.text) >= 1 and item.line >= 1 for item in notes.items)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["notes.txt", "notes.md", "notes.docx", "notes", "a.doc"]))
def test_read_bytes_text_raises_only_aidraft_errors(data: bytes, name: str) -> None:
    try:
        text = read_bytes_text(data, name)
    except AidraftError as exc:
        assert "\n" not in exc.one_line()
        return
    assert isinstance(text, str) and "\r" not in text and not text.startswith("\ufeff")


# Report-like lines: the words offices write, so every common encoding must round-trip them.
REPORT_WORDS = st.sampled_from([
    "受理信访事项1642件", "按期办结率98.6%", "开展宣讲32场", "化解积案68件", "法治政府建设", "存在的不足",
    "下一步", "一、", "（二）", "三是", "，", "。", "；", "“信访代办”", "《信访工作条例》", "2025年", " ", "abc",
    "司法局", "人社局", "市场监管局", "群众满意率", "约3万人次", "同比增长12%", "——", "…",
])
REPORT_TEXT = st.lists(st.lists(REPORT_WORDS, min_size=1, max_size=12).map("".join), min_size=1, max_size=6).map(
    lambda lines: "法治政府建设情况报告\n" + "\n".join(lines))


#: How Notepad, WPS and Word save text: UTF-8 with or without BOM, UTF-16 with its BOM, GBK/GB18030.
ENCODERS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "utf-16-le+bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be+bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
}


@FUZZ
@given(REPORT_TEXT, st.sampled_from(sorted(ENCODERS)))
def test_read_bytes_text_decodes_text_in_every_common_encoding(text: str, encoding: str) -> None:
    """Whatever common encoding an office saves in, the text comes back exactly (BOM dropped)."""
    assert read_bytes_text(ENCODERS[encoding](text), "notes.txt") == text


@FUZZ
@given(ZHISH, ZHISH)
def test_check_text_never_crashes_and_spans_are_exact(draft: str, notes: str) -> None:
    report = check_text(NamedText(path="draft", text=draft), [NamedText(path="notes", text=notes)])
    for figure in report.figures:
        assert draft[figure.start : figure.end] == figure.text
    assert report.summary.figures == len(report.figures)


@FUZZ
@given(PII_TEXT)
def test_unmask_inverts_mask(text: str) -> None:
    masker = Masker()
    masked = masker.mask(text)
    assert masker.unmask(masked) == text
    spans = detect(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    for span in spans:
        assert text[span.start : span.end] == span.value and span.value not in masked


@FUZZ
@given(st.lists(st.tuples(PII_TEXT, PII_TEXT), min_size=1, max_size=4))
def test_one_masker_for_many_texts_is_stable(pairs: list[tuple[str, str]]) -> None:
    masker = Masker()
    for first, second in pairs:
        a, b = masker.mask(first), masker.mask(second)
        assert masker.unmask(a) == first and masker.unmask(b) == second
        assert masker.mask(second) == b  # nothing learned since: the same text masks the same way


@FUZZ
@given(st.lists(st.one_of(st.tuples(TRIGGERS, NAMES).map("".join),
                          st.tuples(CONTACT, st.one_of(IDS, PHONES)).map("".join), FACTS), max_size=10).map("，".join))
def test_masking_keeps_every_figure(text: str) -> None:
    masked = Masker().mask(text)
    assert [(f.text, f.value) for f in extract_figures(masked)] == [(f.text, f.value) for f in extract_figures(text)]
    for span in detect(text):
        assert span.value not in masked
