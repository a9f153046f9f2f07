"""Token counting (offline encoding) and fitting paragraphs into a budget at sentence ends."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidraft.llm.budget import count_tokens, fit_to_budget
from aidraft.text import SENTENCE_END, sentence_pieces

P1 = "今年以来，我市坚持依法行政。全面推进政务公开！"
P2 = "行政复议案件办理质效提升？执法监督持续加强。"
P3 = "下一步，我们将继续深化改革。"


@pytest.mark.parametrize(("text", "positive"), [("", False), ("法治政府", True), ("<|endoftext|>", True)])
def test_count_tokens(text: str, positive: bool) -> None:
    assert (count_tokens(text) > 0) is positive


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("甲。乙！丙？", ["甲。", "乙！", "丙？"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("没有句号的结尾", ["没有句号的结尾"]),
        ("（一）完善制度。（二）加强监督", ["（一）完善制度。", "（二）加强监督"]),
        ("", []),
    ],
)
def test_sentence_pieces(text: str, pieces: list[str]) -> None:
    assert sentence_pieces(text) == pieces
    assert "".join(pieces) == text


def _cost(texts: list[str]) -> int:
    return sum(count_tokens(t) for t in texts) + max(len(texts) - 1, 0)


def test_everything_fits() -> None:
    result = fit_to_budget([P1, P2, P3], 10_000)
    assert result == [P1, P2, P3]
    assert not result.truncated and result.dropped_tokens == 0
    assert "kept everything" in result.summary


def test_cuts_at_sentence_end_and_reports() -> None:
    budget = _cost([P1]) + 1 + count_tokens("行政复议案件办理质效提升？")
    result = fit_to_budget([P1, P2, P3], budget)
    assert list(result) == [P1, "行政复议案件办理质效提升？"]
    assert result.truncated
    assert (result.dropped_sentences, result.dropped_paragraphs) == (2, 1)
    assert result.dropped_tokens == count_tokens("执法监督持续加强。") + count_tokens(P3)
    assert "dropped 2 sentence(s)" in result.summary
    assert result.kept_tokens <= budget


@pytest.mark.parametrize("budget", [0, 1, 3])
def test_never_returns_a_sentence_fragment(budget: int) -> None:
    result = fit_to_budget(["这是一个相当长的句子，没有任何机会在预算内完整保留下来。"], budget)
    assert list(result) == [] and result.dropped_paragraphs == 1


def test_does_not_skip_ahead() -> None:
    """A later short paragraph is not pulled in after an earlier one was cut."""
    long = "很长的一句话" * 40 + "。"
    assert fit_to_budget([P3, long, "短。"], _cost([P3]) + 5) == [P3]


sentence = st.text(alphabet="法治政府建设依法行政abc 12，、", min_size=1, max_size=12).map(
    lambda body: body + "。"
) | st.text(alphabet="法治abc", min_size=1, max_size=6).map(lambda body: body + "！")
paragraph = st.lists(sentence, min_size=1, max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(paragraph, min_size=0, max_size=6), budget=st.integers(min_value=0, max_value=120))
def test_property_whole_sentences_within_budget(paragraphs: list[str], budget: int) -> None:
    result = fit_to_budget(paragraphs, budget)
    assert len(result) <= len(paragraphs)
    assert _cost(list(result)) <= budget
    for kept, original in zip(result, paragraphs):
        assert original.startswith(kept)
        assert kept == original or kept[-1] in SENTENCE_END  # a cut only ever lands after 。！？
    if len(result) < len(paragraphs) or (result and result[-1] != paragraphs[len(result) - 1]):
        assert result.truncated
