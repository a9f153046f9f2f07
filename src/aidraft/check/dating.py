"""Which figures of a text are last year's values: a table column headed by last year (2024年,
上年), or a figure dated with an earlier year in a sentence that dates another with a later one
(办理行政许可事项2025年9650件，2024年8420件: what a notes table row reads as).

Draft and notes alike: a draft figure dated so is checked against last year's report, and a notes
figure dated so backs only a figure the draft dates to last year.
"""

from __future__ import annotations

from aidraft import regexes
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure
from aidraft.figures.tables import CELL_BREAK, MAX_ROW, lines_above, rows
from aidraft.figures.tables import cells as table_cells

HEADER_YEARS = regexes.compile(r"((?:19|20)[0-9]{2})年")
THIS_YEAR_WORDS = ("本年", "今年", "当年", "本期")


class Lines:
    """The line a figure stands on, and whether it is a table row (figures/tables.py finds the
    rows: a text's few short lines with a cell break)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.row_starts = {start for start, _ in rows(text)}

    def row_start(self, pos: int) -> int | None:
        """Where the table row holding ``pos`` starts; None when its line is no table row."""
        if not self.row_starts:
            return None
        # a row is at most MAX_ROW long: no need to look further back (a long line costs no more)
        low = max(0, pos - MAX_ROW - 1)
        start = self.text.rfind("\n", low, pos) + 1
        if start == 0 and low > 0:
            return None
        return start if start in self.row_starts else None


def header_roles(text: str, line_start: int) -> list[str] | None:
    """The roles of a table's columns ('this', 'last' or '') from the nearest header line above
    (指标 | 2025年 | 2024年 | 同比, or 本年/上年); None when no header is found."""
    for line in lines_above(text, line_start):
        cells = table_cells(line)
        years = [int(m.group(1)) if (m := HEADER_YEARS.search(c)) else None for c in cells]
        known = [y for y in years if y is not None]
        if len(known) >= 2:
            return ["this" if y == max(known) else "last" if y is not None else "" for y in years]
        marked = ["this" if any(w in c for w in THIS_YEAR_WORDS) else "last" if lexicon().last_year_re.search(c)
                  else "" for c in cells]
        if "this" in marked and "last" in marked:
            return marked
    return None


def column(text: str, line_start: int, fig: Figure) -> int:
    return len(CELL_BREAK.findall(text[line_start : fig.start].lstrip()))


def last_year_cells(figures: list[Figure], lines: Lines) -> set[int]:
    """Starts of figures in a table column headed by last year (2024年, 上年): last year's values."""
    out: set[int] = set()
    roles_of: dict[int, list[str] | None] = {}
    text = lines.text
    for fig in figures:
        line_start = lines.row_start(fig.start)
        if line_start is None:
            continue
        if line_start not in roles_of:
            roles_of[line_start] = header_roles(text, line_start)
        roles = roles_of[line_start]
        at = column(text, line_start, fig)
        if roles is not None and at < len(roles) and roles[at] == "last":
            out.add(fig.start)
    return out


#: a figure dated by the year right before it: 2024年8420件, 2024年为8420件, 2024年度达8420件
YEAR_BEFORE = regexes.compile(r"((?:19|20)[0-9]{2})年度?(?:为|是|达|达到|共|全年)?$")


def earlier_year_figures(figures: list[Figure]) -> set[int]:
    """Starts of figures dated by an earlier year than another figure of their sentence."""
    years: dict[int, list[tuple[int, int]]] = {}
    for fig in figures:
        m = YEAR_BEFORE.search(fig.before)
        if m is not None:
            years.setdefault(fig.sentence_start, []).append((int(m.group(1)), fig.start))
    out: set[int] = set()
    for dated in years.values():
        latest = max(year for year, _ in dated)
        out.update(start for year, start in dated if year < latest)
    return out


def last_year_figures(figures: list[Figure], text: str) -> set[int]:
    """Starts of the figures of ``text`` that are last year's values (table column or dated pair)."""
    return last_year_cells(figures, Lines(text)) | earlier_year_figures(figures)
