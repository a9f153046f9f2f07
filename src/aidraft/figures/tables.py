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


def cells(line: str) -> list[str]:
    return CELL_BREAK.split(line.strip())


def is_row(line: str) -> bool:
    """A table row: at most MAX_ROW characters, with at least two cells."""
    return len(line) <= MAX_ROW and bool(CELL_BREAK.search(line.strip()))


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
        if not header and len(cells(line)) >= 2 and not CELL.search(line):
            header = cells(line)
    return unit, header


def table_cell_fields(text: str, kind_of_unit: dict[str, FigureKind]) -> list[dict[str, object]]:
    """Bare numbers in table cells, as extract's field dicts (without context)."""
    out: list[dict[str, object]] = []
    for row_start, line in rows(text):
        if not CELL.search(line):
            continue
        label_unit = next((u for u in map(UNIT.search, cells(line)) if u), None)  # 罚没款（万元）
        above_unit, header = _unit_above(text, row_start)
        for m in CELL.finditer(line):
            core = m.group("num")
            try:
                value, precision = parse_arabic(core)
            except NumeralError:
                continue
            if not m.group("pct") and "." not in core and 1900 <= value <= 2100:
                continue  # a year
            column = len(CELL_BREAK.findall(line[: m.start("num")].lstrip()))
            if column == 0:
                continue  # the first cell numbers or names the row
            col_unit = UNIT.search(header[column]) if column < len(header) else None
            unit = "%" if m.group("pct") else (
                (label_unit or col_unit).group("unit") if (label_unit or col_unit) else above_unit)  # type: ignore[union-attr]
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
            fields["context"] = UNIT.sub("", cells(line)[0])  # its metric is the row's label, not the bar before it
            out.append(fields)
    return out
