"""Zero claims: a count stated as none without a numeral (零发生, 零败诉, 无一例被纠错,
未发生群体性事件, genre/zero_claims.yaml).

They are figures to a reader, so the checker judges them (check/zero_claims.py); they are kept out
of ``extract_figures`` because nothing adds them up: a ledger or a digest total has no use for a 0
without a unit. Each is a Figure of value 0 (unit '') with the extractor's own clause context.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from aidraft import genre, regexes
from aidraft.figures.extract import with_context
from aidraft.figures.model import Approx, Figure, FigureKind, quantity
from aidraft.strict import Strict
from aidraft.text import find_all, han_bigrams, han_only, sentence_breaks

ZERO = quantity(Decimal(0), Decimal(0), Decimal(1))
METRIC_BEFORE = 12  # characters of the clause before a claim that name its metric
METRIC_AFTER = 12
METRIC_WIDER = 24  # characters of the sentence looked at when the clause names no metric


class ZeroWords(Strict):
    after_zero: list[str]
    none_counters: list[str]
    not_happened: list[str]
    not_after: list[str]
    qualifiers: list[str]
    target_words: list[str]
    lead_words: list[str]


@cache
def words() -> ZeroWords:
    return genre.load("zero_claims.yaml", ZeroWords)


NONE_HEADS = ("无一", "没有一", "未有一")
OPEN_QUOTES, CLOSE_QUOTES = "“‘\"", "”’\""


@cache
def _claim_re() -> re.Pattern[str]:
    w = words()
    return regexes.compile(
        rf"零(?P<word>{regexes.alternation(w.after_zero)})"
        rf"|(?:{regexes.alternation(NONE_HEADS)})(?:{regexes.alternation(w.none_counters)})(?!外)"  # 无一例外 is no claim
        rf"|(?:{regexes.alternation(w.not_happened)})(?!{regexes.alternation(w.not_after)})")


@cache
def _heads() -> tuple[str, ...]:
    """What every claim starts with: found by plain search (a claim is rare; 未 and 无 are not)."""
    return ("零", *NONE_HEADS, *words().not_happened)


@cache
def _lead_re() -> re.Pattern[str]:
    return regexes.compile(regexes.alternation(words().lead_words))


def zero_claims(text: str) -> list[Figure]:
    """Every zero claim of ``text``, in order, with line, clause context and sentence."""
    claim = _claim_re()
    found: list[dict[str, object]] = []
    for at in sorted({at for head in _heads() for at in find_all(text, head)}):
        m = claim.match(text, at)
        if m is None or (found and at < found[-1]["end"]):  # type: ignore[operator]
            continue
        start, end = m.span()
        if m.group("word") and start > 0 and text[start - 1] in OPEN_QUOTES:  # “零上访”
            start -= 1
            end += 1 if text[end : end + 1] in CLOSE_QUOTES and text[end : end + 1] else 0
        found.append({"text": text[start:end], "start": start, "end": end, "value": ZERO,
                      "approx": Approx.exact, "kind": FigureKind.count, "unit": "", "numeral": "零",
                      "chinese": True, "direction": ""})
    return with_context(text, found, sentence_breaks(text)) if found else []


def _event(claim: Figure) -> str:
    """The event word a claim carries itself: 败诉 of 零败诉, 发生 of 未发生 (not of 无一例)."""
    m = _claim_re().match(claim.text.lstrip(OPEN_QUOTES))
    word = m.group("word") if m else None
    if word:
        return word
    return "发生" if "发生" in claim.text or "出现" in claim.text else ""


def claim_metric(claim: Figure) -> str:
    """What a claim says there was none of: 进京非访发生 for 实现进京非访零发生, 发生重大群体性事件 for
    全年未发生重大群体性事件, 行政复议决定被纠错 for 行政复议决定无一例被纠错."""
    lead = _lead_re()
    before = lead.sub("", claim.before.replace(" ", ""))[-METRIC_BEFORE:]
    after = lead.sub("", claim.after.replace(" ", ""))[:METRIC_AFTER]
    if len(han_only(before + after)) < 2:  # 上年发生3起，今年未发生: the metric stands earlier in the sentence
        before = lead.sub("", han_only(claim.preceding(METRIC_WIDER)))[-METRIC_BEFORE:]
    return before + _event(claim) + after


def claim_key(claim: Figure) -> frozenset[str]:
    """The bigrams of a claim's metric, as claims and counts are compared by."""
    return han_bigrams(claim_metric(claim), within_runs=True)


def is_target(claim: Figure) -> bool:
    """力争零发生, 确保未发生…: a target, not this year's result."""
    return any(w in claim.before for w in words().target_words)


def qualifiers(metric: str) -> frozenset[str]:
    """The grades a metric names (重大, 较大 …): a count of all is no count of the grave ones."""
    return frozenset(q for q in words().qualifiers if q in metric)
