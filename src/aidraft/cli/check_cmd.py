"""``aidraft check DRAFT --notes NOTES --prior PRIOR``: every figure of a draft and where it comes from."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from aidraft.check.model import FLAGGED, CheckReport, FigureStatus
from aidraft.check.placement import check_placement
from aidraft.check.run import check_text, named
from aidraft.check.sources import NamedText
from aidraft.cli.common import EXIT_FLAGGED, console, emit_json
from aidraft.ingest.notes import parse_notes
from aidraft.ingest.read import read_text
from aidraft.ledger import build_ledger
from aidraft.parse.structure import parse_text

STATUS_STYLE = {
    FigureStatus.supported: "green",
    FigureStatus.rounded: "green",
    FigureStatus.derived: "cyan",
    FigureStatus.unsupported: "bold red",
    FigureStatus.contradicted: "bold red",
    FigureStatus.stale: "bold yellow",
    FigureStatus.unchecked: "dim",
    FigureStatus.misplaced: "bold magenta",
}


def render(report: CheckReport) -> None:
    """A table a person reads: flagged figures first draw the eye through colour, not order."""
    table = Table(title=f"{report.draft}: {report.summary.figures} figures", show_lines=False)
    for col in ("line", "figure", "status", "source / note"):
        table.add_column(col, overflow="fold")
    for fig in report.figures:
        where = f"{fig.source.file}:{fig.source.line} {fig.source.text}" if fig.source else ""
        detail = " ".join(x for x in (where, fig.note or "") if x)
        style = STATUS_STYLE[fig.status]
        table.add_row(str(fig.line), fig.text, f"[{style}]{fig.status.value}[/]", detail)
    console.print(table)
    for finding in report.arithmetic:
        console.print(f"[bold red]arithmetic[/] line {finding.line}: {finding.message}")
    for moved in report.misplaced_sentences:
        console.print(f"[bold magenta]misplaced[/] line {moved.line} ({moved.section}): {moved.text} "
                      f"— note {moved.note_id} (line {moved.note_line}) belongs in {moved.note_section}")
    counts = ", ".join(f"{k} {v}" for k, v in report.summary.by_status.items())
    flagged = sum(1 for f in report.figures if f.status in FLAGGED)
    console.print(f"{counts}; flagged {flagged}, arithmetic {report.summary.arithmetic}")
    if not report.notes:
        console.print("[dim]no --notes given: only the arithmetic was checked[/]")


def check(
    draft: Path = typer.Argument(..., help="The report to check (.txt, .md or .docx)."),
    notes: list[Path] = typer.Option([], "--notes", "-n", help="Notes or any source text (repeatable)."),
    prior: list[Path] = typer.Option([], "--prior", "-p", help="Last year's report (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """List every figure in DRAFT with its status and source. Exit 1 when something is flagged."""
    draft_text = named(draft, read_text(draft))
    sources = [named(p, read_text(p)) for p in notes]
    report = check_text(draft_text, sources, [named(p, read_text(p)) for p in prior])
    report = placed(report, draft_text, sources)
    if as_json:
        emit_json(report)
    else:
        render(report)
    if report.flagged:
        raise typer.Exit(EXIT_FLAGGED)


def placed(report: CheckReport, draft: NamedText, sources: list[NamedText]) -> CheckReport:
    """Figures and sentences stating a note outside the section it belongs to → misplaced."""
    document = parse_text(draft.text, draft.path)
    for source in sources:
        report = check_placement(report, document, build_ledger(parse_notes(source.text, source.path)))
    return report


def register(app: typer.Typer) -> None:
    app.command("check")(check)
