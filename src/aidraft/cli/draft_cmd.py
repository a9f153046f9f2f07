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
from aidraft.files import refuse_overwriting_inputs
from aidraft.draft.outline import read_outline
from aidraft.draft.output import output_paths, write_outputs
from aidraft.draft.pipeline import DraftResult, resolve_inputs, run_draft
from aidraft.draft.write_offline import WrittenSection
from aidraft.errors import ConfigError
from aidraft.ledger import build_ledger
from aidraft.parse.notes import read_notes
from aidraft.parse.structure import parse_file

if TYPE_CHECKING:
    from aidraft.draft.llm_drafter import Progress


def show_progress(status: Status) -> Callable[[Progress], None]:
    """One line per finished step above the spinner: which section, which backend, what happened."""

    def report(step: Progress) -> None:
        detail = f" [yellow]({escape(step.detail)})[/]" if step.detail else ""
        console.print(f"  [{step.done}/{step.total}] {escape(step.title)} — {step.backend}{detail}")
        status.update(f"drafting… {step.done}/{step.total} {step.stage}s done")

    return report


def provenance_line(section: WrittenSection) -> str:
    """Who wrote a section, in the summary's words: model / model after repair / offline (why)."""
    words = {"model": "[green]model[/]", "repaired": "[yellow]model after repair[/]",
             "offline": "[red]offline (model failed)[/]" if section.fallback else "offline"}
    return words[section.provenance] + (f" [dim]({escape(section.note)})[/]" if section.note else "")


def fallback_sections(result: DraftResult) -> list[WrittenSection]:
    """Sections a model was asked for and could not write: never a silent success."""
    return [s for s in result.sections if s.fallback]


def summarise(result: DraftResult, paths_docx: Path) -> None:
    flagged = [f for f in result.check.figures if f.status in FLAGGED]
    console.print(f"[bold]wrote[/] {paths_docx} (+ .md, .check.json)")
    for section in result.sections:
        console.print(f"  {escape(section.title)} — {provenance_line(section)}")
    if fallbacks := fallback_sections(result):
        console.print(f"[bold red]the model could not write {len(fallbacks)} of {len(result.sections)} section(s); "
                      f"written offline from the notes:[/] {escape('、'.join(s.title for s in fallbacks))}")
    console.print(
        f"figures {result.check.summary.figures}, flagged {len(flagged)} (marked 【待核实】), "
        f"arithmetic {result.check.summary.arithmetic}, lint {len(result.lint.findings)}; "
        f"backend {result.run.backend}, model calls {result.run.model_calls} "
        f"({result.run.cached_calls} cached), tokens {result.run.prompt_tokens}+{result.run.completion_tokens}, "
        f"{result.run.seconds:.1f}s"
    )
    if result.run.privacy is not None:
        console.print(f"privacy: {escape(result.run.privacy.line())}")
    warn("note:", result.run.events)
    for finding in result.run.review:
        done = " [green](fixed)[/]" if finding.fixed else ""
        console.print(f"[yellow]review ({finding.kind}, {finding.source}):[/] {escape(finding.section)}: "
                      f"{escape(finding.text[:60])} {escape(finding.detail)}{done}")
    for target in result.ledger.targets if result.ledger is not None else []:
        colour = "green" if target.met else "yellow"
        console.print(f"[{colour}]target {'met' if target.met else 'not met'}:[/] {escape(target.reason)} "
                      f"[dim]({target.target_id} → {target.actual_id})[/]")
    colours = {"done": "green", "partly": "yellow", "repeated": "yellow", "unanswered": "red"}
    for item in result.plans_followup:
        evidence = "、".join(e.note_id for e in item.evidence)
        console.print(f"[{colours[item.status]}]last year's plan {item.status}:[/] {escape(item.promise)} "
                      f"({item.prior_file}:{item.line}) — {escape(item.reason)}"
                      + (f" [dim]evidence {evidence}[/]" if evidence else ""))


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
        raise ConfigError("--resume needs the response cache", hint="drop --no-cache")
    settings = endpoint.settings(max_repair_rounds=max_repair_rounds, review=False if no_review else None)
    warn_if_unmasked(settings)
    if resume and settings.uses_model:
        console.print(f"resuming: answers cached in {settings.cache_dir} are not requested again")
    paths = output_paths(out)  # fail on a bad output name before any work
    refuse_overwriting_inputs([paths.docx, paths.markdown, paths.check], [notes, *prior])
    parsed_notes = read_notes(notes)
    priors = [parse_file(p) for p in prior]
    inputs = resolve_inputs(parsed_notes, priors, office, year)
    edited, warnings = read_outline(plan, build_ledger(inputs.notes, year=inputs.year)) if plan else (None, [])
    for warning in warnings:
        console.print(f"[yellow]note:[/] {escape(warning)}")
    with console.status("drafting…") as status:
        drafter = make_drafter(settings, progress=show_progress(status))
        result = run_draft(inputs, drafter, path=str(out), plan=edited)
    paths = write_outputs(result, out)
    summarise(result, paths.docx)
    if fallback_sections(result):
        raise typer.Exit(EXIT_FLAGGED)


def register(app: typer.Typer) -> None:
    app.command("draft")(draft)
