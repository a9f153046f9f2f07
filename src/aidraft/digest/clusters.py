"""Common findings across offices, offline: sentences that share a telling word, counted by office.

Whole-sentence similarity misses what a compiler sees at once: "法治宣传工作有待加强", "法治宣传形式
还有待加强" and "开展法治宣传教育不够" are one finding in three wordings. So the unit
is the character bigram of a sentence's Han text with generic words (genre/digest.yaml
``cluster_generic``: 有待, 进一步, 不够 …) cut out, minus bigrams too general to tie anything
together (genre/digest.yaml ``cluster_stop``, and any bigram in more than ``cluster_share`` of the
section's sentences). Lazy greedy cover: the bigram found in the most offices' unused sentences
makes a finding; its sentences are used up; repeat while a bigram still spans two offices. Each
finding is stated by the clause around its bigram in the member most like the others, and
counted ("5个单位中有4个反映…") only for offices whose own clause on the topic says it: "法治宣传覆盖面窄"
shares the topic of "法治宣传工作有待加强" but not what it says, and stays that office's own finding.
Linear in the input apart from the heap.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from aidraft import regexes
from aidraft.digest.config import digest_genre
from aidraft.digest.model import Practice, Source
from aidraft.digest.sentences import clause_pattern, digit_fragments, has_figures, name_office, strip_figures
from aidraft.text import han_bigrams, han_count, han_only

_CLAUSE = clause_pattern("，；：,;:。！？")  # 1,050 is one number, not two clauses
MIN_CLAUSE_HAN = 6
GENERAL_WEIGHT = 0.25
SAMPLE = 16  # offices a statement is drawn from and ranked on (a group can have thousands)
PER_OFFICE = 4  # of each sampled office's sentences holding the word
MIN_STATEMENT_HAN = 8  # 习近平法治思想 alone is a list item, not a finding
MIN_PREDICATED_HAN = 5  # ... but 普法宣传不够 names a topic and what is wrong with it: a finding
_NOT_START = set("的了和与及等是在对为把将被之其并而或、，")
#: A clause that only sets up the next one (为深入推进…, 按照…要求) is not a finding by itself.
_OPENS_PURPOSE = regexes.compile(r"^(?:为了?|以|按照|根据|通过|围绕|对照|针对|结合|在)")


@dataclass(frozen=True, slots=True)
class Item:
    report: int
    label: str
    office: str
    file: str
    line: int
    text: str
    keys: frozenset[str] | None = None  # the sentence's Han bigrams, when the caller has them


@cache
def _generic() -> re.Pattern[str]:
    return regexes.compile(regexes.alternation(digest_genre().cluster_generic) or "$^")


def _keys(text: str, stop: frozenset[str]) -> frozenset[str]:
    """The content bigrams of ``text``: generic words (有待加强, 不够 …) cut out first, so no bigram
    spans one of them, nor a punctuation mark or a figure."""
    return frozenset(b for b in han_bigrams(_generic().sub(" ", text), within_runs=True) if b not in stop)


def _clauses_with(text: str, key: str, limit: int) -> list[str]:
    """Every clause of ``text`` holding ``key``, each joined to the next one when it is too short
    (``[text]`` when none does)."""
    clauses = [m for m in _CLAUSE.finditer(text)]
    found: list[str] = []
    for i, m in enumerate(clauses):
        if key in han_only(m.group(0)) or key in m.group(0):
            out = m.group(0).strip()
            j = i + 1
            while ((han_count(out) < MIN_CLAUSE_HAN or _OPENS_PURPOSE.match(out))
                   and j < len(clauses) and len(out) < limit):
                out += "，" + clauses[j].group(0).strip()
                j += 1
            found.append(out)
    return found or [text]


def _clause_with(text: str, key: str, limit: int) -> str:
    """The first clause of ``text`` holding ``key``, joined to the next one when it is too short."""
    return _clauses_with(text, key, limit)[0]


def _tails(clause: str, key: str, cuts: re.Pattern[str]) -> list[str]:
    """The clause after each leading verb before ``key``: 运用新媒体开展法治宣传工作有待加强 →
    法治宣传工作有待加强 (where findings end in their predicate, more offices say the shorter one)."""
    at = clause.find(key)
    return [clause[m.end():] for m in cuts.finditer(clause, 0, max(at, 0))
            if 0 < m.end() <= at and clause[m.end()] not in _NOT_START]


def _contained(part: frozenset[str], whole: frozenset[str], general: frozenset[str]) -> float:
    """Share of ``part`` found in ``whole``, a general bigram (信访 in every sentence) counting
    GENERAL_WEIGHT instead of 1 (set arithmetic: this runs for every member of every finding)."""
    discount = 1.0 - GENERAL_WEIGHT
    total = len(part) - discount * len(part & general)
    common = part & whole
    return (len(common) - discount * len(common & general)) / total if total else 0.0


def _statement(members: list[Item], sentences: list[frozenset[str]], key: str, limit: int, min_chars: int,
               stop: frozenset[str], general: frozenset[str] = frozenset(),
               cut: bool = False) -> tuple[str, list[Item]] | None:
    """The clause around ``key`` that most offices' sentences contain (by bigrams, at least
    ``cluster_agree`` of it), without figures, ending in 。; and the members that contain it.
    ``members``: every unused sentence holding ``key``, several of one office among them;
    ``sentences``: each member's bigrams (general ones removed), computed once by the caller.
    Offices are counted, not sentences: an office says the statement when any of its sentences
    does (推进信访工作法治化 as its second item, after 深化网上信访, which also holds 信访).

    Counting only members that contain the stated clause keeps a count honest: a sentence that
    merely shares the word is not credited with the clause another office wrote. Containment is
    checked both ways, since generic words (有待加强) are cut before bigrams are formed: a stated
    clause that is all topic (法治宣传) is in every sentence on the topic, whatever each says of it."""
    genre = digest_genre()
    floor = genre.limits.cluster_agree
    cuts = regexes.compile(regexes.alternation(genre.cluster_cut_after) or "$^")
    # statements are drawn from, and ranked on, the first offices; counted on all
    picked = _sample(members)
    sample = [members[i] for i in picked]
    sampled = [sentences[i] for i in picked]
    said: dict[int, list[tuple[frozenset[str], frozenset[str]]]] = {}  # each member's clauses on the topic
    literal = genre.limits.cluster_literal

    def says(member: Item, grams: frozenset[str], words: frozenset[str]) -> bool:
        """Whether one of the member's clauses holding ``key`` (or its part after a leading verb)
        says the statement: word for word, generic words included (``words``: 深入学习贯彻习近平法治思想
        inside a longer list), or saying little besides it (``grams``: 法治宣传形式还有待加强).
        法治宣传覆盖面窄 shares the topic of 法治宣传工作有待加强 but says something else."""
        if id(member) not in said:
            clauses = _clauses_with(member.text, key, limit)
            if cut:
                clauses += [t for c in clauses for t in _tails(c, key, cuts)]
            said[id(member)] = [(_keys(c, stop), han_bigrams(c, within_runs=True)) for c in clauses]
        # every word counts here: a general one (法治) the two share is still said by both
        return any(_contained(content, grams, frozenset()) >= floor or _contained(words, whole, frozenset()) >= literal
                   for content, whole in said[id(member)])

    best: tuple[tuple[int, float, int, int], str, list[Item], frozenset[str], frozenset[str]] | None = None
    for member in sample:
        whole = member.text.rstrip("。！？；")
        clause = _clause_with(member.text, key, limit)
        # where findings end in their predicate (problems), also the clause after a leading verb:
        # 运用新媒体开展法治宣传工作有待加强 → 法治宣传工作有待加强, which more offices say in their words
        tails = _tails(clause, key, cuts) if cut else []
        for raw in dict.fromkeys([clause, whole if len(whole) <= limit else "", *tails]):
            if not raw:
                continue
            text = name_office(raw.strip("，、 "), None) + "。"
            if has_figures(text):
                text = strip_figures(text, min_chars) or ""
            # a whole sentence an office wrote (拟深化积案化解。) is a statement however short
            shortest = MIN_PREDICATED_HAN if _generic().search(text) or raw == whole else MIN_STATEMENT_HAN
            # a piece of a number (the 1 of 1,050) is an invented figure, whatever cut it off
            if (not text or han_count(text) < shortest or len(text) > limit + 1
                    or digit_fragments(text, member.text)):
                continue
            grams = _keys(text, stop)
            words = han_bigrams(text, within_runs=True)
            shares = [_contained(grams, g, general) for g in sampled]
            closest: dict[int, float] = {}  # each office's best share: one office, one vote
            for m, share in zip(sample, shares, strict=True):
                closest[m.report] = max(share, closest.get(m.report, 0.0))
            agree = [m for m, share in zip(sample, shares, strict=True)
                     if m is member or (share >= floor and says(m, grams, words) and not digit_fragments(text, m.text))]
            offices = len({m.report for m in agree})
            mean = round(4 * sum(sorted(closest.values(), reverse=True)[:offices]) / offices) / 4
            tail = raw in tails and raw != clause
            # most offices, then closest to all, then the writer's whole clause before a cut one, then fuller
            rank = (offices, mean, 0 if tail else 1, len(text))
            if best is None or rank > best[0]:
                best = (rank, text, agree, grams, words)
    if best is None or best[0][0] < 2:
        return None
    _, text, agreed, grams, words = best
    chosen = {id(m) for m in agreed}
    # a number the statement keeps (每周五14：00, “12345”热线) is credited only to offices that write it
    return text, [m for m, g in zip(members, sentences, strict=True)
                  if id(m) in chosen or (_contained(grams, g, general) >= floor and says(m, grams, words)
                                         and not digit_fragments(text, m.text))]


def _sample(members: list[Item]) -> list[int]:
    """Indices of the members of the first SAMPLE offices, PER_OFFICE sentences each at most."""
    taken: dict[int, int] = {}
    out = []
    for i, m in enumerate(members):
        held = taken.get(m.report, 0)
        if (held or len(taken) < SAMPLE) and held < PER_OFFICE:
            taken[m.report] = held + 1
            out.append(i)
    return out


def common_findings(items: list[Item], max_common: int, *, cut: bool = False) -> tuple[list[Practice], set[int]]:
    """Findings shared by at least two offices, most widely shared first; and the items used."""
    genre = digest_genre()
    lim = genre.limits
    stop = frozenset(genre.cluster_stop)
    keys = [_keys(it.text, stop) for it in items]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, ks in enumerate(keys):
        for key in ks:
            postings[key].append(index)
    # a word in most sentences says nothing; but in a short section one sentence per office is normal
    ceiling = max(lim.cluster_share * len(items), len({it.report for it in items}) + 1.0)
    # a general word (in more sentences than the ceiling) counts little when a statement is matched
    general = frozenset(key for key, ix in postings.items() if len(ix) > ceiling)
    used: set[int] = set()

    def offices(key: str) -> int:
        return len({items[i].report for i in postings[key] if i not in used})

    first = {key: min(ix) for key, ix in postings.items()}
    # most offices first; among equals the rarer word (律师 before 参与), then the earlier one
    heap = [(-offices(k), len(ix), first[k], k) for k, ix in postings.items() if len(ix) <= ceiling]
    heap = [h for h in heap if -h[0] >= 2]
    heapq.heapify(heap)
    out: list[Practice] = []
    while heap and len(out) < max_common:
        neg, rarity, order, key = heapq.heappop(heap)
        now = offices(key)
        if now < 2:
            continue
        if now < -neg:
            heapq.heappush(heap, (-now, rarity, order, key))
            continue
        # every unused sentence with the word, not each office's first: an office whose first
        # such sentence says something else may say the finding in a later one
        chosen_ix = [i for i in postings[key] if i not in used]
        found = _statement([items[i] for i in chosen_ix], [keys[i] for i in chosen_ix], key, lim.cluster_clause,
                           lim.min_chars, stop, general, cut)
        if found is None:
            continue
        text, saying = found
        index = {id(items[i]): i for i in chosen_ix}
        used.update(index[id(m)] for m in saying)  # other sentences of these offices stay free
        first: dict[int, Item] = {}
        for m in saying:
            first.setdefault(m.report, m)
        chosen = list(first.values())
        out.append(Practice(text=text, labels=[m.label for m in chosen], files=[m.file for m in chosen],
                            sources=[Source(office=m.office, file=m.file, line=m.line) for m in chosen],
                            counted=True))
    return out, used
