"""Zero claims (零发生, 无一例被纠错, 未发生群体性事件) are judged as figures: a report may claim
none only where the notes do, and a count of the same thing contradicts the claim."""

from __future__ import annotations

import pytest

from aidraft.check.model import FigureStatus
from aidraft.check.run import check_text
from aidraft.figures.zero import zero_claims
from aidraft.ingest.read import NamedText

S, U, C = FigureStatus.supported, FigureStatus.unsupported, FigureStatus.contradicted


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("全年实现进京非访零发生。", ["零发生"]),
        ("行政应诉案件保持“零败诉”。", ["“零败诉”"]),
        ("作出行政处罚决定42件，无一例被复议纠错。", ["无一例"]),
        ("全年未发生重大群体性事件和极端事件。", ["未发生"]),
        ("汛期未造成人员伤亡。", ["未造成"]),
        ("对违纪违法行为零容忍，服务群众零距离。", []),  # a stance and a slogan count nothing
        ("各项制度无一例外得到落实。", []),
        ("局机关内设机构未发生变化。", []),
        ("发放宣传资料一千零五十份。", []),  # 零 inside a numeral
    ],
)
def test_zero_claims_are_found(text: str, claims: list[str]) -> None:
    assert [z.text for z in zero_claims(text)] == claims


def _status(draft: str, notes: str, claim: str) -> FigureStatus:
    report = check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)])
    found = [f for f in report.figures if f.text == claim]
    assert found, [f.text for f in report.figures]
    return found[0].status


@pytest.mark.parametrize(
    ("notes", "draft", "claim", "expected"),
    [
        # the notes count what the draft says never happened
        ("- 全年发生进京非访2起，赴省集访1批次。", "全年实现进京非访零发生。", "零发生", C),
        ("- 全年发生进京非访2起，赴省集访1批次。", "全年未发生赴省集访。", "未发生", C),
        ("- 行政诉讼案件败诉1件。", "行政诉讼案件零败诉。", "零败诉", C),
        ("- 行政复议决定被纠错3件。", "全年作出的行政复议决定无一例被纠错。", "无一例", C),
        ("- 发生较大安全生产事故1起。", "全年未发生较大安全生产事故。", "未发生", C),
        # the notes say none, in other words
        ("- 全年未发生进京非访。", "实现进京非访零发生。", "零发生", S),
        ("- 进京非访0起。", "全年实现进京非访零发生。", "零发生", S),
        ("- 上年发生进京非访3起，今年未发生。", "全年实现进京非访零发生。", "零发生", S),
        ("- 行政应诉案件零败诉。", "行政应诉案件保持“零败诉”。", "“零败诉”", S),
        ("- 汛期无人员伤亡，未造成人员伤亡。", "汛期未造成人员伤亡。", "未造成", S),
        # the notes say nothing about it: the claim is the draft's own
        ("- 受理信访事项860件。", "全年实现进京非访零发生。", "零发生", U),
        # a count of all is no count of the grave ones; last year's count is not this year's
        ("- 妥善处置群体性事件苗头3起。", "全年未发生重大群体性事件。", "未发生", U),
        ("- 上年发生进京非访3起。", "全年实现进京非访零发生。", "零发生", U),
        # a target is backed by a target and never contradicted by this year's count
        ("- 发生进京非访2起。\n- 明年力争进京非访零发生。", "2026年，力争实现进京非访零发生。", "零发生", S),
        ("- 发生进京非访2起。", "2026年，力争实现进京非访零发生。", "零发生", U),
        ("- 明年力争进京非访零发生。", "全年实现进京非访零发生。", "零发生", U),  # a target backs no result
    ],
)
def test_zero_claims_are_judged_against_the_notes(notes: str, draft: str, claim: str, expected: FigureStatus) -> None:
    assert _status(draft, notes, claim) is expected


def test_a_contradicted_claim_names_the_notes_count() -> None:
    report = check_text(NamedText(path="d", text="实现进京非访零发生。"), [NamedText(path="n", text="- 发生进京非访2起。")])
    (claim,) = [f for f in report.figures if f.text == "零发生"]
    assert claim.source is not None and claim.source.text == "2起" and report.summary.flagged == 1
