"""Figures of the source texts (notes, or last year's report), indexed for the matcher.

Everything a lookup needs is computed once per source set: figures by unit class, each
figure's context bigrams, and the rates and sums that the figures of one line can produce.
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from aidraft import regexes
from aidraft.check.dating import Lines, last_year_values, stated_year
from aidraft.check.derived import Derived
from aidraft.check.source_figure import SourceFigure
from aidraft.figures.extract import extract_figures
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import metric_phrase
from aidraft.figures.model import Figure, FigureKind, Quantity, add_quantities
from aidraft.figures.zero import claim_key, zero_claims
from aidraft.ingest.read import NamedText
from aidraft.parse.notes import BULLET
from aidraft.text import bigrams, dice, han_bigrams, on_first_use

SMALL_UNIT = 64  # up to this many figures of a unit, compare with all of them
MAX_RANGE = 256  # value-compatible candidates looked at, at most
MAX_POSTING = 400  # a context bigram found in this many contexts says nothing about the metric
GROUP_CAP = 16  # figures looked at per context (a context repeated more often adds nothing)
FEW_VALUES = 8  # value candidates walked without first looking for the figure's own context
SCORED_KEPT = 200_000  # scored contexts an index keeps for later figures, at most (a few MB)


YEAR = regexes.compile(r"[0-9]{4}年度?|[0-9]{1,2}月(?:[0-9]{1,2}日)?")
LIST_STARTS = frozenset(" \t-*+•·▪●0123456789（(一二三四五六七八九十")  # what a list mark (parse.notes.BULLET) may start with
NOT_WORDS = on_first_use(r"[^\u4e00-\u9fff]+|[零〇一二两三四五六七八九十百千万亿点]+[件次人名个家户%％]?")
WIDER = 24
MEMO = 1 << 15  # contexts remembered (a text that repeats a metric cleans it once)


def context_key(fig: Figure) -> frozenset[str]:
    """Character bigrams of the words around a figure, without dates and function words such as
    共/累计 or the direction of a change (so 同比上升 and 同比下降 name the same metric).

    One context gives one key object, so that a report stating a metric many times has it
    cleaned and split once, and lookups keyed by it compare by identity."""
    before = _words_before(fig.before)
    if len(before) < 2:  # 同比下降7.5%: the metric stands before the clause, in the sentence
        before = _words_wider(fig.preceding(WIDER))
    return _bigram_key(before, fig.after)


_LAST_LIST_BREAK = regexes.compile(r"(?s:.*)[，,；;：:]")  # up to the last comma, semicolon or colon
SENTENCE_REACH = 48  # characters of its sentence before a figure that may name its metric


def sentence_key(fig: Figure) -> frozenset[str]:
    """The Han bigrams of its sentence before the figure, past its clause (群众满意率最低为97%（河阳区）、
    最高为99.2%: 最高为 names no metric, the sentence does; 城关镇100%，河口镇97.1% in a line that
    opens 各乡镇按期办结率：)."""
    return _sentence_bigrams(fig.preceding(SENTENCE_REACH))


def list_clause(fig: Figure) -> str:
    """Its sentence before the figure back to the last comma, semicolon or colon: a list's 、 stays
    inside, as a total names its parts there (共调解土地纠纷、婚姻家庭纠纷和邻里纠纷143起)."""
    before = fig.preceding(SENTENCE_REACH)
    last = _LAST_LIST_BREAK.match(before)
    return before[last.end() :] if last else before


def words_key(text: str) -> frozenset[str]:
    """The Han bigrams of ``text`` without dates and function words (as a sentence key)."""
    return _sentence_bigrams(text)


@lru_cache(maxsize=MEMO)
def _sentence_bigrams(text: str) -> frozenset[str]:
    return han_bigrams(lexicon().stopword_re.sub("|", YEAR.sub("|", text)), within_runs=True)


def shares_metric(a: frozenset[str], b: frozenset[str]) -> bool:
    """Does one of two word sets hold at least half of the other (the smaller one)?"""
    return bool(a) and bool(b) and 2 * len(a & b) >= min(len(a), len(b))


@lru_cache(maxsize=MEMO)
def _words_before(before: str) -> str:
    """The words before a figure, without a list mark (- , 1. , （2）) or spaces: a bulleted note
    and the sentence that states it name the same metric."""
    words = BULLET.sub("", before) if before[:1] in LIST_STARTS else before
    words = lexicon().stopword_re.sub("", YEAR.sub("", words.replace(" ", "")))
    if any(c.isdigit() for c in words):  # 分别增长12.2%和: another figure of the clause names nothing
        words = NOT_WORDS.sub("", words)
    return words[-10:]


@lru_cache(maxsize=MEMO)
def _words_wider(wider: str) -> str:
    return lexicon().stopword_re.sub("", NOT_WORDS.sub("", YEAR.sub("", wider)))[-10:]


@lru_cache(maxsize=MEMO)
def _bigram_key(before: str, after: str) -> frozenset[str]:
    text = before + "|" + lexicon().stopword_re.sub("", after)[:6]
    return frozenset(sys.intern(text[i : i + 2]) for i in range(len(text) - 1) if "|" not in text[i : i + 2])


@dataclass
class ContextScores:
    """The contexts one draft figure's context is compared with (see _UnitIndex.scores)."""

    best: tuple[float, SourceFigure] | None
    alike: list[tuple[float, ContextGroup]]


def _no_contexts() -> ContextScores | None:
    return None


# What a draft figure is compared with (SourceIndex.candidates_for): figures whose value could be
# compatible, in value order; those of them in its very context (None: not known); the scored
# contexts, on demand. A plain tuple: one is built for every figure checked.
Candidates = tuple[list["SourceFigure"], list["SourceFigure"] | None, Callable[[], "ContextScores | None"]]


class ContextGroup:
    """The figures of one unit class that share one context, sorted by value."""

    __slots__ = ("figs", "first", "ids", "lows", "places")

    def __init__(self, figs: list[SourceFigure], ids: list[int], lows: list[Decimal]) -> None:
        self.figs, self.ids, self.lows = figs, ids, lows
        self.first = figs[ids[0]]  # it stands for the context when contexts are scored
        self.places: list[int] = []  # each member's place among the unit's figures by value

    def between(self, low: Decimal, high: Decimal | None) -> list[SourceFigure]:
        """Its figures with a value in [low, high] (at most GROUP_CAP)."""
        lows = self.lows
        lo = bisect_left(lows, low)
        if lo == len(lows) or (high is not None and lows[lo] > high):
            return []  # most often: the metric's values lie elsewhere
        figs = self.figs
        out: list[SourceFigure] = []
        for i in self.ids[lo : lo + GROUP_CAP]:
            sf = figs[i]
            if high is not None and sf.figure.value.low > high:
                break
            out.append(sf)
        return out


@dataclass
class _UnitIndex:
    """Figures of one unit class: by value (sorted) and by context, figures with one context
    grouped so that a context is scored once however often a text repeats it."""

    lows: list[Decimal]
    by_low: list[SourceFigure]  # the distinct figures, by value (lows are their values)
    groups: list[list[int]]  # figure ids of one context, by value
    contexts: list[ContextGroup]  # the same groups, as the matcher walks them
    postings: dict[str, list[int]]  # bigram → groups
    by_key: dict[frozenset[str], ContextGroup]  # the group of each context
    scored: dict[tuple[frozenset[str], float], ContextScores] = field(default_factory=dict)
    kept: int = 0  # scored contexts held in ``scored``

    @classmethod
    def build(cls, figs: list[SourceFigure]) -> _UnitIndex:
        """Index ``figs``; a figure with the context, value and direction of an earlier one is
        left out (a text that repeats itself adds candidates, never information)."""
        lows = [sf.figure.value.low for sf in figs]
        group_of: dict[frozenset[str], int] = {}
        groups: list[list[int]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        seen: set[tuple[int, tuple[Decimal, Decimal | None, bool, bool], str]] = set()
        distinct: list[int] = []
        for i, sf in enumerate(figs):
            g = group_of.get(sf.key)
            if g is None:
                g = group_of[sf.key] = len(groups)
                groups.append([])
                for gram in sf.key:
                    postings[gram].append(g)
            else:
                sf.key = figs[groups[g][0]].key  # one shared object per context
            ident = (g, sf.figure.value.key(), sf.figure.direction)
            if ident in seen:
                continue
            seen.add(ident)
            distinct.append(i)
            groups[g].append(i)
        low_of = lows.__getitem__
        order = sorted(distinct, key=low_of)
        for members in groups:
            members.sort(key=low_of)
        contexts = [ContextGroup(figs, members, [lows[i] for i in members]) for members in groups]
        place = {i: k for k, i in enumerate(order)}
        for group in contexts:
            group.places = [place[i] for i in group.ids]
        return cls([lows[i] for i in order], [figs[i] for i in order], groups, contexts, dict(postings),
                   {key: contexts[g] for key, g in group_of.items()})

    def by_value(self, v: Quantity, key: frozenset[str]) -> tuple[list[SourceFigure], list[SourceFigure] | None]:
        """Figures whose value could be compatible with ``v`` (at most MAX_RANGE, nearest first),
        and, where there are more than FEW_VALUES, those of them whose context is ``key`` itself,
        in the same order, as far as the first GROUP_CAP of them (None: not looked for, or there
        may be more)."""
        lows = self.lows
        low = v.low - v.precision
        high = None if v.high is None else v.high + v.precision
        lo = bisect_left(lows, low)
        cap = min(len(lows) if high is None else bisect_right(lows, high, lo), lo + MAX_RANGE)
        if cap - lo <= FEW_VALUES:
            return self.by_low[lo:cap], None  # walking them all costs less than sorting them out
        group = self.by_key.get(key) if key else None
        if group is None:
            return self.by_low[lo:cap], []
        g_lows, places = group.lows, group.places
        g_lo = bisect_left(g_lows, low)
        g_hi = len(g_lows) if high is None else bisect_right(g_lows, high, g_lo)
        if g_hi - g_lo > GROUP_CAP:
            return self.by_low[lo:cap], None
        return self.by_low[lo:cap], [group.figs[group.ids[k]] for k in range(g_lo, g_hi) if places[k] < cap]

    def groups_sharing(self, key: frozenset[str]) -> list[int]:
        """Contexts sharing a telling bigram with ``key``, in text order (a set's order varies with
        the hash seed, and ties between equally similar contexts must not)."""
        seen: set[int] = set()
        for gram in key:
            posting = self.postings.get(gram)
            if posting is not None and len(posting) <= MAX_POSTING:
                seen.update(posting)
        return sorted(seen)

    def scores(self, key: frozenset[str], same: float) -> ContextScores:
        """The contexts sharing a telling bigram with ``key``, scored: the most similar one (the
        first of equals, in text order) and those at least ``same`` similar. Kept per key, as a
        text states one metric many times (SCORED_KEPT contexts in all, so memory stays bounded)."""
        hit = self.scored.get((key, same))
        if hit is not None:
            return hit
        best: tuple[float, SourceFigure] | None = None
        alike: list[tuple[float, ContextGroup]] = []
        for g in self.groups_sharing(key):
            group = self.contexts[g]
            sim = dice(key, group.first.key)
            if best is None or sim > best[0]:
                best = (sim, group.first)
            if sim >= same:
                alike.append((sim, group))
        hit = ContextScores(best, alike)
        if self.kept + len(alike) + 1 <= SCORED_KEPT:
            self.scored[(key, same)] = hit
            self.kept += len(alike) + 1
        return hit

    def sharing(self, key: frozenset[str]) -> set[int]:
        """Figures sharing a bigram with ``key`` (GROUP_CAP per context), skipping bigrams too
        common to say anything."""
        seen: set[int] = set()
        ids: set[int] = set()
        for gram in key:
            posting = self.postings.get(gram)
            if posting is None or len(posting) > MAX_POSTING:
                continue
            for g in posting:
                if g not in seen:
                    seen.add(g)
                    ids.update(self.groups[g][:GROUP_CAP])
        return ids


@dataclass
class SourceIndex:
    """All figures of a set of source texts, with lookups by unit class and by derivation.

    Rates and sums are derived lazily, on the first lookup: most drafts never need them.
    """

    figures: list[SourceFigure] = field(default_factory=list)
    by_unit: dict[str, list[SourceFigure]] = field(default_factory=lambda: defaultdict(list))
    lines: list[list[SourceFigure]] = field(default_factory=list)
    _derived: Derived | None = None
    _totals: dict[str, list[tuple[frozenset[str], Quantity, list[SourceFigure]]]] | None = None
    _unit_indexes: dict[str, _UnitIndex] = field(default_factory=dict)
    sentences: dict[tuple[str, int], list[SourceFigure]] = field(default_factory=lambda: defaultdict(list))
    files: list[str] = field(default_factory=list)  # every source text, with figures or not
    cohorts: dict[str, object] = field(default_factory=dict)  # file → the group its totals add up in
    zeros: list[SourceFigure] = field(default_factory=list)  # claims of none (零发生, 未发生…: figures/zero.py)
    count_postings: dict[str, list[SourceFigure]] | None = None  # bigram → counts, for zero claims (built on use)
    zero_postings: dict[str, list[Any]] | None = None  # bigram → claims of none (check/zero_claims.py)

    @classmethod
    def build(cls, texts: list[NamedText], cohorts: dict[str, object] | None = None,
              years: dict[str, int] | None = None, year: int | None = None) -> SourceIndex:
        """``cohorts`` groups the files whose figures a total over reports may add up (a digest's
        reports by year: a 2024 report's 受理量 is never part of a 2025 total); all files by default.
        A figure dated by a year before its file's report year is last year's: the year the file
        states (front matter, title), else its entry in ``years``, else ``year`` (the draft's)."""
        index = cls(cohorts=dict(cohorts or {}))
        lex = lexicon()
        for named in texts:
            index.files.append(named.path)
            by_line: dict[int, list[SourceFigure]] = defaultdict(list)
            figures = extract_figures(named.text)
            reported = stated_year(named.text) or (years or {}).get(named.path) or year
            dated = last_year_values(figures, Lines(named.text), by_report_year=False, year=reported)
            for fig in figures:
                sf = SourceFigure(named.path, fig, context_key(fig), lex.unit_class(fig.unit), None, fig.start in dated)
                index.figures.append(sf)
                index.by_unit[sf.unit_class].append(sf)
                by_line[fig.line].append(sf)
                index.sentences[(named.path, fig.sentence_start)].append(sf)
            index.lines.extend(by_line.values())
            index.zeros += [SourceFigure(named.path, z, claim_key(z), "")
                            for z in zero_claims(named.text)]
        return index

    def candidates(self, unit_class: str) -> list[SourceFigure]:
        return self.by_unit.get(unit_class, [])

    def candidates_for(self, f: Figure, key: frozenset[str], unit_class: str, same: float) -> Candidates:
        """The sources worth comparing with ``f``: figures whose value could be compatible, those
        of them in ``f``'s own context, and the scored contexts sharing a telling bigram, on
        demand. With few figures of the unit, all of them are value candidates and there are no
        separate contexts.

        Values are compared only for the first; a context is scored once (its first figure stands
        for it) and its figures' values are compared only when it names the same metric (``same``).
        Contexts are scored only when asked for: a value in its own context settles most figures.
        """
        figs = self.by_unit.get(unit_class, [])
        if len(figs) <= SMALL_UNIT:
            return figs, None, _no_contexts
        unit = self._unit_index(unit_class)
        values, own = unit.by_value(f.value, key)
        return values, own, lambda: unit.scores(key, same)

    def _unit_index(self, unit_class: str) -> _UnitIndex:
        unit = self._unit_indexes.get(unit_class)
        if unit is None:
            unit = self._unit_indexes[unit_class] = _UnitIndex.build(self.by_unit.get(unit_class, []))
        return unit

    def by_context(self, key: frozenset[str], units: list[str]) -> list[SourceFigure]:
        """Figures of ``units`` whose context shares a telling bigram with ``key``, any value."""
        out: list[SourceFigure] = []
        for unit_class in units:
            figs = self.by_unit.get(unit_class, [])
            if len(figs) <= SMALL_UNIT:
                out.extend(figs)
                continue
            ids = self._unit_index(unit_class).sharing(key)
            out.extend(figs[i] for i in sorted(ids))
        return out

    def unit_classes(self, *kinds: FigureKind) -> list[str]:
        return [u for u, figs in self.by_unit.items() if figs and figs[0].figure.kind in kinds]

    def sentence_of(self, sf: SourceFigure) -> list[SourceFigure]:
        return self.sentences.get((sf.file, sf.figure.sentence_start), [])

    @property
    def derived(self) -> Derived:
        """Rates and sums the notes' counts give (``derived.py``), worked out on first use."""
        if self._derived is None:
            self._derived = Derived(self.lines)
        return self._derived

    def totals(self, unit_class: str) -> list[tuple[frozenset[str], Quantity, list[SourceFigure]]]:
        """Sums over several source files of figures with the same metric and unit: the totals a
        digest states (各地合计…). Intervals add as intervals: 3万余 + 2000余 is (32000, 42000)."""
        if self._totals is None:
            groups: dict[tuple[str, str, object], list[SourceFigure]] = defaultdict(list)
            for sf in self.figures:
                groups[(sf.unit_class, metric_phrase(sf.figure), self.cohorts.get(sf.file))].append(sf)
            self._totals = defaultdict(list)
            for (unit, phrase, _), members in groups.items():
                if len({m.file for m in members}) >= 2:
                    self._totals[unit].append((bigrams(phrase), add_quantities([m.figure.value for m in members]),
                                               members))
        return self._totals.get(unit_class, [])
