"""Tables in notes → items: a Word table (read as rows of cells split by |) or a Markdown table.

A data row becomes one item in sentence form that keeps each figure with its metric, unit and
column (行政处罚案件2025年96件，2024年120件); a header, a Markdown delimiter row or a 单位：万元
line above a table is no item. The row grammar and its unit rules are figures/tables.py's.
"""

from __future__ import annotations

from aidraft import regexes
from aidraft.figures.extract import extract_figures
from aidraft.figures.tables import UNIT_LINE, TableRow, is_row, is_rule, row_cells, row_values
from aidraft.parse.notes_cues import note_cues

HEADER_LOOKAHEAD = 4  # lines below a header or a 单位：X line searched for the table's first row
YEAR_HEADING = regexes.compile(r"(?:19|20)\d{2}")  # a column headed by a bare year (2025): 2025年


class TableReader:
    """The table being read, line by line: its header's cells and a 单位：X line above it."""

    def __init__(self) -> None:
        self.header: list[str] = []
        self.unit = ""

    def reset(self) -> None:
        self.header, self.unit = [], ""

    def end(self) -> None:
        if self.header:
            self.reset()

    def read(self, raw: str, lines: list[str], number: int) -> str | None:
        """A data row's item text; "" for a line of the table that is no item (its header, a
        Markdown delimiter row, a 单位：万元 line above it); None for a line that is no table's."""
        if is_rule(raw):
            return ""
        unit = UNIT_LINE.search(raw)
        if unit and unit.group(0) == raw.strip().strip("（）() ") and is_row(_next_line(lines, number)):
            self.unit = unit.group("unit")
            return ""
        if not is_row(raw):
            self.reset()
            return None
        row = row_values(raw, self.header, self.unit)
        if row is not None and self._data(raw, row):
            return table_sentence(row)
        header = row_cells(raw)
        if _has_cell_bar(raw) and sum(1 for cell in header if cell) >= 2 and not extract_figures(raw):
            after = _next_line(lines, number)
            following = row_values(after, header, self.unit) if is_row(after) else None
            if following is not None and self._data(after, following, header):
                self.header = header
                self.unit = (m.group("unit") if (m := UNIT_LINE.search(raw)) else "") or self.unit
                return ""
        self.reset()
        return None

    def _data(self, raw: str, row: TableRow, header: list[str] | None = None) -> bool:
        """A data row: a bare number in a value cell, or, under a header, a worded figure (960件);
        its label names a metric, never a fact with a figure of its own (受理300件 | 办结290件)."""
        if extract_figures(row.label):
            return False
        return any(v.bare for v in row.values) or (
            bool(header or self.header) and _has_cell_bar(raw) and any(extract_figures(v.number) for v in row.values))


def _next_line(lines: list[str], number: int) -> str:
    """The first line after line ``number`` (1-based) with content, a Markdown delimiter row skipped."""
    for line in lines[number:number + HEADER_LOOKAHEAD]:
        if line.strip() and not is_rule(line):
            return line
    return ""


def _has_cell_bar(line: str) -> bool:
    """A cell break that only a table makes (|, ｜, a tab), not the double space of a jotting."""
    return any(mark in line for mark in "|｜\t")


def table_sentence(row: TableRow) -> str:
    """A table's data row as one notes item that keeps each figure with its metric, unit and column:
    行政处罚案件2025年96件，2024年120件; with 本年/上年 columns, this year's value first
    (受理信访事项960件，上年1020件); a signed change as its comparison (同比下降5.9%)."""
    cues = note_cues().tables
    first: list[str] = []
    rest: list[str] = []
    for value in row.values:
        amount = value.number + value.unit
        heading = value.heading + ("年" if YEAR_HEADING.fullmatch(value.heading) else "")  # 2025 → 2025年
        if value.sign:
            amount = (cues.up if value.sign == "up" else cues.down) + amount
            heading = cues.changes.get(heading, heading)
        if heading in cues.this_year:
            first.append(amount)
        else:
            rest.append(heading + amount)
    parts = first + rest
    return row.label + "，".join(parts)
