"""Spoken register in the notes never reaches the draft, and `aidraft lint` flags it in any report.

The words come from genre/register.yaml and genre/self_reference.yaml; quotations, titles and
the official phrases a spoken word stands in (不搞“一言堂”) are neither rewritten nor flagged.
"""

from __future__ import annotations

import pytest

from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
from aidraft.draft.write_offline import formal
from aidraft.genre.register import register_rules
from aidraft.lint.run import lint_text
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import parse_notes

SPOKEN = ["搞", "老百姓", "咱们", "挺", "！", "我们"]


def _draft_body(office: str, notes: str) -> str:
    parsed = parse_notes(f"---\noffice: {office}\nyear: 2025\n---\n{notes}", "notes.md")
    result = run_draft(resolve_inputs(parsed, [], None, None), OfflineDrafter(), path="draft")
    section = result.document.section_of_kind(SectionKind.measures)
    assert section is not None
    return result.document.text[section.start : section.end]


@pytest.mark.parametrize(
    ("office", "note", "written"),
    [
        ("柳湾区教育局", "今年，我们搞了不少工作，老百姓反映挺好。", "区教育局开展了不少工作，群众反映良好"),
        ("柳湾区教育局", "咱们局被评为全市依法治校示范单位！！", "区教育局被评为全市依法治校示范单位。"),
        ("梅岭县交通运输局", "我们统一印发了路政执法文书范本12类", "统一印发了路政执法文书范本12类"),
        ("梅岭县交通运输局", "执法队员下沉一线，老百姓点名表扬的有5人", "群众点名表扬的有5人"),
    ],
)
def test_the_offline_writer_speaks_for_the_office_in_the_written_register(office: str, note: str,
                                                                        written: str) -> None:
    body = _draft_body(office, f"- {note}\n- 开展路政法规培训3期\n")
    assert written in body
    spoken = [w for w in SPOKEN if w in body]
    assert spoken == [], body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展“我们的节日”主题普法活动", "开展“我们的节日”主题普法活动"),  # a title is someone's words
        ("坚持不搞“一言堂”，集体研究决定", "坚持不搞“一言堂”，集体研究决定"),  # an official phrase
        ("把纪律挺在前面", "把纪律挺在前面"),
        ("我局组织干部学法", "我局组织干部学法"),  # the genre's own self-reference
        ("咱局搞了专项整治", "区司法局开展了专项整治"),
    ],
)
def test_formal_leaves_quotations_and_official_phrases_alone(text: str, expected: str) -> None:
    assert formal(text, "区司法局") == expected


def test_formal_without_an_office_uses_the_neutral_self_reference() -> None:
    assert formal("我们建立了执法台账") == "本单位建立了执法台账"


REPORT = "某某区司法局关于2025年度法治政府建设情况的报告\n\n{preamble}\n一、主要举措和成效\n{body}\n\n某某区司法局\n2026年3月1日\n"
PREAMBLE = "2025年，区司法局坚持以习近平法治思想为指导，推进法治政府建设。现将有关情况报告如下："


@pytest.mark.parametrize(
    ("body", "rule", "word"),
    [
        ("今年我们开展法治培训6期。", "register-first-person", "我们"),
        ("咱们局组织普法活动12场。", "register-first-person", "咱们"),
        ("搞了执法案卷评查，抽查案卷40卷。", "register-colloquial", "搞"),
        ("老百姓满意度进一步提升。", "register-colloquial", "老百姓"),
        ("执法工作成效挺好。", "register-colloquial", "挺好"),
        ("被评为法治建设先进单位！", "register-mark", "！"),
    ],
)
def test_lint_flags_spoken_register_in_any_report(body: str, rule: str, word: str) -> None:
    report = lint_text(REPORT.format(preamble=PREAMBLE, body=body))
    hits = [f for f in report.findings if f.rule == rule]
    assert hits and word in hits[0].excerpt
    assert any("\u4e00" <= ch <= "\u9fff" for ch in hits[0].message)  # the catalogue's Chinese message


@pytest.mark.parametrize(
    "body",
    [
        "组织开展“我们的节日”主题普法活动5场。",  # a quoted title
        "学习《我们的宪法》读本，参学120人次。",
        "坚持不搞“一言堂”，重大事项集体研究。",
        "我局组织干部职工学法4次，引导群众依法表达诉求。",  # 我局 and 群众 are the genre's own words
        "把纪律和规矩挺在前面，开展警示教育2次。",
    ],
)
def test_lint_register_raises_no_false_alarm(body: str) -> None:
    report = lint_text(REPORT.format(preamble=PREAMBLE, body=body))
    assert [f for f in report.findings if f.rule.startswith("register-")] == []


def test_register_words_are_data() -> None:
    rules = register_rules()
    words = {c.word for c in rules.colloquial}
    assert {"搞", "老百姓", "挺好"} <= words and {m.word for m in rules.marks} >= {"！"}
    assert rules.hits("咱们") and rules.hits("我们")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("搞培训4期，覆盖调解员300人", "开展培训4期，覆盖调解员300人"),  # 搞 + an activity: 开展 fits
        ("组织搞宣传12次", "组织开展宣传12次"),
        ("把案情搞清楚、把责任搞明白", "把案情查清、把责任弄明白"),  # no 开展清楚
        ("严防搞错处罚主体", "严防弄错处罚主体"),
        ("搞活城乡法律服务市场", "搞活城乡法律服务市场"),  # an official phrase
        ("搞一些便民服务", "搞一些便民服务"),  # no written form that fits: left for the lint
    ],
)
def test_gao_is_rewritten_only_where_kaizhan_fits(text: str, expected: str) -> None:
    assert register_rules().formal(text, [], "县司法局") == expected


def test_a_gao_left_unrewritten_is_flagged_by_the_lint() -> None:
    assert [h.word for h in register_rules().hits("搞一些便民服务") if h.kind == "colloquial"] == ["搞"]
    assert [h for h in register_rules().hits("搞活城乡法律服务市场") if h.kind == "colloquial"] == []
