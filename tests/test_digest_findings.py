"""What a digest states and counts: numbers kept whole, short findings counted, every sentence of
an office weighed, bare rates named by what they resolve, changes labelled as changes, and signed
figures read with their sign. Table-driven, offline."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from aidraft.check.model import FigureStatus
from aidraft.check.run import check_text
from aidraft.digest.metric_names import canonical, metric_label
from aidraft.digest.pipeline import run_digest
from aidraft.digest.sentences import clause_pattern, section_sentences, strip_figures
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import NamedText
from aidraft.parse.structure import parse_text

DIGIT_RUN = re.compile(r"[0-9０-９]+(?:[,，.．:：][0-9０-９]+)*")
HALF = str.maketrans("０１２３４５６７８９，．：", "0123456789,.:")


def _runs(text: str) -> list[str]:
    """Digit runs as numbers, whatever the width of their digits and marks (14:00 is 14：00)."""
    return [run.translate(HALF) for run in DIGIT_RUN.findall(text)]


def _report(office: str, measures: str = "深入开展行政执法案卷评查，规范行政执法行为。", *,
            problems: str = "执法人员培训覆盖面不够广，基层执法力量仍显薄弱。",
            plans: str = "持续推进行政执法规范化建设。") -> str:
    return (f"{office}关于2025年度法治政府建设情况的报告\n\n一、主要举措和成效\n{measures}\n"
            f"二、存在的不足和原因\n{problems}\n三、下一年度工作安排\n{plans}\n")


def _digest(texts: dict[str, str], ledger: Path | None = None):  # type: ignore[no-untyped-def]
    return run_digest([NamedText(path=f"{i}.txt", text=t) for i, t in enumerate(texts.values())], ledger=ledger)


def _found(result: object, kind: str) -> dict[str, list[str]]:
    """A section's common findings: text → the offices credited."""
    section = next(s for s in result.sections if s.kind.value == kind)  # type: ignore[attr-defined]
    return {p.text: p.labels for p in section.common}


def _bare_digit_runs(result: object, sources: list[NamedText]) -> list[str]:
    """Digit runs of the digest that are not a whole run of every source line its sentence cites
    (a quoted sentence), nor part of a figure the digest derives (a total, an office count), nor a
    year (anything else)."""
    lines = {s.path: s.text.splitlines() for s in sources}
    bad = []
    text: str = result.text  # type: ignore[attr-defined]
    for section in result.sections:  # type: ignore[attr-defined]
        for practice in [*section.common, *section.notable]:
            for src in practice.sources:
                cited = _runs(lines[src.file][src.line - 1])
                bad += [f"{practice.text} ({src.office}): {run}" for run in _runs(practice.text) if run not in cited]
            body = practice.text.rstrip("。")
            text = text.replace(body, "　" * len(body))
    covered = [(f.start, f.end) for f in extract_figures(text)]
    for m in DIGIT_RUN.finditer(text):
        year = text.startswith("年", m.end())
        if not year and not any(s <= m.start() and m.end() <= e for s, e in covered):
            bad.append(f"{text[max(0, m.start() - 12):m.end() + 4]}: {m.group(0)}")
    return bad


# --- 1. a number is never cut at its thousands separator -------------------------------------------


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("全年受理信访事项1,050件，办结1020件", ["全年受理信访事项1,050件", "办结1020件"]),
        ("发放资料1,234,567份，覆盖各乡镇", ["发放资料1,234,567份", "覆盖各乡镇"]),
        ("每周三9:30开展接访，回应诉求", ["每周三9:30开展接访", "回应诉求"]),
        ("每周三9：30开展接访：回应诉求", ["每周三9：30开展接访", "回应诉求"]),  # a time in full width
        ("分别为甲,乙两类", ["分别为甲", "乙两类"]),  # a comma between words still breaks
        ("受理1，050件", ["受理1", "050件"]),  # a full-width comma always breaks
    ],
)
def test_a_comma_between_digits_is_no_clause_break(text: str, clauses: list[str]) -> None:
    assert clause_pattern("，；：,;:").findall(text) == clauses


@pytest.mark.parametrize(
    ("sentence", "stripped"),
    [
        ("全年受理信访事项1,050件，依法及时办理群众诉求。", "全年受理信访事项，依法及时办理群众诉求。"),
        ("发放宣传资料1,234,567份，覆盖全县各个乡镇。", "发放宣传资料，覆盖全县各个乡镇。"),
        ("全年受理信访事项1，050件，依法及时办理群众诉求。", None),  # its 1 would be left behind
        ("全年受理信访事项1,050件，办结1020件。", None),
    ],
)
def test_stripping_figures_leaves_no_piece_of_a_number(sentence: str, stripped: str | None) -> None:
    assert strip_figures(sentence, 12) == stripped


@pytest.mark.parametrize(
    "measures",
    [
        ("全年受理信访事项1,050件，办结1020件。", "全年受理信访事项980件，办结970件。"),
        ("发放宣传资料1,234,567份，覆盖全县各个乡镇。", "发放宣传资料23,000份，覆盖全县各个乡镇。"),
        ("全年受理信访事项1，050件，依法及时办理群众诉求。", "全年受理信访事项980件，依法及时办理群众诉求。"),
        ("每周三9:30开展领导接访，依法及时办理群众诉求。", "每周五14:00开展领导接访，依法及时办理群众诉求。"),
    ],
)
def test_no_digest_sentence_carries_a_bare_digit_run(measures: tuple[str, str]) -> None:
    texts = {"甲": _report("甲县信访局", measures[0]), "乙": _report("乙县信访局", measures[1])}
    sources = [NamedText(path=f"{i}.txt", text=t) for i, t in enumerate(texts.values())]
    result = _digest(texts)
    assert _bare_digit_runs(result, sources) == []


# --- 2. a short finding counts beside long sentences ----------------------------------------------


@pytest.mark.parametrize(
    ("problems", "finding", "offices"),
    [
        ({"甲县": "一是法治宣传工作有待加强。二是信访干部业务能力不足。",
          "乙县": "一是法治宣传工作有待加强。二是信访干部业务能力不足。",
          "丙县": "一是法治宣传工作有待加强。二是镇村法律顾问作用发挥不够。"},
         "法治宣传工作有待加强。", ["甲县", "乙县", "丙县"]),
        ({"甲县": "执法监督不够有力。部分执法人员对新修订法律法规学习不够深入。",
          "乙县": "执法监督不够有力。"},
         "执法监督不够有力。", ["甲县", "乙县"]),
    ],
)
def test_a_short_finding_is_counted_whatever_its_neighbours(problems: dict[str, str], finding: str,
                                                            offices: list[str]) -> None:
    result = _digest({o: _report(f"{o}信访局", problems=p) for o, p in problems.items()})
    assert _found(result, "problems").get(finding) == offices
    if len(offices) == len(problems):
        assert f"各单位均反映{finding.rstrip('。')}" in result.text


@pytest.mark.parametrize(
    ("body", "kept", "left_out"),
    [
        ("法治宣传工作有待加强。镇村法律顾问作用发挥还不够充分。", "法治宣传工作有待加强。", ""),
        ("主要表现在以下方面：\n一是执法监督不够有力。", "执法监督不够有力。", "主要表现在以下方面。"),
        ("全年办结信访事项40件。加强镇村法律顾问队伍建设工作。", "加强镇村法律顾问队伍建设工作。", "全年办结信访事项40件。"),
    ],
)
def test_which_short_sentences_are_candidates(body: str, kept: str, left_out: str) -> None:
    doc = parse_text(_report("甲县信访局", problems=body), "a.txt")
    found = [s for k, s, _ in section_sentences(doc, 12, 160) if k.value == "problems"]
    assert kept in found and left_out not in found


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("（一）开展法治宣传进社区活动58场，发放宣传资料1.2万份。", True),  # an item, though numbered like a heading
        ("（一）深入开展矛盾纠纷排查化解工作并建立台账管理制度", True),
        ("（一）强化理论武装", False),  # a heading with nothing under it states nothing
    ],
)
def test_a_numbered_statement_with_nothing_under_it_is_a_sentence(line: str, kept: bool) -> None:
    text = f"甲县司法局关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n{line}\n二、存在的不足和原因\n宣传形式单一。\n"
    found = [s for k, s, _ in section_sentences(parse_text(text, "a.txt"), 12, 160) if k.value == "measures"]
    assert bool(found) is kept, found


# --- 3. an office says a finding when any of its sentences does -----------------------------------


@pytest.mark.parametrize(
    ("plans", "finding", "offices"),
    [
        ({"甲县": "一是推进信访工作法治化。二是加大法治宣传力度。",
          "乙县": "一是推进信访工作法治化。二是加大法治宣传力度。",
          "丙县": "一是推进信访工作法治化。二是加大法治宣传力度。",
          "丁县": "一是深化网上信访。二是推进信访工作法治化。",
          "戊县": "一是加强信访干部队伍建设。二是加大法治宣传力度。"},
         "推进信访工作法治化。", ["甲县", "乙县", "丙县", "丁县"]),
        ({"甲县": "拓宽网上信访渠道。推进律师参与信访接待。",
          "乙县": "规范律师参与信访工作流程。拓宽网上信访渠道。"},
         "拓宽网上信访渠道。", ["甲县", "乙县"]),
    ],
)
def test_a_later_sentence_of_an_office_is_counted(plans: dict[str, str], finding: str, offices: list[str]) -> None:
    result = _digest({o: _report(f"{o}信访局", plans=p) for o, p in plans.items()})
    assert _found(result, "plans").get(finding) == offices


def test_an_office_is_counted_once_however_often_it_says_it() -> None:
    plans = {"甲县": "推进信访工作法治化。持续推进信访工作法治化。", "乙县": "推进信访工作法治化。"}
    result = _digest({o: _report(f"{o}信访局", plans=p) for o, p in plans.items()})
    assert list(_found(result, "plans").values()) == [["甲县", "乙县"]]
    assert "各单位均提出" in result.text and "2个单位中" not in result.text


# --- 4. a bare 化解率 is named by what it resolves ----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "figure", "metric"),
    [
        ("全年调解矛盾纠纷45起，化解率100%。", "100%", "矛盾纠纷化解率"),
        ("全年交办信访积案20件，化解18件，化解率90%。", "90%", "积案化解率"),
        ("排查化解矛盾纠纷120件，化解信访积案8件，化解率95%。", "95%", "积案化解率"),  # the nearest object
        ("信访积案化解率91.4%。", "91.4%", "积案化解率"),
        ("矛盾纠纷化解率98%。", "98%", "矛盾纠纷化解率"),
        ("交办重点信访事项20件，化解率90%。", "90%", None),  # resolved what? no metric
    ],
)
def test_a_bare_resolution_rate_takes_its_object(sentence: str, figure: str, metric: str | None) -> None:
    figures = extract_figures(sentence)
    at = next(i for i, f in enumerate(figures) if f.text == figure)
    found = canonical(figures[at], figures[at - 1] if at else None)
    assert (found.name if found else None) == metric


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("全年交办信访积案35件，化解32件，化解率91.4%。", "全年调解矛盾纠纷45起，化解率100%。"),
        ("全年调解矛盾纠纷45起，化解率100%。", "交办重点信访事项20件，化解率90%。"),
    ],
)
def test_rates_of_different_objects_are_never_ranged_together(a: str, b: str) -> None:
    result = _digest({"松岩": _report("松岩县信访局", a), "青石": _report("青石镇人民政府", b)})
    assert "化解率最低" not in result.text and "最高100%" not in result.text
    for column in result.metrics:
        assert len(column.cells) < 2 or column.kind != "rate", column


# --- 5. a change's 指标 says it is a change ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "figure", "label"),
    [
        ("全年受理信访事项1200件，较上年减少300件。", "300件", "受理信访事项（较上年减少）"),
        ("调处矛盾纠纷410起，同比上升3个百分点。", "3个百分点", "调处矛盾纠纷（同比上升）"),
        ("较上年减少受理信访事项100件。", "100件", "受理信访事项（较上年减少）"),
        ("群众满意率较上年提高2个百分点，达到97%。", "2个百分点", "群众满意率（较上年提高）"),
        ("群众满意率较上年提高2个百分点，达到97%。", "97%", "群众满意率"),  # the level reached
        ("全年受理信访事项1200件，同比增长−3.5%。", "−3.5%", "受理信访事项（同比下降）"),  # sign turns it
        ("全年受理信访事项1200件，较上年减少300件。", "1200件", "受理信访事项"),
    ],
)
def test_a_change_is_labelled_with_its_direction(sentence: str, figure: str, label: str) -> None:
    figures = extract_figures(sentence)
    at = next(i for i, f in enumerate(figures) if f.text == figure)
    around = (figures[at - 1] if at else None, figures[at + 1] if at + 1 < len(figures) else None)
    assert metric_label(figures[at], *around) == label


def test_the_ledger_names_a_change_as_one(tmp_path: Path) -> None:
    ledger = tmp_path / "figures.csv"
    texts = {"甲": _report("甲县信访局", "全年受理信访事项1200件，较上年减少300件。")}
    _digest(texts, ledger)
    rows = {r["原文"]: r["指标"] for r in csv.DictReader(ledger.open(encoding="utf-8-sig"))}
    assert rows["300件"] == "受理信访事项（较上年减少）" and rows["1200件"] == "受理信访事项"


# --- 6. a minus sign is part of the value -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("同比增长−3.5%", [("−3.5%", "3.5", "down")]),
        ("增幅为－2个百分点", [("－2个百分点", "2", "down")]),
        ("受理量增长-3.5%", [("-3.5%", "3.5", "down")]),
        ("同比-3.5%", [("-3.5%", "3.5", "down")]),
        ("同比下降-2%", [("-2%", "2", "up")]),
        ("温差为-5个百分点", [("-5个百分点", "-5", "")]),  # a level below zero
        ("分别增长-1.5%和-2.1%", [("-1.5%", "1.5", "down"), ("-2.1%", "2.1", "down")]),
        ("同比增长−3.5%和2%", [("−3.5%", "3.5", "down"), ("2%", "2", "up")]),
        ("办理时限3-5个工作日", [("3", "3", ""), ("5个工作日", "5", "")]),  # a range
        ("2024-2025年受理信访事项30件", [("30件", "30", "")]),
        ("编号A-3件", [("3件", "3", "")]),
        ("\n-3件", [("3件", "3", "")]),  # a list dash
        ("3 - 5件", [("3", "3", ""), ("5件", "5", "")]),
    ],
)
def test_a_minus_sign_belongs_to_the_value(text: str, figures: list[tuple[str, str, str]]) -> None:
    found = extract_figures(text)
    assert [(f.text, f.value.low, f.direction) for f in found] == [(t, Decimal(v), d) for t, v, d in figures]
    assert all(text[f.start:f.end] == f.text for f in found)


@pytest.mark.parametrize(
    ("draft", "notes", "status"),
    [
        ("受理信访事项同比下降3.5%。", "受理信访事项同比增长−3.5%。", FigureStatus.supported),
        ("受理信访事项同比增长−3.5%。", "受理信访事项同比下降3.5%。", FigureStatus.supported),
        ("受理信访事项同比增长3.5%。", "受理信访事项同比增长−3.5%。", FigureStatus.contradicted),
        ("满意率增幅为－2个百分点。", "满意率下降2个百分点。", FigureStatus.supported),
    ],
)
def test_the_checker_compares_a_signed_change_as_a_fall(draft: str, notes: str, status: FigureStatus) -> None:
    report = check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)])
    assert [f.status for f in report.figures] == [status]


def test_a_change_derived_from_two_years_accepts_a_negative_growth() -> None:
    report = check_text(NamedText(path="d", text="2025年受理信访事项282件，同比增长−7.5%。"),
                        [NamedText(path="n", text="2025年受理信访事项282件。")],
                        [NamedText(path="p", text="2024年受理信访事项305件。")])
    assert [f.status for f in report.figures] == [FigureStatus.supported, FigureStatus.derived]
