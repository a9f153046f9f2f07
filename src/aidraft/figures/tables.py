"""Bare numbers in tables rendered as text (指标 | 2025年 | 2024年 | 同比 … 立案查处 | 1386 | 1512 | -8.3%).

A number alone in a cell of a table row is a figure even without a counter: its unit is the one
the row label or the column header names in brackets (立案查处案件（件）, 2025年(件), （万元） scales
by 万) or a 单位：件 line above the table; else it has no unit and is compared with other unitless
cells only. The first cell of a row numbers or names it and is never a figure. A sign before
it (+8.3%, −126) is the direction of a change. Its context (what it counts) is the row's label. Bare integers from 1900 to 2100 are years, not
figures. A table row is a line of at most MAX_ROW characters with cells split by |, tabs or runs
of spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from aidraft import regexes
from aidraft.figures.model import Approx, FigureKind, quantity
from aidraft.figures.numerals import MULTIPLIERS, NumeralError, parse_arabic
from aidraft.text import on_first_use

MAX_ROW = 400  # characters: a longer line is prose, never a table row
HEADER_LOOKBACK = 12  # lines above a table row searched for its header or a 单位：X line
# What shows a cell break: a |, ｜ or tab, or two spaces. Each is looked for with str.find, which
# skips through prose many times faster than a regex's character class.
BREAK_HINTS = ("|", "｜", "\t", "  ")
CELL = on_first_use(r"(?:^|(?<=[|｜\t])|(?<=  ))[ \t]*(?P<sign>[+\-−＋－])?"
                    r"(?P<num>[0-9０-９]+(?:[,，][0-9]{3})*(?:[.．][0-9０-９]+)?)(?P<pct>[%％])?[ \t]*(?=[|｜\t]|  |$)")
CELL_BREAK = regexes.compile(r" *[|｜\t] *| {2,}")
UNIT = regexes.compile(r"[（(](?:单位[:：])?(?P<unit>[^（）()\d]{1,4})[）)]")
UNIT_LINE = regexes.compile(r"单位[:：]\s*(?P<unit>[^\s，。；|（）()]{1,4})")
SIGNS = {"+": "up", "＋": "up", "-": "down", "−": "down", "－": "down"}


COUNT_HEADING = "数"  # 件数, 人数: the count in that counter
YEAR_WORD = regexes.compile(r"^(?:(?:19|20)[0-9]{2}年度?|本年度?|上年度?|今年|去年|当年)")


def cells(line: str) -> list[str]:
    return CELL_BREAK.split(line.strip())


def is_row(line: str) -> bool:
    """A table row: at most MAX_ROW characters, with at least two cells: a CELL_BREAK, that is a
    |, ｜ or tab, or two spaces (each looked for with ``in``: the pattern, which opens with no
    character to skip to, is tried at every place of the line)."""
    if len(line) > MAX_ROW:
        return False
    stripped = line.strip()
    return "|" in stripped or "｜" in stripped or "\t" in stripped or "  " in stripped


def rows(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each table row of ``text``, in order; only lines with a cell break are looked at."""
    lines: dict[int, int] = {}  # start → end of each line with a hint
    for hint in BREAK_HINTS:
        pos = text.find(hint)
        while pos >= 0:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            lines[start] = end
            pos = text.find(hint, end)  # the next line with it
    for start in sorted(lines):
        if lines[start] - start <= MAX_ROW:  # (a paragraph is not copied to be told it is too long)
            line = text[start : lines[start]]
            if is_row(line):
                yield start, line


def lines_above(text: str, start: int) -> Iterator[str]:
    """The lines above the line at ``start``, nearest first: at most HEADER_LOOKBACK of them, and
    none past a line too long to be part of a table."""
    pos = start - 1
    for _ in range(HEADER_LOOKBACK):
        if pos <= 0:
            return
        line_start = text.rfind("\n", max(0, pos - MAX_ROW), pos) + 1
        if line_start == 0 and pos > MAX_ROW:
            return
        yield text[line_start:pos]
        pos = line_start - 1


def _unit_above(text: str, start: int) -> tuple[str, list[str]]:
    """(a 单位：X unit, the nearest header's cells) from the lines above a table row."""
    unit, header = "", []
    for line in lines_above(text, start):
        m = UNIT_LINE.search(line)
        if m and not unit:
            unit = m.group("unit")
        if is_rule(line):
            continue  # a Markdown delimiter row (|---|---|) under the header it separates
        if not header and len(cells(line)) >= 2 and not CELL.search(line):
            header = cells(line)
    return unit, header


def row_label(row: list[str], first: int) -> str:
    """What a row counts: its first cell that is no row number (序号 1 | 行政处罚案件 | 96), without
    its unit in brackets."""
    return UNIT.sub("", next((c for c in row[first:] if c and not c.rstrip(".、").isdigit()), ""))


def heading_unit(cell: str, counters: dict[str, FigureKind]) -> str | None:
    """The unit a column heading gives its numbers: in brackets (2025年（件）), or the heading is a
    counter itself (件, 万元, 人次) or its count (件数, 人数, 次数); None when it gives none."""
    bracketed = UNIT.search(cell)
    if bracketed is not None:
        return bracketed.group("unit")
    words = YEAR_WORD.sub("", cell.strip())  # 2025年件数, 上年件数: the year is the column's role, not its unit
    if words.endswith(COUNT_HEADING) and words[: -len(COUNT_HEADING)] in counters:
        words = words[: -len(COUNT_HEADING)]
    if words in counters:
        return words
    if len(words) > 1 and words[0] in MULTIPLIERS and words[1:] in counters:
        return words  # 万元: scaled where the value is read
    return None


def table_cell_fields(text: str, kind_of_unit: dict[str, FigureKind]) -> list[dict[str, object]]:
    """Bare numbers in table cells, as extract's field dicts (without context)."""
    out: list[dict[str, object]] = []
    for row_start, line in rows(text):
        if not CELL.search(line):
            continue
        label_unit = next((u for u in map(UNIT.search, cells(line)) if u), None)  # 罚没款（万元）
        above_unit, header = _unit_above(text, row_start)
        first = 1 if line.strip()[:1] in OUTER_BARS else 0  # | 行政处罚 | 96 |: the label is the second cell
        for m in CELL.finditer(line):
            core = m.group("num")
            try:
                value, precision = parse_arabic(core)
            except NumeralError:
                continue
            if not m.group("pct") and "." not in core and 1900 <= value <= 2100:
                continue  # a year
            column = len(CELL_BREAK.findall(line[: m.start("num")].lstrip()))
            if column <= first:
                continue  # the first cell numbers or names the row (after a Markdown row's outer bar)
            col_unit = heading_unit(header[column], kind_of_unit) if column < len(header) else None
            unit = "%" if m.group("pct") else (
                label_unit.group("unit") if label_unit else col_unit or above_unit)
            scale = Decimal(1)
            if len(unit) > 1 and unit[0] in MULTIPLIERS:  # （万元）: 2315.6 is 23156000 元
                scale, unit = MULTIPLIERS[unit[0]], unit[1:]
                value, precision = value * scale, (precision * scale).normalize()
            start = row_start + (m.start("sign") if m.group("sign") else m.start("num"))
            end = row_start + m.end("pct" if m.group("pct") else "num")
            fields: dict[str, object] = dict(
                text=text[start:end], start=start, end=end, value=quantity(value, value, precision), approx=Approx.exact,
                kind=FigureKind.percent if unit == "%" else kind_of_unit.get(unit, FigureKind.count), unit=unit,
                numeral=core, chinese=False, wordlike=False)
            if m.group("sign"):
                fields["direction"] = SIGNS[m.group("sign")]
            fields["context"] = row_label(cells(line), first)  # its metric: the row's label, not the bar before it
            out.append(fields)
    return out


# --- a row as values: what notes items are written from (parse/notes.py) -------------------------

RULE_CELL = regexes.compile(r":?-+:?")  # a cell of a Markdown table's delimiter row: ---, :--:
OUTER_BARS = "|｜"
EMPTY_CELLS = ("-", "—", "－", "/", "／", "——")
UNIT_HEADING = "单位"  # a column headed 单位 (计量单位) names the unit of the row's bare numbers


class RowValue(NamedTuple):
    """One value cell of a table row, with what the table says about it."""

    heading: str  # its column's header cell without the unit bracket ('2025年', '本年', '同比'); '' without one
    number: str  # the cell as written, without its sign and %: '96', '530.5'; a worded cell whole ('960件')
    unit: str  # a bare number's unit by the rules of table_cell_fields ('件', '万元', '%'); '' otherwise
    sign: str  # 'up' or 'down' for a signed number (a change); ''
    bare: bool  # a bare number: a figure only the table's grammar makes one


class TableRow(NamedTuple):
    label: str  # what the row counts: its first worded cell without the unit bracket
    values: list[RowValue]


def row_cells(line: str) -> list[str]:
    """The cells of a table row, Markdown's outer bars (| a | b |) dropped."""
    stripped = line.strip()
    if stripped[:1] in OUTER_BARS and stripped[-1:] in OUTER_BARS and len(stripped) > 1:
        stripped = stripped[1:-1]
    return [cell.strip() for cell in cells(stripped)]


def is_rule(line: str) -> bool:
    """A Markdown table's delimiter row (|---|:--:|): it separates the header and holds no cell."""
    if "-" not in line or not is_row(line):
        return False
    found = [cell for cell in row_cells(line) if cell]
    return bool(found) and all(RULE_CELL.fullmatch(cell) for cell in found)


def _year(number: str) -> bool:
    """A bare integer from 1900 to 2100 is a year, never a figure (as in table_cell_fields)."""
    try:
        value, _ = parse_arabic(number)
    except NumeralError:
        return False
    return "." not in number and 1900 <= value <= 2100


def row_values(line: str, header: list[str], unit_line: str = "") -> TableRow | None:
    """A table row's label and value cells, each with its column heading and, for a bare number,
    its unit by the rules of table_cell_fields: a unit bracket in the row (罚没款（万元）), else in
    its column's header (2025年（件）), else ``unit_line`` (a 单位：X line above); % is its own.
    Leading row numbers are no label. None for a line with no worded cell and a value after it."""
    parts = row_cells(line)
    label_at = next((i for i, cell in enumerate(parts) if cell and not CELL.fullmatch(cell)), None)
    if label_at is None or label_at == len(parts) - 1:
        return None
    label_unit = next((u.group("unit") for u in map(UNIT.search, parts) if u), None)
    unit_column = next((i for i, cell in enumerate(header) if UNIT.sub("", cell).strip().endswith(UNIT_HEADING)), None)
    row_unit = parts[unit_column] if unit_column is not None and unit_column < len(parts) else ""
    values: list[RowValue] = []
    for column in range(label_at + 1, len(parts)):
        cell = parts[column]
        if not cell or cell in EMPTY_CELLS or column == unit_column:
            continue
        heading_cell = header[column] if column < len(header) else ""
        heading = UNIT.sub("", heading_cell).strip()
        m = CELL.fullmatch(cell)
        if m is None or (not m.group("pct") and _year(m.group("num"))):
            values.append(RowValue(heading, cell, "", "", False))
            continue
        column_unit = UNIT.search(heading_cell)
        unit = "%" if m.group("pct") else (
            label_unit or (column_unit.group("unit") if column_unit else "") or row_unit or unit_line)
        values.append(RowValue(heading, m.group("num"), unit, SIGNS.get(m.group("sign") or "", ""), True))
    return TableRow(UNIT.sub("", parts[label_at]).strip(), values) if values else None
