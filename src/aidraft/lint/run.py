"""Run every lint rule over a document and collect the findings in reading order.

Rules are pure functions of the Document, listed in RULES; adding one is adding a line here.
The same span reported by two rules (a typo that is also a term variant) is kept once, by the
rule listed first.
"""

from __future__ import annotations

from aidraft.lint import approx, numbering, punctuation, repetition, terms, typos, years
from aidraft.lint.base import Rule
from aidraft.lint.model import LintFinding, LintReport
from aidraft.parse.document import Document
from aidraft.parse.structure import parse_text

RULES: list[Rule] = [
    numbering.numbering_mixed,
    numbering.numbering_sequence,
    numbering.numbering_format,
    numbering.numbering_skip,
    repetition.duplicate_sentence,
    repetition.duplicate_clause,
    years.heading_year,
    years.year_without_nian,
    years.range_without_nian,
    punctuation.unbalanced,
    punctuation.halfwidth,
    punctuation.doubled,
    punctuation.quote_dun,
    typos.typo,
    typos.stutter,
    terms.term_variant,
    terms.title_variant,
    terms.short_title,
    approx.approx_nonround,
]

# Every rule id a finding can carry (for docs, tests and --json consumers).
RULE_IDS: tuple[str, ...] = (
    "numbering-mixed",
    "numbering-sequence",
    "numbering-format",
    "numbering-skip",
    "duplicate-sentence",
    "duplicate-clause",
    "plan-year",
    "heading-year",
    "year-no-nian",
    "unbalanced",
    "halfwidth-punct",
    "punct-doubled",
    "punct-quote-dun",
    "typo",
    "typo-stutter",
    "term-variant",
    "title-variant",
    "short-title",
    "approx-nonround",
)


def lint_document(doc: Document) -> LintReport:
    """All findings for ``doc``, sorted by offset, one per (start, end) span."""
    findings: list[LintFinding] = []
    seen: set[tuple[int, int]] = set()
    for rule in RULES:
        for finding in rule(doc):
            key = (finding.start, finding.end)
            if key in seen:
                continue
            seen.add(key)
            findings.append(finding)
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return LintReport(path=doc.path, findings=findings)


def lint_text(text: str, path: str | None = None) -> LintReport:
    """Parse ``text`` and lint it."""
    return lint_document(parse_text(text, path=path))
