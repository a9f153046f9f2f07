"""A digest checked against its input reports: office counts are derived from the sources."""

from __future__ import annotations

import pytest

from aidraft.check.model import FigureStatus
from aidraft.check.run import check_text
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
