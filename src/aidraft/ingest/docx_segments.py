"""The line model shared by the .docx reader and the checked copy, and the table-row rules.

A visible line is a list of segments, each a stretch of one paragraph's visible text; the
checked copy finds a figure's runs by walking the same segments back, so a line's text is
always the segments' text and the glue between them, and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
# block-level wrappers whose children are paragraphs/tables/rows/cells again
WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"})
CELL_SEPARATOR = " | "
MAX_CELL = 60  # characters: a longer cell is prose, and its row is read as paragraphs


@dataclass(frozen=True)
class Segment:
    """Part of one visible line: text of ``paragraph`` from character ``start`` of its visible text
    (number label included), and ``glue``, what stands between it and the segment before it."""

    paragraph: etree._Element
    start: int
    text: str
    glue: str = CELL_SEPARATOR


@dataclass(frozen=True)
class Piece:
    """A run-level text element of a paragraph and the characters it shows there."""

    element: etree._Element  # w:t, w:tab, w:br or w:cr
    start: int
    end: int
    text: str


def line_text(segments: list[Segment]) -> str:
    """A visible line as ``docx_text`` writes it: segments joined by their glue."""
    return "".join((s.glue if i else "") + s.text.replace("|", "｜") for i, s in enumerate(segments))


def word_char(ch: str) -> bool:
    """A Latin letter or digit: two of them either side of a join keep a space between them."""
    return ch.isascii() and ch.isalnum()


def glued(segments: list[Segment]) -> list[Segment]:
    """Segments of one paragraph line (label, run-on paragraphs) joined as a soft break joins:
    directly in Chinese, with a space between two Latin words."""
    out: list[Segment] = []
    for segment in segments:
        if out:
            space = word_char(out[-1].text[-1:]) and word_char(segment.text[:1])
            segment = replace(segment, glue=" " if space else "")
        out.append(segment)
    return out


def rows(table: etree._Element) -> Iterator[etree._Element]:
    """A table's rows, content controls around them opened."""
    for child in table:
        if child.tag == _TR:
            yield child
        elif child.tag in WRAPPERS:
            yield from rows(child)


def continues(cell: etree._Element) -> bool:
    """A vertically merged cell below the first of its merge (``w:vMerge`` without "restart")."""
    merge = cell.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(f"{_W}val", "continue") != "restart"


def grid_cells(row: etree._Element) -> list[tuple[int, etree._Element]]:
    """The row's cells with the grid column each starts at; a legacy ``w:hMerge`` continuation is
    part of the cell before it and left out."""
    column = _int(row.find(f"{_W}trPr/{_W}gridBefore"))
    cells: list[tuple[int, etree._Element]] = []
    for cell in row.iterchildren(_TC):
        hmerge = cell.find(f"{_W}tcPr/{_W}hMerge")
        if hmerge is None or hmerge.get(f"{_W}val", "continue") == "restart":
            cells.append((column, cell))
        column += max(_int(cell.find(f"{_W}tcPr/{_W}gridSpan")), 1)
    return cells


def _int(element: etree._Element | None) -> int:
    try:
        return int(element.get(f"{_W}val", "0")) if element is not None else 0
    except ValueError:
        return 0


def table_row(row: etree._Element, cells: list[tuple[int, etree._Element]],
              cell_lines: list[list[list[Segment]]], above: dict[int, str]) -> list[Segment] | None:
    """A row of two or more short one-line cells, its segments split by CELL_SEPARATOR (a merged
    cell below the first repeats its label); None for any other row."""
    if len(cells) < 2 or any(child.tag in WRAPPERS for child in row):
        return None
    segments: list[Segment] = []
    real = False
    for (column, cell), lines in zip(cells, cell_lines):
        if cell.find(f".//{_TBL}") is not None:
            return None
        if len(lines) > 1 or (lines and len(line_text(lines[0])) > MAX_CELL):
            return None
        first = cell.find(_P)
        if lines:
            real = True
            line = lines[0]
        elif first is None:
            return None
        else:
            line = [Segment(first, 0, above.get(column, "") if continues(cell) else "")]
        segments.append(replace(line[0], glue=CELL_SEPARATOR))
        segments.extend(line[1:])
    return segments if real else None
