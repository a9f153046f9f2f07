"""``aidraft draft NOTES [--prior LAST_YEAR] -o report.docx``: the main job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.status import Status

from aidraft.check.model import FLAGGED
from aidraft.cli.common import EXIT_FLAGGED, console, warn, warn_if_unmasked
from aidraft.cli.endpoint import EndpointOptions, endpoint_options
from aidraft.draft.factory import make_drafter
from aidraft.draft.outline import read_outline
from aidraft.draft.output import output_paths, write_outputs
from aidraft.draft.pipeline import DraftResult, resolve_inputs, run_draft
from aidraft.draft.prior import prior_mismatch
from aidraft.draft.write_offline import WrittenSection
from aidraft.errors import ConfigError
from aidraft.files import refuse_overwriting_inputs
from aidraft.ledger import build_ledger
from aidraft.messages import msg, text
from aidraft.parse.notes import read_notes
from aidraft.parse.structure import parse_file

if TYPE_CHECKING:
    from aidraft.draft.llm_drafter import Progress


def show_progress(status: Status) -> Callable[[Progress], None]:
    """One line per finished step above the spinner: which section, which backend, what happened."""

    def report(step: Progress) -> None:
        detail = f" [yellow]{escape(text('cli.aside', text=step.detail))}[/]" if step.detail else ""
        key = "cli.provenance.fallback" if step.fallback else f"cli.provenance.{step.backend}"
        console.print(f"  [{step.done}/{step.total}] {escape(step.title)} — {escape(text(key))}{detail}")
        status.update(text("cli.draft.progress", done=step.done, total=step.total, stage=step.stage))

    return report


def provenance_line(section: WrittenSection) -> str:
    """Who wrote a section, in the summary's words: model / model after repair / offline (why)."""
    words = {"model": f"[green]{text('cli.provenance.model')}[/]",
             "repaired": f"[yellow]{text('cli.provenance.repaired')}[/]",
             "offline": f"[red]{text('cli.provenance.fallback')}[/]" if section.fallback
             else text("cli.provenance.offline")}
    return words[section.provenance] + (f" [dim]{escape(text('cli.aside', text=section.note))}[/]"
                                        if section.note else "")


def fallback_sections(result: DraftResult) -> list[WrittenSection]:
    """Sections a model was asked for and could not write: never a silent success."""
    return [s for s in result.sections if s.fallback]


def summarise(result: DraftResult, paths_docx: Path) -> None:
    flagged = [f for f in result.check.figures if f.status in FLAGGED]
    console.print(f"[bold]{escape(text('cli.draft.wrote', path=paths_docx))}[/]")
    for section in result.sections:
        console.print(f"  {escape(section.title)} — {provenance_line(section)}")
    if fallbacks := fallback_sections(result):
        console.print(f"[bold red]{escape(text('cli.draft.fallbacks', count=len(fallbacks), total=len(result.sections)))}[/] "
                      f"{escape('、'.join(s.title for s in fallbacks))}")
    run = result.run
    console.print(escape(text(
        "cli.draft.summary", figures=result.check.summary.figures, flagged=len(flagged),
        arithmetic=result.check.summary.arithmetic, lint=len(result.lint.findings), backend=run.backend,
        calls=run.model_calls, cached=run.cached_calls, prompt=run.prompt_tokens, completion=run.completion_tokens,
        seconds=f"{run.seconds:.1f}")))
    if run.privacy is not None:
        console.print(f"{escape(text('cli.privacy'))} {escape(run.privacy.line())}")
    warn(text("cli.note"), run.events)
    for finding in run.review:
        done = f" [green]{escape(text('cli.draft.removed'))}[/]" if finding.fixed else ""
        label = text("cli.draft.review", kind=finding.kind, source=finding.source)
        console.print(f"[yellow]{escape(label)}[/] {escape(finding.section)}: "
                      f"{escape(finding.text[:60])} {escape(finding.detail)}{done}")
    for target in result.ledger.targets if result.ledger is not None else []:
        colour = "green" if target.met else "yellow"
        label = text("cli.draft.target.met" if target.met else "cli.draft.target.not_met")
        console.print(f"[{colour}]{escape(label)}[/] {escape(target.reason)} "
                      f"[dim]({target.target_id} → {target.actual_id})[/]")
    colours = {"done": "green", "partly": "yellow", "repeated": "yellow", "unanswered": "red"}
    for item in result.plans_followup:
        evidence = "、".join(e.note_id for e in item.evidence)
        label = text(f"cli.draft.followup.{item.status}")
        console.print(f"[{colours[item.status]}]{escape(label)}[/] {escape(item.promise)} "
                      f"({item.prior_file}:{item.line}) — {escape(item.reason)}"
                      + (f" [dim]{escape(text('cli.draft.evidence', notes=evidence))}[/]" if evidence else ""))


@endpoint_options(concurrency_help="Sections written at once")
def draft(
    notes: Path = typer.Argument(..., help="Notes: Markdown bullets (optional YAML front matter), .txt or .docx."),
    out: Path = typer.Option(Path("report.docx"), "--out", "-o", help="Output .docx (a .md and .check.json go beside it)."),
    prior: list[Path] = typer.Option([], "--prior", "-p", help="Last year's report (.docx/.txt/.md)."),
    office: str | None = typer.Option(None, "--office", help="Office name, e.g. 青溪县信访局."),
    year: int | None = typer.Option(None, "--year", help="The year the report covers."),
    no_review: bool = typer.Option(False, "--no-review", help="Skip the whole-report review pass (model, then "
                                   "code: repetition across sections, headings, jotting, leaked prompt text)."),
    plan: Path | None = typer.Option(None, "--plan", help="An outline from `aidraft plan` (edited or not): "
                                     "sections, headings and note placement are taken from it unchanged."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: answers already in "
                                "the cache are not requested again (the cache is on unless --no-cache)."),
    max_repair_rounds: int | None = typer.Option(None, "--max-repair-rounds", min=0, max=1,
                                                 help="Re-asks of a section whose answer fails the checks "
                                                      "(1, the default, or 0)."),
    *,
    endpoint: EndpointOptions,
) -> None:
    """Write the first draft of the annual report from NOTES."""
    if resume and endpoint.no_cache:
        raise ConfigError(msg("cli.draft.resume_no_cache"), hint=msg("cli.draft.resume_no_cache.hint"))
    settings = endpoint.settings(max_repair_rounds=max_repair_rounds, review=False if no_review else None)
    warn_if_unmasked(settings)
    if resume and settings.uses_model:
        console.print(escape(text("cli.draft.resuming", dir=settings.cache_dir)))
    paths = output_paths(out)  # fail on a bad output name before any work
    refuse_overwriting_inputs([paths.docx, paths.markdown, paths.check], [notes, *prior])
    parsed_notes = read_notes(notes)
    priors = [parse_file(p) for p in prior]
    inputs = resolve_inputs(parsed_notes, priors, office, year)
    warn(text("cli.note"), [m.render() for p in priors if (m := prior_mismatch(p, inputs.office, inputs.year))])
    edited, warnings = read_outline(plan, build_ledger(inputs.notes, year=inputs.year)) if plan else (None, [])
    for warning in warnings:
        console.print(f"[yellow]{escape(text('cli.note'))}[/] {escape(warning)}")
    with console.status(text("cli.draft.spinner")) as status:
        drafter = make_drafter(settings, progress=show_progress(status))
        result = run_draft(inputs, drafter, path=str(out), plan=edited)
    paths = write_outputs(result, out)
    summarise(result, paths.docx)
    if fallback_sections(result):
        raise typer.Exit(EXIT_FLAGGED)


def register(app: typer.Typer) -> None:
    app.command("draft")(draft)
