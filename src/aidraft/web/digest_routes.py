"""Routes for the digest: upload many reports (or zips of them), then the job page shows it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from aidraft.digest.offices import OfficeEntry, OfficeTable
from aidraft.errors import AidraftError, InputError
from aidraft.messages import msg
from aidraft.parse.office import office_level
from aidraft.web.errors import refuse
from aidraft.web.intake import take_reports
from aidraft.web.render import page

router = APIRouter()
MAX_OFFICE = 60  # characters of an office name typed on the page


@router.get("/digest")
def digest_form(request: Request) -> Response:
    return page(request, "digest.html", {"nav": "digest"})


@router.post("/digest")
def digest_submit(request: Request, reports: Annotated[list[UploadFile | str] | None, File()] = None,
                  title: Annotated[str, Form()] = "", backend: Annotated[str, Form()] = "offline") -> Response:
    store = request.app.state.store
    try:
        with store.intake("digest") as job:
            if backend not in {b.value for b in request.app.state.backends if b.usable}:
                raise InputError(msg("input.backend_unavailable", backend=backend),
                                 hint=msg("input.backend_unavailable.hint"))
            paths, skipped = take_reports(reports, job.workspace, request.app.state.config)
    except AidraftError as exc:
        return refuse(request, "digest.html", {"nav": "digest", "title": title}, exc)
    from aidraft.web.digest_runner import run_digest_job

    settings = request.app.state.settings
    store.submit(job, lambda j: run_digest_job(j, paths, skipped, title.strip(), backend, settings))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/jobs/{job_id}/offices")
def digest_offices(request: Request, job_id: str, file: Annotated[list[str] | None, Form()] = None,
                   office: Annotated[list[str] | None, Form()] = None) -> Response:
    """Digest a finished job's reports again, with the office names the page asked for (one field
    per report that names none): a new job, so the first result stays as it was."""
    store = request.app.state.store
    old = store.get(job_id)
    if old is None or old.kind != "digest" or old.state != "done":
        raise HTTPException(status_code=404)
    view = old.result
    wanted = set(view.unnamed())
    entries = [OfficeEntry(file=f, name=n.strip()[:MAX_OFFICE], level=office_level(n.strip()))
               for f, n in zip(file or [], office or [], strict=False) if f in wanted and n.strip()]
    if not entries:
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)
    try:
        with store.intake("digest") as job:
            paths = [job.workspace.write(p.name, p.read_bytes()).path for p in view.inputs]
    except OSError:  # the first job's files are gone (expired): upload again
        raise HTTPException(status_code=410) from None
    from aidraft.web.digest_runner import run_digest_job

    settings = request.app.state.settings
    table = OfficeTable(entries)
    store.submit(job, lambda j: run_digest_job(j, paths, [], view.title, view.backend, settings, table))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
