"""The offline drafter on every sample: complete, faithful to the notes, clean under lint."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.check.model import FLAGGED
from aidraft.cli.app import app
from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
from aidraft.figures.extract import extract_figures
from aidraft.parse.notes import read_notes
from aidraft.parse.document import SectionKind
from aidraft.parse.structure import parse_file
from support import SAMPLES, docx_to_pdf_text

NOTES = sorted(p for p in SAMPLES.glob("*/notes*") if p.suffix in (".md", ".txt"))
PRIOR = SAMPLES / "qingxi" / "prior-2024.md"
STRICT_LINT = ("numbering", "duplicate", "halfwidth", "punct", "unbalanced", "plan-year", "heading-year")


def draft_of(notes_path: Path, with_prior: bool):
    priors = [parse_file(PRIOR)] if with_prior else []
    return run_draft(resolve_inputs(read_notes(notes_path), priors, None, None), OfflineDrafter(), path="draft")


@pytest.mark.parametrize("with_prior", [False, True], ids=["alone", "with-prior"])
@pytest.mark.parametrize("notes_path", NOTES, ids=[p.parent.name + "/" + p.name for p in NOTES])
def test_offline_draft_quality_bar(notes_path: Path, with_prior: bool) -> None:
    result = draft_of(notes_path, with_prior)
    flagged = [f.text for f in result.check.figures if f.status in FLAGGED]
    assert flagged == []
    assert result.check.arithmetic == []
    notes_figures = Counter(f.text for f in extract_figures(read_notes(notes_path).text))
    draft_figures = Counter(f.text for f in extract_figures(result.document.text))
    assert notes_figures - draft_figures == Counter(), "every notes figure appears in the draft"
    kinds = [s.kind for s in result.document.sections]
    for kind in (SectionKind.measures, SectionKind.duty, SectionKind.problems, SectionKind.plans):
        assert kind in kinds
    bad = [f"{f.rule}: {f.excerpt}" for f in result.lint.findings if f.rule.startswith(STRICT_LINT)]
    assert bad == []
    year = result.plan.year
    plans = result.document.section_of_kind(SectionKind.plans)
    assert plans is not None and str(year + 1) in plans.title
    assert result.document.title and str(year) in result.document.title
    assert "现将有关情况报告如下：" in result.document.preamble


def test_missing_problems_are_marked_not_invented(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 示例县信访局\nyear: 2025\n---\n- 开展宣讲12场\n- 发放资料3000份\n", encoding="utf-8")
    result = draft_of(notes, False)
    problems = result.document.section_of_kind(SectionKind.problems)
    assert problems is not None and "【待补充】" in problems.text


def test_prior_keeps_skeleton_and_lists_unanswered_plans() -> None:
    result = draft_of(SAMPLES / "qingxi" / "notes-2025.md", True)
    titles = [s.title for s in result.document.sections]
    assert titles[0].startswith("2025年推进法治政府建设的主要举措")  # last year's title, moved on a year
    assert titles[-1].startswith("2026年")
    assert any("新媒体" in gap.text for gap in result.unanswered_plans)
    status = {f.promise.split("：")[0]: f.status for f in result.plans_followup}
    # 培训 is only promised again in this year's plans; 化解率 90.7% meets last year's 90%以上
    assert status == {"加强法治培训": "repeated", "创新普法方式": "unanswered", "推进积案化解": "done"}


runner = CliRunner()


def test_cli_draft_writes_three_files(tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.docx"
    result = runner.invoke(app, ["draft", str(SAMPLES / "qingxi" / "notes-2025.md"), "--prior", str(PRIOR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".md").exists()
    record = json.loads((tmp_path / "out" / "report.check.json").read_text(encoding="utf-8"))
    assert record["check"]["summary"]["flagged"] == 0
    assert record["run"]["backend"] == "offline"
    assert record["unanswered_plans"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary\xff\xfe\x00", ""), ("- 开展宣讲12场\n".encode("gbk"), "office")],
)
def test_cli_bad_notes_keep_earlier_output(tmp_path: Path, content: bytes, message: str) -> None:
    out = tmp_path / "report.docx"
    out.write_bytes(b"earlier good report")
    notes = tmp_path / "notes.txt"
    notes.write_bytes(content)
    result = runner.invoke(app, ["draft", str(notes), "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.output
    assert len([line for line in result.output.strip().splitlines() if line.strip()]) == 1
    assert out.read_bytes() == b"earlier good report"


@pytest.mark.integration
def test_draft_docx_renders_in_libreoffice(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["draft", str(SAMPLES / "qingxi" / "notes-2025.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = docx_to_pdf_text(out, tmp_path)
    assert "青溪县信访局关于2025年度法治政府建设情况的报告" in text
    assert "交办重复信访积案75件" in text


def test_docx_notes_draft_like_markdown_notes(tmp_path: Path) -> None:
    from docx import Document as DocxDocument

    notes = DocxDocument()
    for line in ["示例县信访局2025年工作记录", "开展《信访工作条例》宣讲12场，发放资料3000份",
                 "交办信访积案40件，化解36件，化解率90%", "问题：基层干部法律素养不足"]:
        notes.add_paragraph(line)
    path = tmp_path / "notes.docx"
    notes.save(str(path))
    result = run_draft(resolve_inputs(read_notes(path), [], None, 2025), OfflineDrafter(), path="draft")
    assert result.plan.office == "示例县信访局"
    assert [f.text for f in result.check.figures if f.status in FLAGGED] == []
    assert {"12场", "3000份", "40件", "36件", "90%"} <= {f.text for f in extract_figures(result.document.text)}
    problems = result.document.section_of_kind(SectionKind.problems)
    assert problems is not None and "基层干部法律素养不足" in problems.text


def test_draft_refuses_to_overwrite_its_notes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from aidraft.cli.app import app

    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 石门县信访局\nyear: 2025\n---\n- 开展宣讲12场\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", str(notes), "-o", str(tmp_path / "notes.docx")])
    assert result.exit_code == 2 and "overwritten" in result.output
    assert notes.read_text(encoding="utf-8").endswith("- 开展宣讲12场\n")
