"""Two ledger rules, table-driven with notes of other offices (none from the samples or corpus):

- tense: a done verb whose object merely names a later year is this year's work; a later year as
  the time of the action, or a future word before the verb, makes the line planned;
- targets: a target of the report year and this year's figure of the same metric are compared with
  the target's bound (以上 / 不低于 from below, 以内 / 不超过 from above).
"""

from __future__ import annotations

import json

import pytest

from aidraft.ledger import CueKind, Status, build_ledger
from aidraft.ledger.model import Bound
from aidraft.parse.notes import parse_notes


def ledger_of(lines: list[str], year: int = 2025, office: str = "北塘区人社局"):  # type: ignore[no-untyped-def]
    body = "\n".join(f"- {line}" for line in lines)
    return build_ledger(parse_notes(f"---\noffice: {office}\nyear: {year}\n---\n{body}"))


@pytest.mark.parametrize(
    ("line", "year", "status", "cue"),
    [
        # a done verb governing an object that names the later year: done
        ("制定2026年度学法计划并组织实施", 2025, Status.done, CueKind.tense),
        ("印发关于做好2026年元旦春节期间欠薪治理工作的通知", 2025, Status.done, CueKind.tense),
        ("编制2025年度行政执法检查计划，全年检查企业46家", 2024, Status.done, CueKind.tense),
        ("局务会审议通过2026年重大行政决策事项目录", 2025, Status.done, CueKind.tense),
        ("组织召开专题会议部署2027年普法工作", 2026, Status.done, CueKind.tense),
        ("2026年度“谁执法谁普法”责任清单已印发", 2025, Status.done, CueKind.tense),
        # a later year as the time of the action, or a future word before the verb: planned
        ("2026年开展劳动保障监察执法培训", 2025, Status.planned, CueKind.year),
        ("2026年完成全部执法案卷电子化", 2025, Status.planned, CueKind.year),
        ("将制定2026年普法依法治理实施方案", 2025, Status.planned, CueKind.year),
        ("计划2026年修订行政裁量权基准", 2025, Status.planned, CueKind.year),
        ("拟于2026年上半年出台公平竞争审查细则", 2025, Status.planned, CueKind.year),
        ("完成调研，2026年推行“互联网+监管”", 2025, Status.planned, CueKind.year),
        # no later year at all: the old rules stand
        ("制定年度学法计划并组织实施", 2025, Status.done, CueKind.tense),
        ("计划完成档案数字化", 2025, Status.planned, CueKind.future),
        # the actual beside the plan is this year's work; 结合实际 is no actual
        ("计划开展法治讲座10场，实际开展14场", 2025, Status.done, CueKind.tense),
        ("原计划组织培训8次,实际组织9次", 2025, Status.done, CueKind.tense),
        ("计划结合实际开展执法培训3次", 2025, Status.planned, CueKind.future),
    ],
)
def test_later_year_in_the_object_is_not_the_time(line: str, year: int, status: Status, cue: CueKind) -> None:
    item = ledger_of([line], year=year).items[0]
    assert (item.status, item.cue.kind) == (status, cue), item.cue.describe()


@pytest.mark.parametrize(
    ("target", "actual", "bound", "met"),
    [
        ("目标：群众满意率达到95%以上", "群众满意率92.3%", Bound.at_least, False),
        ("年度目标：群众满意率达到95%以上", "全年群众满意率达96.1%", Bound.at_least, True),
        ("考核指标：劳动争议调解成功率不低于60%", "劳动争议调解成功率58.5%", Bound.at_least, False),
        ("目标任务：行政复议纠错率控制在5%以内", "行政复议纠错率3.2%", Bound.at_most, True),
        ("目标：投诉举报按时办结率不低于98%", "投诉举报按时办结率98%", Bound.at_least, True),
        ("全年指标：行政诉讼败诉率不超过3%", "行政诉讼败诉率4.5%", Bound.at_most, False),
        ("目标：举办普法讲座12场", "全年举办普法讲座9场", Bound.exact, False),
    ],
)
def test_this_years_target_is_held_against_the_actual(target: str, actual: str, bound: Bound, met: bool) -> None:
    ledger = ledger_of(["召开党组会议研究法治工作3次", target, actual])
    assert [(t.target_id, t.actual_id, t.bound, t.met) for t in ledger.targets] == [("N2", "N3", bound, met)]
    check = ledger.targets[0]
    assert ("未达到目标" in check.reason) is not met and check.actual in actual


@pytest.mark.parametrize(
    "lines",
    [
        ["明年目标：群众满意率力争达到95%以上", "群众满意率92.3%"],  # next year's: to be met then
        ["目标：2026年调解成功率达到65%", "调解成功率58.5%"],  # a later year's target
        ["下一步：力争行政复议办结率达到100%", "行政复议办结率97%"],  # a plan, no target word
        ["目标：群众满意率达到95%以上", "受理投诉举报312件"],  # no figure of the same metric
    ],
)
def test_no_comparison_without_a_target_of_this_year_and_its_actual(lines: list[str]) -> None:
    assert ledger_of(lines).targets == []


def test_notes_json_and_draft_check_carry_the_targets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from aidraft.cli.app import app

    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 西湖县市场监管局\nyear: 2025\n---\n# 主要举措和成效\n"
                     "- 目标：群众满意率达到95%以上\n- 开展食品安全抽检1200批次\n- 群众满意率92.3%\n",
                     encoding="utf-8")
    shown = CliRunner().invoke(app, ["notes", str(notes)])
    assert shown.exit_code == 0 and "target not met" in shown.output and "N1 → N3" in shown.output
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(app, ["draft", str(notes), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "target not met" in result.output
    record = json.loads((tmp_path / "report.check.json").read_text(encoding="utf-8"))
    assert [(t["target"], t["actual"], t["met"]) for t in record["targets"]] == [("95%以上", "92.3%", False)]
    # the draft states the shortfall among the problems, citing both notes, and the checker keeps it there
    stated = [s for s in record["sentences"] if s["section"] == "problems" and s["note_ids"] == ["N1", "N3"]]
    assert len(stated) == 1 and "92.3%" in stated[0]["text"] and "95%以上" in stated[0]["text"]
    assert not [f for f in record["check"]["figures"] if f["status"] != "supported"]


def test_a_target_met_is_not_written_as_a_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from aidraft.draft.pipeline import outline, resolve_inputs

    notes = parse_notes("---\noffice: 南山区司法局\nyear: 2025\n---\n- 年度目标：人民调解成功率不低于95%\n"
                        "- 人民调解成功率97.2%\n- 问题：调解员老龄化\n")
    plan, ledger, _ = outline(resolve_inputs(notes, [], None, None))
    assert [t.met for t in ledger.targets] == [True]
    assert all(not s.shortfalls for s in plan.sections)
