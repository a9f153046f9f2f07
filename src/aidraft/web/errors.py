"""Every refusal the page shows, as one Chinese line from the catalogue with the right status.

Starlette and FastAPI raise their own errors (a form part past the parser's limit, a malformed
multipart body, a missing route, a field of the wrong type) with English details; those never
reach the page. The status decides the catalogue line; a form that could not be parsed is shown
again with that line, and a job's status endpoint answers JSON, since a script polls it.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from aidraft import regexes
from aidraft.errors import AidraftError
from aidraft.messages import DOC_LANG, text
from aidraft.web.config import MB
from aidraft.web.jobs import Busy
from aidraft.web.render import page

#: Message keys that say an input is too large: answered 413, as the request-size limit is.
TOO_LARGE_KEYS = frozenset({"upload.too_large", "input.text_too_long", "read.too_big", "read.too_long",
                            "read.long_line", "read.docx_bomb", "web.form.too_large"})
#: Seconds a client is told to wait when every job slot is busy (the hint says a minute).
RETRY_AFTER_S = 60
#: The catalogue line for a status no route answers on purpose.
STATUS_KEYS = {400: "web.bad_request", 404: "web.not_found", 405: "web.method", 410: "web.gone",
               422: "web.form.invalid", 500: "web.server_error", 503: "web.busy"}
#: Forms whose failed parse is answered with the form again: path → (template, nav).
FORMS = {"/draft": ("draft.html", "draft"), "/draft/outline": ("draft.html", "draft"),
         "/check": ("check.html", "check"), "/digest": ("digest.html", "digest")}
#: What the clerk typed, given back on the form when the rest of it was refused.
KEPT = frozenset({"notes_text", "draft_text", "office", "year", "title"})
STATUS_PATH = regexes.compile(r"/jobs/[^/]+/status")


def refusal_status(exc: AidraftError) -> int:
    """413 for anything too large, 503 when no job slot is free, else 400."""
    if isinstance(exc, Busy):
        return 503
    key = exc.args[0] if exc.args else None  # a catalogue error's args hold its key
    return 413 if key in TOO_LARGE_KEYS else 400


def refusal_headers(status: int) -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else {}


def refuse(request: Request, template: str, context: dict[str, object], exc: AidraftError) -> Response:
    """The form again with the one-line reason (what was typed is in ``context``)."""
    status = refusal_status(exc)
    response = page(request, template, {**context, "error": exc.one_line(DOC_LANG)}, status_code=status)
    response.headers.update(refusal_headers(status))
    return response


def status_line(status: int) -> str:
    key = STATUS_KEYS.get(status)
    return text(key, DOC_LANG) if key else text("web.http_error", DOC_LANG, status=status)


def form_error(request: Request, exc: StarletteHTTPException) -> tuple[int, str]:
    """Status and line for a body that could not be taken: past the request limit (413), a form
    part past the app's size cap (413), too many parts, or a damaged form. The parser's English
    words only pick the case, they are never shown."""
    config = request.app.state.config
    if exc.status_code == 413:  # the Guard's request-size limit, met while the body streamed in
        return 413, text("web.guard.too_large", DOC_LANG, mb=config.max_request_bytes // MB)
    cause = exc.__context__
    if not isinstance(cause, MultiPartException):
        return exc.status_code, status_line(exc.status_code)
    words = cause.message.lower()
    if "exceeded maximum size" in words:
        line = text("web.form.too_large", DOC_LANG, mb=f"{config.max_file_bytes / MB:.2g}")
        return 413, f"{line}（{text('web.form.too_large.hint', DOC_LANG)}）"
    if "too many" in words:
        return 400, text("web.form.too_many", DOC_LANG)
    return 400, text("web.form.invalid", DOC_LANG)


async def aidraft_error(request: Request, exc: Exception) -> Response:
    """An AidraftError no route caught: its own one line, with its status."""
    if not isinstance(exc, AidraftError):
        return await http_error(request, StarletteHTTPException(500))
    status = refusal_status(exc)
    return _answer(request, status, exc.one_line(DOC_LANG))


async def http_error(request: Request, exc: Exception) -> Response:
    """A Starlette/FastAPI HTTP error as catalogue text by status, never its English detail."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (400, 413):
        status, line = form_error(request, exc)
    else:
        status, line = exc.status_code, status_line(exc.status_code)
    return _answer(request, status, line)


async def validation_error(request: Request, exc: Exception) -> Response:
    """A field of the wrong shape (a file where text belongs …): FastAPI's 422, in Chinese."""
    assert isinstance(exc, RequestValidationError)
    body = exc.body
    kept = {k: v for k, v in body.items() if k in KEPT and isinstance(v, str)} if hasattr(body, "items") else {}
    return _answer(request, 422, text("web.form.invalid", DOC_LANG), kept)


def _answer(request: Request, status: int, line: str, kept: dict[str, str] | None = None) -> Response:
    """JSON for a status endpoint, the form again for a form post, else the error page."""
    headers = refusal_headers(status)
    if STATUS_PATH.fullmatch(request.url.path):
        return JSONResponse({"state": "gone" if status in (404, 410) else "error", "error": line},
                            status_code=status, headers=headers)
    form = FORMS.get(request.url.path) if request.method == "POST" else None
    if form is not None:
        response = page(request, form[0], {"nav": form[1], "error": line, **(kept or {})}, status_code=status)
    else:
        response = page(request, "error.html", {"message": line}, status_code=status)
    response.headers.update(headers)
    return response
