"""Routes for outline sign-off on the web page: "先看提纲" on the draft form shows the outline
``aidraft plan`` would write as a form; "按提纲起草" writes from the edited outline unchanged.

The outline is made at once (planning is offline and quick) and kept, with the decoded inputs,
as a finished job of kind ``outline``: the clerk can edit and resubmit it until it expires, and
nothing is uploaded twice. Writing starts an ordinary draft job with the signed-off plan.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from aidraft.draft.pipeline import outline
from aidraft.draft.plan import DraftPlan
from aidraft.errors import AidraftError
from aidraft.messages import DOC_LANG
from aidraft.web.errors import refusal_headers, refusal_status
from aidraft.web.jobs import Job
from aidraft.web.outline_form import OutlineSession, form_values, plan_from_form, slots, start_session
from aidraft.web.pages import Files, FormValues, OneFile, _keep, _store, draft_inputs, draft_refused
from aidraft.web.render import page
from aidraft.web.runners import run_draft_job

router = APIRouter()


@router.post("/draft/outline")
def outline_submit(request: Request, notes_file: OneFile = None, notes_text: Annotated[str, Form()] = "",
                   prior_file: Files = None, office: Annotated[str, Form()] = "", year: Annotated[str, Form()] = "",
                   backend: Annotated[str, Form()] = "offline") -> Response:
    """The draft form's "先看提纲": the same inputs as "开始起草", answered with the outline page."""
    store = _store(request)
    try:
        with store.intake("outline") as job:
            notes, priors, year_value = draft_inputs(request, job, notes_file, notes_text, prior_file, year, backend)
            session = start_session(notes, priors, office.strip() or None, year_value, backend)
    except AidraftError as exc:
        return draft_refused(request, exc, notes_text, office, year)
    _keep(job, FormValues(notes_text=notes.text, office=office, year=year))
    job.submitted = True  # finished at once: it holds no worker, and expires like any finished job
    job.finish(session)
    return RedirectResponse(f"/outline/{job.id}", status_code=303)


@router.get("/outline/{job_id}")
def outline_page(request: Request, job_id: str) -> Response:
    job, session = _session(request, job_id)
    return _show(request, job, session, form_values(session.outline))


@router.post("/outline/{job_id}")
async def outline_write(request: Request, job_id: str) -> Response:
    """"按提纲起草": the edited outline, validated as ``draft --plan`` validates a file, then a
    draft job that writes from it unchanged. A bad edit is one line above the form, edits kept."""
    job, session = _session(request, job_id)
    store, settings = _store(request), request.app.state.settings
    form = await request.form(max_part_size=request.app.state.config.max_file_bytes)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        plan = await run_in_threadpool(_signed_off, session, values)
        draft = store.create("draft")
    except AidraftError as exc:
        status = refusal_status(exc)
        response = _show(request, job, session, values, error=exc.one_line(DOC_LANG), status_code=status)
        response.headers.update(refusal_headers(status))
        return response
    _keep(draft, FormValues(notes_text=session.notes.text, office=session.office or "",
                            year=str(session.year or "")))
    store.submit(draft, lambda j: run_draft_job(j, session.notes, session.priors, session.office, session.year,
                                                session.backend, settings, plan=plan))
    return RedirectResponse(f"/jobs/{draft.id}", status_code=303)


def _signed_off(session: OutlineSession, values: dict[str, str]) -> DraftPlan:
    _, ledger, _ = outline(session.inputs())
    return plan_from_form(session, values, ledger)


def _session(request: Request, job_id: str) -> tuple[Job, OutlineSession]:
    job = _store(request).get(job_id)
    if job is None or job.kind != "outline" or not isinstance(job.result, OutlineSession):
        raise HTTPException(404)
    return job, job.result


def _show(request: Request, job: Job, session: OutlineSession, values: dict[str, str], *,
          error: str | None = None, status_code: int = 200) -> Response:
    return page(request, "outline.html", {"nav": "draft", "job": job, "outline": session.outline,
                                          "slots": slots(session.outline), "values": values, "error": error},
                status_code=status_code)
