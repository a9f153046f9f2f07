"""Reading notes: front matter, headings, bullets, jotted lines, bad input (table-driven)."""

from __future__ import annotations


import pytest

from aidraft.errors import InputError
from aidraft.parse.notes import clean_item, parse_notes, read_notes
from aidraft.parse.document import SectionKind
from support import QINGXI_DIR



def test_markdown_notes_with_front_matter_and_headings() -> None:
    notes = read_notes(QINGXI_DIR / "notes-2025.md")
    assert (notes.meta.office, notes.meta.year, notes.meta.level) == ("青溪县信访局", 2025, "县")
    kinds = {item.kind for item in notes.items}
    assert kinds == {SectionKind.measures, SectionKind.duty, SectionKind.problems, SectionKind.plans}
    first = notes.items[0]
    assert notes.text.split("\n")[first.line - 1].endswith(first.text)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("干部职工36名参加学法考法 参考率100% 通过率100%", "干部职工36名参加学法考法，参考率100%，通过率100%"),
        ("党组会研究法治建设 6次", "党组会研究法治建设6次"),
        ("排查4轮 隐患213处；", "排查4轮，隐患213处"),
        ("  开展宣讲12场。 ", "开展宣讲12场"),
        # Markdown carried from a jotting tool never reaches the report
        ("开展**行政执法案卷评查**120卷", "开展行政执法案卷评查120卷"),
        ("组织`法律顾问`审查合同35份", "组织法律顾问审查合同35份"),
        ("> 办理法律援助案件210件", "办理法律援助案件210件"),
        ("[x] 完成公共法律服务平台建设", "完成公共法律服务平台建设"),
        ("- 组织领导干部旁听庭审1次", "组织领导干部旁听庭审1次"),
        ("~~删除~~保留调解室3个", "删除保留调解室3个"),
        ("办理时限压缩至2~3天", "办理时限压缩至2~3天"),  # one ~ writes a range
        ("*本年度工作**", "本年度工作"),
    ],
)
def test_clean_item(raw: str, clean: str) -> None:
    assert clean_item(raw) == clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 开展宣讲12场\n- 发放资料3000份\n", [("开展宣讲12场", None), ("发放资料3000份", None)]),
        ("1. 开展宣讲12场\n2、发放资料3000份\n", [("开展宣讲12场", None), ("发放资料3000份", None)]),
        ("开展宣讲12场\n问题：培训不足；宣传单一\n", [("开展宣讲12场", None), ("培训不足", SectionKind.problems),
                                          ("宣传单一", SectionKind.problems)]),
        ("## 下一步工作打算\n- 加强培训\n", [("加强培训", SectionKind.plans)]),
        ("- 开展宣讲12场，\n  发放资料3000份\n", [("开展宣讲12场，发放资料3000份", None)]),
    ],
)
def test_item_shapes(text: str, expected: list[tuple[str, SectionKind | None]]) -> None:
    notes = parse_notes(text)
    assert [(i.text, i.kind) for i in notes.items] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "笔记中没有任何条目"),
        ("   \n\n", "笔记中没有任何条目"),
        ("---\noffice: [unclosed\n---\n- 开展宣讲12场\n", "front matter: not valid YAML at line 2"),
        ("---\nofice: 青溪县信访局\n---\n- 开展宣讲12场\n", "ofice"),
        ("---\nyear: 二〇二五\n---\n- 开展宣讲12场\n", "year"),
    ],
)
def test_bad_notes(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_notes(text, "notes.md")


@pytest.mark.parametrize(
    ("first", "skipped"),
    [
        ("2025年度 城南区人社局 法治工作台账", True),
        ("河西县市场监管局工作记录（零散）", True),
        ("下步工作：推进执法全过程记录", False),
        ("完善执法全过程记录", False),
    ],
)
def test_a_first_line_naming_the_notes_is_no_item(first: str, skipped: bool) -> None:
    notes = parse_notes(first + "\n开展宣讲12场\n")
    assert (len(notes.items) == 1) is skipped


@pytest.mark.parametrize(
    ("line", "texts"),
    [
        ("下一步：①建立评查机制②2026年实现全覆盖", ["建立评查机制", "2026年实现全覆盖"]),
        ("主任：包案4件，带队下访6次", ["主任包案4件，带队下访6次"]),
        ("局长：主持专题会3次", ["局长主持专题会3次"]),
        ("积案：交办75件", ["积案方面，交办75件"]),  # a topic label keeps its words
    ],
)
def test_labelled_line_items(line: str, texts: list[str]) -> None:
    assert [i.text for i in parse_notes(line).items] == texts


def test_checker_source_joins_jotted_figures_and_keeps_lines() -> None:
    from aidraft.figures.extract import extract_figures
    from aidraft.parse.notes import source_text

    notes = parse_notes("受理来信来访 4120 件次\n学法 6 次\n")
    source = source_text(notes)
    assert source.count("\n") == notes.text.count("\n")
    assert [f.text for f in extract_figures(source)] == ["4120件次", "6次"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("下步工作打算\n深化接访下访\n存在问题\n办理超期\n工作开展情况\n接访48次\n",
         [SectionKind.plans, SectionKind.problems, SectionKind.measures]),
        ("2026年工作安排\n建设调解中心\n", [SectionKind.plans]),
        ("培训不足\n解决群众反映问题\n干部法治素养不足\n", [None, None, None]),
    ],
)
def test_bare_section_titles_in_plain_jottings(text: str, kinds: list[SectionKind | None]) -> None:
    assert [i.kind for i in parse_notes(text).items] == kinds
