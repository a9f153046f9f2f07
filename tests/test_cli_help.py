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


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (["draft", "{notes}", "-o", "{tmp}/清单.txt/report.docx"], "en", "清单.txt is a file, not a folder"),
        (["digest", "{notes}", "-o", "{tmp}/清单.txt/sub/d.docx"], "zh", "清单.txt 是文件，不是文件夹"),
        (["digest", "{notes}", "-o", "{tmp}/d.docx", "--ledger", "{tmp}/清单.txt/f.csv"], "en", "is a file, not a folder"),
        (["check", "{notes}", "-o", "{tmp}/清单.txt/checked.docx"], "zh", "是文件，不是文件夹"),
    ],
)
def test_a_file_where_a_folder_should_be_is_named_in_one_line(tmp_path: Path, args: list[str], lang: str,
                                                              expected: str) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 某县司法局\nyear: 2025\n---\n- 开展普法活动45场\n", encoding="utf-8")
    (tmp_path / "清单.txt").write_text("一份清单\n", encoding="utf-8")
    values = {"notes": notes, "tmp": tmp_path}
    result = runner.invoke(app, [a.format(**values) for a in args], env={"AIDRAFT_LANG": lang})
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and expected in result.output
    assert "File exists" not in result.output and "Not a directory" not in result.output


@pytest.mark.parametrize("ok", [True, False])
def test_digest_prints_no_blank_line_before_its_summary_or_error(tmp_path: Path, ok: bool) -> None:
    """Off a terminal the progress bar stays off: rich ended it with a blank line on stdout."""
    report = tmp_path / "a.txt"
    if ok:
        report.write_text("某县司法局关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n开展普法活动45场。\n",
                          encoding="utf-8")
    result = runner.invoke(app, ["digest", str(report), "-o", str(tmp_path / "d.docx")], env={"AIDRAFT_LANG": "en"})
    assert result.exit_code == (0 if ok else 2)
    assert "" not in result.stdout.splitlines()
    assert not result.stdout.startswith("\n")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["no such file or folder", "the same report as a.txt", "covers 2024, not 2025: left out"]),
     ("zh", ["没有这个文件或文件夹", "与 a.txt 是同一份报告", "是2024年的报告，不是2025年的：未汇总"])],
)
def test_digest_says_why_files_were_skipped_or_left_out_in_the_cli_language(tmp_path: Path, lang: str,
                                                                            expected: list[str]) -> None:
    body = "一、主要举措和成效\n开展普法活动45场。\n"
    (tmp_path / "a.txt").write_text(f"某县司法局关于2025年度法治政府建设情况的报告\n{body}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"某县司法局关于2025年度法治政府建设情况的报告\n{body}", encoding="utf-8")
    (tmp_path / "c.txt").write_text("某区司法局关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n开展普法活动30场。\n"
                                    "二、存在的不足\n宣传形式单一。\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("某市司法局关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n开展普法活动80场。\n",
                                    encoding="utf-8")
    args = [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt", "d.txt", "gone.txt")]
    result = runner.invoke(app, ["digest", *args, "-o", str(tmp_path / "out" / "d.docx")], env={"AIDRAFT_LANG": lang})
    assert result.exit_code == 0, result.output
    for words in expected:
        assert words in result.output
    record = (tmp_path / "out" / "d.json").read_text(encoding="utf-8")
    assert "没有这个文件或文件夹" in record and "no such file or folder" in record  # both, for whoever reads it
