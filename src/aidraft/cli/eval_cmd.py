"""``aidraft eval [CASES] [--backend …] [--model …] [--out DIR] [--baseline DIR]``: score drafts
and digests on a suite of cases, write results.json and report.html, gate on thresholds and on
regressions against a baseline.

Exit 0 when every case meets its thresholds, nothing regressed and no baseline case is missing
(unless --allow-missing), 1 otherwise, 2 on bad input (a baseline of another suite included).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from aidraft.cli.common import EXIT_FLAGGED, console, err_console
from aidraft.cli.endpoint import EndpointOptions, endpoint_options, preset_help
from aidraft.draft.factory import make_drafter
from aidraft.errors import ConfigError, InputError
from aidraft.evals.cases import CASE_FILE, load_suite, select_cases
from aidraft.evals.compare import RESULTS_FILE, check_same_suite, compare, load_run, mark_regressions
from aidraft.evals.config import EvalConfig, load_config
from aidraft.evals.judge import Judge, make_judge
from aidraft.evals.report_html import render_report
from aidraft.evals.results import EvalRun
from aidraft.evals.runner import Backend, run_suite
from aidraft.evals.spec import BY_NAME
from aidraft.files import write_text_atomic
from aidraft.messages import text
from aidraft.settings import Settings

CONFIG_FILE = "config.yaml"
REPORT_FILE = "report.html"
SHOWN = {
    "figure_precision": "precision",
    "figure_recall": "recall",
    "stale_figures": "stale",
    "unsupported_figures": "unsupp.",
    "restated_figures": "restated",
    "duplicate_sentences": "dup",
    "repeated_ngram_share": "ngram",
    "register_violations": "register",
    "lint_findings": "lint",
    "offline_sections": "offline",
    "failed_maps": "maps failed",
}
FALLBACK_LINES = {"offline_sections": "eval.cli.fallback", "failed_maps": "eval.cli.failed_maps"}


def find_config(cases: Path) -> Path | None:
    """evals/config.yaml for evals/cases (or a case inside it): the nearest config.yaml above."""
    start = cases if cases.is_dir() else cases.parent
    for folder in (start, start.parent, start.parent.parent):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
    return None


def resolve_config(cases: Path, given: Path | None) -> tuple[EvalConfig, bool]:
    """--config, else the config.yaml beside or above CASES, else the shipped defaults alone; and
    whether a file was found. A --config that is not there is an error, never a silent default."""
    if given is not None and not given.is_file():
        raise InputError(f"--config {given}: no such file", hint="name an eval config.yaml, or leave --config out")
    found = given or find_config(cases)
    return load_config(found), found is not None


def default_out(cases: Path) -> Path:
    start = cases if cases.is_dir() else cases.parent
    root = start.parent if (start.parent / CONFIG_FILE).is_file() or start.name == "cases" else start
    return root / "runs" / "latest"


def judge_for(
    config: EvalConfig, preset: str | None, base_url: str | None, model: str | None, no_cache: bool,
    mask: bool = False,
) -> Judge | None:
    """The judge from --judge-* flags, else from the config's judge section; None when neither."""
    cfg = config.judge
    preset = preset or (cfg.preset if cfg else None)
    base_url = base_url or (cfg.base_url if cfg else None)
    model = model or (cfg.model if cfg else None)
    if not (preset or base_url):
        return None
    settings = Settings.from_cli(
        backend="openai", preset=preset, base_url=base_url, model=model, use_cache=False if no_cache else None,
        mask="always" if mask else None,
    )
    return make_judge(settings)


def show(run: EvalRun, out: Path) -> None:
    table = Table(title=f"aidraft eval · {run.backend}{' · ' + run.model if run.model else ''}")
    table.add_column("case", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for header in SHOWN.values():
        table.add_column(header, justify="right", no_wrap=True)
    for case in run.cases:
        style = {"pass": "green", "fail": "bold red", "error": "bold red", "skipped": "dim"}[case.status]
        values = [case.metrics.get(name) for name in SHOWN]
        table.add_row(
            case.id,
            f"[{style}]{case.status}[/]",
            *(
                "–" if v is None else (f"{v:.1%}" if BY_NAME[n].share else f"{v:g}")
                for n, v in zip(SHOWN, values, strict=True)
            ),
        )
    # never cut a cell at 80 columns (a pipe, a CI log): the table takes the width it needs
    needed = Measurement.get(console, console.options.update(max_width=10_000), table).maximum
    wide = console if needed <= console.width else Console(
        file=console.file, width=needed, highlight=False, force_terminal=console.is_terminal,
        color_system=console.color_system or None)  # type: ignore[arg-type]
    wide.print(table)
    counted = [c for c in run.cases if c.status != "skipped"]
    passed = sum(1 for c in counted if c.status == "pass")
    rate = f"{passed / len(counted):.0%}" if counted else "–"
    console.print(text("eval.cli.cases_passed", passed=passed, total=len(counted), rate=rate))
    for case in run.cases:
        for name, key in FALLBACK_LINES.items():
            if count := case.metrics.get(name):
                console.print(f"[bold red]{escape(text(key, case=case.id, count=f'{count:g}'))}[/]")
    for case in run.cases:
        for line in case.failures:
            console.print(f"[red]{case.id}[/]: {escape(line)}")
        if case.error:
            console.print(f"[{'dim' if case.status == 'skipped' else 'red'}]{case.id}[/]: {escape(case.error)}")
    for st in run.selftest:
        rec, fa = st.metrics.get("checker_recall"), st.metrics.get("checker_false_alarm_rate")
        console.print(escape(text(
            "eval.cli.selftest", id=st.id, planted=st.planted, caught=st.caught,
            recall="–" if rec is None else f"{rec:.1%}", false_alarms=st.false_alarms, unchanged=st.unchanged,
            rate="–" if fa is None else f"{fa:.1%}"))
            + (f" [red]{escape('; '.join(st.failures))}[/]" if st.failures else ""))
    if run.comparison:
        regressions = run.comparison.regressions
        improved = sum(1 for d in run.comparison.deltas if d.status == "improved")
        console.print(escape(text("eval.cli.baseline", baseline=run.comparison.baseline,
                                  regressions=len(regressions), improved=improved)))
        show_cases(run)
        if run.comparison.changed_cases:
            console.print(f"[yellow]{escape(text('eval.cli.changed', cases=', '.join(run.comparison.changed_cases), baseline=run.comparison.baseline))}[/]")
        for d in regressions:
            change = f"{d.old:g} → {d.new:g}" if d.old is not None and d.new is not None else ""
            console.print(f"[bold red]{escape(text('eval.cli.regressed', case=d.case, metric=d.metric, change=change, tolerance=f'{d.tolerance:g}'))}[/]")
    if run.config:
        console.print(escape(text("eval.cli.config", config=run.config)))
    console.print(escape(text("eval.cli.wrote", prompt=run.prompt_tokens, completion=run.completion_tokens,
                              seconds=f"{run.seconds:.1f}", results=out / RESULTS_FILE, report=out / REPORT_FILE)))
    verdict = f"[bold green]{text('eval.verdict.PASS')}[/]" if run.passed else f"[bold red]{text('eval.verdict.FAIL')}[/]"
    console.print(
        f"{verdict} {escape(text('eval.cli.failing', count=len(run.failed), cases=', '.join(run.failed)))}"
        if run.failed else verdict
    )

def show_cases(run: EvalRun) -> None:
    """New and missing cases against the baseline: a deleted case must not drop out unseen."""
    assert run.comparison is not None
    c = run.comparison
    if c.new_cases:
        console.print(f"[yellow]{escape(text('eval.cli.new_cases', cases=', '.join(c.new_cases)))}[/]")
    if c.missing_cases:
        style = "bold red" if c.failing_missing else "yellow"
        console.print(f"[{style}]{escape(text('eval.cli.missing_cases', cases=', '.join(c.missing_cases)))}[/]")
    if c.failing_missing:
        console.print(f"[bold red]{escape(text('eval.cli.missing_fail', baseline=c.baseline))}[/]")


@endpoint_options(concurrency_help="Cases run at once")
def eval_command(
    cases: Path = typer.Argument(Path("evals/cases"), help="A folder of cases, or one case file/folder."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Run folder for results.json and report.html [default: evals/runs/latest]."
    ),
    baseline: Path | None = typer.Option(
        None, "--baseline", "-b", help="A run folder (or results.json) to compare with."
    ),
    config_path: Path | None = typer.Option(
        None, "--config", help="Eval config [default: the config.yaml above CASES]."
    ),
    only: list[str] = typer.Option([], "--case", help="Run only this case id (repeatable)."),
    judge_preset: str | None = typer.Option(
        None, "--judge-preset", help=preset_help("Endpoint preset of the rubric judge")
    ),
    judge_base_url: str | None = typer.Option(
        None, "--judge-base-url", help="Endpoint URL of the rubric judge."
    ),
    judge_model: str | None = typer.Option(None, "--judge-model", help="Model name of the rubric judge."),
    no_selftest: bool = typer.Option(
        False, "--no-selftest", help="Skip the checker's planted-change self-test."
    ),
    allow_missing: bool = typer.Option(
        False, "--allow-missing", help="Baseline cases missing from the suite are listed, not failed."
    ),
    *,
    endpoint: EndpointOptions,
) -> None:
    """Draft (or digest) every case, score it, write results.json and report.html; exit 1 on a
    failed threshold, a regression against --baseline or a baseline case missing from the suite."""
    config, found = resolve_config(cases, config_path)
    whole = load_suite(cases)
    suite = select_cases(whole, only or None)
    previous = load_run(baseline) if baseline else None  # fail on a bad baseline before any work
    if previous is not None and baseline is not None:
        check_same_suite(previous, [c.id for c in whole], baseline.as_posix())
    if not found:
        err_console.print(f"[yellow]{escape(text('eval.cli.config_default', cases=cases))}[/]")
    settings = endpoint.settings(concurrency=None)  # --concurrency here is cases at once
    if endpoint.model and not settings.uses_model:
        raise ConfigError(
            f"--model {endpoint.model} names no endpoint", hint="add --preset or --base-url (or --backend openai)"
        )
    model_name = settings.resolve_endpoint().model if settings.uses_model else None
    runner = Backend(
        name=settings.backend or "offline",
        model=model_name,
        make_drafter=lambda: make_drafter(settings),
        settings=settings,
        judge=judge_for(config, judge_preset, judge_base_url, judge_model, endpoint.no_cache, endpoint.mask),
    )
    run = run_suite(
        suite,
        config,
        runner,
        suite=cases.as_posix(),
        concurrency=endpoint.concurrency,
        selftest=not no_selftest,
        console=err_console,
    )
    if previous is not None and baseline is not None:
        # a subset (--case, or one case's path) leaves the other baseline cases out on purpose
        single = cases.is_file() or (cases / CASE_FILE).is_file()
        ran = {c.id for c in suite}
        left_out = {c.id for c in previous.cases} if single else {c.id for c in whole}
        run.comparison = compare(run, previous, config, baseline.as_posix(), not_selected=left_out - ran,
                                 allow_missing=allow_missing)
        mark_regressions(run)
    run.config = config.source
    out = out or default_out(cases)
    write_text_atomic(out / RESULTS_FILE, run.model_dump_json(indent=1) + "\n")
    write_text_atomic(out / REPORT_FILE, render_report(run, config, previous))
    show(run, out)
    if not run.passed:
        raise typer.Exit(EXIT_FLAGGED)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
