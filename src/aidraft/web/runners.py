"""The work a draft or check job does, from stored uploads to the view the result page shows.

The draft reuses the CLI's pipeline unchanged (resolve_inputs, run_draft, write_outputs) so the
web page and ``aidraft draft`` produce identical files; only a thin drafter wrapper is added to
report each section as it is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from aidraft.check.model import CheckReport
from aidraft.check.run import check_text
from aidraft.draft.followup import PlanFollowup
from aidraft.draft.output import SectionRecord, write_outputs
from aidraft.draft.pipeline import (
    DraftInputs,
    OfflineDrafter,
    RunInfo,
    SectionDrafter,
    resolve_inputs,
    run_draft,
)
from aidraft.draft.plan import DraftPlan
from aidraft.draft.prior import PlanGap
from aidraft.draft.write_offline import WrittenSection
from aidraft.errors import ConfigError
from aidraft.export.checked_docx import checked_docx
from aidraft.files import write_bytes_atomic, write_text_atomic
from aidraft.ingest.read import DOCX_SUFFIXES, NamedText
from aidraft.lint.model import LintReport
from aidraft.lint.run import lint_document
from aidraft.messages import DOC_LANG, msg, text
from aidraft.parse.document import Document
from aidraft.parse.notes import parse_notes
from aidraft.parse.structure import parse_text
from aidraft.settings import Settings
from aidraft.web.jobs import Download, Job
from aidraft.web.uploads import safe_name

if TYPE_CHECKING:
    from aidraft.draft.llm_drafter import Progress

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MD_TYPE = "text/markdown; charset=utf-8"
JSON_TYPE = "application/json"


#: How the page names who wrote a section (model answers that passed first time say nothing).
PROVENANCE_KEYS = {"repaired": "page.result.provenance.repaired", "offline": "page.result.provenance.fallback"}


def step_label(key: str, **params: object) -> str:
    """A job step as the (Chinese) page shows it."""
    return text(f"web.step.{key}", DOC_LANG, **params)


class ReportView(BaseModel):
    """Everything the figure view shows, for a draft or for a checked report."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    title: str
    document: Document
    check: CheckReport
    lint: LintReport
    notes: list[str]
    prior: list[str]
    unanswered_plans: list[PlanGap] = Field(default_factory=list)
    plans_followup: list[PlanFollowup] = Field(default_factory=list)
    sections: list[SectionRecord] = Field(default_factory=list)
    run: RunInfo | None = None


class ProgressDrafter:
    """Wraps a drafter so the job shows planning, then each section as it is written.

    A drafter that reports its own progress (the LLM drafter, which writes sections
    concurrently) tells :meth:`heard` as each finishes; any other is handed one section at a
    time, which gives per-section progress without changing it.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.inner: SectionDrafter = OfflineDrafter()
        self.hooked = False
        self.name = self.inner.name
        self._keys: dict[str, str] = {}

    def wrap(self, inner: SectionDrafter, *, hooked: bool) -> ProgressDrafter:
        self.inner, self.hooked, self.name = inner, hooked, inner.name
        return self

    def heard(self, step: Progress) -> None:
        """The LLM drafter's callback: a section (or the plan) is finished."""
        if step.stage != "section":
            return
        key = self._keys.get(step.title)
        if key is not None:
            backend = step.backend
            said = (text(PROVENANCE_KEYS[backend], DOC_LANG) if backend in PROVENANCE_KEYS
                    else "" if backend in ("model", "llm") else backend)
            label = (step_label("section_said", title=step.title, said=said, detail=step.detail or "") if said
                     else step_label("section", title=step.title))
            self.job.step(key, label, state="done")

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan:
        self.job.step("plan", step_label("plan"))
        plan = self.inner.plan(inputs, base)
        self.job.step("plan", state="done")
        for i, section in enumerate(plan.sections):
            self._keys[section.title] = f"section-{i}"
            self.job.step(f"section-{i}", step_label("section", title=section.title), state="pending")
        return plan

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]:
        if self.hooked:
            for i in range(len(plan.sections)):
                self.job.step(f"section-{i}", exclusive=False)
            written = self.inner.write(inputs, plan)
        else:
            written = []
            for i, section in enumerate(plan.sections):
                self.job.step(f"section-{i}")
                written.extend(self.inner.write(inputs, plan.model_copy(update={"sections": [section]})))
                self.job.step(f"section-{i}", state="done")
        self.job.step("check", step_label("check_lint"))
        return written

    def run_info(self) -> RunInfo:
        return self.inner.run_info()


def pick_settings(backend: str, settings: Settings) -> Settings:
    """The server's settings for 'model', the same settings forced offline for 'offline'."""
    if backend == "offline":
        return settings.model_copy(update={"backend": "offline"})
    if not settings.uses_model:
        raise ConfigError(msg("web.no_model"), hint=msg("web.no_model.hint"))
    return settings


def pick_drafter(backend: str, settings: Settings, progress: ProgressDrafter) -> ProgressDrafter:
    """'offline' always works; 'model' needs an endpoint configured when the server started."""
    settings = pick_settings(backend, settings)
    if not settings.uses_model:
        return progress.wrap(OfflineDrafter(), hooked=False)
    from aidraft.draft.factory import make_drafter

    return progress.wrap(make_drafter(settings, progress=progress.heard), hooked=True)


def run_draft_job(job: Job, notes: NamedText, priors: list[NamedText], office: str | None, year: int | None,
                  backend: str, settings: Settings, plan: DraftPlan | None = None) -> ReportView:
    """Draft, write .docx/.md/.check.json into the job folder, and return the view. ``plan`` is
    the clerk's signed-off outline, written from unchanged (as ``aidraft draft --plan``)."""
    job.step("read", step_label("read"))
    parsed = parse_notes(notes.text, notes.path)
    prior_docs = [parse_text(p.text, p.path) for p in priors]
    inputs = resolve_inputs(parsed, prior_docs, office, year)
    drafter = pick_drafter(backend, settings, ProgressDrafter(job))
    stem = safe_name(f"{inputs.office}{inputs.year}年度法治政府建设情况报告.docx")
    out = job.workspace.root / "out" / stem
    out.parent.mkdir(exist_ok=True)
    result = run_draft(inputs, drafter, path=out.name, plan=plan)
    job.step("export", step_label("export"))
    paths = write_outputs(result, out)
    job.downloads = {
        "docx": Download(path=paths.docx, filename=paths.docx.name, media_type=DOCX_TYPE),
        "md": Download(path=paths.markdown, filename=paths.markdown.name, media_type=MD_TYPE),
        "check": Download(path=paths.check, filename=paths.check.name, media_type=JSON_TYPE),
    }
    return ReportView(
        kind="draft", title=result.document.title or stem, document=result.document, check=result.check,
        lint=result.lint, notes=[notes.path], prior=[p.path for p in priors],
        unanswered_plans=result.unanswered_plans, plans_followup=result.plans_followup,
        sections=[SectionRecord(kind=s.kind.value, title=s.title, backend=s.backend, note=s.note,
                                provenance=s.provenance, fallback=s.fallback) for s in result.sections],
        run=result.run,
    )


def run_check_job(job: Job, draft: NamedText, notes: list[NamedText], priors: list[NamedText]) -> ReportView:
    """Check a report written by hand: the same figure view, and its check JSON to download."""
    job.step("check", step_label("check"))
    report = check_text(draft, notes, priors)
    job.step("lint", step_label("lint"))
    document = parse_text(draft.text, draft.path)
    lint = lint_document(document)
    out = job.workspace.root / "out" / (safe_name(draft.path).rsplit(".", 1)[0] + ".check.json")
    out.parent.mkdir(exist_ok=True)
    write_text_atomic(out, report.model_dump_json(indent=2) + "\n")
    job.step("export", step_label("export_checked"))
    upload = job.workspace.root / "in" / draft.path
    source = upload.read_bytes() if upload.suffix.lower() in DOCX_SUFFIXES and upload.is_file() else None
    checked = out.with_name(out.name.removesuffix(".check.json") + "（核对批注）.docx")
    write_bytes_atomic(checked, checked_docx(report, draft.text, source)[0])
    job.downloads = {"check": Download(path=out, filename=out.name, media_type=JSON_TYPE),
                     "docx": Download(path=checked, filename=checked.name, media_type=DOCX_TYPE)}
    return ReportView(kind="check", title=document.title or draft.path, document=document, check=report,
                      lint=lint, notes=[n.path for n in notes], prior=[p.path for p in priors])
