"""Parse stage: heading lines, level assignment, title/office/year, kinds, the CLI, the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from docx import Document as DocxDocument
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aidraft.cli import parse_cmd
from aidraft.errors import AidraftError
from aidraft.parse.document import Document, NumberStyle, SectionKind
from aidraft.parse.headings import cn_ordinal, parse_heading
from aidraft.parse.kinds import classify_title, classify_titles, catalogue
from aidraft.parse.structure import assign_levels, parse_file, parse_text

S = NumberStyle

# --- heading lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "style", "ordinal", "number", "title"),
    [
        ("一、主要举措和成效", S.cn_dun, 1, "一、", "主要举措和成效"),
        ("十二、其他事项", S.cn_dun, 12, "十二、", "其他事项"),
        ("二十一、附加说明", S.cn_dun, 21, "二十一、", "附加说明"),
        ("（三）加强队伍建设", S.cn_paren, 3, "（三）", "加强队伍建设"),
        ("(四)规范办理流程", S.cn_paren, 4, "(四)", "规范办理流程"),
        ("（ 五 ）  夯实基层基础", S.cn_paren, 5, "（五）", "夯实基层基础"),
        ("1.压实工作责任", S.ar_dot, 1, "1.", "压实工作责任"),
        ("2．健全工作机制", S.ar_dot, 2, "2．", "健全工作机制"),
        ("3、完善制度体系", S.ar_dun, 3, "3、", "完善制度体系"),
        ("10. 深化源头治理", S.ar_dot, 10, "10.", "深化源头治理"),
        ("（1）细化工作台账", S.ar_paren, 1, "（1）", "细化工作台账"),
        ("(2)建立问题清单", S.ar_paren, 2, "(2)", "建立问题清单"),
        ("\u3000\u3000（二）强化普法宣传。", S.cn_paren, 2, "（二）", "强化普法宣传"),
        ("    二、存在的问题", S.cn_dun, 2, "二、", "存在的问题"),
        ("## 三、下一步工作打算", S.cn_dun, 3, "三、", "下一步工作打算"),
        ("**（二）强化督导检查**", S.cn_paren, 2, "（二）", "强化督导检查"),
        ("**（三）健全工作机制。**", S.cn_paren, 3, "（三）", "健全工作机制"),
    ],
)
def test_heading_recognised(line: str, style: NumberStyle, ordinal: int, number: str, title: str) -> None:
    heading = parse_heading(line)
    assert heading is not None
    assert (heading.style, heading.ordinal, heading.number, heading.title) == (style, ordinal, number, title)
    assert heading.lead is False
    assert line[heading.title_start:].startswith(title)


@pytest.mark.parametrize(
    ("line", "title", "rest"),
    [
        ("（一）夯实思想根基，凝聚工作合力。组织集中学习6次，覆盖全体干部。",
         "夯实思想根基，凝聚工作合力", "组织集中学习6次，覆盖全体干部。"),
        ("1.抓好源头预防。 排查矛盾纠纷120件。", "抓好源头预防", "排查矛盾纠纷120件。"),
        ("二、工作成效！全年无重大事件。", "工作成效", "全年无重大事件。"),
        ("**（一）夯实基础。**建立台账3本。", "夯实基础", "建立台账3本。"),
    ],
)
def test_lead_sentence_heading(line: str, title: str, rest: str) -> None:
    heading = parse_heading(line)
    assert heading is not None and heading.lead
    assert (heading.title, heading.rest) == (title, rest)
    assert heading.rest_start is not None and line[heading.rest_start:] == rest


def test_long_first_sentence_is_not_a_lead() -> None:
    line = "（二）" + "在全面推进基层治理体系和治理能力现代化的进程中持续完善各项工作制度" + "。后文。"
    heading = parse_heading(line)
    assert heading is not None and not heading.lead and heading.title == line[3:]


@pytest.mark.parametrize(
    "line",
    ["一是加强学习。", "1.5万人次参与活动", "12.4宪法日开展宣传", "2023年，我局坚持依法行政。", "一、", "（一）",
     "十十、重复", "（此件公开发布）", "", "   ", "一二三四、太长", "100. 超过两位数"],
)
def test_not_a_heading(line: str) -> None:
    assert parse_heading(line) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("九十九", 99),
     ("", None), ("十十", None), ("一一", None), ("百", None), ("二十三四", None)],
)
def test_cn_ordinal(text: str, value: int | None) -> None:
    assert cn_ordinal(text) == value


# --- level assignment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "levels"),
    [
        pytest.param("一、 （一） 1. （1） （2） 2. （二） 二、", [1, 2, 3, 4, 4, 3, 2, 1], id="textbook"),
        pytest.param("1、 （1） （二） （三） 二、 （一） 三、", [1, 2, 2, 2, 1, 2, 1], id="misnumbered-first"),
        pytest.param("一、 （一） （二） （3） （4） 二、 （一）", [1, 2, 2, 2, 2, 1, 2], id="arabic-among-chinese"),
        pytest.param("一、 1. 2. 二、 1. 2. 三、 1.", [1, 2, 2, 1, 2, 2, 1, 2], id="dot-as-level-2"),
        pytest.param("1、 （1） （二） 1、 2、 二、", [1, 2, 2, 3, 3, 1], id="nested-restart-of-top-style"),
        pytest.param("一、 1. 2、 3. 二、", [1, 2, 2, 2, 1], id="mixed-arabic-punct"),
        pytest.param("二、 （一） 三、", [1, 2, 1], id="missing-first"),
        pytest.param("（一） （二） 1. （三）", [1, 1, 2, 1], id="paren-top"),
        pytest.param("一、 （一） 1. （1） 1、 2、", [1, 2, 3, 4, 4, 4], id="capped-at-4"),
        pytest.param("一、 （一） 3.", [1, 2, 3], id="stray-by-rank"),
        pytest.param("一、 （一） （二） 二、 三、", [1, 2, 2, 1, 1], id="plain"),
    ],
)
def test_assign_levels(numbers: str, levels: list[int]) -> None:
    headings = [parse_heading(f"{n}标题") for n in numbers.split()]
    assert all(h is not None for h in headings)
    assert assign_levels(headings) == levels  # type: ignore[arg-type]


# --- whole documents ----------------------------------------------------------------------------

FULL = """某县信访局关于2023年度法治政府建设情况的报告

2023年，某县信访局坚持依法履职，现将有关情况报告如下：
一、主要举措和成效
（一）强化学习教育，提升法治素养。组织专题学习4次。
全体干部参加考试。
1.集中学习
开展集中学习2次。
2.个人自学
（二）规范信访秩序
依法处置违法行为3起。
二、存在的问题
宣传方式较为单一。
三、2024年工作打算
（一）深化普法宣传。持续开展宣传月活动。

某县信访局
2024年2月28日
"""


def test_full_document() -> None:
    doc = parse_text(FULL, "x.txt")
    assert (doc.title, doc.office, doc.year) == ("某县信访局关于2023年度法治政府建设情况的报告", "某县信访局", 2023)
    assert doc.preamble == "2023年，某县信访局坚持依法履职，现将有关情况报告如下："
    assert doc.closing == "某县信访局\n2024年2月28日"
    assert [s.kind for s in doc.sections] == [SectionKind.measures, SectionKind.problems, SectionKind.plans]
    first = doc.sections[0].children[0]
    assert (first.title, first.text) == ("强化学习教育，提升法治素养", "组织专题学习4次。\n全体干部参加考试。")
    assert [c.title for c in first.children] == ["集中学习", "个人自学"]
    assert first.children[1].text == ""
    assert doc.sections[2].children[0].text == "持续开展宣传月活动。"
    for section in doc.walk():
        assert doc.line_of(section.start) == section.line
        assert doc.text[section.start:section.end].lstrip().startswith(section.number)
        assert section.text in doc.text[section.start:section.end]
        if section.text:
            assert doc.text.find(section.text, section.start) >= 0
    assert doc.text[doc.sections[-1].end - 1] == "。"  # the closing is not part of the last section


@pytest.mark.parametrize(
    ("head", "title", "office", "year"),
    [
        pytest.param("某县信访局关于2024年度法治政府\n建设情况的报告\n", "某县信访局关于2024年度法治政府建设情况的报告",
                     "某县信访局", 2024, id="split-title"),
        pytest.param("某市信访办公室\n关于2022年度法治政府建设情况的报告\n", "关于2022年度法治政府建设情况的报告",
                     "某市信访办公室", 2022, id="office-line-above"),
        pytest.param("某区信访办法治政府建设情况报告（2024）\n", "某区信访办法治政府建设情况报告（2024）",
                     "某区信访办", 2024, id="year-in-brackets"),
        pytest.param("", None, None, 2021, id="no-title-year-from-preamble"),
        pytest.param("索引号： | 0001 | 分类： | |\n发文机关: | 某市信访局 | 发文日期: | |\n名称: | |||\n",
                     None, "某市信访局", 2021, id="debris-office"),
    ],
)
def test_title_office_year(head: str, title: str | None, office: str | None, year: int) -> None:
    body = "2021年，本局依法履职。《2019年工作要点》印发。\n一、工作开展情况\n正文。\n"
    doc = parse_text(head + body)
    assert (doc.title, doc.office, doc.year) == (title, office, year)
    assert doc.preamble.startswith("2021年")


def test_year_most_frequent_ignores_book_titles() -> None:
    text = ("1、工作开展情况\n落实《2020-2025年规划》《2025年要点》，2022年召开会议。\n"
            "2022年共办理信访事项。\n二、存在的问题\n2021年以来形式单一。\n")
    doc = parse_text(text)
    assert doc.year == 2022 and doc.title is None and doc.preamble == ""
    assert [s.level for s in doc.walk()] == [1, 1]


def test_web_debris_is_skipped() -> None:
    text = ("首页 > 政务公开 > 法治政府建设\n索引号： | 1234 | 分类： | |\n发文机关： | 某市信访局 |\n文号 : |\n\n"
            "某市信访局2023年度法治政府建设情况报告\n2023年，本局坚持依法行政。\n一、主要举措和成效\n正文内容。\n"
            "二、下步工作打算\n继续推进。\n【打印本页】 【关闭窗口】\n")
    doc = parse_text(text)
    assert doc.text[doc.body_start:].startswith("某市信访局2023年度")
    assert (doc.title, doc.office, doc.year) == ("某市信访局2023年度法治政府建设情况报告", "某市信访局", 2023)
    assert doc.preamble == "2023年，本局坚持依法行政。"
    assert doc.sections[-1].text == "继续推进。"
    assert "索引号" not in doc.preamble


@pytest.mark.parametrize(
    ("tail", "closing"),
    [
        pytest.param("某区信访办\n2024年3月1日\n", "某区信访办\n2024年3月1日", id="office-and-date"),
        pytest.param("\n二〇二四年三月一日\n\n", "二〇二四年三月一日", id="chinese-date"),
        pytest.param("某区信访办\n2024年3月1日\n（此件公开发布）\n", "某区信访办\n2024年3月1日\n（此件公开发布）",
                     id="with-remark"),
        pytest.param("特此报告。\n", "", id="prose-ending"),
        pytest.param("", "", id="none"),
    ],
)
def test_closing(tail: str, closing: str) -> None:
    doc = parse_text("一、主要举措和成效\n正文一段。\n二、下步工作打算\n继续推进。\n" + tail)
    assert doc.closing == closing
    assert doc.sections[-1].text.startswith("继续推进。")
    assert closing not in doc.sections[-1].text or not closing
    if closing.startswith("某区信访办"):
        assert doc.office == "某区信访办"


def test_markdown_report() -> None:
    text = ("# 某县信访局关于2023年度法治政府建设情况的报告\n\n2023年，本局依法履职。\n\n"
            "## 一、主要举措和成效\n\n**（一）强化学习。**组织学习3次。\n\n## 二、存在的问题\n\n形式单一。\n")
    doc = parse_text(text)
    assert (doc.title, doc.office, doc.year) == ("某县信访局关于2023年度法治政府建设情况的报告", "某县信访局", 2023)
    assert [(s.level, s.title) for s in doc.walk()] == [(1, "主要举措和成效"), (2, "强化学习"), (1, "存在的问题")]
    assert doc.sections[0].children[0].text == "组织学习3次。"


def test_title_above_web_metadata() -> None:
    text = ("某区信访办2023年度法治政府建设情况报告\n发布时间：2024-03-20  来源：某区信访办  【字体：大 中 小】\n"
            "2023年，本办依法履职。\n一、主要工作\n正文。\n")
    doc = parse_text(text)
    assert (doc.title, doc.office, doc.year) == ("某区信访办2023年度法治政府建设情况报告", "某区信访办", 2023)
    assert doc.text[doc.body_start:].startswith("2023年") and doc.preamble == "2023年，本办依法履职。"


def test_crlf_and_no_headings() -> None:
    doc = parse_text("关于2023年度法治政府建设情况的报告\r\n只有一段正文。\r\n")
    assert "\r" not in doc.text
    assert doc.sections == [] and doc.preamble == "只有一段正文。"


_PIECES = ["一、", "二、", "（一）", "(2)", "1.", "2、", "（3）", "三、", "报告", "关于", "2023年", "。", "，", "信访局",
           "加强学习", "索引号：|", "|", "\n", "\n", "\r\n", " ", "\u3000", "**", "# ", "2024年3月1日"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_parse_never_breaks_its_invariants(text: str) -> None:
    doc = parse_text(text)
    assert 0 <= doc.body_start <= len(doc.text)
    previous = -1
    for section in doc.walk():
        assert previous < section.start <= section.end <= len(doc.text)
        assert doc.line_of(section.start) == section.line
        assert section.text in doc.text[section.start:section.end + 1]
        previous = section.start
        assert all(child.level == section.level + 1 for child in section.children)
    assert all(s.kind is not None for s in doc.sections)


# --- kinds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("主要举措和成效", SectionKind.measures),
        ("2023年推进法治政府建设的主要举措和成效", SectionKind.measures),
        ("工作开展情况", SectionKind.measures),
        ("重点工作完成情况", SectionKind.measures),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", SectionKind.duty),
        ("局主要领导履行推进法治建设职责", SectionKind.duty),
        ("存在的不足和原因", SectionKind.problems),
        ("存在的突出问题和不足", SectionKind.problems),
        ("下一年度工作安排", SectionKind.plans),
        ("下步工作打算", SectionKind.plans),
        ("2024年推进法治政府建设的工作思路目标举措", SectionKind.plans),
        ("下一步工作举措", SectionKind.plans),
        ("2023年工作思路", SectionKind.plans),
        ("其他需要报告的情况", SectionKind.other),
        ("在组织学法用法力度方面", None),
    ],
)
def test_classify_title(title: str, kind: SectionKind | None) -> None:
    assert classify_title(title) == kind


def test_kinds_fall_back_by_position() -> None:
    titles = ["在学法用法方面", "在依法化解方面", "存在的问题", "下一步打算", "在其他方面"]
    assert classify_titles(titles) == [SectionKind.measures, SectionKind.measures, SectionKind.problems,
                                       SectionKind.plans, SectionKind.other]


def test_catalogue_has_titles_for_every_kind() -> None:
    cat = catalogue()
    assert set(cat.standard) <= set(SectionKind) and SectionKind.other not in cat.standard
    for kind in SectionKind:
        assert cat.titles(kind), kind
        assert cat.label(kind) and cat.summary(kind), kind


@pytest.mark.parametrize("kind", list(SectionKind), ids=lambda k: k.value)
def test_catalogue_title_classifies_as_its_kind(kind: SectionKind) -> None:
    """The title drafts and digests print is read back as the same kind by the parser."""
    assert classify_title(catalogue().title(kind).format(year=2025, next_year=2026)) is kind


# --- CLI ----------------------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Group, so the command keeps its name."""

    parse_cmd.register(app)
    return app


def test_cli_tree_and_json(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(FULL, encoding="gbk")
    runner = CliRunner()
    tree = runner.invoke(_app(), ["parse", str(path)])
    assert tree.exit_code == 0, tree.output
    assert "某县信访局" in tree.output and "measures" in tree.output and "（一）强化学习教育" in tree.output
    result = runner.invoke(_app(), ["parse", str(path), "--json"])
    assert result.exit_code == 0
    doc = Document.model_validate(json.loads(result.stdout))
    assert doc.year == 2023 and len(doc.sections) == 3


def test_cli_bad_input_raises_aidraft_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["parse", str(tmp_path / "missing.txt")])
    assert isinstance(result.exception, AidraftError)


# --- the real reports ---------------------------------------------------------------------------

M, D, P, L = SectionKind.measures, SectionKind.duty, SectionKind.problems, SectionKind.plans


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("prefix", "kinds", "year"),
    [("000", [M, P, L], 2023), ("001", [M, D, P, L], 2023), ("002", [D, M, P, L], 2023),
     ("003", [M, P, L], 2025), ("004", [M, P, L], 2023)],
)
def test_corpus_reports(corpus_dir: Path, prefix: str, kinds: list[SectionKind], year: int) -> None:
    (path,) = corpus_dir.glob(f"{prefix}_*.txt")
    doc = parse_file(path)
    assert 3 <= len(doc.sections) <= 5
    assert [s.kind for s in doc.sections] == kinds
    assert doc.year == year
    assert all(s.level == 1 for s in doc.sections)
    assert all(c.level == 2 for s in doc.sections for c in s.children)


@pytest.mark.corpus
def test_corpus_debris_and_frames(corpus_dir: Path) -> None:
    docs = {p.name[:3]: parse_file(p) for p in sorted(corpus_dir.glob("*.txt"))}
    web = docs["004"]
    assert web.body_start > 0 and "索引号" not in web.text[web.body_start:] and web.office
    assert web.preamble.startswith("2023年")
    assert [len(s.children) for s in docs["000"].sections] == [5, 3, 3]
    assert [len(s.children) for s in docs["001"].sections] == [4, 3, 3, 5]
    assert docs["002"].title is not None and "\n" not in docs["002"].title and docs["002"].title.endswith("报告")
    assert docs["001"].office and docs["001"].title and docs["001"].title.startswith("关于")


@pytest.mark.corpus
def test_corpus_docx_round_trip(corpus_dir: Path, tmp_path: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        docx = DocxDocument()
        for line in path.read_text(encoding="utf-8").splitlines():
            docx.add_paragraph(line)
        target = tmp_path / (path.stem + ".docx")
        docx.save(str(target))
        as_text, as_docx = parse_file(path), parse_file(target)
        outline = [[(s.level, s.number, s.title, s.kind) for s in d.walk()] for d in (as_text, as_docx)]
        assert outline[0] == outline[1], path.name
        assert (as_text.title, as_text.office, as_text.year) == (as_docx.title, as_docx.office, as_docx.year)
