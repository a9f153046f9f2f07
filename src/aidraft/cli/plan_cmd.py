"""``aidraft plan NOTES [--prior LAST_YEAR] -o plan.yaml``: the editable outline, for sign-off
before drafting (``aidraft draft NOTES --plan plan.yaml`` writes from it unchanged)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from aidraft.cli.common import console, output_file
from aidraft.draft.outline import render_outline, to_outline
from aidraft.draft.pipeline import outline, resolve_inputs
from aidraft.errors import OutputError
from aidraft.files import refuse_overwriting_inputs, write_text_atomic
from aidraft.messages import msg, text
from aidraft.parse.notes import read_notes
from aidraft.parse.structure import parse_file


def plan(
    notes: Path = typer.Argument(..., help="Notes: Markdown bullets (optional YAML front matter), .txt or .docx."),
    out: Path = typer.Option(Path("plan.yaml"), "--out", "-o", help="The outline to write (.yaml)."),
    prior: list[Path] = typer.Option([], "--prior", "-p", help="Last year's report (.docx/.txt/.md)."),
    office: str | None = typer.Option(None, "--office", help="Office name, e.g. 青溪县信访局."),
    year: int | None = typer.Option(None, "--year", help="The year the report covers."),
) -> None:
    """Write the report outline from NOTES: sections, headings, notes with their status, last year's promises."""
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError(msg("cli.plan.suffix", path=out), hint=msg("cli.plan.suffix.hint"))
    output_file(out, (".yaml", ".yml"), "plan.yaml")  # a folder, or a path through a file
    refuse_overwriting_inputs([out], [notes, *prior])  # before anything is read, as draft does
    inputs = resolve_inputs(read_notes(notes), [parse_file(p) for p in prior], office, year)
    base, ledger, followups = outline(inputs)
    write_text_atomic(out, render_outline(to_outline(base, ledger, followups, str(notes))))
    placed = sum(len(s.item_ids) for s in base.sections)
    console.print(escape(text("cli.plan.wrote", path=out, sections=len(base.sections), notes=placed,
                              promises=len(followups), command=f"aidraft draft {notes} --plan {out}")))


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
