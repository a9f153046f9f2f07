"""A digest checked against its input reports: office counts are derived from the sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.check.model import FigureStatus
from aidraft.check.record import RecordCell
from aidraft.check.run import check_text
from aidraft.cli.app import app
from aidraft.ingest.read import NamedText

REPORTS = [
    NamedText(path="a.txt", text="某县司法局2024年法治政府建设情况报告\n全年开展普法活动12场，受理来信45件。"),
    NamedText(path="b.txt", text="某区人社局2024年法治政府建设情况报告\n全年组织集体学法6次，办结行政复议案件8件。"),
    NamedText(path="c.txt", text="某市市场监管局2024年法治政府建设情况报告\n查办案件130件，发放宣传册2000余册。"),
]


def _status(draft: str, figure: str, notes: list[NamedText], nth: int = 0) -> FigureStatus:
    report = check_text(NamedText(path="digest.md", text=draft), notes)
    found = [f for f in report.figures if f.text == figure]
    return found[nth].status


@pytest.mark.parametrize("draft, figure, nth, status", [
    ("根据某县、某区、某市共3个单位报送的报告，现综合报告如下。", "3个单位", 0, FigureStatus.derived),
    ("根据某县、某区共4个单位报送的报告，现综合报告如下。", "4个单位", 0, FigureStatus.unsupported),
    ("一是3个单位中有2个反映普法形式单一（某县、某市）。", "3个单位", 0, FigureStatus.derived),
    ("一是3个单位中有2个反映普法形式单一（某县、某市）。", "2个", 0, FigureStatus.derived),
    ("一是3家单位中2家反映普法形式单一（某县、某市）。", "2家", 0, FigureStatus.derived),
    # the brackets list one office, the text says two: no derivation
    ("一是3个单位中有2个反映普法形式单一（某县）。", "2个", 0, FigureStatus.unsupported),
    # no brackets naming the offices
    ("一是3个单位中有2个反映普法形式单一。", "2个", 0, FigureStatus.unsupported),
    # not a share of the reporting offices
    ("某县新设2个调解室，3个单位联合开展普法（某县、某区）。", "2个", 0, FigureStatus.unsupported),
])
def test_office_counts(draft: str, figure: str, nth: int, status: FigureStatus) -> None:
    assert _status(draft, figure, REPORTS, nth) is status


def test_one_source_derives_no_office_count() -> None:
    draft = "1个单位中有1个反映普法形式单一（某县）。"
    assert _status(draft, "1个单位", REPORTS[:1]) is FigureStatus.unsupported


# --- the digest's own record (digest.json): table cells checked on the source lines it names ----

DIGEST = "主要数据\n学法次数：某区6次、某县集中学法2次。\n"


def _cell(label: str, text: str, file: str, line: int) -> RecordCell:
    return RecordCell(label=label, text=text, file=file, line=line)


@pytest.mark.parametrize("cell, status", [
    (_cell("某区", "6次", "b.txt", 2), FigureStatus.supported),
    (_cell("某区", "6次", "reports/b.txt", 2), FigureStatus.unsupported),  # another file of that name
    (_cell("某区", "6次", "b.txt", 1), FigureStatus.unsupported),  # that line does not state it
    (_cell("某区", "6次", "a.txt", 2), FigureStatus.unsupported),  # that report does not state it
    (_cell("某市", "6次", "b.txt", 2), FigureStatus.unsupported),  # not the cell the text writes
])
def test_record_cells_are_checked_on_their_source_line(cell: RecordCell, status: FigureStatus) -> None:
    report = check_text(NamedText(path="digest.md", text=DIGEST), REPORTS, record=[cell])
    six = next(f for f in report.figures if f.text == "6次")
    assert six.status is status
    if status is FigureStatus.supported:
        assert six.source is not None and (six.source.file, six.source.line) == ("b.txt", 2)


def test_cli_reads_the_record(tmp_path: Path) -> None:
    for named in REPORTS:
        (tmp_path / named.path).write_text(named.text, encoding="utf-8")
    (tmp_path / "digest.md").write_text(DIGEST, encoding="utf-8")
    cell = {"label": "某区", "text": "6次", "low": 6, "high": 6, "unit": "次",
            "source": {"office": "某区", "file": "b.txt", "line": 2}}
    (tmp_path / "digest.json").write_text(json.dumps({"year": 2024, "metrics": [{"name": "学法次数", "cells": [cell]}]}),
                                          encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"metrics": 3}', encoding="utf-8")
    args = ["check", str(tmp_path / "digest.md"), *[a for n in REPORTS for a in ("--notes", str(tmp_path / n.path))],
            "--json"]
    without = json.loads(CliRunner().invoke(app, args).stdout)
    with_record = json.loads(CliRunner().invoke(app, [*args, "--record", str(tmp_path / "digest.json")]).stdout)
    status = {r: next(f["status"] for f in d["figures"] if f["text"] == "6次")
              for r, d in (("without", without), ("with", with_record))}
    assert status == {"without": "unsupported", "with": "supported"}
    bad = CliRunner().invoke(app, [*args, "--record", str(tmp_path / "bad.json")])
    assert bad.exit_code == 2 and "not a digest record" in bad.output and "Traceback" not in bad.output


def test_a_report_without_figures_counts_as_a_source() -> None:
    quiet = NamedText(path="d.txt", text="某镇司法所2024年法治政府建设情况报告\n持续开展法治宣传。")
    assert _status("根据各单位共4个单位报送的报告，现综合报告如下。", "4个单位", [*REPORTS, quiet]) is FigureStatus.derived
