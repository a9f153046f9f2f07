"""Figure extraction: forms, values, intervals and what is not a figure (table-driven)."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidraft.figures.extract import (
    FIGURE_CLAUSE_BREAK,
    MAX_BEFORE,
    QUOTE_SPAN,
    TITLE_SPAN,
    _Cover,
    _Excluded,
    extract_figures,
    quote_spans,
)
from aidraft.figures.lexicon import FigureGroups, lexicon
from aidraft.figures.model import Approx, FigureKind
from aidraft.figures.numerals import parse_chinese
from aidraft.figures.tables import cells, is_row, row_label, rows, table_cell_fields
from aidraft.text import SENTENCE_BREAK, sentence_breaks


def one(text: str):
    figs = extract_figures(text)
    assert len(figs) == 1, [f.text for f in figs]
    return figs[0]


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "unit", "approx"),
    [
        ("全年召开专题会议4次。", "4次", D(4), D(4), "次", Approx.exact),
        ("受理来信1,190件。", "1,190件", D(1190), D(1190), "件", Approx.exact),
        ("群众满意率达98.26%。", "98.26%", D("98.26"), D("98.26"), "%", Approx.exact),
        ("满意率为百分之九十七点四一。", "百分之九十七点四一", D("97.41"), D("97.41"), "%", Approx.exact),
        ("参训率百分之百。", "百分之百", D(100), D(100), "%", Approx.exact),
        ("发放手册3万余册。", "3万余册", D(30000), D(40000), "册", Approx.over),
        ("走访群众两千余人。", "两千余人", D(2000), D(3000), "人", Approx.over),
        ("开展宣讲40余场次。", "40余场次", D(40), D(50), "场次", Approx.over),
        ("集中学习十余次。", "十余次", D(10), D(20), "次", Approx.over),
        ("累计接待一百二十多人次。", "一百二十多人次", D(120), D(130), "人次", Approx.over),
        ("发放资料57万余份。", "57万余份", D(570000), D(580000), "份", Approx.over),
        ("印发折页30余万份。", "30余万份", D(300000), D(400000), "份", Approx.over),
        ("下访近百次。", "近百次", D(90), D(100), "次", Approx.near),
        ("覆盖约3万人。", "约3万人", D(25000), D(35000), "人", Approx.about),
        ("投入资金2.22亿元。", "2.22亿元", D(222000000), D(222000000), "元", Approx.exact),
        ("参与宣传1.5万人次。", "1.5万人次", D(15000), D(15000), "人次", Approx.exact),
        ("同比上升3个百分点。", "3个百分点", D(3), D(3), "个百分点", Approx.exact),
        ("办件量增长1.5倍。", "1.5倍", D("1.5"), D("1.5"), "倍", Approx.exact),
        ("聘请一名律师。", "一名", D(1), D(1), "名", Approx.exact),
        ("排查隐患１２处。", "１２处", D(12), D(12), "处", Approx.exact),
        ("考核位列全省第七。", "全省第七", D(7), D(7), "名次", Approx.exact),
    ],
)
def test_figure_forms(text: str, span: str, low: D, high: D, unit: str, approx: Approx) -> None:
    fig = one(text)
    assert fig.text == span
    assert text[fig.start : fig.end] == span
    assert (fig.value.low, fig.value.high) == (low, high)
    assert fig.unit == unit
    assert fig.approx is approx


@pytest.mark.parametrize(
    "text",
    [
        "2023年以来，工作稳步推进。",  # a year
        "于5月15日举行宣传活动。",  # a date
        "落实“五个法治化”要求，五个法治化协同推进。",  # fixed phrase, quoted or not
        "坚持“三会一课”制度，落实一岗双责。",
        "纳入八五普法和十四五规划。",
        "扛牢第一责任人责任，落实第一议题制度。",
        "学习《2023年普法工作要点》和《法治中国建设规划（2020-2025年）》。",  # inside titles
        "召开第2次党组会议，交办第三批积案。",  # ordinals
        "学习市委六届二次、三次、四次全会精神。",  # plenary sessions are names
        "推行一人一策、一案一档。",
        "利用12.4宪法日开展宣传。",  # a date with a dot, no counter
        "推行“13556”工作规程，一次性化解。",
        "统一思想，一是抓学习，二是抓落实。",  # cn2an would turn 统一 into 统1
        "提供7×24小时在线服务。",  # service hours, not a count
    ],
)
def test_not_figures(text: str) -> None:
    assert [f.text for f in extract_figures(text)] == []


@pytest.mark.parametrize(
    ("chinese", "arabic"),
    [("三次", "3次"), ("两千余人", "2000余人"), ("百分之九十七点四一", "97.41%"), ("三万余册", "3万余册"),
     ("十二件", "12件"), ("一百零五名", "105名"), ("近百次", "近100次")],
)
def test_chinese_and_arabic_spellings_compare_equal(chinese: str, arabic: str) -> None:
    a, b = one(f"共{chinese}。"), one(f"共{arabic}。")
    assert a.value.key() == b.value.key()
    assert a.unit == b.unit
    assert a.chinese and not b.chinese


def test_context_and_sentence() -> None:
    text = "一、工作情况\n全年累计交办突出信访问题149件，督办25件。"
    first, second = extract_figures(text)
    assert first.line == 2 and first.before.endswith("交办突出信访问题")
    assert second.before == "督办"
    assert first.sentence == second.sentence == "全年累计交办突出信访问题149件，督办25件。"
    assert first.kind is FigureKind.count


def test_precision() -> None:
    assert one("满意率97.4%。").value.precision == D("0.1")
    assert one("发放3万册。").value.precision == D(10000)
    assert one("接待149人。").value.precision == D(1)
    assert parse_chinese("三万") == (D(30000), D(10000))


TEXT_ALPHABET = st.sampled_from(list("0123456789一二两三四五六七八九十百千万亿点余多近约超以上%次件起人名册份场，。、“”《》第年月日共率化解交办 "))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=TEXT_ALPHABET, max_size=60))
def test_extract_never_crashes_and_spans_are_exact(text: str) -> None:
    for fig in extract_figures(text):
        assert text[fig.start : fig.end] == fig.text
        assert fig.value.high is None or fig.value.low <= fig.value.high


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["次", "件", "人次", "册"]))
def test_chinese_equals_arabic_property(n: int, unit: str) -> None:
    import cn2an

    chinese = cn2an.an2cn(n, "low")
    a, b = one(f"共{chinese}{unit}。"), one(f"共{n}{unit}。")
    assert a.value.low == b.value.low == D(n)


# --- exclusions: fixed phrases are marked sentence by sentence, titles and quotes over the text ----

FRAGMENTS = st.sampled_from(["一站式", "一次性", "十四五", "三会一课", "一人一策", "7×24小时", "十四届七次全会",
                             "一批", "《关于3件实事的通知》", "“12345”", "“一网通办”", "。", "；", "\n", "，", "共",
                             "受理", "12件", "三次", "一", "四", "五", "《", "》", "“", "”", "第", "化解"])


def _whole_text_mask(text: str) -> bytearray:
    """What the exclusion mask is by definition: every match of a whole-text scan, marked."""
    mask = bytearray(len(text))
    for regex in (TITLE_SPAN, QUOTE_SPAN, lexicon().fixed_re):
        for m in regex.finditer(text):
            mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return mask


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_sentence_by_sentence_exclusion_equals_a_whole_text_scan(text: str) -> None:
    breaks = [m.start() for m in SENTENCE_BREAK.finditer(text)]
    excluded = _Excluded(text, lexicon(), breaks)
    assert [excluded(i) for i in range(len(text))] == [bool(b) for b in _whole_text_mask(text)]


def test_fixed_phrases_never_span_a_sentence_break() -> None:
    """What lets the extractor scan fixed phrases only in the sentences where figures start."""
    breaks = set(SENTENCE_BREAK.pattern.strip("[]")) | {"\n"}
    source = lexicon().lex
    for phrase in source.fixed_phrases:
        assert not breaks & set(phrase), phrase
    for pattern in source.fixed_patterns:
        bare = re.sub(r"\(\?(?:[:=!]|<[=!])", "(", pattern)
        # ? and ! left in a pattern are its syntax (quantifiers); as characters they would be escaped
        # or inside a class
        assert not (breaks - {"?", "!"}) & set(bare) and "!" not in bare and r"\?" not in bare, pattern
        for cls in re.findall(r"\[[^\]]*\]", bare):
            assert not breaks & set(cls) and not cls.startswith("[^"), f"{pattern}: {cls}"
        for wide in (".", r"\S", r"\W", r"\D", r"\s"):  # classes that could match a break
            assert wide not in bare, f"{pattern} uses {wide}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["受理", "信访", "12件", "，", "。", "\n", "|", "同比下降", "7.5%", "、", "共"]),
                max_size=30).map("".join))
def test_the_clause_before_a_figure_is_what_follows_the_last_break(text: str) -> None:
    """The definition the extractor's linear match keeps: the longest break-free tail of the 24
    characters before the figure (a figure that starts a line takes the end of the line above).
    A bare number in a table cell counts what its row's label names."""
    tail = re.compile(rf"[^{FIGURE_CLAUSE_BREAK}]*$")
    cell_labels = {f["start"]: f["context"] for f in table_cell_fields(text, lexicon().kind_of_unit)}
    for fig in extract_figures(text):
        if fig.start in cell_labels:
            assert fig.before == cell_labels[fig.start]
            line = text[text.rfind("\n", 0, fig.start) + 1 :].split("\n")[0]
            assert fig.before == row_label(cells(line), 1 if line.strip()[:1] in "|｜" else 0)
            continue
        expected = tail.search(text, max(0, fig.start - MAX_BEFORE), fig.start)
        assert fig.before == (expected.group(0) if expected else "")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["2024", "3", "12", ",", "，", "345", ".", "5", "万", "余", "件", "%", "年", "个百分点",
                                 "千", "多", "人", "以上", "受理", "约", "三", "百分点"]), max_size=20).map("".join))
def test_possessive_arabic_numbers_match_what_backtracking_would(text: str) -> None:
    """Digits are taken possessively: nothing that may follow an Arabic number starts with a digit,
    comma or point, so the matches are those of the plain greedy pattern."""
    fast = lexicon().figure_re
    plain = re.compile(fast.pattern.replace("++", "+").replace("*+", "*").replace(")?+", ")?"))
    assert fast.pattern != plain.pattern
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == [(m.span(), m.groupdict())
                                                                      for m in plain.finditer(text)]


SCAN_FRAGMENTS = st.sampled_from([
    "2024", "年", "3", "12", ",", "，", "345", ".", "5", "０", "万", "亿", "千", "余", "多", "件", "人次", "%", "％",
    "个百分点", "百分点", "以上", "左右", "近", "约", "超过", "不少于", "不", "上", "大", "接", "一", "三", "十", "百",
    "两", "零", "百分之", "九十七点四", "点", "第", "\n", "。", "受理", "一站式", "十四五", "7×24小时", "排名前3名",
    "十四届七次全会", "一人一策", "分", "之", "元", "万元", "倍", "名", "家", "个", "次", "是", "些", "批", "〇", "亿元",
    "1,234", "２", "．", "成", "期间", "至少"])


@settings(max_examples=500, deadline=None)
@given(st.lists(SCAN_FRAGMENTS, max_size=30).map("".join), st.integers(0, 6), st.integers(0, 6))
def test_the_fast_scans_find_what_finditer_finds(text: str, skip: int, short: int) -> None:
    """lexicon.Scan opens with a character class and guards (the regex engine skips to it) but
    must find exactly the matches, groups and spans of the plain pattern's finditer (the figure
    scan over whole texts: its guard looks behind where a search starts)."""
    lex = lexicon()
    pos, endpos = min(skip, len(text)), max(min(skip, len(text)), len(text) - short)
    for scan, plain, pos in ((lex.figure_scan, lex.figure_re, 0), (lex.fixed_scan, lex.fixed_re, pos)):
        fast = [(m.start(), m.end("whole"), m.groups()[1:]) for m in scan(text, pos, endpos)]
        assert fast == [(m.start(), m.end(), m.groups()) for m in plain.finditer(text, pos, endpos)]


def test_the_figure_groups_are_named_as_the_pattern_names_them() -> None:
    scan = lexicon().figure_scan.regex
    assert FigureGroups._fields == tuple(sorted(scan.groupindex, key=scan.groupindex.__getitem__))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["立案查处", "|", "｜", "\t", " ", "  ", "1386", "\n", "。", "2025年", "（件）", "x" * 450]),
                max_size=40).map("".join))
def test_table_rows_are_the_short_lines_with_a_cell_break(text: str) -> None:
    expected, start = [], 0
    for line in text.split("\n"):
        if any(hint in line for hint in ("|", "｜", "\t", "  ")) and is_row(line):
            expected.append((start, line))
        start += len(line) + 1
    assert list(rows(text)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="。！？!?；;\n，受理12件a“”", max_size=60))
def test_sentence_breaks_are_where_the_sentence_break_pattern_matches(text: str) -> None:
    assert sentence_breaks(text) == [m.start() for m in SENTENCE_BREAK.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=12), st.integers(0, 80))
def test_cover_is_any_span(spans: list[tuple[int, int]], pos: int) -> None:
    """The merged cover of rank, fraction and cell spans answers what a walk over them would."""
    pairs = [(start, start + length) for start, length in spans]
    assert _Cover(pairs)(pos) == any(s <= pos < e for s, e in pairs)


def test_ranks_and_fractions_do_not_hide_other_figures() -> None:
    text = "全市排名第3，办理案件12件，完成三成。三成以上的案件已办结，共9件。"
    assert [f.text for f in extract_figures(text)] == ["全市排名第3", "12件", "三成", "三成以上", "9件"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="“”\"「」\n办理件12”“", max_size=60))
def test_quote_spans_are_the_quote_pattern(text: str) -> None:
    assert quote_spans(text) == [m.span() for m in QUOTE_SPAN.finditer(text)]
