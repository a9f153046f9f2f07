"""Our own realistic reports (tests/data/checker: 司法局, 人社局, 市场监管局 with a table as text,
a Guangdong "…的情况" template with full-width digits, a 信访局 in Chinese numerals), each with
last year's report: self-check, planted changes, equivalent and wrong rewrites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aidraft.check.model import FLAGGED, CheckReport
from aidraft.check.plant import measure
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText

DATA = Path(__file__).parent / "data" / "checker"
REPORTS = sorted(p.name for p in DATA.glob("*-2025.txt"))
REWRITES = yaml.safe_load((DATA / "rewrites.yaml").read_text(encoding="utf-8"))


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def check(draft: str, name: str) -> CheckReport:
    prior = NamedText(path="prior", text=read(name.replace("2025", "2024")))
    return check_text(NamedText(path="draft", text=draft), [NamedText(path="notes", text=read(name))], [prior])


def test_at_least_four_layouts() -> None:
    assert len(REPORTS) >= 4 and set(REWRITES) == set(REPORTS)


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_checked_against_itself_is_clean(name: str) -> None:
    report = check(read(name), name)
    assert report.summary.flagged == 0, [(f.text, f.status.value, f.note) for f in report.figures if f.flagged]
    assert report.summary.figures >= 15


@pytest.mark.parametrize("name", REPORTS)
def test_planted_changes_are_caught_without_false_alarms(name: str) -> None:
    planted = caught = alarms = 0
    for seed in range(10):
        result = measure(read(name), seed)
        planted, caught, alarms = planted + result.planted, caught + result.caught, alarms + result.false_alarms
    assert planted >= 20
    assert caught == planted and alarms == 0


def _rewrite(name: str, find: str, replace: str) -> tuple[str, int, int]:
    text = read(name)
    at = text.find(find)
    assert at >= 0, find
    return text[:at] + replace + text[at + len(find):], at, at + len(replace)


@pytest.mark.parametrize(("name", "find", "replace"),
                         [(n, f, r) for n in REPORTS for f, r in REWRITES[n]["equivalent"]])
def test_equivalent_rewrites_pass(name: str, find: str, replace: str) -> None:
    draft, _, _ = _rewrite(name, find, replace)
    report = check(draft, name)
    assert report.summary.flagged == 0, ([(f.text, f.status.value, f.note) for f in report.figures if f.flagged],
                                         [a.message for a in report.arithmetic])


@pytest.mark.parametrize(("name", "find", "replace"),
                         [(n, f, r) for n in REPORTS for f, r in REWRITES[n]["wrong"]])
def test_wrong_rewrites_are_caught(name: str, find: str, replace: str) -> None:
    draft, start, end = _rewrite(name, find, replace)
    report = check(draft, name)
    hits = [f for f in report.figures if f.status in FLAGGED and f.start < end and f.end > start]
    hits += [a for a in report.arithmetic if a.start < end and a.end > start]  # type: ignore[misc]
    assert hits, [(f.text, f.status.value) for f in report.figures if start <= f.start < end]


CHANGE_CLAUSE = re.compile(r"[，,]?(?:分别)?(?:同比|较上年|比上年)[^，。；\n]*|\|\s*(?:上升|下降)[^|\n]*")


@pytest.mark.parametrize("name", REPORTS)
def test_changes_derive_from_last_years_report_when_the_notes_omit_them(name: str) -> None:
    text = read(name)
    notes = NamedText(path="notes", text=CHANGE_CLAUSE.sub("", text))
    prior = NamedText(path="prior", text=read(name.replace("2025", "2024")))
    report = check_text(NamedText(path="draft", text=text), [notes], [prior])
    assert report.summary.flagged == 0, [(f.text, f.status.value, f.note) for f in report.figures if f.flagged]
    assert report.summary.by_status.get("derived", 0) >= 2
