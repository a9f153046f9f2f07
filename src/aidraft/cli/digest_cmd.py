"""``aidraft digest REPORTS_OR_FOLDER... -o digest.docx [--ledger figures.csv]``: many reports → one.

Exit codes: 0 when the digest was written (skipped files are listed, they do not fail the run);
2 when no report could be read at all, or on a bad option.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from aidraft.check.model import FLAGGED
from aidraft.cli.common import console, warn, warn_if_unmasked
from aidraft.cli.endpoint import EndpointOptions, endpoint_options
from aidraft.files import refuse_overwriting_inputs
from aidraft.digest.model import DigestResult
from aidraft.digest.offices import read_office_table
from aidraft.digest.output import DigestPaths, output_paths, write_outputs
from aidraft.digest.pipeline import digest_paths

MAX_LISTED = 20
NAMED_BY = {"report": "named in the report", "text": "name found in the text", "offices": "from --offices",
            "missing": "not named"}
STAGES = {"read": "reading reports", "map": "summarising (model)", "reduce": "merging sections (model)"}


def summarise(result: DigestResult, paths: DigestPaths) -> None:
    flagged = [f for f in result.check.figures if f.status in FLAGGED]
    console.print(f"[bold]wrote[/] {escape(str(paths.docx))} (+ .md, .json) and ledger {escape(str(paths.ledger))}")
    console.print(
        f"reports {len(result.reports)}, skipped {len(result.skipped)}; ledger rows {result.run.ledger_rows}; "
        f"totals {len(result.totals)}, rates {len(result.rates)}; digest figures {result.check.summary.figures}, "
        f"flagged {len(flagged)}; backend {result.run.backend}, model calls {result.run.model_calls} "
        f"({result.run.cached_calls} cached, {result.run.resumed_maps} maps resumed), {result.run.seconds:.1f}s"
    )
    unnamed = [r for r in result.reports if r.named_by != "report"]
    for ref in unnamed[:MAX_LISTED]:  # names from the text, the table or none: say which file is which
        console.print(f"  [dim]{escape(ref.label)} = {escape(ref.file)} ({NAMED_BY[ref.named_by]})[/]")
    if len(unnamed) > MAX_LISTED:
        console.print(f"  [dim]… every name and its file: {escape(str(paths.record))}[/]")
    if any(r.named_by == "missing" for r in result.reports):
        console.print("[yellow]warning:[/] some offices are not named in their reports: give "
                      "--offices offices.csv (columns 文件,单位,级别)")
    warn("warning:", [other.reason for other in result.left_out])
    warn("skipped", [f"{skipped.file}: {skipped.reason}" for skipped in result.skipped])
    warn("note:", result.run.events)
    warn("left out (the checker flags it):", result.dropped)


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
    # a file named outright as input must not be an output (files found in folders are skipped instead)
    refuse_overwriting_inputs([paths.docx, paths.markdown, paths.record, paths.ledger],
                              [Path(r) for r in reports if Path(r).is_file()])
    table = read_office_table(offices) if offices is not None else None
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = digest_paths(reports, exclude=[paths.docx, paths.markdown, paths.record, paths.ledger],
                              settings=settings, title=title, ledger=paths.ledger, path=str(paths.markdown),
                              progress=progress, year=year, mixed_years=mixed_years, offices=table)
    write_outputs(result, paths)
    summarise(result, paths)


def register(app: typer.Typer) -> None:
    app.command("digest")(digest)
