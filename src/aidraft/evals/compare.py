"""Compare a run with a saved baseline: per case and metric, the delta and whether it is a
regression (worse than the tolerance allows, in the metric's direction).

Only ``metrics`` are compared, never timing or tokens, so a deterministic backend compared with
its own baseline shows no deltas at all. A new case is listed, never a failure: adding a case must
not fail the build. A baseline case the run lacks is listed as missing and fails the run unless
allowed (--allow-missing): a deleted case would otherwise drop out of the gate silently. A
baseline sharing no case with the suite is of another suite: an error before any work.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

from aidraft.errors import InputError
from aidraft.evals.config import EvalConfig
from aidraft.evals.results import RESULTS_FORMAT, Comparison, Delta, EvalRun
from aidraft.evals.spec import BY_NAME, METRICS
from aidraft.yamldata import validate

EPSILON = 1e-9
RESULTS_FILE = "results.json"


def load_run(path: Path) -> EvalRun:
    """A results.json, given as the file or the run folder that holds it."""
    file = path / RESULTS_FILE if path.is_dir() else path
    if not file.is_file():
        raise InputError(
            f"{path}: no {RESULTS_FILE} there", hint="give a folder written by 'aidraft eval --out'"
        )
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{file}: not a readable results file: {exc}") from exc
    if isinstance(raw, dict) and raw.get("format") != RESULTS_FORMAT:
        raise InputError(
            f"{file}: results format {raw.get('format')!r}, this aidraft reads {RESULTS_FORMAT}",
            hint="rerun the baseline with this version",
        )
    return validate(EvalRun, raw, f"{file}: not an eval results file")


def check_same_suite(baseline: EvalRun, suite_ids: Collection[str], label: str) -> None:
    """A baseline that shares no case with the suite compares nothing and would report "0
    regressions": refuse it in one line (exit 2) before the suite runs."""
    if not {c.id for c in baseline.cases} & set(suite_ids):
        shown = ", ".join(c.id for c in baseline.cases[:3]) or "none"
        raise InputError(
            f"{label}: the baseline shares no case with this suite (its cases: {shown}"
            f"{' …' if len(baseline.cases) > 3 else ''}); it is a run of another suite",
            hint="give the baseline saved from these cases, or save one: aidraft eval CASES --out DIR",
        )


def judge_delta(case: str, metric: str, old: float | None, new: float | None, tolerance: float) -> Delta:
    """The status of one metric's change, by its direction and tolerance."""
    if old is None and new is None:
        return Delta(
            case=case, metric=metric, old=None, new=None, delta=None, tolerance=tolerance, status="same"
        )
    if old is None or new is None:
        return Delta(
            case=case,
            metric=metric,
            old=old,
            new=new,
            delta=None,
            tolerance=tolerance,
            status="new" if old is None else "gone",
        )
    delta = round(new - old, 6)
    direction = BY_NAME[metric].direction
    if direction == "info":
        status = "info" if abs(delta) > EPSILON else "same"
    else:
        worse = -delta if direction == "higher" else delta
        if worse > tolerance + EPSILON:
            status = "regressed"
        elif worse < -EPSILON:
            status = "improved"
        else:
            status = "same"
    return Delta(case=case, metric=metric, old=old, new=new, delta=delta, tolerance=tolerance, status=status)  # type: ignore[arg-type]


def _metric_table(run: EvalRun) -> dict[str, tuple[str, dict[str, float | None]]]:
    table = {c.id: (c.fingerprint, c.metrics) for c in run.cases if c.status != "skipped"}
    table.update({s.id: (s.fingerprint, s.metrics) for s in run.selftest})
    return table


def compare(run: EvalRun, baseline: EvalRun, config: EvalConfig, label: str, *,
            not_selected: Collection[str] = (), allow_missing: bool = False) -> Comparison:
    """Deltas of every metric of every case both runs have, in case and registry order.

    A case edited since the baseline is still compared (and listed as changed); a self-test over
    other texts (a --case subset), or on one side only, is not, since its rates describe different
    reports. ``not_selected``: suite cases left out with --case, not missing from the suite."""
    new, old = _metric_table(run), _metric_table(baseline)
    selftests = {s.id for s in run.selftest}
    tests = selftests | {s.id for s in baseline.selftest}
    ran, before = [c.id for c in run.cases], {c.id for c in baseline.cases}
    deltas: list[Delta] = []
    changed: list[str] = []
    skipped: list[str] = []
    for case, (print_new, metrics) in new.items():
        if case not in old:
            continue
        print_old, old_metrics = old[case]
        if print_new != print_old:
            (skipped if case in selftests else changed).append(case)
            if case in selftests:
                continue
        for spec in METRICS:
            if spec.name in metrics or spec.name in old_metrics:
                deltas.append(
                    judge_delta(
                        case,
                        spec.name,
                        old_metrics.get(spec.name),
                        metrics.get(spec.name),
                        config.tolerance(spec.name),
                    )
                )
    return Comparison(
        baseline=label,
        baseline_backend=baseline.backend,
        baseline_model=baseline.model,
        deltas=deltas,
        missing_cases=[c.id for c in baseline.cases if c.id not in ran and c.id not in not_selected],
        new_cases=[c for c in ran if c not in before],
        changed_cases=changed,
        not_compared=skipped + [s for s in (*old, *new) if s in tests and (s not in old or s not in new)],
        allow_missing=allow_missing,
    )


def mark_regressions(run: EvalRun) -> None:
    """A case with a regressed metric fails like one below a threshold: its row says fail and
    names the metric, so the table, the exit code and report.html tell the same story."""
    if run.comparison is None:
        return
    by_case: dict[str, list[Delta]] = {}
    for d in run.comparison.regressions:
        by_case.setdefault(d.case, []).append(d)
    for case in run.cases:
        for d in by_case.get(case.id, []):
            case.regressed.append(d.metric)
            change = f"{d.old:g} → {d.new:g}" if d.old is not None and d.new is not None else ""
            case.failures.append(f"{d.metric} regressed {change} (tolerance {d.tolerance:g})")
        if case.regressed and case.status == "pass":
            case.status = "fail"
    for st in run.selftest:
        for d in by_case.get(st.id, []):
            st.failures.append(f"{d.metric} regressed (tolerance {d.tolerance:g})")
            st.status = "fail"
