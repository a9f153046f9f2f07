"""The web application factory: settings and server config in, a FastAPI app out.

Nothing here reads the environment: ``aidraft serve`` builds Settings and WebConfig from its
flags, and tests build them directly, so one process can host differently configured apps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from aidraft import __version__
from aidraft.errors import AidraftError, ConfigError
from aidraft.messages import DOC_LANG, msg, text
from aidraft.settings import Settings
from aidraft.web import digest_routes, outline_routes, pages
from aidraft.web.config import WebConfig
from aidraft.web.guard import Guard
from aidraft.web.jobs import JobStore
from aidraft.web.render import make_templates, page

STATIC = Path(__file__).resolve().parent / "static"


class Backend(BaseModel):
    """A choice in the backend picker."""

    model_config = ConfigDict(extra="forbid")

    value: str
    label: str
    usable: bool = True


def backend_choices(settings: Settings) -> list[Backend]:
    """Offline always; the configured endpoint when there is one (with its problem, if any)."""
    choices = [Backend(value="offline", label=text("web.backend.offline", DOC_LANG))]
    if settings.uses_model:
        try:
            endpoint = settings.resolve_endpoint()
            choices.append(Backend(value="model", label=text("web.backend.model", DOC_LANG, label=endpoint.label, model=endpoint.model)))
        except ConfigError as exc:
            choices.append(Backend(value="model", label=text("web.backend.broken", DOC_LANG, error=exc.one_line(DOC_LANG)), usable=False))
    return choices


def create_app(settings: Settings, config: WebConfig | None = None) -> FastAPI:
    """Build the app. Off loopback an access token is mandatory: refuse to build without one."""
    config = config or WebConfig()
    if not config.loopback and not config.token:
        raise ConfigError(msg("web.needs_token", host=config.host), hint=msg("web.needs_token.hint"))
    store = JobStore(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="aidraft", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.config = config
    app.state.store = store
    app.state.templates = make_templates()
    app.state.backends = backend_choices(settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.include_router(pages.router)
    app.include_router(digest_routes.router)
    app.include_router(outline_routes.router)
    app.add_exception_handler(AidraftError, _aidraft_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(Guard, config=config)
    return app


async def _aidraft_error(request: Request, exc: Exception) -> Response:
    message = exc.one_line("zh") if isinstance(exc, AidraftError) else str(exc)
    return page(request, "error.html", {"message": message}, status_code=400)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: text("web.not_found", DOC_LANG), 405: text("web.method", DOC_LANG),
                410: text("web.gone", DOC_LANG), 413: str(exc.detail)}
    message = messages.get(exc.status_code, str(exc.detail))
    return page(request, "error.html", {"message": message}, status_code=exc.status_code)
