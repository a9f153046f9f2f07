"""``aidraft digest REPORTS_OR_FOLDER... -o digest.docx [--ledger figures.csv]``: many reports → one.

Exit codes: 0 when the digest was written (skipped files are listed, they do not fail the run);
2 when no report could be read at all, or on a bad option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from aidraft.check.model import FLAGGED
from aidraft.cli.common import EXIT_FLAGGED, console, warn, warn_if_unmasked
from aidraft.cli.endpoint import EndpointOptions, endpoint_options
from aidraft.digest.inputs import collect
from aidraft.digest.ledger import LedgerWriter
from aidraft.digest.model import DigestResult
from aidraft.digest.offices import read_office_table
from aidraft.digest.output import DigestPaths, output_paths, write_outputs
from aidraft.digest.pipeline import digest_paths
from aidraft.files import refuse_overwriting_inputs
from aidraft.messages import text

MAX_LISTED = 20
STAGES = ("read", "map", "reduce")  # the progress bar's stages, labelled web.digest.stage.<stage>


def summarise(result: DigestResult, paths: DigestPaths) -> None:
    flagged = [f for f in result.check.figures if f.status in FLAGGED]
    console.print(f"[bold]{escape(text('cli.digest.wrote', docx=paths.docx, ledger=paths.ledger))}[/]")
    run = result.run
    console.print(escape(text(
        "cli.digest.summary", reports=len(result.reports), skipped=len(result.skipped), rows=run.ledger_rows,
        totals=len(result.totals), rates=len(result.rates), figures=result.check.summary.figures,
        flagged=len(flagged), backend=run.backend, calls=run.model_calls, cached=run.cached_calls,
        resumed=run.resumed_maps, seconds=f"{run.seconds:.1f}")))
    unnamed = [r for r in result.reports if r.named_by != "report"]
    for ref in unnamed[:MAX_LISTED]:  # names from the text, the table or none: say which file is which
        line = text("cli.digest.named_line", label=ref.label, file=ref.file, how=text(f"cli.digest.named_by.{ref.named_by}"))
        console.print(f"  [dim]{escape(line)}[/]")
    if len(unnamed) > MAX_LISTED:
        console.print(f"  [dim]{escape(text('cli.digest.record', path=paths.record))}[/]")
    if any(r.named_by == "missing" for r in result.reports):
        console.print(f"[yellow]{escape(text('cli.warning'))}[/] {escape(text('cli.digest.unnamed'))}")
    warn(text("cli.warning"), [other.reason.render() for other in result.left_out])
    warn(text("cli.digest.skipped"), [skipped.line().render() for skipped in result.skipped])
    warn(text("cli.note"), run.events)
    warn(text("cli.digest.dropped"), result.dropped)
    if run.failed_maps:  # as a draft whose sections fell back: never a silent success
        console.print(f"[yellow]{escape(text('cli.digest.map_failures', count=run.failed_maps, total=len(result.reports)))}[/]")


def _run(reports: list[str], outputs: list[Path], ledger: LedgerWriter, paths: DigestPaths,
         **options: Any) -> DigestResult:
    """The digest under a progress bar: only on a terminal, since elsewhere (a pipe, a log, a
    test) rich ends even a transient bar with a blank line on stdout, before the summary or an error."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = text(f"web.digest.stage.{stage}") if stage in STAGES else stage
                tasks[stage] = bar.add_task(escape(label), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return digest_paths(reports, exclude=outputs, ledger=ledger, path=str(paths.markdown), progress=progress,
                            **options)


@endpoint_options(concurrency_help="Reports summarised at once")
def digest(
    reports: list[str] = typer.Argument(..., help="Report files (.docx/.txt/.md), folders, or glob patterns."),
    out: Path = typer.Option(Path("digest.docx"), "--out", "-o", help="Output .docx (a .md and .json go beside it)."),
    ledger: Path | None = typer.Option(None, "--ledger", "-l",
                                       help="Figure ledger, .csv or .xlsx (default: <out>.ledger.csv)."),
    title: str | None = typer.Option(None, "--title", help="Title of the digest."),
    year: int | None = typer.Option(None, "--year", help="Year to digest (default: the year most reports cover); "
                                    "reports of other years are left out with a warning."),
    mixed_years: bool = typer.Option(False, "--mixed-years", help="Keep reports of other years, labelled in the text."),
    offices: Path | None = typer.Option(None, "--offices", help="CSV naming the office of reports that do not name "
                                        "themselves: 文件,单位,级别 (file, office, 县/区/市)."),
    *,
    endpoint: EndpointOptions,
) -> None:
    """Digest many offices' reports into one overview, with a ledger of every figure."""
    settings = endpoint.settings()
    warn_if_unmasked(settings)
    if settings.uses_model:
        settings.resolve_endpoint()  # a missing key fails now, not after reading every report
    paths = output_paths(out, ledger)  # fail on a bad output name before any work
    outputs = [paths.docx, paths.markdown, paths.record, paths.ledger]
    # Every input is safe from every output: a file named outright, the offices table, and each
    # report a folder or pattern finds. A file found there is last run's digest (not an input)
    # only where a digest record beside it names it (digest.inputs.EarlierDigests); a .json that
    # merely shares its name proves nothing, and the report stays a report.
    named = [Path(r) for r in reports if Path(r).is_file()]
    refuse_overwriting_inputs(outputs, [*named, *collect(reports).files, *([offices] if offices is not None else [])])
    table = read_office_table(offices) if offices is not None else None
    # The ledger streams into a temporary beside it and is replaced together with the digest's
    # files (one set), so a failed run leaves every earlier output as it was.
    with LedgerWriter(paths.ledger, publish=False) as ledger_file:
        result = _run(reports, outputs, ledger_file, paths, settings=settings, title=title, year=year,
                      mixed_years=mixed_years, offices=table)
        write_outputs(result, paths, ledger_file)
    summarise(result, paths)
    if result.run.failed_maps:
        raise typer.Exit(EXIT_FLAGGED)


def register(app: typer.Typer) -> None:
    app.command("digest")(digest)
