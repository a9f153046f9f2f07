"""Which figures of a text are last year's values: a table column headed by last year (2024年,
上年), or a figure dated with an earlier year in a sentence that dates another with a later one
(办理行政许可事项2025年9650件，2024年8420件: what a notes table row reads as).

Draft and notes alike: a draft figure dated so is checked against last year's report, and a notes
figure dated so backs only a figure the draft dates to last year.
"""

from __future__ import annotations

import re
from functools import cache

from aidraft import regexes
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure
from aidraft.figures.tables import CELL_BREAK, MAX_ROW, lines_above, rows
from aidraft.figures.tables import cells as table_cells
from aidraft.parse.dates import years_in
from aidraft.parse.notes import FRONT_MATTER

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


#: a year that dates what follows it in its clause: 2024年8420件, 2024年受理…920件, 由2024年的920件;
#: not the start of a span (2020年以来, 2024年至2025年), which dates nothing to one year
CLAUSE_YEAR = regexes.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年(?!以来|来|起|至|到|开始|[-－—～~]|[0-9])")
#: 由A…下降到B: A the value before the change, B the one it reached
FROM_MARK = "由"
NOT_YEAR_COMPARISONS = ("环比",)


@cache
def _to_change() -> re.Pattern[str]:
    """…下降到 / 增加至 / 提高为 between A and B: a direction word of the lexicon, then 到/至/为."""
    ch = lexicon().lex.changes
    return regexes.compile(rf"^[^，。；、]{{0,4}}?(?:{regexes.alternation(ch.up + ch.down)})(?:到|至|为)$")


def _clause_years(figures: list[Figure]) -> dict[int, int]:
    """The year dating each figure (by start): the last year in its clause before it with no
    other figure between them (由2024年的920件下降到860件: 2024年 dates 920件, not 860件), else, for
    a sentence's first figure, the last year of its line's label (2024年：受理投诉600件)."""
    out: dict[int, int] = {}
    previous_end = -1
    previous_sentence = -1
    whole = figures[0]._whole if figures else ""
    labels = "年：" in whole or "年:" in whole  # most texts have no year label: no label looked for
    for fig in figures:
        if fig.sentence_start != previous_sentence:
            previous_end, previous_sentence = -1, fig.sentence_start
        before = fig.before
        if "年" in before:  # most clauses name no year: no pattern run
            last = None
            for last in CLAUSE_YEAR.finditer(before):
                pass
            if last is not None and fig.start - len(before) + last.start() >= previous_end:
                out[fig.start] = int(last.group(1))
        if labels and fig.start not in out and previous_end < 0:  # a sentence's first figure: its label may date it
            label = fig.line_label()  # 2024年：受理投诉600件
            if "年" in label:
                years = CLAUSE_YEAR.findall(label)
                if years:
                    out[fig.start] = int(years[-1])
        previous_end = max(previous_end, fig.end)
    return out


def _report_year(figures: list[Figure], dated: dict[int, int]) -> int | None:
    """The year of this year's values: the latest year dating a figure of the text outside a plan
    (2026年力争… is next year's target, no report year)."""
    planned = lexicon().planned_re
    years = [dated[f.start] for f in figures if f.start in dated and not planned.search(f.before)]
    return max(years) if years else None


def _earlier_dated(figures: list[Figure], dated: dict[int, int], year: int | None) -> set[int]:
    """Starts of figures dated by an earlier year than ``year`` or than the latest year dating a
    figure of their sentence."""
    latest: dict[int, int] = {}
    for fig in figures:
        if fig.start in dated:
            latest[fig.sentence_start] = max(latest.get(fig.sentence_start, 0), dated[fig.start], year or 0)
    return {f.start for f in figures if f.start in dated and dated[f.start] < latest[f.sentence_start]}


#: the front matter's year (year: 2025); the block itself is the notes parser's FRONT_MATTER
_FRONT_YEAR = regexes.compile(r"^year:\s*(\d{4})\s*$", re.MULTILINE)
TITLE_WORDS = ("报告", "总结", "情况", "工作", "笔记", "材料", "要点")
TITLE_LINES = 3  # leading non-empty lines a title may stand on (after front matter, a heading mark)
TITLE_MAX = 60
HEAD = 2000  # characters a front matter and a title stand in
_NOT_TITLE = regexes.compile(r"[-*•·]|[（(]?[一二三四五六七八九十0-9]+[)）、.．]")


def stated_year(text: str) -> int | None:
    """The year a text says it reports on: its front matter's ``year:``, else the year its title
    names (2025年法治政府建设情况报告, # 2025年工作笔记); None when it says none."""
    head = text[:HEAD]
    front = FRONT_MATTER.match(head)
    if front is not None:
        year = _FRONT_YEAR.search(front.group(1))
        if year is not None:
            return int(year.group(1))
        head = head[front.end() :]
    lines = [line.strip().lstrip("#").strip() for line in head.split("\n")]
    for line in [x for x in lines if x][:TITLE_LINES]:
        if _NOT_TITLE.match(line):
            break  # the body has begun: a list item or a numbered heading names no report year
        if len(line) <= TITLE_MAX and (line.endswith(TITLE_WORDS) or "报告" in line[-12:]):
            years = years_in(line)
            if years:
                return years[0]
    return None


def last_year_values(figures: list[Figure], lines: Lines, *, by_report_year: bool, year: int | None = None) -> set[int]:
    """Starts of last year's values: a column headed by last year, a figure dated by an earlier year
    than its sentence's latest or than ``year`` (the year the text says it reports on; with
    ``by_report_year``, else the latest year dating its figures, as a draft's are), and the value a
    change starts from (由A下降到B)."""
    dated = _clause_years(figures)
    if year is None and by_report_year:
        year = _report_year(figures, dated)
    return last_year_cells(figures, lines) | _earlier_dated(figures, dated, year) | change_starts(figures, dated)


def change_starts(figures: list[Figure], dated: dict[int, int] | None = None) -> set[int]:
    """由A…下降到B (由148件减少至126件, 由2024年的920件下降到860件): A is last year's value where the
    sentence compares with last year (与上年相比, 同比 …) or a year dates A."""
    if dated is None:
        dated = _clause_years(figures)
    comparisons = [c for c in lexicon().lex.changes.comparisons if c not in NOT_YEAR_COMPARISONS]
    out: set[int] = set()
    for a, b in zip(figures, figures[1:]):
        if a.sentence_start != b.sentence_start or FROM_MARK not in a.before:
            continue
        if not _to_change().search(b.preceding(b.start - a.end)):
            continue
        if a.start in dated or any(c in a.sentence for c in comparisons):
            out.add(a.start)
    return out
