"""The web application factory: settings and server config in, a FastAPI app out.

Nothing here reads the environment: ``aidraft serve`` builds Settings and WebConfig from its
flags, and tests build them directly, so one process can host differently configured apps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from aidraft import __version__
from aidraft.errors import AidraftError, ConfigError
from aidraft.messages import DOC_LANG, msg, text
from aidraft.settings import Settings
from aidraft.web import digest_routes, errors, outline_routes, pages
from aidraft.web.config import WebConfig
from aidraft.web.guard import Guard
from aidraft.web.jobs import JobStore
from aidraft.web.render import make_templates

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

    # Starlette keeps a text field to 1 MB by default and refuses past it in English; a pasted
    # text may be as large as a file, so the app's own caps (and Chinese lines) decide instead.
    app = FastAPI(title="aidraft", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan, form_limits={"max_part_size": config.max_file_bytes})
    app.state.settings = settings
    app.state.config = config
    app.state.store = store
    app.state.templates = make_templates()
    app.state.backends = backend_choices(settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.include_router(pages.router)
    app.include_router(digest_routes.router)
    app.include_router(outline_routes.router)
    app.add_exception_handler(AidraftError, errors.aidraft_error)
    app.add_exception_handler(StarletteHTTPException, errors.http_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_middleware(Guard, config=config)
    return app
