"""The office × metric table: canonical metrics (受理量, 群众满意率 …) across offices, with a
total or a range only where the metric and the unit match, and one line saying why not otherwise.

Cells are the figures as the reports wrote them (40余场次 stays 40余场次); a total of counts adds
intervals as intervals; rates are never added, only their range is given.
"""

from __future__ import annotations

from collections import defaultdict

from aidraft.digest.config import digest_genre
from aidraft.digest.ledger import LedgerFigure
from aidraft.digest.model import MetricCell, MetricColumn, Source
from aidraft.digest.phrasing import fmt_number
from aidraft.figures.model import add_quantities, json_number
from aidraft.parse.document import SectionKind


def _cell(lf: LedgerFigure) -> MetricCell:
    value = lf.figure.value
    return MetricCell(label=lf.label, text=lf.figure.text, low=json_number(value.low),
                      high=None if value.high is None else json_number(value.high), unit=lf.figure.unit,
                      source=Source(office=lf.label, file=lf.file, line=lf.figure.line))


def _cells(figures: list[LedgerFigure]) -> dict[str, dict[str, LedgerFigure]]:
    """Per canonical metric, each office's cell: the figure its most specific cue names (受理信访事项
    20件 over 受理法律援助案件900件 for 受理量), the first on a tie. A figure of the plans section is
    a target, not this year's figure, and stays out."""
    best: dict[str, dict[str, LedgerFigure]] = defaultdict(dict)
    for lf in figures:
        if not lf.canonical or lf.kind == SectionKind.plans.value:
            continue
        held = best[lf.canonical].get(lf.label)
        if held is None or len(lf.cue) > len(held.cue):
            best[lf.canonical][lf.label] = lf
    return best


def metric_table(figures: list[LedgerFigure]) -> list[MetricColumn]:
    """One column per canonical metric any office reports (YAML order), one cell per office.

    A total joins only cells of one year, one unit and one counted thing (``counted``): 受理信访事项
    and 受理法律援助案件 are both 受理量 in the table, never one sum."""
    genre = digest_genre()
    cells = _cells(figures)
    out = []
    for metric in genre.metrics:
        members = list(cells.get(metric.name, {}).values())
        if not members:
            continue
        column = MetricColumn(name=metric.name, kind=metric.kind, cells=[_cell(m) for m in members])
        units = list(dict.fromkeys(m.figure.unit for m in members))
        counted = list(dict.fromkeys(m.counted for m in members))
        if len(members) == 1:
            column.note = genre.metric_one_office.format(name=metric.name, label=genre.names([members[0].label]))
        elif len({m.year for m in members}) > 1:
            column.note = genre.metric_years_no_total.format(name=metric.name)
        elif metric.kind == "rate":
            ordered = sorted(members, key=lambda m: m.figure.value.low)
            low, high = ordered[0], ordered[-1]
            if low.figure.value.low == high.figure.value.low:
                column.summary = f"均为{low.figure.text}"
            else:
                column.summary = f"最低{low.figure.text}（{genre.names([low.label])}）、最高{high.figure.text}（{genre.names([high.label])}）"
            column.note = genre.metric_rate_no_total.format(name=metric.name)
        elif len(units) > 1:
            column.note = genre.metric_no_total.format(name=metric.name, units="、".join(units))
        elif len(counted) > 1:
            column.note = genre.metric_things_no_total.format(name=metric.name, things="、".join(counted))
        else:
            total = add_quantities([m.figure.value for m in members])
            text = fmt_number(total.low) + units[0] + ("" if total.exact else "以上")
            column.summary = f"合计{text}"
        out.append(column)
    return out


def table_lines(columns: list[MetricColumn], stated: set[str] | None = None) -> list[tuple[str, MetricColumn]]:
    """The table as sentences for the digest text: name：office figure、…，summary (or why not).

    ``stated``: names of the columns whose total or range the digest already states in the
    reports' own words (digest.pipeline decides, figure by figure); those do not state it twice."""
    genre = digest_genre()
    stated = stated or set()
    lines = []
    for column in columns:
        if len(column.cells) < 2:
            continue
        cells = "、".join(f"{genre.names([c.label], inner=False)}{c.text}" for c in column.cells)
        text = genre.metric_line.format(name=column.name, cells=cells)
        if column.summary and column.name not in stated:
            text += "，" + column.summary
        if column.note and (column.summary is None or column.kind == "count"):
            text += "；" + column.note
        lines.append((text + "。", column))
    return lines
