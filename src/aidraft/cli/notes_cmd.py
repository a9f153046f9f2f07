"""``aidraft notes NOTES [--json]``: the notes ledger, so a clerk sees where every line will go
(and why) before drafting, and can fix a line's label or heading when the cue is wrong."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from aidraft.cli.common import console, emit_json
from aidraft.messages import text
from aidraft.parse.notes import read_notes
from aidraft.ledger import Ledger, build_ledger

STATUS_COLOUR = {"done": "green", "planned": "cyan", "problem": "red", "duty": "magenta", "context": "dim"}


def render_ledger(ledger: Ledger) -> Table:
    table = Table(title=escape(text("cli.notes.title", office=ledger.office or text("cli.notes.no_office"),
                                    year=text("cli.notes.year", year=ledger.year) if ledger.year else text("cli.notes.no_year"),
                                    items=len(ledger.items))), show_lines=False)
    for column in ("id", "status", "section", "line", "cue", "figures", "text"):
        table.add_column(text(f"cli.notes.col.{column}"), overflow="fold")
    for item in ledger.items:
        colour = STATUS_COLOUR[item.status.value]
        table.add_row(item.id, f"[{colour}]{item.status.value}[/]", item.section.value, str(item.line),
                      escape(item.cue.describe()), escape("、".join(f.text for f in item.figures)),
                      escape(item.text))
    return table


def register(app: typer.Typer) -> None:
    """Add the ``notes`` command to ``app``."""

    @app.command("notes")
    def notes(
        path: Path = typer.Argument(..., help="Notes: Markdown bullets, .txt jottings or .docx."),
        year: int | None = typer.Option(None, "--year", help="The year the notes cover (else from the notes)."),
        as_json: bool = typer.Option(False, "--json", help="Print the ledger as JSON."),
    ) -> None:
        """Show the notes ledger: every item's id, status, section, line and deciding cue."""
        ledger = build_ledger(read_notes(path), year=year)
        if as_json:
            emit_json(ledger)
        else:
            console.print(render_ledger(ledger))
            for target in ledger.targets:
                colour = "green" if target.met else "yellow"
                label = text("cli.draft.target.met" if target.met else "cli.draft.target.not_met")
                console.print(f"[{colour}]{escape(label)}[/] {escape(target.reason)} "
                              f"[dim]({target.target_id} → {target.actual_id})[/]")
