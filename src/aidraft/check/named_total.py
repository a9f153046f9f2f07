"""A total the draft states over parts it names, each given on its own line of the notes.

受理行政复议和应诉案件共120件, where the notes say 办理行政复议案件86件 on one line and 办理行政应诉案件34件
on the next: no notes line states 120, and the nearest context (行政复议, 86件) disagrees, so the
total read as contradicted. It is derived when the total's clause names each part by words of its
own (复议 for one, 应诉 for the other: words the other parts do not share), each part counts the
total's metric (the same step, not negated, of this year) and they add up to it (exactly, within its
rounding, or within an approximate total). Words every part shares (办理, 案件) name no part, so
受理信访事项共120件 is no sum of 受理来信86件 and 受理来访34件.
"""

from __future__ import annotations

from itertools import combinations

from aidraft.check.derived import quantize_half_up
from aidraft.check.kinship import Kin
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import SENTENCE_REACH, SourceIndex, list_clause, words_key
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind

MAX_PARTS = 4  # parts a stated total is summed from
MAX_CANDIDATES = 12  # notes figures named in its clause that are tried as parts
SUMMED = (FigureKind.count, FigureKind.money)


def named_parts(f: Figure, key: frozenset[str], notes: SourceIndex, unit_class: str) -> list[SourceFigure] | None:
    """Notes figures of one file, each named in ``f``'s clause by words of its own and of ``f``'s
    metric (no other step, no negated count, nothing of last year), that add up to ``f``
    (fewest parts first); None when there are none or ``f`` states no total (共, 合计… anywhere in its
    clause, before a list of what it adds up)."""
    if f.kind not in SUMMED or f.direction or f.value.high is None:
        return None
    total_re = lexicon().total_re
    if not total_re.search(f.preceding(SENTENCE_REACH)):
        return None  # most figures: no 共/合计 in their sentence before them
    text = list_clause(f)
    if not total_re.search(text):
        return None
    clause = words_key(text)
    last_year_re, kin = lexicon().last_year_re, Kin.of(f)
    named: list[tuple[SourceFigure, frozenset[str]]] = []
    for sf in notes.by_context(key, [unit_class]):
        s = sf.figure
        if (s.kind not in SUMMED or not s.value.exact or s.direction or sf.last_year or sf.kin.planned
                or not 0 < s.value.low < f.value.high or kin.other(sf.kin) or last_year_re.search(s.before)):
            continue  # 办结34件 is no part of 受理…共120件, 未按期办结 none, 上年…34件 none
        words = sf.key & clause
        if words:
            named.append((sf, words))
    named.sort(key=lambda c: -len(c[1]))  # the most fully named first (stable: notes order among equals)
    named = named[:MAX_CANDIDATES]
    for size in range(2, MAX_PARTS + 1):
        for parts in combinations(named, size):
            if (len({sf.file for sf, _ in parts}) == 1 and _adds_up(parts, f) and _each_named_apart(parts)):
                return sorted((sf for sf, _ in parts), key=lambda sf: sf.figure.start)
    return None


def _adds_up(parts: tuple[tuple[SourceFigure, frozenset[str]], ...], f: Figure) -> bool:
    """Do the parts add up to ``f``: exactly, to a finer sum it rounds half up (86.6万元), or into
    its interval when it is approximate (约1.2万份)?"""
    total = sum(sf.figure.value.low for sf, _ in parts)
    if not f.value.exact:
        return f.value.contains(total)
    return total == f.value.low or quantize_half_up(total, f.value.precision) == f.value.low


def _each_named_apart(parts: tuple[tuple[SourceFigure, frozenset[str]], ...]) -> bool:
    """Does each part have a word in the clause that none of the others has (复议 / 应诉)?"""
    for i, (_, words) in enumerate(parts):
        others = frozenset().union(*(w for j, (_, w) in enumerate(parts) if j != i))
        if not words - others:
            return False
    return True
