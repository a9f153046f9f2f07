"""Rendering a page: the template environment and the one ``page`` helper every route uses.

Apart from the app factory so that the routers and the app both import it and neither imports
the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from aidraft import __version__
from aidraft.messages import DOC_LANG, text
from aidraft.web.highlight import STATUS_HELP, STATUS_LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Templates:
    """Autoescaping on for every template: uploaded text only ever reaches the page escaped."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(STATUS_LABELS=STATUS_LABELS, STATUS_HELP=STATUS_HELP, version=__version__,
                       t=lambda key, **params: text(key, DOC_LANG, **params))
    return Jinja2Templates(env=env)


def page(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render a template with what every page needs."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"backends": request.app.state.backends, **(context or {})},
                                      status_code=status_code)
