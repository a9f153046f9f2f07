"""The ``aidraft`` command: one Typer app, one module per command.

Errors derived from AidraftError print as a single line and exit non-zero; a traceback is
shown only with ``--debug`` or ``AIDRAFT_DEBUG=1``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer

from aidraft import __version__
from aidraft.cli import check_cmd, digest_cmd, draft_cmd, eval_cmd, lint_cmd, notes_cmd, parse_cmd, plan_cmd, serve_cmd
from aidraft.cli.common import EXIT_BAD_INPUT, err_console
from aidraft.errors import AidraftError
from aidraft.settings import Settings

app = typer.Typer(
    name="aidraft",
    help="Draft, check and digest 法治政府建设情况报告.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (draft_cmd, plan_cmd, notes_cmd, parse_cmd, check_cmd, lint_cmd, digest_cmd, serve_cmd, eval_cmd):
    module.register(app)


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn AidraftError into one line on stderr and exit 2, inside the command itself, so the
    same contract holds however the command is invoked (console script, CliRunner, python -m)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AidraftError as exc:
            if _debug():
                raise
            err_console.print(f"[bold red]aidraft:[/] {exc.one_line()}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


for _info in app.registered_commands:
    if _info.callback is not None:
        _info.callback = _guarded(_info.callback)


_DEBUG: list[bool] = []  # set by --debug for this process


def _debug() -> bool:
    """--debug, or AIDRAFT_DEBUG=1 through Settings (the one reader of the environment)."""
    if _DEBUG:
        return True
    try:
        return Settings().debug
    except (ValueError, AidraftError):
        return False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aidraft {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    if debug:
        _DEBUG.append(True)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv) or _debug()
    try:
        app(args=argv, standalone_mode=True)
    except AidraftError as exc:
        if debug:
            raise
        err_console.print(f"[bold red]aidraft:[/] {exc.one_line()}", markup=True, highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("aidraft: interrupted; outputs written so far are intact, rerun to resume")
        sys.exit(130)
    except UnicodeError as exc:
        if debug:
            raise
        err_console.print(f"aidraft: cannot decode input: {exc}")
        sys.exit(EXIT_BAD_INPUT)
