"""Run a suite: each case in a bounded thread pool (drafts wait on the model, not the CPU), with
rich progress on stderr, then the checker self-test, thresholds and the summary.

A case that fails to run is recorded as an error with its one-line message; it never stops the
other cases, because a model that breaks on one case is exactly what an eval must report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aidraft.draft.pipeline import SectionDrafter, resolve_inputs, run_draft
from aidraft.errors import AidraftError
from aidraft.evals import metrics as m
from aidraft.evals import placement
from aidraft.evals.cases import Case
from aidraft.evals.config import Bound, EvalConfig
from aidraft.evals.digest_case import DigestOutput, DigestUnavailable, digest_metrics, digest_reports
from aidraft.evals.judge import Judge
from aidraft.evals.results import CaseResult, EvalRun, RunStats, SelfTestResult
from aidraft.evals.selftest import case_texts, corpus_texts, run_selftest
from aidraft.evals.spec import FALLBACK_DETAIL, MAP_FAILED_DETAIL, METRICS
from aidraft.parse.notes import parse_notes
from aidraft.ledger import build_ledger
from aidraft.parse.structure import parse_text
from aidraft.settings import Settings

DigestRunner = Callable[[Case], DigestOutput]
OFFLINE = "offline"  # the backend name of run records written without a model


@dataclass
class Backend:
    """How the suite produces outputs: a fresh drafter per case (so its token counts are the
    case's own), the digest adapter, and an optional judge."""

    name: str
    model: str | None
    make_drafter: Callable[[], SectionDrafter]
    settings: Settings
    judge: Judge | None = None
    digest: DigestRunner | None = None

    def run_digest(self, case: Case) -> DigestOutput:
        if self.digest is not None:
            return self.digest(case)
        return digest_reports(case.reports, self.settings, case.id)


def case_result(case: Case, **fields: Any) -> CaseResult:
    """A CaseResult that names its case the one way every result does."""
    return CaseResult(id=case.id, kind=case.kind, description=case.description, source=case.source, **fields)


def used_model(backend: str) -> bool:
    """Whether a run record's backend asked a model: only then can a part fall back to the
    offline writer, so only then do the fallback counts apply (None, shown –, otherwise)."""
    return backend != OFFLINE


def apply_thresholds(metrics: dict[str, float | None], bounds: dict[str, Bound]) -> list[str]:
    """One line per metric outside its bounds, in registry order."""
    out = []
    for spec in METRICS:
        bound = bounds.get(spec.name)
        problem = bound.violation(metrics.get(spec.name)) if bound else None
        if problem:
            out.append(f"{spec.name} {problem}")
    return out


def _draft_case(case: Case, config: EvalConfig, backend: Backend) -> CaseResult:
    assert case.notes is not None
    notes = parse_notes(case.notes.text, case.notes.path)
    priors = [parse_text(case.prior.text, case.prior.path)] if case.prior else []
    inputs = resolve_inputs(notes, priors, case.office, case.year)
    result = run_draft(inputs, backend.make_drafter(), path=case.id)
    doc, check = result.document, result.check
    scored = m.Scored()
    m.figure_metrics(scored, check, doc.text, case)
    m.restated_figures(scored, doc)
    m.figure_recall(scored, check, doc.text, notes)
    m.structure_metrics(scored, doc, case)
    m.text_metrics(scored, doc, case, config)
    m.plan_coverage(scored, doc, notes, priors[0] if priors else None)
    ledger = result.ledger or build_ledger(notes, year=inputs.year)
    placement.placement_metrics(scored, doc, ledger, case)
    placement.trace_metrics(scored, doc, [t for _, t in result.traced_sentences()], notes.text, check)
    placement.followup_metrics(scored, result.plans_followup, case)
    reference = parse_text(case.reference.text, case.reference.path) if case.reference else None
    m.reference_overlap(scored, doc, reference)
    fallen = [f"{s.title}: {s.note or 'written offline'}" for s in result.sections if s.fallback]
    scored.metrics["offline_sections"] = float(len(fallen)) if used_model(result.run.backend) else None
    scored.note(FALLBACK_DETAIL, fallen)
    run = RunStats(**result.run.model_dump(include=set(RunStats.model_fields)))
    out = case_result(
        case,
        status="pass",
        metrics=scored.metrics,
        details=scored.details,
        output=m.output_view(doc, check),
        run=run,
    )
    if backend.judge is not None:
        sources = [case.notes.text] + ([case.prior.text] if case.prior else [])
        out.judge = backend.judge.score("draft", sources, doc.text)
    return out


def _digest_case(case: Case, config: EvalConfig, backend: Backend) -> CaseResult:
    try:
        digest = backend.run_digest(case)
    except DigestUnavailable as exc:
        return case_result(
            case,
            status="skipped",
            error=str(exc),
        )
    scored = m.Scored()
    m.figure_metrics(scored, digest.check, digest.document.text, case)
    m.restated_figures(scored, digest.document)
    scored.metrics["figure_recall"] = None
    m.structure_metrics(scored, digest.document, case)
    m.text_metrics(scored, digest.document, case, config)
    scored.metrics["plan_coverage"] = None
    scored.metrics["reference_overlap"] = None
    values, lists = digest_metrics(digest, case)
    scored.metrics.update(values)
    for key, found in lists.items():
        scored.note(key, found)
    for name in placement.DRAFT_ONLY:
        scored.metrics[name] = None
    scored.note("items the digest dropped", digest.notes)
    scored.metrics["offline_sections"] = None
    scored.metrics["failed_maps"] = float(digest.failed_maps) if used_model(digest.run.backend) else None
    scored.note(MAP_FAILED_DETAIL, digest.map_failures)
    out = case_result(
        case,
        status="pass",
        metrics=scored.metrics,
        details=scored.details,
        output=m.output_view(digest.document, digest.check),
        run=digest.run,
    )
    if backend.judge is not None:
        out.judge = backend.judge.score("digest", [r.text for r in case.reports], digest.document.text)
    return out


def run_case(case: Case, config: EvalConfig, backend: Backend) -> CaseResult:
    """Produce and score one case; errors become an 'error' result with the one-line message."""
    started = time.perf_counter()
    try:
        out = (_digest_case if case.kind == "digest" else _draft_case)(case, config, backend)
    except AidraftError as exc:
        out = case_result(
            case,
            status="error",
            error=exc.one_line(),
        )
    except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others' results
        out = case_result(
            case,
            status="error",
            error=f"{type(exc).__name__}: {exc}",
        )
    out.fingerprint = case.fingerprint()
    out.thresholds = {name: bound.text() for name, bound in case.thresholds.items()}
    if out.judge is not None:
        for score in out.judge.scores:
            out.metrics[f"judge_{score.criterion}"] = float(score.score)
    if out.status == "pass":
        out.failures = apply_thresholds(out.metrics, {**config.thresholds, **case.thresholds})
        out.status = "fail" if out.failures else "pass"
    if out.run is not None and out.run.seconds == 0:
        out.run.seconds = round(time.perf_counter() - started, 3)
    return out


def _selftests(cases: list[Case], config: EvalConfig) -> list[tuple[str, list[str]]]:
    sets = [("selftest:cases", case_texts(cases))]
    corpus = corpus_texts(config.corpus_dir())
    if corpus:
        sets.append(("selftest:corpus", corpus))
    return [(name, texts) for name, texts in sets if texts]


def summarise(results: list[CaseResult]) -> dict[str, float | None]:
    """Mean of each metric over the cases that have it (None where no case does)."""
    out: dict[str, float | None] = {}
    for spec in METRICS:
        values = [r.metrics[spec.name] for r in results if r.metrics.get(spec.name) is not None]
        out[spec.name] = round(sum(values) / len(values), 4) if values else None  # type: ignore[arg-type]
    return out


def run_suite(
    cases: list[Case],
    config: EvalConfig,
    backend: Backend,
    *,
    suite: str,
    concurrency: int | None = None,
    selftest: bool = True,
    console: Console | None = None,
) -> EvalRun:
    """Run every case (at most ``concurrency`` at once) and the self-test; results in case order."""
    started = time.perf_counter()
    workers = concurrency or config.concurrency
    tests = _selftests(cases, config) if selftest and config.seeds else []
    results: dict[str, CaseResult] = {}
    checks: dict[str, SelfTestResult] = {}
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
    )
    with (
        Progress(*columns, console=console, transient=True, disable=console is None) as progress,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval") as pool,
    ):
        task = progress.add_task("cases", total=len(cases), last="")
        check_task = progress.add_task("checker self-test", total=len(tests), last="") if tests else None
        futures: dict[Future[object], str] = {}
        for case in cases:
            futures[pool.submit(run_case, case, config, backend)] = case.id
        for name, texts in tests:
            futures[pool.submit(run_selftest, name, texts, config.seeds)] = name
        for future in as_completed(futures):
            name = futures[future]
            value = future.result()
            if isinstance(value, CaseResult):
                results[name] = value
                progress.update(task, advance=1, last=f"{name}: {value.status}")
            elif isinstance(value, SelfTestResult):
                checks[name] = value
                if check_task is not None:
                    progress.update(check_task, advance=1, last=name)
    ordered = [results[c.id] for c in cases]
    selftests = [checks[name] for name, _ in tests]
    for st in selftests:
        st.failures = apply_thresholds(st.metrics, config.thresholds)
        st.status = "fail" if st.failures else "pass"
    versions: dict[str, str] = {}
    for r in ordered:
        if r.run:
            versions.update(r.run.prompt_versions)
        if r.judge:
            name, _, version = r.judge.prompt.partition("@")
            versions[name] = version
    tokens_in = sum(r.run.prompt_tokens for r in ordered if r.run) + sum(
        r.judge.prompt_tokens for r in ordered if r.judge
    )
    tokens_out = sum(r.run.completion_tokens for r in ordered if r.run) + sum(
        r.judge.completion_tokens for r in ordered if r.judge
    )
    return EvalRun(
        suite=suite,
        backend=backend.name,
        model=backend.model,
        judge_model=backend.judge.name if backend.judge else None,
        prompt_versions=dict(sorted(versions.items())),
        cases=ordered,
        selftest=selftests,
        summary=summarise(ordered),
        prompt_tokens=tokens_in,
        completion_tokens=tokens_out,
        seconds=round(time.perf_counter() - started, 3),
    )
