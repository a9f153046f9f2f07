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
        ("", "no items"),
        ("   \n\n", "no items"),
        ("---\noffice: [unclosed\n---\n- 开展宣讲12场\n", "front matter: not valid YAML at line 2"),
        ("---\nofice: 青溪县信访局\n---\n- 开展宣讲12场\n", "ofice"),
        ("---\nyear: 二〇二五\n---\n- 开展宣讲12场\n", "year"),
    ],
)
def test_bad_notes(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_notes(text, "notes.md")
