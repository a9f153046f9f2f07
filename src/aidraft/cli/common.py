"""What every command shares: one console, JSON output, exit codes, the one-line error."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from aidraft import regexes

if TYPE_CHECKING:  # settings pull in pydantic-settings: only the commands that use a model need them
    from aidraft.settings import Settings

R = TypeVar("R", bound=BaseModel)

EXIT_OK = 0
EXIT_FLAGGED = 1
EXIT_BAD_INPUT = 2

#: What every rich ``:emoji:`` code looks like: two colons with no space between them.
_EMOJI_SHAPED = regexes.compile(r":\S*?:")


class PlainConsole(Console):
    """A console that skips rich's emoji step for a string that cannot hold an ``:emoji:`` code:
    the step's first use loads rich's table of 4,000 emoji, a tenth of a small lint's run, and
    on such a string it changes nothing. A string with a code in it is printed as rich prints it."""

    def render_str(self, text: str, *, emoji: bool | None = None, **options: Any) -> Text:
        if emoji is None and not _EMOJI_SHAPED.search(text):
            emoji = False
        return super().render_str(text, emoji=emoji, **options)


console = PlainConsole(highlight=False, soft_wrap=True)
err_console = PlainConsole(stderr=True, highlight=False, soft_wrap=True)


def emit_json(model: BaseModel) -> None:
    """Print a model as UTF-8 JSON on stdout (Chinese stays readable, not \\u-escaped)."""
    sys.stdout.write(model.model_dump_json(indent=2, exclude_none=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def warn(label: str, lines: Iterable[str]) -> None:
    """One line per item under a yellow label (notes, skipped files, text left out), escaped."""
    for line in lines:
        console.print(f"[yellow]{label}[/] {escape(line)}")


def finish(result: R, as_json: bool, render: Callable[[R], None]) -> None:
    """Print a check or lint result as JSON or for people; exit 1 when it flags something."""
    if as_json:
        emit_json(result)
    else:
        render(result)
    if result.flagged:  # type: ignore[attr-defined]
        raise typer.Exit(EXIT_FLAGGED)


def warn_if_unmasked(settings: Settings) -> None:
    """The warnings a model run gets before any work (draft and digest call this once): --no-mask
    against a remote endpoint sends petitioners' personal data out, say so loudly; and a response
    cache that cannot be kept (:func:`warn_if_cache_off`)."""
    warn_if_cache_off(settings)
    if not settings.uses_model or (settings.mask_personal_data and settings.mask != "never"):
        return
    endpoint = settings.resolve_endpoint()
    if not endpoint.is_local and not settings.masks_for(endpoint):
        from aidraft.privacy import NO_MASK_WARNING

        err_console.print(f"[bold red]{escape(NO_MASK_WARNING)}[/]")


def warn_if_cache_off(settings: Settings) -> None:
    """One warning line when the response cache folder cannot be used (a file in its place, no
    permission, a read-only disk), and the cache turned off for the run: otherwise every answer
    fails to be stored on its own, unseen, and --resume finds nothing. Offline runs use no cache."""
    if not (settings.uses_model and settings.use_cache):
        return
    from aidraft.files import folder_unusable
    from aidraft.messages import language, text

    reason = folder_unusable(settings.cache_dir)
    if reason is not None:
        said, hint = text("cli.cache_off", reason=reason.render()), text("cli.cache_off.hint")
        line = f"{said}（{hint}）" if language() == "zh" else f"{said} ({hint})"
        err_console.print(f"[bold yellow]{escape(text('cli.warning'))}[/] {escape(line)}")
        settings.use_cache = False


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
    from aidraft.files import refuse_file_parent

    refuse_file_parent(path)
    return path
