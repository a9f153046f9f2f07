"""report.html: one self-contained page to review an eval run, in Chinese.

Modelled on promptfoo's and DeepEval's viewers: a matrix of cases × metrics with pass/fail
colour (a regressed cell red and its row failed), a summary row with each metric's mean and
pass rate, per-case threshold overrides shown in the cell they apply to, every cell a link to the
evidence behind its value (the lines of the output that caused it), and each output collapsed,
with its diff against the baseline's output. No external CSS, JS or fonts: the file can be
mailed or archived as it is. Autoescape is on, so report text can never inject markup.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from aidraft import regexes
from aidraft.evals.config import EvalConfig
from aidraft.evals.results import CaseResult, Delta, EvalRun, OutputView, SelfTestResult
from aidraft.evals.spec import FALLBACK_METRICS, METRICS, MetricSpec
from aidraft.messages import DOC_LANG, text

TEMPLATES = Path(__file__).parent / "templates"
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.globals["t"] = lambda key, **params: text(key, DOC_LANG, **params)
LINE_REF = regexes.compile(r"\(line (\d+)")
_NOT_SLUG = regexes.compile(r"[^A-Za-z0-9_.-]+")
STATUS_ZH = {"pass": "通过", "fail": "未通过", "error": "出错", "skipped": "跳过"}


@dataclass(frozen=True)
class Segment:
    """A run of output text: plain (css ''), a checked figure, or a flagged one."""

    text: str
    css: str = ""
    title: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    css: str
    delta: str = ""
    delta_css: str = ""
    title: str = ""
    override: str = ""  # this case's own bound, when it has one
    href: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[tuple[MetricSpec, str]]
    rows: list[tuple[CaseResult | SelfTestResult, list[Cell]]]
    means: list[str] = field(default_factory=list)
    pass_rates: list[tuple[str, str]] = field(default_factory=list)  # (text, css)


@dataclass(frozen=True)
class Evidence:
    """One detail list of a case, its anchor, and each line with the output line it names."""

    key: str
    anchor: str
    lines: list[tuple[str, str]]  # (text, href or '')


@dataclass(frozen=True)
class DiffPiece:
    text: str
    op: str  # "", "ins" or "del"


@dataclass(frozen=True)
class CaseView:
    case: CaseResult
    lines: list[tuple[int, list[Segment]]]
    evidence: list[Evidence]
    diff: list[DiffPiece] | None  # None: no baseline output; [] : identical


@dataclass(frozen=True)
class Fallbacks:
    """What a model backend left to the offline writer over the run: the page says so at the top,
    since those cases' scores are the offline writer's, not the model's."""

    cases: int
    sections: int
    maps: int


def _total(cases: Sequence[CaseResult], metric: str) -> int:
    return int(sum(c.metrics.get(metric) or 0 for c in cases))


def fmt(spec: MetricSpec, value: float | None) -> str:
    if value is None:
        return "–"
    if spec.share:
        return f"{value * 100:.1f}%"
    return f"{round(value, 2):g}"


def fmt_delta(spec: MetricSpec, delta: float | None) -> str:
    if delta is None or abs(delta) < 1e-9:
        return ""
    return f"{delta * 100:+.1f}" if spec.share else f"{delta:+g}"


def slug(value: str) -> str:
    return _NOT_SLUG.sub("-", value).strip("-") or "x"


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


def by_line(segs: list[Segment]) -> list[tuple[int, list[Segment]]]:
    """The segments cut at newlines, numbered like the checker's lines, so evidence can link
    to the very line that caused a value."""
    lines: list[tuple[int, list[Segment]]] = [(1, [])]
    for seg in segs:
        parts = seg.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append((lines[-1][0] + 1, []))
            if part:
                lines[-1][1].append(Segment(part, seg.css, seg.title))
    return lines


def diff_pieces(old: str, new: str) -> list[DiffPiece]:
    """What changed from the baseline's output to this one, by line, then by character inside
    a changed line pair (so 1642件 → 1624件 shows as two digits, not two paragraphs)."""
    a, b = old.split("\n"), new.split("\n")
    pieces: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                chars = difflib.SequenceMatcher(None, x, y, autojunk=False)
                for cop, c1, c2, d1, d2 in chars.get_opcodes():
                    if cop == "equal":
                        pieces.append(DiffPiece(x[c1:c2], ""))
                    else:
                        if c2 > c1:
                            pieces.append(DiffPiece(x[c1:c2], "del"))
                        if d2 > d1:
                            pieces.append(DiffPiece(y[d1:d2], "ins"))
                pieces.append(DiffPiece("\n", ""))
        else:
            for line in a[i1:i2]:
                pieces.append(DiffPiece(line + "\n", "del"))
            for line in b[j1:j2]:
                pieces.append(DiffPiece(line + "\n", "ins"))
        pieces.append(DiffPiece("⋯\n", "gap"))
    return pieces


def _evidence(case: CaseResult) -> list[Evidence]:
    out = []
    for key, lines in case.details.items():
        anchor = f"ev-{slug(case.id)}-{slug(key)}"
        linked = []
        for line in lines:
            m = LINE_REF.search(line)
            linked.append((line, f"#out-{slug(case.id)}-L{m.group(1)}" if m and case.output else ""))
        title = text(f"eval.detail.{slug(key)}", DOC_LANG)
        out.append(Evidence(key if title.startswith("eval.detail.") else title, anchor, linked))
    return out


def _href(row: CaseResult | SelfTestResult, spec: MetricSpec) -> str:
    """The evidence behind a cell: the first of the metric's detail lists this case has."""
    if isinstance(row, CaseResult):
        for key in spec.evidence:
            if key in row.details:
                return f"#ev-{slug(row.id)}-{slug(key)}"
        return f"#case-{slug(row.id)}" if row.output is not None else ""
    return "#selftest-details"


def _row(row: CaseResult | SelfTestResult, columns: list[MetricSpec], deltas: dict[str, Delta]) -> list[Cell]:
    failed = {line.split(" ", 1)[0] for line in row.failures}
    overrides = row.thresholds if isinstance(row, CaseResult) else {}
    cells = []
    for spec in columns:
        value = row.metrics.get(spec.name)
        d = deltas.get(spec.name)
        regressed = d is not None and d.status == "regressed"
        css = "bad" if spec.name in failed or regressed else ("na" if value is None else "good")
        if regressed:
            css += " regressed"
        delta_css = {"regressed": "regressed", "improved": "improved"}.get(d.status, "") if d else ""
        title = f"基线 {fmt(spec, d.old)}" if d and d.old is not None else ""
        cells.append(Cell(fmt(spec, value), css, fmt_delta(spec, d.delta) if d else "", delta_css, title,
                          overrides.get(spec.name, ""), _href(row, spec)))
    return cells


def _table(rows: Sequence[CaseResult | SelfTestResult], config: EvalConfig,
           by_case: dict[str, dict[str, Delta]]) -> Table:
    """Headers (metric, threshold text), rows of cells, and the summary: mean and pass rate of
    each metric over the rows that have it."""
    present = {name for r in rows for name, v in r.metrics.items() if v is not None}
    columns = [spec for spec in METRICS if spec.name in present]
    headers = [(spec, b.text() if (b := config.thresholds.get(spec.name)) else "") for spec in columns]
    table_rows = [(r, _row(r, columns, by_case.get(r.id, {}))) for r in rows]
    means, rates = [], []
    for i, spec in enumerate(columns):
        have = [(r, cells[i]) for r, cells in table_rows if r.metrics.get(spec.name) is not None]
        values = [r.metrics[spec.name] for r, _ in have]
        means.append(fmt(spec, sum(values) / len(values)) if values else "–")  # type: ignore[arg-type]
        ok = sum(1 for _, cell in have if "bad" not in cell.css)
        share = ok / len(have) if have else 1.0
        rates.append((f"{ok}/{len(have)}", "good" if share == 1 else "bad"))
    return Table(headers, table_rows, means, rates)


def render_report(run: EvalRun, config: EvalConfig, baseline: EvalRun | None = None) -> str:
    """The HTML page for ``run`` (with its comparison and output diffs, given the baseline)."""
    by_case: dict[str, dict[str, Delta]] = {}
    if run.comparison:
        for d in run.comparison.deltas:
            by_case.setdefault(d.case, {})[d.metric] = d
    old_outputs = {c.id: c.output.text for c in baseline.cases if c.output} if baseline else {}
    views = []
    for case in run.cases:
        if case.output is None:
            continue
        old = old_outputs.get(case.id)
        diff = None if old is None else ([] if old == case.output.text else diff_pieces(old, case.output.text))
        views.append(CaseView(case, by_line(segments(case.output)), _evidence(case), diff))
    cases = [c for c in run.cases]
    passed = sum(1 for c in cases if c.status == "pass")
    counted = sum(1 for c in cases if c.status != "skipped")
    fell = [c for c in run.cases if any(c.metrics.get(name) for name in FALLBACK_METRICS)]
    fallbacks = Fallbacks(len(fell), _total(fell, "offline_sections"), _total(fell, "failed_maps"))
    template = _ENV.get_template("report.html.j2")
    return template.render(
        run=run,
        cases=_table(run.cases, config, by_case),
        checks=_table(run.selftest, config, by_case),
        views=views,
        regressions=run.comparison.regressions if run.comparison else [],
        verdict="PASS" if run.passed else "FAIL",
        status_zh=STATUS_ZH,
        slug=slug,
        pass_rate=(passed, counted),
        fallbacks=fallbacks,
    )
