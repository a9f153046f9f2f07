"""report.html as a review tool: regressed cells red and their row failed, a summary row with
each metric's mean and pass rate, per-case thresholds shown, every cell leading to what caused
its value, outputs collapsed with their diff against the baseline; the restated-figure metric;
case fingerprints that do not go stale when nothing in the case changed."""

from __future__ import annotations

import re

import pytest

from aidraft.ingest.read import NamedText
from aidraft.evals.cases import Case, Expect
from aidraft.evals.compare import compare, mark_regressions
from aidraft.evals.config import Bound, EvalConfig
from aidraft.evals.metrics import Scored, restated_figures
from aidraft.evals.report_html import diff_pieces, render_report
from aidraft.evals.results import CaseResult, EvalRun, FigureMark, OutputView
from aidraft.parse.structure import parse_text

OUTPUT = "某县人社局2025年度法治政府建设情况报告\n一、主要举措\n全年受理投诉1642件，按期办结率98%。\n二、存在的不足\n培训不足。"


def _case(cid: str, lint: float, text: str = OUTPUT, **extra: object) -> CaseResult:
    figure = re.search(r"16\d\d件", text)
    assert figure is not None
    return CaseResult(
        id=cid, kind="draft", source=f"{cid}.yaml", status="pass",
        metrics={"figure_precision": 1.0, "lint_findings": lint},
        details={"lint": ["numbering-gap (line 4): 二、存在的不足"]},
        output=OutputView(text=text, figures=[FigureMark(start=figure.start(), end=figure.end(), text=figure.group(0),
                                                          status="supported", flagged=False)]),
        **extra,
    )


def _runs() -> tuple[EvalRun, EvalRun, EvalConfig]:
    config = EvalConfig(thresholds={"lint_findings": Bound(max=5), "figure_precision": Bound(min=0.95)})
    baseline = EvalRun(suite="s", backend="offline", cases=[_case("a", 0), _case("b", 1)])
    changed = OUTPUT.replace("1642件", "1624件")
    run = EvalRun(suite="s", backend="offline", cases=[
        _case("a", 3, changed),  # worse than the baseline, still under the threshold
        _case("b", 1, thresholds={"lint_findings": "≤ 2"}),
    ])
    run.comparison = compare(run, baseline, config, "base")
    mark_regressions(run)
    return run, baseline, config


def test_a_regression_fails_its_row_and_colours_its_cell() -> None:
    run, baseline, config = _runs()
    assert run.cases[0].status == "fail" and run.cases[0].regressed == ["lint_findings"]
    assert not run.passed
    page = render_report(run, config, baseline)
    row = re.search(r'<tr class="fail" id="row-a">.*?</tr>', page, re.S)
    assert row and 'class="bad regressed"' in row.group(0)
    assert re.search(r'<tr class="pass" id="row-b">', page)


def test_summary_rows_give_mean_and_pass_rate() -> None:
    run, baseline, config = _runs()
    page = render_report(run, config, baseline)
    foot = re.search(r"<tfoot>.*?</tfoot>", page, re.S)
    assert foot is not None
    assert "平均" in foot.group(0) and "达标" in foot.group(0)
    assert ">2<" in foot.group(0)  # lint mean (3 + 1) / 2
    assert "1/2" in foot.group(0)  # one of two rows met lint (the regressed one did not)
    assert "用例通过 1/2（50%）" in page


def test_a_case_threshold_override_is_shown_in_its_cell() -> None:
    run, baseline, config = _runs()
    page = render_report(run, config, baseline)
    row = re.search(r'<tr class="pass" id="row-b">.*?</tr>', page, re.S)
    assert row and "本例 ≤ 2" in row.group(0)


def test_cells_lead_to_the_lines_that_caused_them() -> None:
    run, baseline, config = _runs()
    page = render_report(run, config, baseline)
    assert 'href="#ev-a-lint"' in page and 'id="ev-a-lint"' in page
    assert 'href="#out-a-L4"' in page  # the evidence names line 4 of the output
    line4 = re.search(r'<span class="ln" id="out-a-L4">(.*?)</span>', page)
    assert line4 and line4.group(1) == "二、存在的不足"


def test_outputs_are_collapsed_and_diffed_against_the_baseline() -> None:
    run, baseline, config = _runs()
    page = render_report(run, config, baseline)
    assert '<details class="output-box"><summary>' in page and "<details open" not in page
    section_a = page.split('id="case-a"')[1].split('id="case-b"')[0]
    diff = re.search(r'<div class="diff">(.*?)</div>', section_a, re.S)
    assert diff and "<del>" in diff.group(1) and "<ins>" in diff.group(1) and "1" in diff.group(1)
    section_b = page.split('id="case-b"')[1]
    assert "与基线输出相同" in section_b


@pytest.mark.parametrize(("old", "new", "changed"), [
    ("受理1642件。\n办结。", "受理1624件。\n办结。", ["受理16", "件。"]),
    ("一行\n二行", "一行\n二行\n三行", ["三行"]),
    ("甲\n乙\n丙", "甲\n丙", ["乙"]),
])
def test_diff_pieces_rebuild_both_sides_of_each_changed_line(old: str, new: str, changed: list[str]) -> None:
    pieces = diff_pieces(old, new)
    kept_old = "".join(p.text for p in pieces if p.op in ("", "del"))
    kept_new = "".join(p.text for p in pieces if p.op in ("", "ins"))
    for line in kept_old.strip("\n").split("\n"):
        assert line in old.split("\n") or not line.strip()
    for line in kept_new.strip("\n").split("\n"):
        assert line in new.split("\n") or not line.strip()
    shown = "".join(p.text for p in pieces)
    assert all(c in shown for c in changed)
    assert "办结" not in shown and not (old.startswith("一行") and "一行" in shown)  # unchanged lines left out


@pytest.mark.parametrize(("body", "count"), [
    ("全年接待来访1.5万人次。来访登记15000人次。", 1),
    ("群众满意率达到百分之九十八，回访满意率98%。", 1),
    ("办理12件，另有十二件已办结。", 1),
    ("接待1.5万人次，登记一万五千人次，录入15000人次。", 2),
    ("按期办结率100%，群众满意率100%。", 0),  # the same form twice is not two forms
    ("接待1.5万余人次，登记15000人次。", 0),  # an approximation is not the same statement
    ("接待15000人次，发放资料15000份。", 0),  # other units, other facts
    ("受理98件，化解率98%。", 0),
])
def test_restated_figures(body: str, count: int) -> None:
    doc = parse_text(f"某区司法局2025年度法治政府建设情况报告\n一、主要举措\n{body}\n", "r.txt")
    scored = Scored()
    restated_figures(scored, doc)
    assert scored.metrics["restated_figures"] == count
    if count:
        assert all("(line 3)" in line for line in scored.details["restated figures"])


def _spec_case(path: str, text: str = "- 受理1642件\n") -> Case:
    return Case(id="c", kind="draft", description="d", source="c.yaml", office="某县信访局", year=2025,
                notes=NamedText(path=path, text=text), prior=None, reference=None, reports=[],
                expect=Expect(), thresholds={})


def test_fingerprint_follows_content_not_paths() -> None:
    assert _spec_case("cases/a.md").fingerprint() == _spec_case("moved/b.md").fingerprint()
    assert _spec_case("a.md").fingerprint() != _spec_case("a.md", "- 受理1643件\n").fingerprint()
