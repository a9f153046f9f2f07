"""``aidraft check DRAFT --notes NOTES [-o checked.docx]``: every figure of a draft and where it
comes from; with ``-o … .docx`` the user's own document back with each flagged figure
highlighted and a Word comment saying why."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from aidraft.check.model import CheckReport, FigureStatus
from aidraft.check.placement import check_placement
from aidraft.check.run import check_text, named
from aidraft.cli.common import EXIT_FLAGGED, console, emit_json, err_console, output_file
from aidraft.errors import AidraftError, OutputError
from aidraft.files import refuse_overwriting_inputs, write_bytes_atomic, write_text_atomic
from aidraft.ingest.read import DOCX_SUFFIXES, NamedText, read_text
from aidraft.ledger import build_ledger
from aidraft.messages import msg, text
from aidraft.parse.notes import parse_notes
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
OUTPUT_SUFFIXES = (".docx", ".json")


def render(report: CheckReport) -> None:
    """A table a person reads: flagged figures draw the eye through colour, not order."""
    table = Table(title=text("check.table_title", draft=report.draft, figures=report.summary.figures))
    for key in ("line", "figure", "status", "source"):
        table.add_column(text(f"check.col.{key}"), overflow="fold")
    for fig in report.figures:
        where = f"{fig.source.file}:{fig.source.line} {fig.source.text}" if fig.source else ""
        detail = " ".join(x for x in (where, fig.note or "") if x)
        style = STATUS_STYLE[fig.status]
        table.add_row(str(fig.line), escape(fig.text), f"[{style}]{text('status.' + fig.status.value)}[/]",
                      escape(detail))
    console.print(table)
    for finding in report.arithmetic:
        console.print(f"[bold red]{escape(text('check.arithmetic_line', line=finding.line, message=finding.message))}[/]")
    for moved in report.misplaced_sentences:
        console.print(f"[bold magenta]{escape(text('check.misplaced_line', line=moved.line, section=moved.section, sentence=moved.text, note=moved.note_id, note_line=moved.note_line, note_section=moved.note_section))}[/]")
    console.print(text("check.summary", figures=report.summary.figures, flagged=report.summary.flagged,
                       arithmetic=report.summary.arithmetic))


def check(
    draft: Path = typer.Argument(..., metavar="DRAFT", help="The report to check (.txt, .md or .docx)."),
    notes: list[Path] = typer.Option([], "--notes", "-n", metavar="NOTES",
                                     help="Notes or any source text (repeatable). Without it nothing is checked."),
    prior: list[Path] = typer.Option([], "--prior", "-p", metavar="PRIOR", help="Last year's report (repeatable)."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                       help="checked.docx: the draft with flagged figures highlighted and commented; "
                                            "or report.json."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    record: Path | None = typer.Option(None, "--record", metavar="DIGEST_JSON",
                                       help="A digest's digest.json: its table cells are checked on the report "
                                            "lines it names."),
) -> None:
    """List every figure in DRAFT with its status and source. Exit 1 when something is flagged
    or when no notes were given (then nothing was checked but the arithmetic)."""
    if output is not None:  # a bad or dangerous -o is refused before anything is read
        output_file(output, OUTPUT_SUFFIXES, "checked.docx")
        refuse_overwriting_inputs([output], [draft, *notes, *prior, *([record] if record is not None else [])])
    checked = named(draft, read_text(draft))
    sources = [named(p, read_text(p)) for p in notes]
    cells = None
    if record is not None:
        from aidraft.check.record import read_record  # five models a plain check never needs

        cells = read_record(record)
    report = check_text(checked, sources, [named(p, read_text(p)) for p in prior], record=cells)
    report = placed(report, checked, sources)
    if as_json:
        emit_json(report)
    else:
        render(report)
    if output is not None:
        write_output(output, draft, checked.text, report)
    if not notes:
        err_console.print(f"[bold yellow]aidraft:[/] {escape(text('check.nothing_checked'))}")
        raise typer.Exit(EXIT_FLAGGED)
    if report.flagged:
        raise typer.Exit(EXIT_FLAGGED)


def write_output(output: Path, draft: Path, draft_text: str, report: CheckReport) -> None:
    if output.suffix.lower() == ".json":
        write_text_atomic(output, report.model_dump_json(indent=2) + "\n")
        return
    from aidraft.export.checked_docx import checked_docx  # python-docx: only when a .docx is asked for

    source = draft.read_bytes() if draft.suffix.lower() in DOCX_SUFFIXES else None
    try:
        data, count = checked_docx(report, draft_text, source)
    except (AidraftError, RecursionError, MemoryError):
        raise
    except Exception as exc:  # a .docx python-docx reads but cannot save comments into:
        # whatever it raises, the user learns which file and what to do, never a library's words
        raise OutputError(msg("check.cannot_comment", path=output), hint=msg("check.cannot_comment.hint")) from exc
    write_bytes_atomic(output, data)
    err_console.print(escape(text("check.docx_written", path=output, count=count)))


def placed(report: CheckReport, draft: NamedText, sources: list[NamedText]) -> CheckReport:
    """Figures and sentences stating a note outside the section it belongs to → misplaced."""
    document = parse_text(draft.text, draft.path)
    for source in sources:
        report = check_placement(report, document, build_ledger(parse_notes(source.text, source.path)))
    return report


def register(app: typer.Typer) -> None:
    app.command("check")(check)
