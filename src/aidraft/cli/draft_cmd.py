"""``aidraft draft NOTES [--prior LAST_YEAR] -o report.docx``: the main job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from pydantic import SecretStr
from rich.markup import escape
from rich.status import Status

from aidraft.check.model import FLAGGED
from aidraft.cli.common import console, warn_if_unmasked
from aidraft.draft.output import output_paths, write_outputs
from aidraft.draft.pipeline import DraftResult, OfflineDrafter, SectionDrafter, resolve_inputs, run_draft
from aidraft.errors import ConfigError
from aidraft.ingest.notes import read_notes
from aidraft.parse.structure import parse_file
from aidraft.settings import Settings

if TYPE_CHECKING:
    from aidraft.draft.llm_drafter import Progress


def make_drafter(settings: Settings, *, progress: Callable[[Progress], None] | None = None) -> SectionDrafter:
    """The offline drafter unless an endpoint is configured; then the LLM drafter over it
    (``progress`` hears about each finished step; the offline drafter is too quick to need it)."""
    if not settings.uses_model:
        return OfflineDrafter()
    from aidraft.draft.llm_drafter import LLMDrafter
    from aidraft.llm.factory import make_chat_model

    model = make_chat_model(settings)
    assert model is not None
    return LLMDrafter(model, settings, progress=progress)


def show_progress(status: Status) -> Callable[[Progress], None]:
    """One line per finished step above the spinner: which section, which backend, what happened."""

    def report(step: Progress) -> None:
        detail = f" [yellow]({escape(step.detail)})[/]" if step.detail else ""
        console.print(f"  [{step.done}/{step.total}] {escape(step.title)} — {step.backend}{detail}")
        status.update(f"drafting… {step.done}/{step.total} {step.stage}s done")

    return report


def summarise(result: DraftResult, paths_docx: Path) -> None:
    flagged = [f for f in result.check.figures if f.status in FLAGGED]
    console.print(f"[bold]wrote[/] {paths_docx} (+ .md, .check.json)")
    for section in result.sections:
        mark = "" if section.backend == result.run.backend else f" [yellow]({section.backend}: {section.note})[/]"
        console.print(f"  {section.title}{mark}")
    console.print(
        f"figures {result.check.summary.figures}, flagged {len(flagged)} (marked 【待核实】), "
        f"arithmetic {result.check.summary.arithmetic}, lint {len(result.lint.findings)}; "
        f"backend {result.run.backend}, model calls {result.run.model_calls} "
        f"({result.run.cached_calls} cached), tokens {result.run.prompt_tokens}+{result.run.completion_tokens}, "
        f"{result.run.seconds:.1f}s"
    )
    if result.run.privacy is not None:
        console.print(f"privacy: {escape(result.run.privacy.line())}")
    for event in result.run.events:
        console.print(f"[yellow]note:[/] {escape(event)}")
    colours = {"done": "green", "partly": "yellow", "repeated": "yellow", "unanswered": "red"}
    for item in result.plans_followup:
        evidence = "、".join(e.note_id for e in item.evidence)
        console.print(f"[{colours[item.status]}]last year's plan {item.status}:[/] {escape(item.promise)} "
                      f"({item.prior_file}:{item.line}) — {escape(item.reason)}"
                      + (f" [dim]evidence {evidence}[/]" if evidence else ""))


def draft(
    notes: Path = typer.Argument(..., help="Notes: Markdown bullets (optional YAML front matter), .txt or .docx."),
    out: Path = typer.Option(Path("report.docx"), "--out", "-o", help="Output .docx (a .md and .check.json go beside it)."),
    prior: list[Path] = typer.Option([], "--prior", "-p", help="Last year's report (.docx/.txt/.md)."),
    office: str | None = typer.Option(None, "--office", help="Office name, e.g. 青溪县信访局."),
    year: int | None = typer.Option(None, "--year", help="The year the report covers."),
    backend: str | None = typer.Option(None, "--backend", help="offline (default) or openai."),
    preset: str | None = typer.Option(None, "--preset", help="deepseek, qwen, glm, moonshot, openai, vllm, ollama, llamacpp."),
    base_url: str | None = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint URL."),
    model: str | None = typer.Option(None, "--model", help="Model name at the endpoint."),
    api_key: str | None = typer.Option(None, "--api-key", help="API key (prefer the environment variable)."),
    concurrency: int | None = typer.Option(None, "--concurrency", help="Sections written at once."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the response cache."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: answers already in "
                                "the cache are not requested again (the cache is on unless --no-cache)."),
    no_mask: bool = typer.Option(False, "--no-mask", help="Send personal data (names, ID and phone numbers) "
                                 "to a remote endpoint unmasked. Not recommended."),
    max_repair_rounds: int | None = typer.Option(None, "--max-repair-rounds",
                                                 help="Times a section's unsupported figures go back to the model."),
) -> None:
    """Write the first draft of the annual report from NOTES."""
    if resume and no_cache:
        raise ConfigError("--resume needs the response cache", hint="drop --no-cache")
    settings = Settings.from_cli(
        backend=backend, preset=preset, base_url=base_url, model=model,
        api_key=SecretStr(api_key) if api_key else None, concurrency=concurrency,
        use_cache=False if no_cache else None, mask_personal_data=False if no_mask else None,
        max_repair_rounds=max_repair_rounds,
    )
    warn_if_unmasked(settings)
    if resume and settings.uses_model:
        console.print(f"resuming: answers cached in {settings.cache_dir} are not requested again")
    output_paths(out)  # fail on a bad output name before any work
    parsed_notes = read_notes(notes)
    priors = [parse_file(p) for p in prior]
    inputs = resolve_inputs(parsed_notes, priors, office, year)
    with console.status("drafting…") as status:
        drafter = make_drafter(settings, progress=show_progress(status))
        result = run_draft(inputs, drafter, path=str(out))
    paths = write_outputs(result, out)
    summarise(result, paths.docx)


def register(app: typer.Typer) -> None:
    app.command("draft")(draft)
