"""Last year's report as a guide: its skeleton (section order and titles, moved on one year) and
its promises (plan items), which draft/followup.py follows up in this year's notes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.messages import Msg, msg
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.kinds import standard_kinds
from aidraft.parse.notes_cues import note_cues
from aidraft.parse.office import identify
from aidraft.text import han_only, sentence_re

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


def _department_core(department: str) -> str:
    """What a department is, without the words every office name has: 人民政府信访办公室 → 信访."""
    words = sorted(note_cues().office_suffixes, key=len, reverse=True)
    core = han_only(department)
    while lead := next((w for w in words if len(w) > 1 and core.startswith(w) and len(core) > len(w)), None):
        core = core[len(lead):]
    tail = next((w for w in words if core.endswith(w) and len(core) > len(w)), "")
    return core[: len(core) - len(tail)]


def other_office(prior_office: str | None, office: str | None) -> bool:
    """Whether two names surely name two offices: another place or level (柳河县 / 青溪县), or
    another department (司法局 / 信访局). One shortened form of the other is the same office:
    人社局 / 人力资源和社会保障局, 信访办 / 人民政府信访办公室; a name that says too little is no evidence."""
    if not prior_office or not office:
        return False
    a, b = identify(prior_office), identify(office)
    if (a.short and b.short and a.short != b.short) or (a.level and b.level and a.level != b.level):
        return True
    x, y = _department_core(a.department), _department_core(b.department)
    if not x or not y:
        return False
    shorter, longer = sorted((x, y), key=len)
    return not set(shorter) <= set(longer)


def prior_mismatch(prior: Document, office: str, year: int) -> Msg | None:
    """Why ``prior`` is not last year's report of this office (a report of the notes' own year or
    later, or of another office), or None. Its promises are then not followed up."""
    name = prior.path or "prior"
    if prior.year is not None and prior.year >= year:
        return msg("draft.prior.not_last_year", path=name, prior_year=prior.year, year=year)
    if other_office(prior.office, office):
        return msg("draft.prior.other_office", path=name, prior_office=prior.office or "", office=office)
    return None
