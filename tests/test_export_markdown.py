"""The Markdown export carries the report's exact text, in a stable shape for review and diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.export import markdown
from aidraft.export.markdown import heading_text, paragraphs, render_markdown, report_title, write_markdown
from aidraft.parse.document import Document, NumberStyle, Section, SectionKind


def _s(
    number: str, title: str, text: str = "", *children: Section, kind: SectionKind | None = None
) -> Section:
    level, style = {
        "一": (1, NumberStyle.cn_dun),
        "（一": (2, NumberStyle.cn_paren),
        "1": (3, NumberStyle.ar_dot),
        "（1": (4, NumberStyle.ar_paren),
    }.get(number.rstrip("、.）"), (1, NumberStyle.cn_dun))
    return Section(
        level=level, number=number, style=style, title=title, text=text,
        line=1, start=0, end=0, kind=kind, children=list(children),
    )


@pytest.fixture
def doc() -> Document:
    """A fictional county petition office's report, trimmed to one item per level."""
    return Document(
        title="某某县信访局关于2023年度法治政府建设情况的报告",
        office="某某县信访局",
        year=2023,
        preamble="\u3000\u30002023年，某某县信访局扎实推进法治政府建设。\n\n现将有关情况报告如下：",
        closing="某某县信访局\n2024年3月15日",
        text="（测试用虚构文本）",
        sections=[
            _s("一、", "主要举措和成效", "",
               _s("（一）", "强化理论学习，筑牢法治根基", "全年召开专题学习会议6次。",
                  _s("1.", "规范信访事项受理", "依法受理来信来访1268件【待核实】。",
                     _s("（1）", "网上信访", "网上信访占比62.5%。"))),
               kind=SectionKind.measures),
            _s("二、", "党政主要负责人履行推进法治建设第一责任人职责情况", "带头讲授法治党课2次。",
               kind=SectionKind.duty),
            _s("三、", "存在的不足和原因", "信访干部法治素养仍需提升。", kind=SectionKind.problems),
            _s("四、", "2024年工作安排", "全年化解信访积案【待补充】件。", kind=SectionKind.plans),
        ],
    )


EXPECTED = """\
# 某某县信访局关于2023年度法治政府建设情况的报告

2023年，某某县信访局扎实推进法治政府建设。

现将有关情况报告如下：

## 一、主要举措和成效

### （一）强化理论学习，筑牢法治根基

全年召开专题学习会议6次。

#### 1.规范信访事项受理

依法受理来信来访1268件【待核实】。

##### （1）网上信访

网上信访占比62.5%。

## 二、党政主要负责人履行推进法治建设第一责任人职责情况

带头讲授法治党课2次。

## 三、存在的不足和原因

信访干部法治素养仍需提升。

## 四、2024年工作安排

全年化解信访积案【待补充】件。

某某县信访局

2024年3月15日
"""


def test_render_markdown_exact_text(doc: Document) -> None:
    assert render_markdown(doc) == EXPECTED


def test_render_is_deterministic(doc: Document) -> None:
    assert render_markdown(doc) == render_markdown(doc.model_copy(deep=True))


@pytest.mark.parametrize(
    ("level", "prefix"),
    [(1, "## 一、"), (2, "### （一）"), (3, "#### 1."), (4, "##### （1）")],
)
def test_heading_depth_follows_level(doc: Document, level: int, prefix: str) -> None:
    lines = render_markdown(doc).splitlines()
    depth = "#" * (level + 1) + " "
    numbered = [line for line in lines if line.startswith(depth)]
    assert numbered and all(line.startswith(prefix) for line in numbered[:1])
    assert len(numbered) == (4 if level == 1 else 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("一段。", ["一段。"]),
        ("\u3000\u3000首行缩进。\n\n  第二段。 \r", ["首行缩进。", "第二段。"]),
    ],
)
def test_paragraphs_drop_blank_lines_and_manual_indent(text: str, expected: list[str]) -> None:
    assert paragraphs(text) == expected


def test_heading_text_joins_number_and_title() -> None:
    section = Section(
        level=2, number="（二）", style=NumberStyle.cn_paren, title=" 推进源头治理", line=1, start=0, end=0
    )
    assert heading_text(section) == "（二）推进源头治理"


def test_title_falls_back_to_office_and_year(doc: Document) -> None:
    untitled = doc.model_copy(update={"title": None})
    assert report_title(untitled) == "某某县信访局关于2023年度法治政府建设情况的报告"
    assert report_title(untitled.model_copy(update={"office": None})) is None
    assert not render_markdown(untitled.model_copy(update={"office": None})).startswith("#")


def test_empty_document_renders_empty() -> None:
    assert render_markdown(Document(text="")) == ""


def test_write_markdown_is_atomic(doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.md"
    write_markdown(doc, target)
    assert target.read_text(encoding="utf-8") == EXPECTED

    def broken(_doc: Document) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(markdown, "render_markdown", broken)
    with pytest.raises(RuntimeError):
        write_markdown(doc, target)
    assert target.read_text(encoding="utf-8") == EXPECTED
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
