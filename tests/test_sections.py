"""The section catalogue is the one place a section kind lives: a new kind added to
genre/sections.yaml alone is parsed, planned, drafted and read back, with no code change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

NEW_KIND = '''  - kind: reform
    label: 改革
    summary: 本年度深化信访制度改革情况
    title: "{year}年深化信访制度改革情况"
    patterns: [信访制度改革]
'''
NOTES = """---
office: 示例区司法局
year: 2025
---
# 主要举措和成效
- 开展宣讲12场
# 深化信访制度改革
- 出台信访工作配套办法3项
# 存在的不足
- 基层调解力量薄弱
"""


@pytest.mark.slow
def test_a_new_section_kind_is_one_catalogue_entry(tmp_path: Path) -> None:
    package = tmp_path / "src" / "aidraft"
    shutil.copytree(REPO / "src" / "aidraft", package, ignore=shutil.ignore_patterns("__pycache__"))
    catalogue = package / "genre" / "sections.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert "  - kind: measures\n" in text and "standard: [measures, duty, problems, plans]" in text
    text = text.replace("  - kind: measures\n", NEW_KIND + "  - kind: measures\n")
    text = text.replace("standard: [measures, duty, problems, plans]", "standard: [measures, duty, reform, problems, plans]")
    catalogue.write_text(text, encoding="utf-8")
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    out = tmp_path / "out" / "report.docx"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    run = subprocess.run([sys.executable, "-m", "aidraft", "draft", str(notes), "-o", str(out)],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    parsed = subprocess.run([sys.executable, "-m", "aidraft", "parse", str(out.with_suffix(".md")), "--json"],
                            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert parsed.returncode == 0, parsed.stderr
    sections = [(s["kind"], s["title"]) for s in json.loads(parsed.stdout)["sections"]]
    assert [k for k, _ in sections] == ["measures", "duty", "reform", "problems", "plans"]
    assert ("reform", "2025年深化信访制度改革情况") in sections
    assert "出台信访工作配套办法3项" in out.with_suffix(".md").read_text(encoding="utf-8").split("深化信访制度改革情况")[1]
