"""report.html: one self-contained page a person reads after an eval run.

A table of cases × metrics (failed thresholds red; with a baseline, each cell's delta, regressions
red), then every output with its figures highlighted by the checker's verdict. No external CSS,
JS or fonts, so the file can be mailed or archived as it is. The template is a file beside this
module; autoescape is on, so report text can never inject markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from aidraft.evals.config import Bound, EvalConfig
from aidraft.evals.results import CaseResult, Delta, EvalRun, OutputView, SelfTestResult
from aidraft.evals.spec import METRICS, MetricSpec

TEMPLATES = Path(__file__).parent / "templates"
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class Segment:
    """A run of output text: plain (css ''), a checked figure, or a flagged one."""

    text: str
    css: str = ""
    title: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[tuple[MetricSpec, str]]
    rows: list[tuple[CaseResult | SelfTestResult, list[Cell]]]


@dataclass(frozen=True)
class Cell:
    text: str
    css: str
    delta: str = ""
    delta_css: str = ""
    title: str = ""


def fmt(spec: MetricSpec, value: float | None) -> str:
    if value is None:
        return "–"
    if spec.share:
        return f"{value * 100:.1f}%"
    return f"{value:g}"


def fmt_delta(spec: MetricSpec, delta: float | None) -> str:
    if delta is None or abs(delta) < 1e-9:
        return ""
    return f"{delta * 100:+.1f}" if spec.share else f"{delta:+g}"


def bound_text(bound: Bound | None) -> str:
    if bound is None:
        return ""
    parts = ([f"≥ {bound.min:g}"] if bound.min is not None else []) + (
        [f"≤ {bound.max:g}"] if bound.max is not None else []
    )
    return " ".join(parts)


def segments(view: OutputView) -> list[Segment]:
    """Split the output text at its figures; overlapping marks keep the first."""
    out: list[Segment] = []
    cursor = 0
    for mark in view.figures:
        if mark.start < cursor or mark.end > len(view.text):
            continue
        if mark.start > cursor:
            out.append(Segment(view.text[cursor : mark.start]))
        css = f"fig flag st-{mark.status}" if mark.flagged else f"fig ok st-{mark.status}"
        title = mark.status + (f": {mark.note}" if mark.note else "")
        out.append(Segment(view.text[mark.start : mark.end], css, title))
        cursor = mark.end
    out.append(Segment(view.text[cursor:]))
    return out


def _row(
    metrics: dict[str, float | None], failures: list[str], columns: list[MetricSpec], deltas: dict[str, Delta]
) -> list[Cell]:
    failed = {line.split(" ", 1)[0] for line in failures}
    cells = []
    for spec in columns:
        value = metrics.get(spec.name)
        d = deltas.get(spec.name)
        css = "bad" if spec.name in failed else ("na" if value is None else "good")
        delta_css = {"regressed": "regressed", "improved": "improved"}.get(d.status, "") if d else ""
        title = f"baseline {fmt(spec, d.old)}" if d and d.old is not None else ""
        cells.append(Cell(fmt(spec, value), css, fmt_delta(spec, d.delta) if d else "", delta_css, title))
    return cells


def render_report(run: EvalRun, config: EvalConfig) -> str:
    """The HTML page for ``run`` (with its comparison, when it has one)."""
    by_case: dict[str, dict[str, Delta]] = {}
    if run.comparison:
        for d in run.comparison.deltas:
            by_case.setdefault(d.case, {})[d.metric] = d
    outputs = [(c, segments(c.output)) for c in run.cases if c.output is not None]
    template = _ENV.get_template("report.html.j2")
    return template.render(
        run=run,
        cases=_table(run.cases, config, by_case),
        checks=_table(run.selftest, config, by_case),
        outputs=outputs,
        regressions=run.comparison.regressions if run.comparison else [],
        verdict="PASS" if run.passed else "FAIL",
    )


def _table(
    rows: Sequence[CaseResult | SelfTestResult], config: EvalConfig, by_case: dict[str, dict[str, Delta]]
) -> Table:
    """Headers (metric, threshold text) and rows of cells, for the metrics some row has."""
    present = {name for r in rows for name, v in r.metrics.items() if v is not None}
    columns = [spec for spec in METRICS if spec.name in present]
    headers = [(spec, bound_text(config.thresholds.get(spec.name))) for spec in columns]
    return Table(headers, [(r, _row(r.metrics, r.failures, columns, by_case.get(r.id, {}))) for r in rows])
