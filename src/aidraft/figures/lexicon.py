"""The figure lexicon (genre/figures.yaml) compiled once into the regular expressions extract uses."""

import re
from collections.abc import Iterator
from functools import cache, cached_property
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from aidraft import genre, regexes
from aidraft.figures.model import Approx, FigureKind
from aidraft.text import HAN


class Counters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: list[str]
    money: list[str]
    percent: list[str]
    points: list[str]
    multiple: list[str]


class ApproxWords(BaseModel):
    """Words of approximation and bounds; at_least/at_most are closed bounds (以上, 不超过)."""

    model_config = ConfigDict(extra="forbid")

    over: list[str] = []
    at_least: list[str] = []
    under: list[str] = []
    at_most: list[str] = []
    near: list[str] = []
    about: list[str] = []

    def lookup(self) -> dict[str, tuple[Approx, bool]]:
        """word → (approx, closed): closed bounds include the number itself."""
        out: dict[str, tuple[Approx, bool]] = {}
        for name, approx, closed in (("over", Approx.over, False), ("at_least", Approx.over, True),
                                     ("under", Approx.under, False), ("at_most", Approx.under, True),
                                     ("near", Approx.near, False), ("about", Approx.about, False)):
            for word in getattr(self, name):
                out[word] = (approx, closed)
        return out


class ChangeWords(BaseModel):
    """Direction words that make a figure a change, and the comparisons that introduce them."""

    model_config = ConfigDict(extra="forbid")

    up: list[str]
    down: list[str]
    up_short: list[str]
    down_short: list[str]
    fillers: list[str]
    comparisons: list[str]


def _any_of(words: list[str]) -> re.Pattern[str]:
    """Any of ``words``; with none, a pattern that never matches (an empty alternation matches
    everywhere), so callers never test for a missing pattern."""
    return regexes.compile(regexes.alternation(words) if words else NEVER)


NEVER = r"(?!)"
DIRECTIONS_KEPT = 1 << 14  # clauses whose direction is kept (one lexicon per process)
CN_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
NEGATED_VERB = 8  # Han characters a negation may stand before the figure: 未按期办结信访事项


class FigureLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    counters: Counters
    unit_classes: list[list[str]]
    arabic_only_units: list[str]
    fixed_phrases: list[str]
    fixed_patterns: list[str]
    rank_scopes: list[str]
    rank_verbs: list[str] = []
    approx_prefixes: ApproxWords
    approx_infixes: ApproxWords
    approx_suffixes: ApproxWords
    changes: ChangeWords
    last_year_markers: list[str]
    context_stopwords: list[str]
    total_markers: list[str]
    parts_markers: list[str]
    rate_neutral_modifiers: list[str]
    negations: list[str] = []
    process_verbs: list[str] = []
    year_total_markers: list[str] = []
    plan_markers: list[str] = []
    plan_after_markers: list[str] = []
    done_markers: list[str] = []
    actual_markers: list[str] = []
    not_negations: list[str] = []
    office_units: list[str] = []
    office_share_words: list[str] = []


def _first_chars(items: list[str]) -> str:
    """The characters a word or a simple pattern can start with, as a character-class body.

    A pattern that opens with a class contributes the class body as written (ranges included).
    """
    literal: set[str] = set()
    classes: list[str] = []
    for item in items:
        if item.startswith("[") and "]" in item:
            classes.append(item[1 : item.index("]")])
        elif item:
            literal.add(item[0])
    return "".join(re.escape(c) for c in sorted(literal)) + "".join(classes)


def _guarded(words: list[str], factored: bool = False) -> str:
    """An alternation behind a test of its first characters. The regex engine tries the
    alternatives one by one, and most places it tries them (a numeral inside a word: 统一, 一是)
    start none: one class test rejects those places at once. Matches are unchanged.
    ``factored``: the alternation as _by_first writes it."""
    alternation = _by_first(sorted(set(words), key=regexes.longest_first)) if factored else regexes.alternation(words)
    return rf"(?=[{_first_chars(words)}])(?:{alternation})"


def _by_first(words: list[str]) -> str:
    """The literal ``words`` as one alternation in this order, factored by first character: the
    engine tries alternatives one by one (a hundred counters after every number), factored only
    those of one first character. Only those can match at a place, and they keep their order, so
    each match is the one the plain alternation finds. One-character words share a class."""
    rests: dict[str, list[str]] = {}
    for word in words:
        rests.setdefault(word[0], []).append(word[1:])
    singles = "".join(re.escape(first) for first, tails in rests.items() if tails == [""])
    parts = [re.escape(first) + f"(?:{'|'.join(map(re.escape, tails))})" for first, tails in rests.items()
             if tails != [""]]
    return "|".join([*parts, f"[{singles}]"] if singles else parts)


class FigureGroups(NamedTuple):
    """The groups of a figure match, by name (``m.groups()`` costs a fifth of ``m.groupdict()``)."""

    whole: str  # the match (Scan's group)
    pre: str | None  # an approximation before the number: 近, 超过, 不少于
    pcn: str | None  # the Chinese number of 百分之…
    ar: str | None  # an Arabic number, its 万/亿/千, 余/多 and second 万/亿, and its % or counter
    armul: str | None
    arinf: str | None
    armul2: str | None
    arpct: str | None
    arunit: str | None
    cn: str | None  # a Chinese number, its 余/多, 万/亿 and counter
    cninf: str | None
    cnmul2: str | None
    cnunit: str | None
    suf: str | None  # an approximation after it: 以上, 左右


class Scan:
    """The matches ``finditer`` gives for a pattern that opens with a lookahead on its first
    characters, found with about half the work on report text.

    The regex engine skips quickly only to a pattern's first character when the pattern opens
    with a character class; a pattern that opens with a lookahead is tried at every position. So
    the search pattern opens with the class and then, one character back, asserts the whole
    pattern in a lookahead: ``[starts](?<=(?=(?P<whole>PATTERN)).)``. It finds the same match at
    the same place (a lookahead keeps its groups), reported as group ``whole``. Each such match
    is one character long, so the search also tries the places inside the last match, which
    finditer would not: those are skipped.
    """

    def __init__(self, pattern: str, starts: str, guard: str = "") -> None:
        """``starts``: the characters a match can start with; ``guard``: a cheaper condition
        every match meets, asserted after its first character (where the pattern would fail
        anyway, it fails sooner)."""
        self.regex = regexes.compile(rf"[{starts}]{guard}(?<=(?=(?P<whole>{pattern})).)")

    def __call__(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """Matches in ``text[pos:endpos]``; each spans one character: its extent is group ``whole``."""
        taken = pos  # where the last match ended: finditer would go on from there
        for m in self.regex.finditer(text, pos, len(text) if endpos is None else endpos):
            if m.start() >= taken:
                yield m
                taken = m.end("whole")


class CompiledLexicon:
    """Regexes and lookup tables derived from the lexicon; built once per process."""

    def __init__(self, lex: FigureLexicon) -> None:
        self.lex = lex
        c = lex.counters
        self.kind_of_unit: dict[str, FigureKind] = {}
        for kind, words in (("count", c.count), ("money", c.money), ("percent", c.percent),
                            ("points", c.points), ("multiple", c.multiple)):
            for word in words:
                self.kind_of_unit[word] = FigureKind(kind)
        self.canonical_unit: dict[str, str] = {}
        for group in lex.unit_classes:
            for word in group:
                self.canonical_unit[word] = group[0]
        # a figure's kind by its unit: % is a percent where no counter says otherwise
        self.kind_of_figure_unit = {"%": FigureKind.percent, **self.kind_of_unit}
        self.prefix_approx = lex.approx_prefixes.lookup()
        self.suffix_approx = lex.approx_suffixes.lookup()
        figure, figure_factored = (self._figure(factored) for factored in (False, True))
        self.figure_pattern = rf"(?=[{self._starts}]){figure}"
        # Guards, each a condition every figure meets, so that most numerals of ordinary words and
        # dates are passed over without trying the whole pattern:
        # - a figure has a numeral within its longest prefix word of its start;
        # - none starts inside a run of digits (the whole run met the same continuation and failed);
        # - one that starts with its number starts 百分之, or its run of digits (with , and .) or of
        #   Chinese numerals is followed by what may follow a number: 万/亿/千, 余/多, % or a counter
        #   (the Chinese run may give characters back: 三百分点).
        # The second looks behind the start of a search: this scan runs over whole texts only.
        digits, cn = "0-9０-９", CN_NUMERALS
        numeral_within = max(map(len, self.prefix_approx), default=0)
        counters = [*c.count, *c.money, *c.points, *c.multiple]
        after_ar = _first_chars([*counters, *c.percent, "万", "亿", "千", "余", "多"])
        after_cn = _first_chars([*counters, "余", "多"])
        number_first = (rf"(?:[^{digits}{cn}]|百分之|[{digits}][{digits},，.．]*+[{after_ar}]"
                        rf"|[{cn}][{cn}点]*[{after_cn}])")
        self.figure_scan = Scan(figure_factored, self._starts, rf"(?<![{digits}][{digits}])"
                                                rf"(?<=(?=[^\n]{{0,{numeral_within}}}?[{digits}{cn}]).)"
                                                rf"(?<=(?={number_first}).)")
        groups = sorted(self.figure_scan.regex.groupindex, key=self.figure_scan.regex.groupindex.__getitem__)
        if tuple(groups) != FigureGroups._fields:
            raise AssertionError(f"figure pattern groups {groups} differ from FigureGroups")
        # 全省第三, 全市排名第2; or a ranking verb with its scope earlier in the clause (在全省…考核中排名第三).
        # Found from the 第N (rare) looking back at what stands before it (全, 名, 位 are everywhere).
        self.rank_re = regexes.compile(r"第(?P<rank>[0-9]+|[一二三四五六七八九十]+)(?:名|位)?(?![个届次批期轮名位])")
        verbs = regexes.alternation(lex.rank_verbs) if lex.rank_verbs else NEVER
        self.rank_head_re = regexes.compile(
            rf"(?:(?P<scope>{regexes.alternation(lex.rank_scopes)})(?:排名|排|位列|位居)?|(?P<verb>{verbs}))$")
        fixed = [re.escape(p) for p in sorted(lex.fixed_phrases, key=len, reverse=True)]
        starts = _first_chars([*lex.fixed_phrases, *lex.fixed_patterns])
        fixed_any = "(?:" + "|".join([*lex.fixed_patterns, *fixed]) + ")"
        self.fixed_pattern = rf"(?=[{starts}]){fixed_any}"
        by_length = sorted(lex.fixed_phrases, key=len, reverse=True)
        self.fixed_scan = Scan("(?:" + "|".join([*lex.fixed_patterns, _by_first(by_length)]) + ")", starts)
        # The fixed phrases of a sentence depend on its characters alone (and the few a lookahead
        # sees past it), unless a pattern looks behind or at an edge: then none are kept by sentence.
        edges = ("(?<", "^", "$", "\\b", "\\B", "\\A", "\\Z")
        self.fixed_kept: dict[str, list[tuple[int, int]]] | None = (
            None if any(edge in p for p in lex.fixed_patterns for edge in edges) else {})
        ch = lex.changes
        self.directions: dict[str, str] = {}  # the words before a figure → their direction
        self.direction_of = {**{w: "up" for w in ch.up + ch.up_short}, **{w: "down" for w in ch.down + ch.down_short}}
        fillers = regexes.alternation(ch.fillers)
        self.change_re = regexes.compile(
            rf"(?:(?P<cmp>{regexes.alternation(ch.comparisons)})[^，。；、]{{0,8}}?)?"
            rf"(?:(?P<long>{regexes.alternation(ch.up + ch.down)})|(?P<short>{regexes.alternation(ch.up_short + ch.down_short)}))"
            rf"(?:{fillers})*$"
        )
        self.last_year_re = regexes.compile(regexes.alternation(lex.last_year_markers))
        # context words that say nothing about the metric: function words, directions, comparisons
        self.stopword_re = regexes.compile(regexes.alternation([*lex.context_stopwords, *ch.up, *ch.down, *ch.comparisons]))
        self.arabic_only = frozenset(lex.arabic_only_units)
        self.person_units = frozenset(next((g for g in lex.unit_classes if "人" in g), ["人"]))
        self.total_re = regexes.compile(regexes.alternation(lex.total_markers))
        self.sum_re = regexes.compile(regexes.alternation([*lex.total_markers, *lex.year_total_markers]))
        self.parts_re = regexes.compile(regexes.alternation(lex.parts_markers))
        self.neutral_re = regexes.compile(rf"(?:{regexes.alternation(lex.rate_neutral_modifiers)})+$")
        # a negation before the verb and object that end a clause (不合格, 未按期办结信访事项): a
        # few characters of Han between them and the figure, so 不断规范…，受理 is no negated 受理
        self.negation_chars = frozenset(w for w in lex.negations if len(w) == 1)  # 不合格 is no 合格
        self.process_re = _any_of(lex.process_verbs)
        # a clause that opens with a plan word (after a time word of this year): 计划全年组织…
        self.planned_re = _any_of(lex.plan_markers)
        self.done_re = _any_of(lex.done_markers)
        self.actual_re = _any_of(lex.actual_markers)
        exempt = f"(?!{regexes.alternation(lex.not_negations)})" if lex.not_negations else ""
        self.negated_re = regexes.compile(
            rf"{exempt}(?:{regexes.alternation(lex.negations)})[{HAN}]{{1,{NEGATED_VERB}}}$" if lex.negations else NEVER)

    @cached_property
    def _starts(self) -> str:
        """What a figure may start with: a lookahead on them rejects plain prose at once."""
        return _first_chars([*self.prefix_approx, "百", *"0123456789０１２３４５６７８９", *CN_NUMERALS])

    def _figure(self, factored: bool) -> str:
        """The figure pattern; ``factored``: its word lists as _by_first writes them (the scan's)."""
        c, cn = self.lex.counters, CN_NUMERALS
        units = _guarded([*c.count, *c.money, *c.points, *c.multiple], factored)
        pct = _guarded(c.percent, factored)
        pre = _guarded(list(self.prefix_approx), factored)
        suf = regexes.alternation(list(self.suffix_approx))
        # 千 scales an Arabic number (3千人) unless it opens a counter (12.5千米, 2平方千米 is no 2千平方米)
        kilo = [w[1:] for w in [*c.count, *c.money] if w.startswith("千") and len(w) > 1]
        not_kilo = f"(?!{regexes.alternation(kilo)})" if kilo else ""
        # Possessive: what may follow an Arabic number (万, 余, a counter, %) is never a digit, a
        # comma or a point, so giving digits back cannot make a match; not trying saves the engine
        # the retries on every number that is no figure (dates, 2024年). Chinese runs stay greedy:
        # 三百分点 gives back its 百.
        arabic = r"[0-9０-９]++(?:[,，][0-9]{3})*+(?:[.．][0-9０-９]+)?+"
        # 受益群众1.2万, 投入资金21万余: 万/亿 with no counter, where no word follows (its unit is '')
        bare_wan = rf"|(?:(?<=[万亿])|(?<=[万亿][余多]))(?![{HAN}0-9０-９A-Za-z%％])"
        return (
            rf"(?P<pre>{pre})?"
            rf"(?:百分之(?P<pcn>[{cn}]+(?:点[{cn[:-5]}]+)?)"  # 百分之九十七点四一
            rf"|(?P<ar>{arabic})(?P<armul>[万亿]{{1,2}}|千{not_kilo})?(?P<arinf>余|多)?(?P<armul2>万|亿)?"
            rf"(?:(?P<arpct>{pct})|(?P<arunit>{units}){bare_wan})"
            rf"|(?P<cn>[{cn}]+(?:点[{cn[:-5]}]+)?)(?P<cninf>余|多)?(?P<cnmul2>万|亿)?(?P<cnunit>{units}))"
            rf"(?P<suf>{suf})?"
        )

    @cached_property
    def figure_re(self) -> re.Pattern[str]:
        """The figure pattern as a plain regex (what figure_scan finds; extraction uses the scan)."""
        return regexes.compile(self.figure_pattern)

    @cached_property
    def fixed_re(self) -> re.Pattern[str]:
        """The fixed-phrase pattern as a plain regex (what fixed_scan finds)."""
        return regexes.compile(self.fixed_pattern)

    def unit_class(self, unit: str) -> str:
        return self.canonical_unit.get(unit, unit)

    def direction(self, before: str) -> str:
        """'up' or 'down' when ``before`` ends with a direction word (a change), else ''.

        Kept in ``directions`` (a text repeats its clauses), which callers may read first: a dict
        lookup costs a tenth of a call through a cache."""
        m = self.change_re.search(before)
        found = "" if m is None or (m.group("short") and not m.group("cmp")) else \
            self.direction_of[m.group("long") or m.group("short")]
        if len(self.directions) < DIRECTIONS_KEPT:
            self.directions[before] = found
        return found


@cache
def lexicon() -> CompiledLexicon:
    return CompiledLexicon(genre.load("figures.yaml", FigureLexicon))
