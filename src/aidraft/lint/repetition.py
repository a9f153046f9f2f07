"""Text that stands twice: whole sentences anywhere in the report, clauses within one paragraph.

Copy-paste while merging contributions from several offices leaves sentences in twice. Short
units repeat legitimately (slogans, parallel 同安排、同部署), so a sentence must have at least
SENTENCE_MIN characters and a clause CLAUSE_MIN, and clauses only count within one paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from aidraft import regexes
from aidraft.lint.base import make, paragraphs, prose_bounds, rule
from aidraft.lint.model import LintFinding, Severity
from aidraft.parse.document import Document
from aidraft.text import content_count, sentence_re

SENTENCE_MIN = 12
CLAUSE_MIN = 10
_SENTENCE_RE = sentence_re(lines=False)  # one paragraph at a time
_CLAUSE_RE = regexes.compile(r"[^，；。！？,;!?]+")
_SPACE_OR_END = regexes.compile(r"[\s。！？!?]")


class Unit(NamedTuple):
    """A sentence or clause: its span in Document.text and its comparison key."""

    start: int
    end: int
    key: str


def _units(text: str, base: int, pattern: re.Pattern[str]) -> list[Unit]:
    units = []
    for match in pattern.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        offset = match.start() + raw.index(stripped[0])
        key = _SPACE_OR_END.sub("", stripped)
        units.append(Unit(base + offset, base + offset + len(stripped), key))
    return units


@rule("duplicate-sentence")
def duplicate_sentence(doc: Document) -> Iterator[LintFinding]:
    """Every later copy of a sentence of SENTENCE_MIN characters or more. The title and signature
    lines are no sentences: a long office name heads the report and signs it."""
    seen: dict[str, int] = {}
    start, end = prose_bounds(doc)
    for para in paragraphs(doc):
        if para.end <= start or para.start >= end:
            continue
        for unit in _units(para.text, para.start, _SENTENCE_RE):
            if content_count(unit.key) < SENTENCE_MIN:
                continue
            if unit.key in seen:
                first = doc.line_of(seen[unit.key])
                where = "本段前文" if first == doc.line_of(unit.start) else f"第{first}行"
                yield make(
                    doc,
                    "duplicate-sentence",
                    unit.start,
                    unit.end,
                    f"句子重复：与{where}的句子完全相同，应删去一处",
                    severity=Severity.error,
                )
            else:
                seen[unit.key] = unit.start


def _sentence_keys(doc: Document) -> dict[str, int]:
    counts: dict[str, int] = {}
    for para in paragraphs(doc):
        for unit in _units(para.text, para.start, _SENTENCE_RE):
            counts[unit.key] = counts.get(unit.key, 0) + 1
    return counts


def _inside(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Is ``pos`` inside one of the sorted, disjoint ``spans`` (``starts`` their starts)?"""
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


@rule("duplicate-clause")
def duplicate_clause(doc: Document) -> Iterator[LintFinding]:
    """A clause repeated later in the same paragraph (with any clauses that follow it in step)."""
    repeated_sentences = {k for k, n in _sentence_keys(doc).items() if n > 1}
    for para in paragraphs(doc):
        sentences = _units(para.text, para.start, _SENTENCE_RE)
        skip = [(u.start, u.end) for u in sentences if u.key in repeated_sentences]  # sorted, disjoint
        skip_starts = [s for s, _ in skip]
        clauses = [c for c in _units(para.text, para.start, _CLAUSE_RE) if not _inside(c.start, skip, skip_starts)]
        first: dict[str, int] = {}  # each key's first clause: no pairwise comparison of clauses
        for index, clause in enumerate(clauses):
            first.setdefault(clause.key, index)
        covered = -1
        for j, later in enumerate(clauses):
            if j <= covered or content_count(later.key) < CLAUSE_MIN:
                continue
            i = first[later.key]
            if i == j:
                continue
            k = 1
            while i + k < j and j + k < len(clauses) and clauses[i + k].key == clauses[j + k].key:
                k += 1
            covered = j + k - 1
            end = clauses[covered].end
            shown = doc.text[later.start : end]
            yield make(
                doc,
                "duplicate-clause",
                later.start,
                end,
                f"分句重复：“{shown}”在本段前文已出现，疑为重复，应删去或改写",
            )
