"""Quotations that do not copy a source's mistakes: a quoted sentence is linted on its own; what
lint is certain about (a typo from the lexicon, a stutter, 2023以来, half-width or doubled
punctuation) is corrected, and a sentence with any other finding is not quoted at all.

Why: a digest quoting "少数干部职工的法治一是还需进一步加强" hands the county's typo up to the
city. The corrections made are kept (``DigestResult.corrected``) so a clerk can see them.
"""

from __future__ import annotations

from functools import lru_cache

from aidraft.lint.model import LintFinding
from aidraft.lint.run import lint_text

#: Rules whose suggestion is a sure replacement of exactly the span they flag.
CERTAIN = frozenset({"typo", "typo-stutter", "year-no-nian", "halfwidth-punct", "punct-doubled"})
MAX_FIXES = 8


def _fixable(finding: LintFinding, text: str) -> bool:
    return (finding.rule in CERTAIN and finding.suggestion is not None
            and 0 <= finding.start < finding.end <= len(text) and finding.end - finding.start <= 12)


@lru_cache(maxsize=65536)
def clean_quote(text: str) -> tuple[str | None, tuple[str, ...]]:
    """(the sentence, corrected where lint is certain; None if something else is wrong), and the
    corrections made (“法治一是”→“法治意识”)."""
    fixes: list[str] = []
    current = text
    for _ in range(MAX_FIXES):
        findings = lint_text(current).findings
        if not findings:
            return current, tuple(fixes)
        if not all(_fixable(f, current) for f in findings):
            return None, tuple(fixes)
        for f in sorted(findings, key=lambda f: -f.start):  # right to left keeps offsets valid
            assert f.suggestion is not None
            fixes.append(f"“{current[f.start:f.end]}”→“{f.suggestion}”")
            current = current[: f.start] + f.suggestion + current[f.end :]
    return None, tuple(fixes)
