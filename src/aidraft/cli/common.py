"""What every command shares: one console, JSON output, exit codes, the one-line error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
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


def timeout_option() -> Any:
    """--timeout, shared by every command that calls a model (help built from the presets' defaults)."""
    return typer.Option(None, "--timeout", min=1, help="Seconds to wait for each model answer "
                        "(default 120; 600 for a server on this machine or the vllm/ollama/llamacpp presets).")


def concurrency_option(what: str = "Model requests in flight") -> Any:
    """--concurrency, shared by every command that calls a model."""
    return typer.Option(None, "--concurrency", min=1, max=64,
                        help=f"{what} at once (default 4; 1 for a server on this machine: one slot).")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    err_console.print(f"[bold red]aidraft:[/] {message}", markup=True)
    raise SystemExit(code)


def output_file(path: Path, suffixes: tuple[str, ...], example: str) -> Path:
    """An ``-o`` that must name a file with one of ``suffixes``: a folder or another extension is
    refused with one line before any work is done (never silently renamed)."""
    from aidraft.errors import InputError
    from aidraft.messages import msg

    if path.is_dir() or str(path).endswith(("/", "\\")):
        raise InputError(msg("output.dir_for_file", path=path), hint=msg("output.dir_for_file.hint", example=example))
    if path.suffix.lower() not in suffixes:
        raise InputError(msg("output.bad_suffix", path=path, suffix=" / ".join(suffixes)),
                         hint=msg("output.bad_suffix.hint", example=example))
    return path
