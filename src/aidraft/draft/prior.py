"""Last year's report as a guide: its skeleton (section order and titles, moved on one year) and
its promises (plan items), which draft/followup.py follows up in this year's notes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.kinds import standard_kinds
from aidraft.text import sentence_re

ORDINAL_LEAD = regexes.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）)")


class PlanGap(BaseModel):
    """A promise from last year's plan section whose completion this year's notes do not state
    (a followup of status unanswered or repeated; kept for the summary and the web page)."""

    model_config = ConfigDict(extra="forbid")

    prior_file: str
    line: int
    text: str
    closest_note: str | None = None


def shift_years(title: str, prior_year: int | None, year: int) -> str:
    """'2024年…成效' in last year's report becomes '2025年…成效'; its '2025年工作安排' becomes 2026."""
    if prior_year is None:
        return title
    return (title.replace(str(prior_year + 1), "\0NEXT\0").replace(str(prior_year), str(year))
            .replace("\0NEXT\0", str(year + 1)))


def skeleton(prior: Document, year: int) -> tuple[list[SectionKind], dict[SectionKind, str]]:
    """Section order and titles of last year's report, for this year."""
    order: list[SectionKind] = []
    titles: dict[SectionKind, str] = {}
    for section in prior.sections:
        if section.kind is None or section.kind in order:
            continue
        order.append(section.kind)
        titles[section.kind] = shift_years(section.title, prior.year, year)
    for kind in standard_kinds():
        if kind not in order:
            order.append(kind)
    return order, titles


def plan_items(prior: Document) -> list[tuple[int, str]]:
    """(line, text) of each promise in last year's plans section: a sub-section's heading with its
    first sentence, or, in a section without sub-sections, each sentence (一是…二是…)."""
    section = prior.section_of_kind(SectionKind.plans)
    if section is None:
        return []
    out: list[tuple[int, str]] = []
    for sub in section.walk()[1:]:
        first = sentence_re(semicolons=True).match(sub.text.strip()) if sub.text.strip() else None
        text = sub.title + ("：" + first.group(0).strip("。；") if first else "")
        out.append((sub.line, text))
    if not out:
        for m in sentence_re(semicolons=True).finditer(section.text):
            sentence = ORDINAL_LEAD.sub("", m.group(0).strip()).strip("。； ")
            if len(sentence) >= 6:
                out.append((prior.line_of(section.start + m.start()), sentence))
    return out
