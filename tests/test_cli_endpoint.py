"""The shared endpoint options: every command that can use a model has all of them, the preset
help comes from the presets file, and each flag reaches Settings."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.cli.endpoint import EndpointOptions
from aidraft.llm.presets import key_env_names, preset_names

FLAGS = ["--backend", "--preset", "--base-url", "--model", "--api-key", "--timeout", "--concurrency", "--no-cache",
         "--no-mask"]
MODEL_COMMANDS = ["draft", "digest", "eval", "serve"]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("AIDRAFT_") or name in key_env_names():
            monkeypatch.delenv(name)


@pytest.mark.parametrize("command", MODEL_COMMANDS)
def test_every_model_command_has_every_endpoint_flag(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "400", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    missing = [flag for flag in FLAGS if flag not in result.output]
    assert not missing, missing
    assert all(name in result.output for name in preset_names())


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, {"backend": "offline", "timeout_s": 120.0, "concurrency": 4, "use_cache": True,
              "mask_personal_data": True}),
        ({"preset": "deepseek", "timeout": 30.0, "concurrency": 8},
         {"backend": "openai", "preset": "deepseek", "timeout_s": 30.0, "concurrency": 8}),
        ({"base_url": "http://127.0.0.1:8000/v1", "model": "m", "no_cache": True, "no_mask": True},
         {"backend": "openai", "model": "m", "use_cache": False, "mask_personal_data": False}),
    ],
)
def test_flags_reach_settings(flags: dict[str, object], expected: dict[str, object]) -> None:
    settings = EndpointOptions.model_validate(flags).settings()
    assert {key: getattr(settings, key) for key in expected} == expected


def test_an_override_wins_and_none_leaves_the_flag_out() -> None:
    options = EndpointOptions(concurrency=8)
    assert options.settings(concurrency=None).concurrency == 4
    assert options.settings(max_repair_rounds=0).max_repair_rounds == 0


def test_a_bad_timeout_is_refused() -> None:
    """A bad --timeout is refused by the shared option before any work."""
    result = CliRunner().invoke(app, ["draft", "notes.md", "--timeout", "0"])
    assert result.exit_code == 2 and "--timeout" in result.output
