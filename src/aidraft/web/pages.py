"""Routes for drafting and checking, and the job pages both lead to.

POST handlers store and decode the uploads at once (so a wrong file is refused on the form,
with the reader's one-line reason), then start the job and redirect to its page: reloading a
result page never resubmits anything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from aidraft.errors import AidraftError, InputError
from aidraft.ingest.read import NamedText
from aidraft.messages import DOC_LANG, msg, text
from aidraft.web.errors import refuse
from aidraft.web.highlight import flagged_figures, render_lines, status_counts
from aidraft.web.intake import take_many, take_one
from aidraft.web.jobs import Job, JobStore
from aidraft.web.render import page
from aidraft.web.runners import ReportView, run_check_job, run_draft_job

router = APIRouter()

Files = Annotated[list[UploadFile | str] | None, File()]  # an empty file input arrives as ""
OneFile = Annotated[UploadFile | str | None, File()]


def _store(request: Request) -> JobStore:
    return request.app.state.store  # type: ignore[no-any-return]


class FormValues(BaseModel):
    """What the clerk typed or pasted, kept with the job so that "返回重新提交" after a failed job
    brings the form back filled in (an uploaded file comes back as its decoded text). Held in
    memory, not in the job folder: a failed job's folder is deleted at once."""

    model_config = ConfigDict(extra="forbid")

    notes_text: str = ""
    draft_text: str = ""
    office: str = ""
    year: str = ""


def _keep(job: Job, values: FormValues) -> None:
    job.kept = values.model_dump_json()


def _kept(request: Request, job_id: str | None) -> FormValues:
    job = _store(request).get(job_id) if job_id else None
    if job is None or job.kept is None:
        return FormValues()
    return FormValues.model_validate_json(job.kept)


def _year(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise InputError(msg("input.bad_year", value=value), hint=msg("input.bad_year.hint"))
    return int(value)


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"


@router.get("/")
@router.get("/draft")
def draft_form(request: Request, again: str | None = None) -> Response:
    return page(request, "draft.html", {"nav": "draft", **_kept(request, again).model_dump()})


def draft_inputs(request: Request, job: Job, notes_file: UploadFile | str | None, notes_text: str,
                 prior_file: list[UploadFile | str] | None, year: str,
                 backend: str) -> tuple[NamedText, list[NamedText], int | None]:
    """The draft form's inputs, shared by "开始起草" and "先看提纲": notes, last year's reports, year."""
    if backend not in {b.value for b in request.app.state.backends if b.usable}:
        raise InputError(msg("input.backend_unavailable", backend=backend), hint=msg("input.backend_unavailable.hint"))
    config = request.app.state.config
    notes = take_one(notes_file, notes_text, "notes.md", "input.no_notes", job.workspace, config)
    return notes, take_many(prior_file, job.workspace, config), _year(year)


def draft_refused(request: Request, exc: AidraftError, notes_text: str, office: str, year: str) -> Response:
    """The draft form again, with the one-line reason and what the clerk typed."""
    return refuse(request, "draft.html", {"nav": "draft", "notes_text": notes_text, "office": office, "year": year},
                  exc)


@router.post("/draft")
def draft_submit(request: Request, notes_file: OneFile = None, notes_text: Annotated[str, Form()] = "",
                 prior_file: Files = None, office: Annotated[str, Form()] = "", year: Annotated[str, Form()] = "",
                 backend: Annotated[str, Form()] = "offline") -> Response:
    store = _store(request)
    try:
        with store.intake("draft") as job:
            notes, priors, year_value = draft_inputs(request, job, notes_file, notes_text, prior_file, year, backend)
    except AidraftError as exc:
        return draft_refused(request, exc, notes_text, office, year)
    _keep(job, FormValues(notes_text=notes.text, office=office, year=year))
    settings = request.app.state.settings
    store.submit(job, lambda j: run_draft_job(j, notes, priors, office.strip() or None, year_value, backend,
                                              settings))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/check")
def check_form(request: Request, again: str | None = None) -> Response:
    return page(request, "check.html", {"nav": "check", **_kept(request, again).model_dump()})


@router.post("/check")
def check_submit(request: Request, draft_file: OneFile = None, draft_text: Annotated[str, Form()] = "",
                 notes_file: Files = None, notes_text: Annotated[str, Form()] = "",
                 prior_file: Files = None) -> Response:
    store = _store(request)
    config = request.app.state.config
    try:
        with store.intake("check") as job:
            draft = take_one(draft_file, draft_text, "draft.txt", "input.no_draft", job.workspace, config)
            notes = take_many(notes_file, job.workspace, config)
            if notes_text.strip():
                notes.append(take_one(None, notes_text, "notes.md", "input.no_notes", job.workspace, config))
            priors = take_many(prior_file, job.workspace, config)
    except AidraftError as exc:
        return refuse(request, "check.html", {"nav": "check", "draft_text": draft_text, "notes_text": notes_text}, exc)
    _keep(job, FormValues(draft_text=draft.text, notes_text=notes_text))
    store.submit(job, lambda j: run_check_job(j, draft, notes, priors))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _job(request: Request, job_id: str) -> Job:
    job = _store(request).get(job_id)
    if job is None:
        raise HTTPException(404)
    return job


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    """Progress while running; the result (or the one-line failure) once finished."""
    job = _job(request, job_id)
    if job.kind == "outline":  # an outline is edited on its own page (outline_routes)
        return RedirectResponse(f"/outline/{job.id}", status_code=303)
    if job.state in ("queued", "running"):
        return page(request, "progress.html", {"nav": job.kind, "job": job, "steps": job.steps})
    if job.state == "failed":
        return page(request, "failed.html", {"nav": job.kind, "job": job, "steps": job.steps}, status_code=422)
    if job.kind == "digest":
        result = job.result.result
        lines = render_lines(result.document.text, result.check, (), result.document)
        return page(request, "digest_result.html", {"nav": "digest", "job": job, "view": job.result, "lines": lines,
                                                    "counts": status_counts(result.check)})
    view: ReportView = job.result
    lines = render_lines(view.document.text, view.check, view.lint.findings, view.document)
    return page(request, "result.html", {
        "nav": job.kind, "job": job, "view": view, "lines": lines, "counts": status_counts(view.check),
        "flagged": flagged_figures(view.check),
    })


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: str) -> JSONResponse:
    """What the progress page polls; a job gone (expired, or never there) is a JSON line too,
    so the poller can say so in words rather than show a bare status code."""
    job = _store(request).get(job_id)
    if job is None:
        return JSONResponse({"state": "gone", "error": text("web.job_gone", DOC_LANG)}, status_code=404)
    return JSONResponse({**job.snapshot(), "url": f"/jobs/{job.id}"})


@router.get("/jobs/{job_id}/download/{key}")
def download(request: Request, job_id: str, key: str) -> FileResponse:
    """A file the job wrote; ``key`` picks from the job's own list, never a path."""
    job = _job(request, job_id)
    item = job.downloads.get(key) if job.state == "done" else None
    if item is None or not item.path.is_file():
        raise HTTPException(404)
    return FileResponse(item.path, media_type=item.media_type, filename=item.filename)
