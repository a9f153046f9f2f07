"""Routes for the digest: upload many reports (or zips of them), then the job page shows it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from aidraft.errors import AidraftError, InputError
from aidraft.messages import msg
from aidraft.web.render import page
from aidraft.web.intake import take_reports

router = APIRouter()


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
        return page(request, "digest.html", {"nav": "digest", "error": exc.one_line("zh"), "title": title},
                    status_code=400)
    from aidraft.web.digest_runner import run_digest_job

    settings = request.app.state.settings
    store.submit(job, lambda j: run_digest_job(j, paths, skipped, title.strip(), backend, settings))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
