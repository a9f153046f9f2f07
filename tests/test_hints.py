"""Every flag a message tells the user to use exists on some command (the issue: a timeout hint
said "raise --timeout" on a command that had no such flag)."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from aidraft.cli.app import COMMANDS, app, load_command

SRC = Path(__file__).resolve().parents[1] / "src" / "aidraft"
HINT = re.compile(r"hint=(?:f?\"[^\"]*\"|f?'[^']*')")


def declared_flags() -> set[str]:
    flags = {"--debug", "--version", "--help"}
    for name in COMMANDS:
        command = load_command(name)
        for param in command.params:
            flags.update(o for o in [*param.opts, *param.secondary_opts] if o.startswith("--"))
    return flags


def hinted_flags() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for hint in HINT.findall(path.read_text(encoding="utf-8")):
            for flag in re.findall(r"--[a-z][a-z-]*", hint):
                found.setdefault(flag, []).append(path.name)
    return found


def test_every_flag_named_in_a_hint_exists() -> None:
    assert isinstance(app, typer.Typer)
    missing = {flag: files for flag, files in hinted_flags().items() if flag not in declared_flags()}
    assert missing == {}


def test_every_model_command_has_timeout_and_concurrency() -> None:
    for name in ("draft", "digest", "eval", "serve"):
        opts = {o for p in load_command(name).params for o in p.opts}
        assert {"--timeout", "--concurrency"} <= opts, name
