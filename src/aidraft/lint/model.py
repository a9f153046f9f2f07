"""Findings of the proofreading lint."""

# no `from __future__ import annotations`: see aidraft.strict

from enum import Enum

from pydantic import Field

from aidraft.strict import Strict


class Severity(str, Enum):
    error = "error"
    warning = "warning"


class LintFinding(Strict):
    rule: str = Field(description="stable rule id, e.g. 'numbering-mixed', 'duplicate-sentence'")
    line: int = Field(ge=1)
    start: int = Field(ge=0, description="offset in Document.text")
    end: int = Field(ge=0)
    excerpt: str
    message: str
    suggestion: str | None = None
    severity: Severity = Severity.warning


class LintReport(Strict):
    path: str | None = None
    findings: list[LintFinding] = Field(default=[])

    @property
    def flagged(self) -> bool:
        return bool(self.findings)
