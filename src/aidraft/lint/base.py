"""What every lint rule shares: the rule signature, building a finding, walking paragraphs.

Rules only see a Document; offsets and lines always point into ``Document.text`` so the CLI and
the .docx annotator can both place a finding. Web debris before ``body_start`` (index tables of
government sites) is never linted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from aidraft import regexes
from aidraft.lint.model import LintFinding, Severity
from aidraft.parse.document import Document

Rule = Callable[[Document], Iterable[LintFinding]]
R = TypeVar("R", bound=Rule)


class RegisteredRule(NamedTuple):
    """A rule and the ids its findings can carry."""

    ids: tuple[str, ...]
    check: Rule


_REGISTRY: list[RegisteredRule] = []


def rule(*ids: str) -> Callable[[R], R]:
    """Register a lint rule where it is defined, naming the finding ids it emits.

    Rules run in registration order (lint/run.py imports the rule modules in order), and where two
    rules report the same span the one registered first is kept."""

    def register(check: R) -> R:
        _REGISTRY.append(RegisteredRule(ids=ids, check=check))
        return check

    return register


def registered() -> list[RegisteredRule]:
    return list(_REGISTRY)


EXCERPT_MAX = 40
# Lines of site debris ("索引号: | 000000/2025-00001 | 分类: |") that a parser may leave in the body.
_DEBRIS_RE = regexes.compile(r"\|\s*$|^\s*\S{1,6}\s*[:：]\s*\|")


@dataclass(frozen=True)
class Paragraph:
    """One line of the normalised text (a paragraph, or a heading)."""

    start: int
    end: int
    text: str
    line: int


def excerpt(text: str, start: int, end: int, limit: int = EXCERPT_MAX) -> str:
    """At most ``limit`` characters of the line around [start, end), centred on the span."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if line_end == -1:
        line_end = len(text)
    end = min(max(end, start), line_end)
    span = end - start
    if span >= limit:
        return text[start : start + limit]
    room = limit - span
    left = max(line_start, start - room // 2)
    right = min(line_end, end + (limit - span - (start - left)))
    left = max(line_start, right - limit)
    return text[left:right].strip()


def make(
    doc: Document,
    rule: str,
    start: int,
    end: int,
    message: str,
    suggestion: str | None = None,
    severity: Severity = Severity.warning,
) -> LintFinding:
    """A finding at [start, end) of ``doc.text`` with line and excerpt filled in."""
    return LintFinding(
        rule=rule,
        line=doc.line_of(start),
        start=start,
        end=max(end, start),
        excerpt=excerpt(doc.text, start, end),
        message=message,
        suggestion=suggestion,
        severity=severity,
    )


def at_match(doc: Document, rule: str, para: Paragraph, match: re.Match[str], message: str,
             **more: Any) -> LintFinding:
    """A finding over a regex match found in ``para.text``."""
    return make(doc, rule, para.start + match.start(), para.start + match.end(), message, **more)


def prose_bounds(doc: Document) -> tuple[int, int]:
    """Where the report's prose runs: from its preamble (or first heading) to its signature block.

    The lines before are the title (the office's name, 关于…的报告) and those after the signature
    (the office's name again, the date): names that stand twice by design, not sentences."""
    text = doc.text
    if doc.preamble:
        start = text.find(doc.preamble, doc.body_start)
    elif doc.sections:
        start = doc.sections[0].start
    else:
        start = doc.body_start
    end = text.rfind(doc.closing) if doc.closing else -1
    start = max(start, doc.body_start)
    return start, end if end >= start else len(text)


def paragraphs(doc: Document) -> Iterator[Paragraph]:
    """Non-empty lines from ``body_start`` on, skipping lines of web debris."""
    text = doc.text
    pos = 0
    line = 1
    for raw in text.split("\n"):
        end = pos + len(raw)
        if end > doc.body_start and raw.strip() and not _DEBRIS_RE.search(raw):
            start = max(pos, doc.body_start)
            yield Paragraph(start=start, end=end, text=text[start:end], line=line)
        pos = end + 1
        line += 1

