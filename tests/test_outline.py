"""Outline sign-off: `aidraft plan` writes an editable outline, `aidraft draft --plan` writes from
the edited outline unchanged (sections, headings, note placement), and a broken outline is one line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aidraft.cli.app import app
from support import QINGXI_DIR

NOTES = QINGXI_DIR / "notes-2025.md"
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("AIDRAFT_")]:
        monkeypatch.delenv(name)


def write_plan(tmp_path: Path, *more: str) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["plan", str(NOTES), "-o", str(out), *more])
    assert result.exit_code == 0, result.output
    return out, yaml.safe_load(out.read_text(encoding="utf-8"))


def draft_from(tmp_path: Path, plan: Path) -> tuple[Any, str]:
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["draft", str(NOTES), "--plan", str(plan), "-o", str(out)])
    return result, out.with_suffix(".md").read_text(encoding="utf-8") if out.with_suffix(".md").exists() else ""


def test_outline_lists_every_note_with_its_status_and_last_years_promises(tmp_path: Path) -> None:
    path, outline = write_plan(tmp_path, "--prior", str(QINGXI_DIR / "prior-2024.md"))
    notes = [n for s in outline["sections"] for sub in s["subsections"] for n in sub["notes"]]
    assert sorted(int(n["id"][1:]) for n in notes) == list(range(1, 18))
    assert {n["status"] for n in notes} <= {"done", "planned", "problem", "duty", "context"}
    assert outline["promises"] and all(p["status"] in ("done", "partly", "repeated", "unanswered")
                                       for p in outline["promises"])
    assert path.read_text(encoding="utf-8").startswith("# 报告提纲")


def test_draft_follows_the_edited_outline(tmp_path: Path) -> None:
    path, outline = write_plan(tmp_path)
    measures = outline["sections"][0]
    moved = measures["subsections"][0]["notes"].pop()  # move the first heading's last note …
    measures["subsections"][-1]["notes"].append(moved)  # … under the last heading
    measures["subsections"][0]["heading"] = "狠抓学法用法，夯实法治根基"
    outline["sections"][0]["title"] = "主要工作及成效"
    path.write_text(yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result, text = draft_from(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert "一、主要工作及成效" in text and "狠抓学法用法，夯实法治根基" in text
    last_heading = measures["subsections"][-1]["heading"]
    assert text.index(moved["text"][:12]) > text.index(last_heading)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda o: o["sections"][0]["subsections"][0]["notes"].append({"id": "N99"}), "note N99 is not in the notes"),
    (lambda o: o["sections"][1]["subsections"][0]["notes"].append({"id": "N1"}), "note N1 is placed twice"),
    (lambda o: o["sections"][0].update(kind="nonsense"), "outline field sections.0.kind"),
])
def test_a_broken_outline_is_one_line_and_exit_2(tmp_path: Path, edit: Any, message: str) -> None:
    path, outline = write_plan(tmp_path)
    edit(outline)
    path.write_text(yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result, _ = draft_from(tmp_path, path)
    assert result.exit_code == 2 and message in " ".join(result.output.split())


def test_a_note_left_out_of_the_outline_is_said(tmp_path: Path) -> None:
    path, outline = write_plan(tmp_path)
    dropped = outline["sections"][0]["subsections"][0]["notes"].pop(0)
    path.write_text(yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result, text = draft_from(tmp_path, path)
    assert result.exit_code == 0 and f"notes left out of the outline are not written: {dropped['id']}" in result.output
    assert dropped["text"][:12] not in text
