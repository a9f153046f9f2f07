"""What every command shares: one console, JSON output, exit codes, the one-line error."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:  # settings pull in pydantic-settings: only the commands that use a model need them
    from aidraft.settings import Settings

EXIT_OK = 0
EXIT_FLAGGED = 1
EXIT_BAD_INPUT = 2

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(model: BaseModel) -> None:
    """Print a model as UTF-8 JSON on stdout (Chinese stays readable, not \\u-escaped)."""
    sys.stdout.write(model.model_dump_json(indent=2, exclude_none=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def warn_if_unmasked(settings: Settings) -> None:
    """--no-mask against a remote endpoint sends petitioners' personal data out: say so loudly."""
    if settings.mask_personal_data or not settings.uses_model:
        return
    if not settings.resolve_endpoint().is_local:
        from aidraft.privacy import NO_MASK_WARNING

        err_console.print(f"[bold red]{escape(NO_MASK_WARNING)}[/]")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    err_console.print(f"[bold red]aidraft:[/] {message}", markup=True)
    raise SystemExit(code)
