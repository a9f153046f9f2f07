"""Eval metric functions on small texts of our own: each counts its fault and stays quiet on the
look-alikes the genre uses legitimately."""

from __future__ import annotations

import pytest

from aidraft.evals.compare import judge_delta
from aidraft.evals.config import Bound, LengthRange
from aidraft.evals.metrics import length_fit
from aidraft.evals.register import register_hits, score_register, sentences
from aidraft.text import content_count
from aidraft.evals.repetition import duplicate_sentences, repeated_ngrams
from aidraft.lint.run import lint_text

LONG_A = "局党组会议专题研究法治建设工作并部署全年任务。"
LONG_B = "全年受理群众信访事项一千余件并全部按期办结。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们认真开展学习。", [("first-person", "我们")]),
        ("我局认真开展学习，我县信访秩序平稳。", []),  # 我局/我县 name the unit: allowed
        ("干部自我加压。", []),
        ("我认为效果特别好。", [("first-person", "我"), ("colloquial", "特别好")]),
        ("老百姓反映的问题其实不多。", [("colloquial", "老百姓"), ("colloquial", "其实")]),
        ("开展宣讲12场,发放资料3000份。", [("half-width", ",")]),
        ("全年召开会议4次(含专题会)。", [("half-width", "(含专题会)")]),
        ("按期办结率98.6%。1.加强学习", []),  # decimal points and heading numbers are no punctuation faults
        ("复议案件12件;诉讼案件3件?", [("half-width", ";"), ("half-width", "?")]),  # counted one by one
        ("印发工作要点.\n召开会议2次.", [("half-width", "."), ("half-width", ".")]),  # '.' ending a line
        ("2021-2025年规划", [("half-width", "-")]),  # the lint rule's 一字线 in a year range
    ],
)
def test_register_hits(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(h.rule, h.text) for h in register_hits(text)] == expected


def test_sentence_length_fit_and_mean() -> None:
    text = "短句。这是一个长度适中的句子用于测试句长。" + "甲" * 200 + "。"
    score = score_register(text, low=6, high=150)
    assert score.sentences == 3  # lengths 2, 17 and 200: only the middle one is in range
    assert score.fit == pytest.approx(1 / 3, abs=1e-4)
    assert score.mean_sentence == 73.0
    assert sentences("一、总体情况\n内容很多。") == ["一、总体情况", "内容很多"]
    assert content_count("开展宣讲12场，发放资料。") == 11


def test_duplicate_sentences_counts_later_copies_only() -> None:
    text = LONG_A + LONG_B + LONG_A + "同安排、同部署。同安排、同部署。" + LONG_A.replace("。", "！")
    copies = duplicate_sentences(text)
    assert [c.text for c in copies] == [LONG_A, LONG_A.replace("。", "！")]
    assert all(c.first == 0 for c in copies)
    assert [c.start for c in copies] == [len(LONG_A + LONG_B), len(text) - len(LONG_A)]


@pytest.mark.parametrize(
    ("text", "copies"),
    [
        (LONG_B + "\n" + LONG_B, 1),  # a copy in another paragraph
        (LONG_B + " " + LONG_B.replace("并", " 并"), 1),  # spaces do not hide a copy
        (LONG_B + LONG_B.replace("并", "，并"), 0),  # re-punctuated inside: the n-gram share's job
        ("同安排、同部署。" * 3, 0),  # shorter than SENTENCE_MIN: a formula, not a copy
    ],
)
def test_duplicate_sentences_are_the_lint_rules(text: str, copies: int) -> None:
    """The eval counts exactly what lint's duplicate-sentence flags."""
    assert len(duplicate_sentences(text)) == copies == sum(
        f.rule == "duplicate-sentence" for f in lint_text(text).findings
    )


def test_repeated_ngrams_share() -> None:
    clean = LONG_A + LONG_B
    assert repeated_ngrams(clean) == (0.0, [])
    looped = LONG_A + LONG_B + "此外，" + LONG_A[:-1] + "，确保落实到位。"
    share, spans = repeated_ngrams(looped)
    assert 0.3 < share < 0.5
    assert spans and spans[0].text.startswith("局党组会议") and spans[0].first == 0
    # a run shorter than the n-gram is a shared formula, not a copy
    assert (
        repeated_ngrams("坚持以习近平法治思想为指导。" * 1 + "坚持以习近平法治思想为指导开展工作。")[0] == 0.0
    )


@pytest.mark.parametrize(("n", "expected"), [(50, 0.5), (100, 1.0), (150, 1.0), (200, 1.0), (400, 0.5)])
def test_length_fit(n: int, expected: float) -> None:
    assert length_fit(n, LengthRange(min=100, max=200)) == expected


@pytest.mark.parametrize(
    ("bound", "value", "problem"),
    [
        (Bound(min=0.9), 0.95, None),
        (Bound(min=0.9), 0.85, "0.85 < min 0.9"),
        (Bound(max=0), 1.0, "1 > max 0"),
        (Bound(max=0), None, None),  # not applicable: meets any bound
    ],
)
def test_bounds(bound: Bound, value: float | None, problem: str | None) -> None:
    assert bound.violation(value) == problem


# metric, old, new, tolerance, expected status
DELTAS = [
    ("figure_precision", 1.0, 0.97, 0.02, "regressed"),
    ("figure_precision", 1.0, 0.99, 0.02, "same"),
    ("figure_precision", 0.9, 1.0, 0.02, "improved"),
    ("duplicate_sentences", 0.0, 1.0, 0.0, "regressed"),
    ("duplicate_sentences", 2.0, 0.0, 0.0, "improved"),
    ("stale_figures", 0.0, 0.0, 0.0, "same"),
    ("reference_overlap", 0.6, 0.2, 0.05, "info"),
    ("plan_coverage", None, 1.0, 0.1, "new"),
    ("plan_coverage", 1.0, None, 0.1, "gone"),
]


@pytest.mark.parametrize(("metric", "old", "new", "tolerance", "status"), DELTAS)
def test_delta_direction_and_tolerance(
    metric: str, old: float | None, new: float | None, tolerance: float, status: str
) -> None:
    assert judge_delta("c", metric, old, new, tolerance).status == status
