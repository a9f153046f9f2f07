"""The command line's guards outside the model path: an output never replaces an input (check,
plan), the CLI's own words follow the chosen language (lint, parse, OS refusals), a damaged .docx
reads as one catalogue line without library internals, and an unusable response cache is said
once and turned off."""

from __future__ import annotations

import errno
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.cli.common import warn_if_cache_off, warn_if_unmasked
from aidraft.errors import InputError, OutputError
from aidraft.files import folder_unusable, os_reason, write_set
from aidraft.ingest.read import read_bytes_text
from aidraft.messages import text
from aidraft.settings import Settings

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "samples" / "qingxi" / "notes-2025.md"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: Words that would mean a library's internals reached the user.
INTERNALS = ("Error", "lxml", "object", "attribute", "NoneType", "BytesIO", "Traceback", "content type")


def invoke(args: list[str], lang: str = "en", **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env={"AIDRAFT_LANG": lang, "COLUMNS": "400", **env})
    return result.exit_code, result.output


def good_docx(line: str = "全年办理行政复议案件12件。") -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("某区司法局2025年法治政府建设情况报告")
    document.add_paragraph(line)
    document.save(buffer)
    return buffer.getvalue()


def repacked(replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A valid .docx with some parts replaced or left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_docx())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
    return out.getvalue()


# --- 1. an output that is an input is refused before anything is read ----------------------------

@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("draft.docx", "notes.docx", "prior.docx"):
        (tmp_path / name).write_bytes(good_docx())
    shutil.copy(NOTES, tmp_path / "notes.md")
    (tmp_path / "notes.yaml").write_text("- 开展宣讲12场\n", encoding="utf-8")
    (tmp_path / "record.json").write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    return tmp_path


CHECK = ["check", "draft.docx", "--notes", "notes.docx", "--prior", "prior.docx"]
OVERWRITES = [  # arguments, the module whose reader must not run, the input that would be lost
    ([*CHECK, "-o", "draft.docx"], "aidraft.cli.check_cmd.read_text", "draft.docx"),
    ([*CHECK, "-o", "notes.docx"], "aidraft.cli.check_cmd.read_text", "notes.docx"),
    ([*CHECK, "-o", "prior.docx"], "aidraft.cli.check_cmd.read_text", "prior.docx"),
    ([*CHECK, "-o", "./sub/../draft.docx"], "aidraft.cli.check_cmd.read_text", "draft.docx"),
    ([*CHECK, "--record", "record.json", "-o", "record.json"], "aidraft.cli.check_cmd.read_text", "record.json"),
    (["plan", "notes.yaml", "-o", "notes.yaml"], "aidraft.cli.plan_cmd.read_notes", "notes.yaml"),
    (["plan", "notes.md", "--prior", "notes.yaml", "-o", "notes.yaml"], "aidraft.cli.plan_cmd.read_notes",
     "notes.yaml"),
]


@pytest.mark.parametrize(("args", "reader", "victim"), OVERWRITES,
                         ids=["check-draft", "check-notes", "check-prior", "check-spelling", "check-record",
                              "plan-notes", "plan-prior"])
def test_an_output_naming_an_input_is_refused_untouched(docs: Path, monkeypatch: pytest.MonkeyPatch,
                                                        args: list[str], reader: str, victim: str) -> None:
    before = {p.name: p.read_bytes() for p in docs.iterdir() if p.is_file()}
    calls: list[object] = []
    monkeypatch.setattr(reader, lambda *a, **k: calls.append(a))
    code, output = invoke(args)
    assert code == 2, output
    assert len(output.strip().splitlines()) == 1 and "would be overwritten" in output and victim in output
    assert calls == []
    assert {p.name: p.read_bytes() for p in docs.iterdir() if p.is_file()} == before


def test_plan_refuses_a_path_through_a_file_before_reading(docs: Path) -> None:
    code, output = invoke(["plan", "notes.md", "-o", "notes.md/plan.yaml"])
    assert code == 2 and "is a file, not a folder" in output, output


# --- 2. the command line's own words in the chosen language --------------------------------------

FINDING = "一、主要举措\n开展宣讲12场,发放资料3000份。\n"  # a half-width comma: one lint finding
WORDS = [  # language, command, file text, words shown, words never shown
    ("en", "lint", "一、主要举措\n开展宣讲12场。\n", ["report.md: no problems found"], ["未发现问题"]),
    ("zh", "lint", "一、主要举措\n开展宣讲12场。\n", ["report.md：未发现问题"], ["no problems"]),
    ("en", "lint", FINDING, ["line 2", "problem(s)"], ["第2行", "处问题"]),
    ("zh", "lint", FINDING, ["第2行", "处问题"], ["line 2", "problem(s)"]),
    ("zh", "parse", "开展宣讲12场。\n", ["（无标题行）", "单位：？", "导语：", "未找到带编号的标题"],
     ["no title", "office:", "preamble:", "no numbered"]),
    ("en", "parse", "开展宣讲12场。\n", ["(no title line)", "office: ?", "preamble:", "no numbered headings"],
     ["无标题", "单位", "导语"]),
]


@pytest.mark.parametrize(("lang", "command", "body", "says", "never"), WORDS,
                         ids=["lint-clean-en", "lint-clean-zh", "lint-found-en", "lint-found-zh", "parse-zh", "parse-en"])
def test_cli_words_follow_the_language(tmp_path: Path, lang: str, command: str, body: str, says: list[str],
                                       never: list[str]) -> None:
    report = tmp_path / "report.md"
    report.write_text(body, encoding="utf-8")
    code, output = invoke([command, str(report)], lang)
    assert code in (0, 1), output
    for words in says:
        assert words in output, output
    for words in never:
        assert words not in output, output


OS_ERRORS = [  # errno, the Chinese words, the English words
    (errno.EACCES, "没有权限", "permission denied"),
    (errno.EPERM, "没有权限", "permission denied"),
    (errno.ENOSPC, "磁盘已满", "disk is full"),
    (errno.EROFS, "只读", "read-only"),
    (errno.ENOENT, "不存在", "no such file"),
    (errno.EISDIR, "文件夹", "is a folder"),
    (errno.ENOTDIR, "不是文件夹", "not a folder"),
]


@pytest.mark.parametrize(("number", "zh", "en"), OS_ERRORS, ids=[errno.errorcode[e[0]] for e in OS_ERRORS])
def test_os_refusals_are_said_in_catalogue_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int,
                                                 zh: str, en: str) -> None:
    def refuse(*args: object, **kwargs: object) -> Path:
        raise OSError(number, "Raw English strerror")

    monkeypatch.setattr("aidraft.files.write_temp", refuse)
    with pytest.raises(OutputError) as caught:
        write_set([(tmp_path / "r.docx", b"x")])
    assert zh in caught.value.one_line("zh") and "Raw English" not in caught.value.one_line("zh")
    assert en in caught.value.one_line("en")


def test_an_unmapped_os_error_keeps_the_system_words() -> None:
    assert os_reason(OSError(errno.EIO, "Input/output error")).render("zh") == "Input/output error"
    assert os_reason(OSError("odd")).render("en") == "odd"


# --- 3. a damaged .docx: one catalogue line, no internals ----------------------------------------

DAMAGED = [  # name, package, words of the catalogue line (English)
    ("bad-xml", repacked({"word/document.xml": b"<w:document><<<"}), "contents are damaged"),
    ("empty-xml", repacked({"word/document.xml": b""}), "contents are damaged"),
    ("no-document", repacked(drop=("word/document.xml",)), "damaged or incomplete package"),
    ("no-content-types", repacked(drop=("[Content_Types].xml",)), "damaged or incomplete package"),
    ("html-document", repacked({"word/document.xml": b"<html><body>x</body></html>"}), "contents are damaged"),
    ("no-body", repacked({"word/document.xml": f"<w:document {W}><w:p/></w:document>".encode()}),
     "contents are damaged"),
    ("body-as-root", repacked({"word/document.xml": f"<w:body {W}><w:p/></w:body>".encode()}), "contents are damaged"),
    ("bad-styles", repacked({"word/styles.xml": b"<<<"}), "contents are damaged"),
    ("bad-rels", repacked({"_rels/.rels": b"<<<"}), "contents are damaged"),
]


@pytest.mark.parametrize(("name", "data", "words"), DAMAGED, ids=[d[0] for d in DAMAGED])
def test_a_damaged_docx_is_one_catalogue_line(name: str, data: bytes, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_bytes_text(data, f"{name}.docx")
    for lang in ("en", "zh"):
        line = caught.value.one_line(lang)
        assert f"{name}.docx" in line and not any(word in line for word in INTERNALS), line
    assert words in caught.value.one_line("en")


def test_a_renamed_workbook_is_not_a_word_document() -> None:
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    with pytest.raises(InputError) as caught:
        read_bytes_text(buffer.getvalue(), "figures.docx")
    line = caught.value.one_line("en")
    assert "not a Word document" in line and not any(word in line for word in INTERNALS), line


@pytest.mark.parametrize("command", ["check", "lint", "parse"])
def test_a_damaged_docx_fails_every_reader_in_one_line(tmp_path: Path, command: str) -> None:
    path = tmp_path / "badxml.docx"
    path.write_bytes(DAMAGED[0][1])
    code, output = invoke([command, str(path)], "zh")
    assert code == 2, output
    assert output.strip().count("\n") == 0 and "badxml.docx 无法按 .docx 读取" in output, output
    assert not any(word in output for word in INTERNALS), output


# --- 4. an unusable response cache is said once and turned off -----------------------------------

def cache_settings(cache_dir: Path) -> Settings:
    return Settings.from_cli(base_url="http://127.0.0.1:9/v1", model="m", cache_dir=cache_dir)


def test_folder_unusable_names_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("x")
    cases = [  # folder, words of the reason (None: usable)
        (tmp_path, None),
        (tmp_path / "new" / "deeper", None),
        (tmp_path / "file", "is a file, not a folder"),
        (tmp_path / "file" / "cache", "file is a file"),
    ]
    for folder, words in cases:
        reason = folder_unusable(folder)
        assert (reason is None) if words is None else (reason is not None and words in reason.render("en")), folder
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    denied = folder_unusable(tmp_path / "cache")
    assert denied is not None and "permission denied" in denied.render("en") and "没有权限" in denied.render("zh")


@pytest.mark.parametrize(("lang", "words"), [("en", "response cache is off"), ("zh", "缓存已关闭")])
def test_an_unusable_cache_is_one_warning_and_off(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch, lang: str, words: str) -> None:
    monkeypatch.setattr("aidraft.messages._current", [lang])  # the process language, restored after
    (tmp_path / "cache").write_text("not a folder")
    settings = cache_settings(tmp_path / "cache")
    warn_if_unmasked(settings)  # what draft and digest call once before any work
    err = capsys.readouterr().err
    assert err.count(words) == 1 and len(err.strip().splitlines()) == 1, err
    assert settings.use_cache is False


@pytest.mark.parametrize("usable", [True, False])
def test_no_warning_where_no_cache_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str], usable: bool) -> None:
    (tmp_path / "file").write_text("x")
    settings = cache_settings(tmp_path / "cache") if usable else Settings.from_cli(cache_dir=tmp_path / "file")
    warn_if_cache_off(settings)
    assert capsys.readouterr().err == "" and settings.use_cache is True


def test_draft_says_the_cache_is_off_once(tmp_path: Path) -> None:
    """Nothing listens on port 9: every section falls back offline, and the warning comes once."""
    (tmp_path / "cache").write_text("not a folder")
    code, output = invoke(["draft", str(NOTES), "-o", str(tmp_path / "r.docx"), "--base-url", "http://127.0.0.1:9/v1",
                           "--model", "m"], "en", AIDRAFT_CACHE_DIR=str(tmp_path / "cache"), AIDRAFT_MAX_RETRIES="0")
    assert code in (0, 1), output
    assert output.count(text("cli.cache_off.hint", "en")) == 1, output
    assert (tmp_path / "cache").read_text() == "not a folder"

