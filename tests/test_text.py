"""The one home of text primitives: sentences, clauses, Han characters and bigrams."""

from __future__ import annotations

import re

import pytest

from aidraft import regexes
from aidraft.text import (
    HAN,
    clause_bounds,
    content_count,
    dice,
    find_all,
    han_bigrams,
    han_count,
    is_han,
    on_first_use,
    quotable_sentences,
    sentences,
)


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("一是开展培训。二是排查隐患！", {}, ["一是开展培训。", "二是排查隐患！"]),
        ("受理来信；办结来访。", {}, ["受理来信；办结来访。"]),
        ("受理来信；办结来访。", {"semicolons": True}, ["受理来信；", "办结来访。"]),
        ("第一行\n第二行。", {}, ["第一行", "第二行。"]),
        ("第一行\n第二行。", {"lines": False}, ["第一行\n第二行。"]),
        ("Is it? Yes!", {}, ["Is it?", "Yes!"]),
    ],
)
def test_sentences(text: str, kwargs: dict[str, bool], expected: list[str]) -> None:
    assert sentences(text, **kwargs) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学习《条例》。落实“谁执法谁普法；谁主管谁负责”。", ["学习《条例》。", "落实“谁执法谁普法；谁主管谁负责”。"]),
        ("开展宣讲（共三次。）完成", ["开展宣讲（共三次。）完成"]),
        ("甲；乙\n丙", ["甲；", "乙", "丙"]),
    ],
)
def test_quotable_sentences_never_cut_inside_quotes(text: str, expected: list[str]) -> None:
    assert quotable_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "span", "clause"),
    [
        ("全年受理来信120件，办结118件。", "118件", "办结118件"),
        ("全年受理来信120件，办结118件。", "120件", "全年受理来信120件"),
        ("化解率90.7%", "90.7%", "化解率90.7%"),
    ],
)
def test_clause_bounds(text: str, span: str, clause: str) -> None:
    start = text.index(span)
    left, right = clause_bounds(text, start, start + len(span))
    assert text[left:right] == clause


@pytest.mark.parametrize(
    ("a", "b", "within_runs", "expected"),
    [
        ("化解积案68件", "化解积案件", False, 1.0),
        ("办结68件，化解率", "办结件化解率", False, 1.0),
        ("办结68件，化解率", "办结件化解率", True, 2 * 3 / (3 + 5)),
        ("开展普法", "排查风险", False, 0.0),
    ],
)
def test_han_bigrams_and_dice(a: str, b: str, within_runs: bool, expected: float) -> None:
    assert dice(han_bigrams(a, within_runs=within_runs), han_bigrams(b, within_runs=within_runs)) == expected


@pytest.mark.parametrize(
    ("text", "han", "content"), [("开展宣讲12场，发放资料。", 9, 11), ("㐀A1，", 0, 3), ("", 0, 0)]
)
def test_counts(text: str, han: int, content: int) -> None:
    assert (han_count(text), content_count(text)) == (han, content)


def test_a_pattern_compiled_on_first_use_behaves_as_the_compiled_one(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = regexes.compile
    monkeypatch.setattr(regexes, "compile", lambda p, *a: compiled.append(p) or real(p, *a))
    han = on_first_use("[\u4e00-\u9fff]+")
    assert compiled == [] and han.pattern == "[\u4e00-\u9fff]+"
    assert han.findall("受理12件，办结11件") == ["受理", "件", "办结", "件"]
    assert han.sub("_", "ab受理") == "ab_" and han.fullmatch("受理") and not han.match("1受理")
    assert [m.span() for m in han.finditer("a受理")] == [(1, 3)] and han.search("1受理").group() == "受理"
    assert compiled == ["[\u4e00-\u9fff]+"]  # once


def test_is_han_is_the_class() -> None:
    han = re.compile(f"[{HAN}]")
    assert all(is_han(chr(c)) == bool(han.fullmatch(chr(c))) for c in range(0x10000))
    assert not is_han("")


@pytest.mark.parametrize(
    ("text", "word", "starts"),
    [
        ("布署工作，再次布署", "布署", [0, 7]),
        ("aaaa", "aa", [0, 2]),  # no overlaps, as re.finditer
        ("aaa", "aa", [0]),
        ("台帐台帐台帐", "台帐", [0, 2, 4]),
        ("市信访局", "县信访", []),
        ("", "布署", []),
        ("布署", "", []),  # an empty word is found nowhere (re would match between every character)
        ("a.b(c)", ".b(", [1]),  # a word is text, never a pattern
    ],
)
def test_find_all(text: str, word: str, starts: list[int]) -> None:
    assert list(find_all(text, word)) == starts
    if word:
        assert starts == [m.start() for m in re.finditer(re.escape(word), text)]
