"""The offline writer: turns a planned section into official prose from the phrase bank and the
notes' own words. It never writes a figure the notes do not contain: figures are carried over
verbatim inside the notes' sentences, and all connecting prose comes from the phrase bank.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from aidraft.draft.bank import phrase_bank
from aidraft.draft.plan import DraftPlan, PlannedSection
from aidraft.parse.notes import NoteItem
from aidraft.parse.document import SectionKind

CN_NUMBERS = "一二三四五六七八九十"
HALF_TO_FULL = str.maketrans({";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"})
ENDINGS = "。！？；"


class WrittenSection(BaseModel):
    """A section as plain text lines: '（一）heading' lines and paragraph lines."""

    model_config = ConfigDict(extra="forbid")

    kind: SectionKind
    title: str
    body: str
    backend: str = "offline"
    note: str | None = None


def paren_number(index: int) -> str:
    return f"（{cn_number(index + 1)}）"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + CN_NUMBERS[n - 11]
    tens, ones = divmod(n, 10)
    return CN_NUMBERS[tens - 1] + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def full_width(text: str) -> str:
    """Chinese punctuation for jotted notes: commas (not inside 1,190), quotes paired “…”."""
    text = re.sub(r"(?<!\d),|,(?!\d{3})", "，", text).translate(HALF_TO_FULL)
    parts = text.split('"')
    if len(parts) % 2 == 1 and len(parts) > 1:
        text = "".join(p + ("“" if i % 2 == 0 else "”") if i < len(parts) - 1 else p for i, p in enumerate(parts))
    return text


def as_sentence(text: str) -> str:
    text = full_width(text.strip()).rstrip("，、；： ")
    return text if text.endswith(tuple(ENDINGS)) else text + "。"


def items_paragraph(lead: str, items: list[NoteItem]) -> str:
    """lead + 一是…。二是…。 (or lead + the one item)."""
    bank = phrase_bank()
    if len(items) == 1:
        return lead + as_sentence(items[0].text)
    return lead + "".join(bank.ordinal(i) + as_sentence(item.text) for i, item in enumerate(items))


def write_section_offline(plan: DraftPlan, section: PlannedSection, items: dict[int, NoteItem]) -> WrittenSection:
    bank = phrase_bank()
    if not section.item_ids:
        return WrittenSection(kind=section.kind, title=section.title, body=bank.missing_text.get(
            section.kind, bank.placeholders.missing), note="no notes for this section")
    lines: list[str] = []
    if section.kind is SectionKind.problems:
        chosen = [items[i] for i in section.item_ids]
        lines.append(items_paragraph(section.lead, chosen))
    else:
        if section.lead:
            lines.append(section.lead)
        for index, sub in enumerate(section.subsections):
            lines.append(paren_number(index) + sub.title)
            lines.append(items_paragraph(sub.lead, [items[i] for i in sub.item_ids]))
    return WrittenSection(kind=section.kind, title=section.title, body="\n".join(lines))
