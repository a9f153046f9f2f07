"""The real wire: draft and digest against a real OpenAI-compatible model server (llama.cpp's,
serving Gemma 3 270M in CI). A model that small writes poor text, which is the point: whatever it
invents must be caught and marked, its repetition is scored, and the run still yields a
well-formed .docx.

Skips unless AIDRAFT_TEST_MODEL_URL names the server (``.ci/run`` starts one and sets it).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from typer.testing import CliRunner

from aidraft.check.model import FLAGGED
from aidraft.cli.app import app
from aidraft.draft.llm_write import REPEATS
from aidraft.evals.repetition import score_repetition
from aidraft.parse.structure import parse_text
from aidraft.text import sentence_re

URL = os.environ.get("AIDRAFT_TEST_MODEL_URL", "")
MODEL = os.environ.get("AIDRAFT_TEST_MODEL_NAME", "gemma-3-270m")
REPO = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not URL, reason="no model server configured (set AIDRAFT_TEST_MODEL_URL; .ci/run does)"),
]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _short_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A base model this small loops until it is stopped: cap its answers so a run takes minutes."""
    monkeypatch.setenv("AIDRAFT_MAX_OUTPUT_TOKENS", "200")


def model_flags(tmp_path: Path) -> list[str]:
    return ["--backend", "openai", "--base-url", URL, "--model", MODEL, "--concurrency", "2", "--no-cache"]


def test_draft_against_a_real_model(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["draft", str(REPO / "samples" / "qingxi" / "notes-2025.md"), "-o", str(out),
                                 "--max-repair-rounds", "1", *model_flags(tmp_path)])
    assert result.exit_code == 0, result.output
    DocxDocument(str(out))  # well-formed
    record = json.loads(out.with_name("report.check.json").read_text(encoding="utf-8"))
    text = out.with_suffix(".md").read_text(encoding="utf-8")
    # every figure the checker flags is marked in the shipped text, never silent
    for fig in record["check"]["figures"]:
        if fig["status"] in {s.value for s in FLAGGED}:
            assert "【待核实】" in text
    assert record["run"]["model_calls"] + record["run"]["cached_calls"] > 0
    # a model that loops (one sentence over and over) is re-asked or replaced, never shipped
    doc = parse_text(text, "report.md")
    for section in doc.sections:
        body = doc.text[section.start : section.end]
        counts = Counter(s.strip() for s in sentence_re(semicolons=True, keep_end=False).findall(body)
                         if len(s.strip()) >= 6)
        assert max(counts.values(), default=0) < REPEATS, (section.title, counts.most_common(1))
    score = score_repetition(text)  # scored like any eval draft: a share, with each copy listed
    assert 0 <= score.repeated_share <= 1


def test_digest_against_a_real_model(tmp_path: Path) -> None:
    reports = REPO / "evals" / "cases" / "digest-2024-three-counties" / "reports"
    out = tmp_path / "digest.docx"
    result = runner.invoke(app, ["digest", str(reports), "-o", str(out), *model_flags(tmp_path)])
    assert result.exit_code == 0, result.output
    DocxDocument(str(out))
