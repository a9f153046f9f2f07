"""Targets a figure cannot decide, the metric a shortfall names, and a prior report that is not
last year's report of this office (table-driven, notes and reports of offices of our own)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.draft.pipeline import outline, resolve_inputs
from aidraft.draft.prior import other_office, prior_mismatch
from aidraft.parse.notes import parse_notes
from aidraft.parse.structure import parse_text


def notes_of(lines: list[str], office: str = "南湾区人力资源和社会保障局"):  # type: ignore[no-untyped-def]
    return parse_notes(f"---\noffice: {office}\nyear: 2025\n---\n" + "".join(f"- {line}\n" for line in lines))


@pytest.mark.parametrize(
    ("actual", "target", "met"),
    [
        # a bound below a bound proves nothing: no comparison, no shortfall
        ("预计全年劳动争议调解成功率88%以上", "目标：劳动争议调解成功率达到90%以上", None),
        ("仲裁结案率不低于92%", "年度目标：仲裁结案率不低于95%", None),
        ("欠薪案件办结超期率6%以下", "考核指标：欠薪案件办结超期率控制在5%以内", None),
        # an exact value, or an interval wholly on one side, decides
        ("今年劳动争议调解成功率86.5%", "目标：全年劳动争议调解成功率达到90%以上", False),
        ("仲裁结案率近95%", "年度目标：仲裁结案率不低于95%", False),
        ("欠薪案件办结超期率7%以上", "考核指标：欠薪案件办结超期率控制在5%以内", False),
        ("预计全年劳动争议调解成功率91%以上", "目标：劳动争议调解成功率达到90%以上", True),
    ],
)
def test_only_a_value_that_decides_is_held_against_a_target(actual: str, target: str, met: bool | None) -> None:
    notes = notes_of(["开展劳动保障监察执法检查52次", actual, target])
    plan, ledger, _ = outline(resolve_inputs(notes, [], None, None))
    assert [t.met for t in ledger.targets] == ([] if met is None else [met])
    shortfalls = [s for section in plan.sections for s in section.shortfalls]
    assert len(shortfalls) == (1 if met is False else 0)


@pytest.mark.parametrize(
    ("actual", "target", "metric"),
    [
        ("今年劳动争议调解成功率86.5%", "目标：全年劳动争议调解成功率达到90%以上", "劳动争议调解成功率"),
        ("全年仲裁结案率93.1%", "年度目标：仲裁结案率不低于95%", "仲裁结案率"),
        ("预计全年群众满意率96%", "目标：群众满意率达到98%以上", "群众满意率"),
    ],
)
def test_a_shortfall_names_the_metric_whole(actual: str, target: str, metric: str) -> None:
    notes = notes_of([actual, target])
    plan, ledger, _ = outline(resolve_inputs(notes, [], None, None))
    assert [t.metric for t in ledger.targets] == [metric]
    (shortfall,) = [s for section in plan.sections for s in section.shortfalls]
    assert shortfall.metric == metric


PRIOR = """# {office}关于{year}年度法治政府建设情况的报告

一、{year}年主要工作
全年办理劳动保障监察案件210件。

二、存在的问题
执法人员业务能力有待提高。

三、{next}年工作安排
（一）推进劳动保障监察网格化。建立网格化监管机制。
（二）提升仲裁质效。仲裁结案率达到95%以上。
"""


def prior_of(office: str, year: int):  # type: ignore[no-untyped-def]
    return parse_text(PRIOR.format(office=office, year=year, next=year + 1), "prior.md")


@pytest.mark.parametrize(
    ("prior_office", "prior_year", "key"),
    [
        ("南湾区人力资源和社会保障局", 2024, None),
        ("南湾区人社局", 2024, None),  # the short form of the same office
        ("南湾区人力资源和社会保障局", 2025, "draft.prior.not_last_year"),  # the notes' own year
        ("南湾区人力资源和社会保障局", 2026, "draft.prior.not_last_year"),
        ("北岭区人力资源和社会保障局", 2024, "draft.prior.other_office"),  # another place
        ("南湾区司法局", 2024, "draft.prior.other_office"),  # another department
    ],
)
def test_a_prior_report_of_this_year_or_another_office_is_not_followed_up(
        prior_office: str, prior_year: int, key: str | None) -> None:
    prior = prior_of(prior_office, prior_year)
    found = prior_mismatch(prior, "南湾区人力资源和社会保障局", 2025)
    assert (found.key if found else None) == key
    notes = notes_of(["仲裁结案率96.2%", "建立劳动保障监察网格化监管机制，划分网格32个"])
    _, _, followups = outline(resolve_inputs(notes, [prior], None, None))
    assert bool(followups) is (key is None)


@pytest.mark.parametrize(
    ("a", "b", "other"),
    [
        ("青溪县人民政府信访办公室", "青溪县信访局", False),
        ("云溪市市场监管局", "云溪市市场监督管理局", False),
        ("柳河县信访局", "青溪县信访局", True),
        ("市信访局", "青溪县信访局", True),
        ("东湖区司法局", "东湖区信访局", True),
        (None, "东湖区信访局", False),
    ],
)
def test_other_office(a: str | None, b: str, other: bool) -> None:
    assert other_office(a, b) is other


@pytest.mark.parametrize(("lang", "line"), [("en", "its plans are not followed up"), ("zh", "不跟进其中的工作安排")])
def test_draft_warns_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, line: str) -> None:
    monkeypatch.setenv("AIDRAFT_LANG", lang)
    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 南湾区人力资源和社会保障局\nyear: 2025\n---\n- 仲裁结案率96.2%\n", encoding="utf-8")
    prior = tmp_path / "prior.md"
    prior.write_text(PRIOR.format(office="南湾区人力资源和社会保障局", year=2025, next=2026), encoding="utf-8")
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(app, ["draft", str(notes), "--prior", str(prior), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert [row for row in result.output.splitlines() if line in row and "prior.md" in row]
    assert json.loads((tmp_path / "report.check.json").read_text(encoding="utf-8"))["plans_followup"] == []

