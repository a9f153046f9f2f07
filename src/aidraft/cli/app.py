"""The ``aidraft`` command: one Typer app, one module per command, imported only when run.

A command module is imported when its command is invoked (or when ``--help`` lists them all), so
``aidraft lint`` never loads python-docx, Jinja2, the digest or the model client: a small job
costs its own imports, not every command's. Errors derived from AidraftError print as a single
line and exit with their code (2 for bad input and configuration); a traceback is shown only
with ``--debug`` or ``AIDRAFT_DEBUG=1``, redacted like every message (aidraft.redact), and the
exit code stays the error's own.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from typer.core import TyperArgument, TyperGroup, TyperOption

from aidraft import __version__
from aidraft.errors import AidraftError
from aidraft.messages import language_from_env, set_language, text
from aidraft.redact import redact

if TYPE_CHECKING:  # typer carries its own click; the click package itself costs start-up time
    from typer._click.core import Command, Context

#: command name → the module whose ``register(app)`` defines it, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "draft": "aidraft.cli.draft_cmd",
    "plan": "aidraft.cli.plan_cmd",
    "notes": "aidraft.cli.notes_cmd",
    "parse": "aidraft.cli.parse_cmd",
    "check": "aidraft.cli.check_cmd",
    "lint": "aidraft.cli.lint_cmd",
    "digest": "aidraft.cli.digest_cmd",
    "serve": "aidraft.cli.serve_cmd",
    "eval": "aidraft.cli.eval_cmd",
}


class LazyCommands(TyperGroup):
    """A group that imports a command's module the first time the command is looked up."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load_command(cmd_name)
        return super().get_command(ctx, cmd_name)


def preload(argv: list[str]) -> None:
    """Import the module of the command ``argv`` names, if any, ahead of parsing: the entry point
    does it while the collector is off (it allocates thousands of objects and no garbage). A module
    that fails to import is left to fail again where its command is loaded, with the usual error."""
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    if name in COMMANDS:
        with contextlib.suppress(Exception):
            importlib.import_module(COMMANDS[name])


def load_command(name: str) -> Command:
    """Import the command's module, let it register on a scratch app, return its click command."""
    scratch = typer.Typer()
    importlib.import_module(COMMANDS[name]).register(scratch)
    for info in scratch.registered_commands:
        command_name = info.name or (info.callback.__name__ if info.callback else "")
        if command_name == name and info.callback is not None:
            info.callback = _guarded(info.callback)
            return typer.main.get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode="rich")
    raise LookupError(f"{COMMANDS[name]} does not register the command {name!r}")


def _plain_help() -> None:
    """Help as clerks read it: arguments as NOTES or [PRIOR] (not {notes}), flags without a
    ``<bool>`` type. Typer 0.2x prints both; its parameter classes are adjusted once, here."""

    def usage_name(self: TyperArgument) -> str:
        name = (self.metavar or self.name or "").upper()
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_name(self: TyperArgument) -> str:
        return (self.metavar or self.name or "").upper()

    def option_type(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag or self.is_bool_flag:
            return None
        return _option_type(self, ctx)

    _option_type = TyperOption.display_type_rich
    TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
    TyperArgument.display_name_raw = property(display_name)  # type: ignore[method-assign,assignment]
    TyperOption.display_type_rich = option_type  # type: ignore[method-assign]


_plain_help()

app = typer.Typer(
    name="aidraft",
    help="Draft, check and digest 法治政府建设情况报告.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyCommands,
)


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn AidraftError into one line on stderr and exit 2, inside the command itself, so the
    same contract holds however the command is invoked (console script, CliRunner, python -m)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AidraftError as exc:
            if _debug():
                print_traceback(exc)
            _err_line("[bold red]aidraft:[/] ", exc.one_line())
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:  # typer would turn it into a silent Exit(130) before main() sees it
            interrupted()
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except RecursionError as exc:  # hostile nesting in some input: one line, never 3,000
            if _debug():
                print_traceback(exc)
            _err_line("[bold red]aidraft:[/] ", "the input is nested too deeply to read (check the file)")
            raise typer.Exit(2) from None

    return wrapper


EXIT_INTERRUPTED = 130  # the shell's status for a process ended by SIGINT


def interrupted() -> None:
    """Ctrl-C: the one catalogue line, and no model request after it (llm/stop.py). Worker threads
    still waiting on an answer end with the process (cli/entry.py does not wait for them)."""
    from aidraft.llm.stop import STOP  # threading only: no model client is imported

    STOP.set()
    _err_line(f"aidraft: {text('cli.interrupted')}")


def _err_line(prefix: str, plain: str = "") -> None:
    """``prefix`` (rich markup) then ``plain`` as plain text: redacted, its brackets never markup."""
    from aidraft.cli.common import err_console

    err_console.print(prefix + escape(redact(plain)), markup=True, highlight=False)


def print_traceback(exc: BaseException) -> None:
    """The --debug traceback, chained causes included, with every secret redacted: a provider's
    401 body may echo the key, and the exception chain carries it."""
    sys.stderr.write(redact("".join(traceback.format_exception(exc))))
    sys.stderr.flush()


_DEBUG: list[bool] = []  # set by --debug for this process


def _debug() -> bool:
    """--debug, or AIDRAFT_DEBUG=1 through Settings (the one reader of the environment)."""
    if _DEBUG:
        return True
    from aidraft.settings import Settings  # pydantic-settings: only imported when an error is shown

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
    # the entry point reads the locale once (AIDRAFT_LANG, LC_ALL, LC_MESSAGES, LANG): no
    # pydantic-settings import for a command that does not need Settings
    set_language(language_from_env(os.environ))


def main(argv: list[str] | None = None) -> None:
    def debug() -> bool:
        return "--debug" in (argv if argv is not None else sys.argv) or _debug()

    try:
        app(args=argv, standalone_mode=True)
    except AidraftError as exc:
        if debug():
            print_traceback(exc)
        _err_line("[bold red]aidraft:[/] ", exc.one_line())
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # outside a command (while parsing): the same line
        interrupted()
        sys.exit(EXIT_INTERRUPTED)
    except UnicodeError as exc:
        if debug():
            print_traceback(exc)
        from aidraft.cli.common import EXIT_BAD_INPUT

        _err_line("aidraft: ", text("cli.cannot_decode", error=exc))
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:  # a bug: the traceback is wanted, but never with a key in it
        print_traceback(exc)
        sys.exit(1)
