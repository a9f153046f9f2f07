"""Dates and years as reports and notes write them, each in one grammar.

The 成文日期 line under a report's signature: the parser finds the closing block by it, the .docx
layout sets it right-aligned under the office (or marks it for the clerk when left blank), and
the evals check it was placed there. A date is written out (2025年12月31日, 二〇二五年十二月三十一日,
with O or ○ for 〇) or left to fill in: the month and day blank or X'd out (2026年　月　日,
　　年　月　日, XXXX年X月X日).

The years a text names: the parser takes a report's year from them, the ledger tells this year's
work from next year's plans by them.
"""

from __future__ import annotations

from functools import cache

from aidraft import regexes

_PLACEHOLDER = "XＸ×"
_NUMERAL = "0-9０-９一二三四五六七八九十〇○零O"
_DATE = regexes.compile(
    rf"^\s*(?P<year>\d{{4}}|[〇○零O一二三四五六七八九]{{4}}|[{_PLACEHOLDER}]{{2,4}})?\s*年"
    rf"\s*(?P<month>[{_NUMERAL}{_PLACEHOLDER}]{{0,3}})\s*月"
    rf"\s*(?P<day>[{_NUMERAL}{_PLACEHOLDER}]{{0,3}})\s*日\s*$"
)


#: A year as a text names it: 2025年, 2025 年度, （2025）, 2025 closing the text, or in Chinese
#: numerals before 年 (二〇二五年度, with O or ○ for 〇).
_YEAR = regexes.compile(r"(?<!\d)(20\d{2})(?=\s*年|[）)]|$)"
                        r"|(?<![〇○零O一二三四五六七八九十])(二[〇○零O][〇○零O一二三四五六七八九]{2})(?=\s*年)")
_DIGITS = str.maketrans("〇○零O一二三四五六七八九", "000012345678" "9")
#: 《document titles》 name other years' plans and laws (《2024—2026年工作规划》).
_BOOK_TITLE = regexes.compile(r"《[^》]*》")


def year_spans(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) of every year ``text`` names outside 《document titles》; offsets point
    into ``text``."""
    blanked = _BOOK_TITLE.sub(lambda m: "\0" * len(m.group()), text)
    return [(int((m.group(1) or m.group(2)).translate(_DIGITS)), m.start(), m.end()) for m in _YEAR.finditer(blanked)]


def years_in(text: str) -> list[int]:
    """The years ``text`` names outside 《document titles》, in order."""
    return [year for year, _, _ in year_spans(text)]


def _parts(line: str) -> tuple[str, str, str] | None:
    match = _DATE.match(line)
    return (match["year"] or "", match["month"], match["day"]) if match else None


def _blank(part: str) -> bool:
    return all(ch in _PLACEHOLDER for ch in part)


def _written(part: str) -> bool:
    return part != "" and not any(ch in _PLACEHOLDER for ch in part)


def is_date_line(line: str) -> bool:
    """A 成文日期 line, written out or left to fill in (our own placeholder included)."""
    return _DATE.match(line) is not None or _is_placeholder(line)


@cache
def _placeholder() -> str:
    from aidraft.messages import DOC_LANG, text  # the catalogue loads only for a line that is no date

    return text("docx.date_missing", DOC_LANG)


def _is_placeholder(line: str) -> bool:
    """【待补充：成文日期】: what a draft writes where the clerk will date it."""
    return line.startswith("【") and line.strip() == _placeholder()


def is_written_date(line: str) -> bool:
    """A date written out in full: year, month and day."""
    parts = _parts(line)
    return parts is not None and all(map(_written, parts))


def is_unknown_date(line: str) -> bool:
    """A date left for the clerk: its month and day blank or X'd out."""
    parts = _parts(line)
    return (parts is not None and _blank(parts[1]) and _blank(parts[2])) or _is_placeholder(line)
