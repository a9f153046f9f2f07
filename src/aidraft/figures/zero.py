"""Zero claims: a count stated as none without a numeral (零发生, 零败诉, 无一例被纠错,
未发生群体性事件, genre/zero_claims.yaml).

They are figures to a reader, so the checker judges them (check/zero_claims.py); they are kept out
of ``extract_figures`` because nothing adds them up: a ledger or a digest total has no use for a 0
without a unit. Each is a Figure of value 0 (unit '') with the extractor's own clause context.
"""

import re
from decimal import Decimal
from functools import cache, lru_cache

from aidraft import genre, regexes
from aidraft.figures.extract import with_context
from aidraft.figures.model import Approx, Figure, FigureKind, quantity
from aidraft.strict import Strict
from aidraft.text import find_all, han_bigrams, han_only, sentence_breaks

ZERO = quantity(Decimal(0), Decimal(0), Decimal(1))
METRIC_BEFORE = 12  # characters of the clause before a claim that name its metric
METRIC_AFTER = 12
METRIC_WIDER = 24  # characters of the sentence looked at when the clause names no metric

MEMO = 1 << 14  # clauses remembered: a text repeats its clauses, and a claim meets every count


class ZeroWords(Strict):
    after_zero: list[str]
    none_counters: list[str]
    not_happened: list[str]
    not_after: list[str]
    qualifiers: list[str]
    target_words: list[str]
    lead_words: list[str]
    verb_heads: list[str]
    generic_events: list[str]
    event_aliases: dict[str, str]


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
        rf"|(?:{regexes.alternation(w.not_happened)})(?!{regexes.alternation(w.not_after)})"
        # 无一败诉, 无一被纠错, 没有败诉案件: the event word itself follows the head
        rf"|(?:{regexes.alternation(w.verb_heads)})(?P<verb>{regexes.alternation(w.after_zero)})")


@cache
def _heads() -> tuple[str, ...]:
    """What every claim starts with: found by plain search (a claim is rare; 未 and 无 are not)."""
    return ("零", *NONE_HEADS, *words().not_happened, *words().verb_heads)


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


@lru_cache(maxsize=MEMO)
def _canonical(text: str) -> str:
    """Event words in one spelling: 亡人 is 死亡 (genre/zero_claims.yaml event_aliases)."""
    for word, canonical in words().event_aliases.items():
        if word in text:
            text = text.replace(word, canonical)
    return text


@cache
def _event_re() -> re.Pattern[str]:
    return regexes.compile(regexes.alternation(words().after_zero))


def event_in(text: str) -> str:
    """The first event word of ``text`` (败诉, 死亡, 纠错 …; 被纠错 is 纠错) other than the generic
    发生, '' when none."""
    generic = _generic_re()
    for m in _event_re().finditer(_canonical(text)):
        if not generic.fullmatch(m.group()):
            return m.group().removeprefix("被")
    return ""


@cache
def _generic_re() -> re.Pattern[str]:
    return regexes.compile(regexes.alternation(words().generic_events))


NUMBER = regexes.compile(r"[0-9０-９.．,，%％]+[^\u4e00-\u9fff]{0,2}[件次人名个家户起宗例批]?")
SHORT = 3  # Han characters of its own clause below which a metric takes the sentence's earlier words


@lru_cache(maxsize=MEMO)  # many notes counts share a clause, and a claim meets them all
def _object(before: str, after: str, preceding: str, event: str) -> tuple[str, str]:
    """What there was none (or a count) of, without the event word and the generic 发生/出现: the
    words of the clause around it, and (second) with the sentence's earlier words before them where
    the clause names fewer than SHORT characters (应诉行政诉讼案件12件，无一例败诉: 应诉行政诉讼案件)."""
    lead, generic = _lead_re(), _generic_re()

    def clean(text: str) -> str:
        text = generic.sub("", lead.sub("", _canonical(han_only(NUMBER.sub("", text)))))
        return text.replace("被" + event, "").replace(event, "") if event else text

    narrow = clean(before)[-METRIC_BEFORE:] + clean(after)[:METRIC_AFTER]
    if len(narrow) < SHORT:
        earlier = preceding[: len(preceding) - len(before)] if preceding.endswith(before) else preceding
        return narrow, clean(earlier)[-METRIC_BEFORE:] + narrow
    return narrow, narrow


def _event(claim: Figure) -> str:
    """The event a claim says there was none of: 败诉 of 零败诉 and 无一例败诉, 死亡 of 未造成人员死亡
    and of 未发生亡人事故, 事件 of 未发生群体性事件, 非访 of 进京非访零发生; 发生 where its clause
    names no event (实现信访案件零发生)."""
    m = _claim_re().match(claim.text.lstrip(OPEN_QUOTES))
    word = (m.group("word") or m.group("verb")) if m else None
    if word and not _generic_re().fullmatch(word):
        return _canonical(word).removeprefix("被")
    return event_in(claim.after[:METRIC_AFTER]) or event_in(claim.preceding(METRIC_WIDER)) or "发生"


def claim_parts(claim: Figure) -> tuple[str, tuple[str, str]]:
    """A claim's event and object (narrow, wide): (败诉, 行政诉讼) for 全年行政诉讼实现零败诉."""
    event = _event(claim)
    return event, _object(claim.before, claim.after, claim.preceding(METRIC_WIDER), event)


def count_parts(fig: Figure, event: str) -> tuple[bool, tuple[str, str]]:
    """Whether a count's clause names ``event`` (a 发生 claim's count needs only its object), and
    the count's object by the same rule as a claim's (死亡0人 in 全年发生生产安全事故5起，死亡0人:
    生产安全事故)."""
    clause = _canonical(fig.before + "|" + fig.after)
    names = event == "发生" or event in clause
    return names, _object(fig.before, fig.after, fig.preceding(METRIC_WIDER), event)


def claim_metric(claim: Figure) -> str:
    """What a claim says there was none of, its object and event: 进京非访 for 实现进京非访零发生,
    重大群体性事件 for 全年未发生重大群体性事件, 行政复议决定纠错 for 行政复议决定无一例被纠错."""
    event, (_, wide) = claim_parts(claim)
    return wide + (event if event != "发生" else "")


@lru_cache(maxsize=MEMO)
def object_key(text: str) -> frozenset[str]:
    return han_bigrams(text, within_runs=True)


def claim_key(claim: Figure) -> frozenset[str]:
    """The bigrams of a claim's metric (object and event), as claims are indexed and compared by."""
    return object_key(claim_metric(claim))


def is_target(claim: Figure) -> bool:
    """力争零发生, 确保未发生…: a target, not this year's result."""
    return any(w in claim.before for w in words().target_words)


def qualifiers(metric: str) -> frozenset[str]:
    """The grades a metric names (重大, 较大 …): a count of all is no count of the grave ones."""
    return frozenset(q for q in words().qualifiers if q in metric)
