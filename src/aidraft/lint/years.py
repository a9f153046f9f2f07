"""Years: headings naming the wrong year, and years written without 年.

A report on year Y reviews Y and plans Y+1. Offices that reuse last year's file keep its
headings (三、2023年工作思路 in a report on 2023), which a reader of the published report sees
at once. The year is the parser's (title, opening paragraph, else the most frequent year).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aidraft import regexes
from aidraft.lint.base import make, paragraphs, rule
from aidraft.lint.model import LintFinding, Severity
from aidraft.parse.document import Document, SectionKind

# A year a heading names as its subject; "2021年以来" and ranges name a period, not the year.
_HEADING_YEAR_RE = regexes.compile(
    r"(?<![\d.\-－—~～至])(20\d{2})(?!年?(?:以来|来|至|起|[\-－—~～]))(?:年|(?=[^\d\-－—~～]))"
)
_NO_NIAN_RE = regexes.compile(r"(?<![\d.\-－—~～/])(20\d{2})(以来|至今|底|初|上半年|下半年|全年|度)")
_RANGE_NO_NIAN_RE = regexes.compile(r"[（(]((?:19|20)\d{2}[-－—–~～至](?:19|20)\d{2})[）)](?=[》〉])")
PLAN_WORDS = ("工作思路", "工作打算", "工作安排", "工作计划", "下一步", "下步", "下一年度", "明年")


@dataclass(frozen=True)
class Heading:
    title: str
    start: int
    plans: bool


def _top_headings(doc: Document) -> list[Heading]:
    """Top-level headings; the parser's kind says which is the plan section, else its words do."""
    out = []
    for section in doc.sections:
        if section.kind is not None:
            plans = section.kind == SectionKind.plans
        else:
            plans = any(w in section.title for w in PLAN_WORDS)
        line_end = doc.text.find("\n", section.start)
        line = doc.text[section.start : line_end if line_end != -1 else len(doc.text)]
        offset = section.start + max(line.find(section.title[:4]), 0)
        out.append(Heading(section.title, offset, plans))
    return out


@rule("plan-year", "heading-year")
def heading_year(doc: Document) -> Iterator[LintFinding]:
    """Top-level headings naming a year other than the report's (the plan section's: year + 1)."""
    year = doc.year
    if year is None:
        return
    for heading in _top_headings(doc):
        for match in _HEADING_YEAR_RE.finditer(heading.title[:20]):
            named = int(match.group(1))
            want = year + 1 if heading.plans else year
            if named == want:
                continue
            s = heading.start + match.start(1)
            e = s + 4
            if heading.plans:
                yield make(
                    doc,
                    "plan-year",
                    s,
                    e,
                    f"工作安排部分应写下一年度：本报告总结{year}年工作，此处应为{want}年而非{named}年",
                    suggestion=str(want),
                    severity=Severity.error,
                )
            else:
                yield make(
                    doc,
                    "heading-year",
                    s,
                    e,
                    f"标题年份与报告年度不符：本报告总结{year}年工作，标题却写{named}年",
                    suggestion=str(want),
                )


@rule("year-no-nian")
def year_without_nian(doc: Document) -> Iterator[LintFinding]:
    """"2023以来": a year used as a date needs 年 (2023年以来)."""
    for para in paragraphs(doc):
        for match in _NO_NIAN_RE.finditer(para.text):
            s = para.start + match.start(1)
            yield make(
                doc,
                "year-no-nian",
                s,
                s + 4,
                f"年份后缺“年”字：“{match.group(0)}”应为“{match.group(1)}年{match.group(2)}”",
                suggestion=f"{match.group(1)}年",
            )


@rule("year-no-nian")
def range_without_nian(doc: Document) -> Iterator[LintFinding]:
    """《…纲要（2020-2025）》: the period of a plan in a title is written 2020—2025年."""
    for para in paragraphs(doc):
        for match in _RANGE_NO_NIAN_RE.finditer(para.text):
            s = para.start + match.start(1)
            years = match.group(1)
            yield make(
                doc,
                "year-no-nian",
                s,
                s + len(years),
                f"文件名称中的年份区间缺“年”字：“{years}”应为“{years[:4]}—{years[-4:]}年”",
                suggestion=f"{years[:4]}—{years[-4:]}年",
            )
