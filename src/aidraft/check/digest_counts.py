"""Figures a digest derives from its input reports rather than copies from one of them.

A digest checked against the reports it summarises (several sources) states figures no single
report gives, yet the sources back them:
- the number of reporting offices (共5个单位报送, 5个单位中有…) is the number of source reports;
- a share of them (5个单位中有3个…（甲县、乙区、丙市）) is the number of offices its brackets list.
Units and share words are genre data (genre/figures.yaml: office_units, office_share_words).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from aidraft import regexes
from aidraft.check.match import Verdict
from aidraft.check.model import FigureStatus
from aidraft.check.sources import SourceIndex
from aidraft.figures.lexicon import lexicon
from aidraft.figures.model import Figure, FigureKind
from aidraft.messages import DOC_LANG, text

BRACKETS = regexes.compile(r"[（(]([^（）()]+)[）)]")
NAME_SEPARATORS = regexes.compile(r"[、，,；;]")


def _office_count(fig: Figure) -> bool:
    """Does ``fig`` count offices (5个单位, 3家单位)?"""
    said = fig.unit + fig.after
    return fig.kind is FigureKind.count and fig.value.exact and any(
        said.startswith(w) for w in lexicon().lex.office_units)


def _share_of(fig: Figure, whole: Figure) -> bool:
    """Is ``fig`` a share of the offices ``whole`` counts (5个单位中有3个, 3家单位中2家)?"""
    if fig.sentence_start != whole.sentence_start or fig.start <= whole.end:
        return False
    said = whole.unit + fig.sentence[whole.end - fig.sentence_start : fig.start - fig.sentence_start]
    lex = lexicon().lex
    unit = next((w for w in lex.office_units if said.startswith(w)), None)
    return unit is not None and said[len(unit):] in lex.office_share_words


def _listed(fig: Figure) -> int:
    """How many names the first bracket after ``fig`` in its sentence lists (0 when none)."""
    rest = fig.sentence[fig.end - fig.sentence_start:]
    m = BRACKETS.search(rest)
    if m is None:
        return 0
    return len([n for n in NAME_SEPARATORS.split(m.group(1)) if n.strip()])


def derive_digest_counts(figures: list[Figure], notes: SourceIndex, status: Callable[[Figure], Verdict]) -> dict[
        int, Verdict]:
    """New verdicts (figure start → verdict) for unsupported figures a digest derives from its
    sources; ``status`` gives a figure's current verdict. Empty unless there are several sources."""
    sources = len(set(notes.files))
    if sources < 2:
        return {}
    out: dict[int, Verdict] = {}
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for fig in figures:
        by_sentence[fig.sentence_start].append(fig)
    for figs in by_sentence.values():
        wholes = [f for f in figs if _office_count(f) and f.value.low == sources]
        for whole in wholes:
            if status(whole).status is FigureStatus.unsupported:
                out[whole.start] = Verdict(FigureStatus.derived, None, text("check.derived_offices", DOC_LANG,
                                                                            n=sources))
            for part in figs:
                if part is whole or status(part).status is not FigureStatus.unsupported or not _share_of(part, whole):
                    continue
                listed = _listed(part)
                if listed and Decimal(listed) == part.value.low <= sources:
                    out[part.start] = Verdict(FigureStatus.derived, None, text("check.derived_share", DOC_LANG,
                                                                               n=listed, total=sources))
    return out
