"""The figure lexicon (genre/figures.yaml) compiled once into the regular expressions extract uses."""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from aidraft import genre
from aidraft.figures.model import Approx, FigureKind


class Counters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: list[str]
    money: list[str]
    percent: list[str]
    points: list[str]
    multiple: list[str]


class ApproxWords(BaseModel):
    model_config = ConfigDict(extra="forbid")

    over: list[str] = []
    near: list[str] = []
    about: list[str] = []

    def lookup(self) -> dict[str, Approx]:
        out: dict[str, Approx] = {}
        for name in ("over", "near", "about"):
            for word in getattr(self, name):
                out[word] = Approx(name)
        return out


class FigureLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    counters: Counters
    unit_classes: list[list[str]]
    fixed_phrases: list[str]
    fixed_patterns: list[str]
    rank_scopes: list[str]
    approx_prefixes: ApproxWords
    approx_infixes: ApproxWords
    approx_suffixes: ApproxWords
    context_stopwords: list[str]
    total_markers: list[str]
    parts_markers: list[str]


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


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


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
        self.prefix_approx = lex.approx_prefixes.lookup()
        self.suffix_approx = lex.approx_suffixes.lookup()
        units = _alternation([*c.count, *c.money, *c.points, *c.multiple])
        pct = _alternation(c.percent)
        pre = _alternation(list(self.prefix_approx))
        suf = _alternation(list(self.suffix_approx))
        cn = "零〇一二两三四五六七八九十百千万亿"
        arabic = r"[0-9０-９]+(?:[,，][0-9]{3})*(?:[.．][0-9０-９]+)?"
        # A lookahead on the possible first characters lets the engine skip plain prose quickly.
        starts = _first_chars([*self.prefix_approx, "百", *"0123456789０１２３４５６７８９", *cn])
        self.figure_re = re.compile(
            rf"(?=[{starts}])(?P<pre>{pre})?"
            rf"(?:百分之(?P<pcn>[{cn}]+(?:点[{cn[:-5]}]+)?)"  # 百分之九十七点四一
            rf"|(?P<ar>{arabic})(?P<armul>[万亿]{{1,2}}|千)?(?P<arinf>余|多)?(?P<armul2>万|亿)?"
            rf"(?:(?P<arpct>{pct})|(?P<arunit>{units}))"
            rf"|(?P<cn>[{cn}]+(?:点[{cn[:-5]}]+)?)(?P<cninf>余|多)?(?P<cnmul2>万|亿)?(?P<cnunit>{units}))"
            rf"(?P<suf>{suf})?"
        )
        self.rank_re = re.compile(
            rf"(?P<scope>{_alternation(lex.rank_scopes)})(?:排名|排|位列|位居)?第"
            rf"(?P<rank>[0-9]+|[一二三四五六七八九十]+)(?:名|位)?(?![个届次批期轮名位])"
        )
        fixed = [re.escape(p) for p in sorted(lex.fixed_phrases, key=len, reverse=True)]
        starts = _first_chars([*lex.fixed_phrases, *lex.fixed_patterns])
        self.fixed_re = re.compile(rf"(?=[{starts}])(?:" + "|".join([*lex.fixed_patterns, *fixed]) + ")")
        self.stopword_re = re.compile(_alternation(lex.context_stopwords))
        self.total_re = re.compile(_alternation(lex.total_markers))
        self.parts_re = re.compile(_alternation(lex.parts_markers))

    def unit_class(self, unit: str) -> str:
        return self.canonical_unit.get(unit, unit)


@cache
def lexicon() -> CompiledLexicon:
    return CompiledLexicon(genre.load("figures.yaml", FigureLexicon))
