"""The message catalogue: both languages complete, parameters matching, the language chosen
where the text is shown (web and documents Chinese, the CLI by AIDRAFT_LANG or the locale)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import aidraft.evals
import aidraft.web

from aidraft.errors import InputError
from aidraft.messages import catalogue, msg, placeholders, text
from aidraft.settings import Settings


def test_both_languages_have_the_same_keys_and_parameters() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert set(zh) == set(en)
    mismatched = [k for k in zh if placeholders(zh[k]) != placeholders(en[k])]
    assert not mismatched


@pytest.mark.parametrize(("key", "params", "zh", "en"), [
    ("check.contradicted", {"other": "4次"}, "材料中此项为4次", "the notes give 4次"),
    ("check.unsupported", {}, "材料中没有", "no figure in the notes"),
    ("input.no_notes", {}, "没有提供工作笔记", "no notes given"),
    ("digest.no_input", {}, "没有找到任何报告文件", "no report file was found"),
])
def test_text_in_each_language(key: str, params: dict[str, object], zh: str, en: str) -> None:
    assert zh in text(key, "zh", **params)
    assert en in text(key, "en", **params)


def test_error_renders_in_the_language_of_whoever_shows_it() -> None:
    err = InputError(msg("draft.no_office", path="n.md"), hint=msg("draft.no_office.hint"))
    assert err.one_line("zh").startswith("n.md：看不出笔记是哪个单位的（")
    assert err.one_line("en").startswith("n.md: cannot tell which office the notes are from (")
    plain = InputError("plain text", hint="do this")
    assert plain.one_line("zh") == "plain text (do this)"  # untranslated text is left as it is


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "AIDRAFT_LANG": "en"}, "en"),
    ({"LANG": "C", "AIDRAFT_LANG": "zh"}, "zh"),
])
def test_cli_language_follows_aidraft_lang_then_locale(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                                       expected: str) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "AIDRAFT_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Settings().ui_lang == expected


TEMPLATE_DIRS = [Path(aidraft.web.__file__).parent / "templates", Path(aidraft.evals.__file__).parent / "templates"]
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z][\w.]*)["']""")


@pytest.mark.parametrize("folder", TEMPLATE_DIRS, ids=["web", "eval"])
def test_templates_take_their_words_from_the_catalogue(folder: Path) -> None:
    """No Chinese written into a page template, and every key a template names exists."""
    zh = catalogue("zh")
    for template in sorted(folder.glob("*.*")):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"[\u4e00-\u9fff]", source), template.name
        missing = [key for key in KEY_USE.findall(source) if key not in zh and not key.endswith(("_", "."))]
        assert not missing, (template.name, missing)


SAMPLE_NOTES = Path(__file__).resolve().parents[1] / "samples" / "qingxi" / "notes-2025.md"


@pytest.mark.parametrize(("lang", "says", "not_says"), [
    ("zh", ["已写出", "（另有 .md、.check.json）", "模型调用0次", "离线撰写"], ["wrote", "figures", "model calls"]),
    ("en", ["wrote", "(+ .md, .check.json)", "model calls 0 (0 cached)", "— offline"], ["已写出", "模型调用", "离线撰写"]),
])
def test_cli_draft_summary_follows_aidraft_lang(tmp_path: Path, lang: str, says: list[str], not_says: list[str]) -> None:
    from typer.testing import CliRunner

    from aidraft.cli.app import app

    result = CliRunner().invoke(app, ["draft", str(SAMPLE_NOTES), "-o", str(tmp_path / "r.docx"), "--backend", "offline"],
                                env={"AIDRAFT_LANG": lang, "COLUMNS": "400"})
    assert result.exit_code in (0, 1), result.output
    for words in says:
        assert words in result.output, result.output
    for words in not_says:
        assert words not in result.output, result.output


SRC = Path(aidraft.web.__file__).resolve().parents[1]
CODE_USE = re.compile(r"""\b(?:msg|text)\(\s*["']([a-z]\w*\.[\w.]*\w)["']""")


def test_every_key_the_code_names_exists() -> None:
    """A key typed wrong would show as the bare key on screen; keys built from a value are
    checked family by family below."""
    zh = catalogue("zh")
    missing = [(p.name, key) for p in sorted(SRC.rglob("*.py")) for key in CODE_USE.findall(p.read_text(encoding="utf-8"))
               if key not in zh]
    for helper, prefix in (("step_label", "web.step."), ("skip_reason", "upload.skip.")):
        for p in sorted(SRC.rglob("*.py")):
            uses = re.findall(rf"""\b{helper}\(\s*["'](\w+)["']""", p.read_text(encoding="utf-8"))
            missing += [(p.name, prefix + key) for key in uses if prefix + key not in zh]
    assert not missing


def _values(literal: object) -> list[str]:
    from typing import get_args

    return [str(v) for v in get_args(literal)]


def test_keys_built_from_values_exist() -> None:
    from aidraft.digest.model import NameSource
    from aidraft.draft.followup import FollowupStatus
    from aidraft.ingest.read import UNSUPPORTED

    zh = catalogue("zh")
    families = {"read.unsupported.": [*UNSUPPORTED.values(), "ole"],
                "cli.draft.followup.": _values(FollowupStatus), "cli.digest.named_by.": _values(NameSource),
                "cli.notes.col.": ["id", "status", "section", "line", "cue", "figures", "text"],
                "web.digest.stage.": ["read", "map", "reduce", "export"]}
    missing = [prefix + v for prefix, values in families.items() for v in values if prefix + v not in zh]
    assert all(values for values in families.values()) and not missing
