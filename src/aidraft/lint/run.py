"""Run every lint rule over a document and collect the findings in reading order.

Rules are pure functions of the Document, registered with @rule where they are defined; a new
rule module is one more entry in MODULES.
The same span reported by two rules (a typo that is also a term variant) is kept once, by the
rule registered first.
"""

from __future__ import annotations

from aidraft.lint import approx, numbering, punctuation, register, repetition, terms, typos, years
from aidraft.lint.base import Rule, registered
from aidraft.lint.model import LintFinding, LintReport
from aidraft.parse.document import Document
from aidraft.parse.structure import parse_text

#: The rule modules, in the order their rules run (whatever order they happen to be imported in).
MODULES = (numbering, repetition, years, punctuation, typos, terms, approx, register)
_ORDERED = [r for module in MODULES for r in registered() if r.check.__module__ == module.__name__]
#: The rules in the order they run, and every id a finding can carry (for docs, tests and --json
#: consumers): both read from the registry that the @rule decorators fill where rules are defined.
RULES: list[Rule] = [r.check for r in _ORDERED]
RULE_IDS: tuple[str, ...] = tuple(dict.fromkeys(i for r in _ORDERED for i in r.ids))


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
