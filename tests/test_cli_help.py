"""What the command line shows a person: -h as --help, NOTES not {notes}, no <bool>, one clear
sentence for an empty digest, -o refusing a folder like any other non-file name."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.cli.app import app

runner = CliRunner()
COMMANDS = ["draft", "check", "lint", "parse", "digest", "eval", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_short_help_is_help_and_plain(command: str) -> None:
    short = runner.invoke(app, [command, "-h"], env={"COLUMNS": "120"})
    long = runner.invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert short.exit_code == long.exit_code == 0
    assert short.output == long.output
    assert "<bool>" not in short.output
    assert "{" not in short.output.split("Usage:", 1)[1].splitlines()[0]


def test_usage_names_arguments_in_capitals() -> None:
    out = runner.invoke(app, ["draft", "-h"], env={"COLUMNS": "120"}).output
    assert "aidraft draft [OPTIONS] NOTES" in out


@pytest.mark.parametrize(("lang", "expected"), [("en", "no report file was found"), ("zh", "没有找到任何报告文件")])
def test_digest_of_an_empty_folder_says_one_sentence(tmp_path: Path, lang: str, expected: str) -> None:
    empty = tmp_path / "reports"
    empty.mkdir()
    result = runner.invoke(app, ["digest", str(empty), "-o", str(tmp_path / "d.docx")], env={"AIDRAFT_LANG": lang})
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0] and "0 input" not in lines[0]


@pytest.mark.parametrize("command", ["draft", "digest"])
def test_output_folder_is_refused_in_one_line(tmp_path: Path, command: str) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 某县司法局\nyear: 2025\n---\n- 开展普法活动45场\n", encoding="utf-8")
    result = runner.invoke(app, [command, str(notes), "-o", str(tmp_path)], env={"AIDRAFT_LANG": "en"})
    assert result.exit_code == 2 and "is a folder" in result.output
