"""The structured section: what the model answers for one section (paragraphs of sentences, each
sentence with the ids of the notes it states), the request that asks for it, and the body text the
assembler gets once the answer has passed llm_verify.

Notes go to the model under short labels (N1, N2 …); the labels are only for citing and must never
reach the report (llm_verify rejects any that do). Example pairs (notes → paragraph) are data in
prompts/examples/draft_section.yaml.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from aidraft import regexes
from aidraft.draft.assemble import report_title
from aidraft.draft.bank import phrase_bank
from aidraft.draft.plan import DraftPlan, PlannedSection
from aidraft.genre.register import register_rules
from aidraft.draft.self_reference import party_body, self_reference
from aidraft.draft.write_offline import ENDINGS, DraftSentence, full_width, paren_number
from aidraft.errors import DataError
from aidraft.ledger.model import note_id
from aidraft.llm.base import Message
from aidraft.parse.document import SectionKind
from aidraft.parse.headings import parse_heading
from aidraft.parse.kinds import catalogue
from aidraft.parse.notes import NoteItem
from aidraft.prompts import PromptTemplate, prompts_dir
from aidraft.settings import Settings
from aidraft.strict import Strict

_NON_DIGIT = regexes.compile(r"\D")
_NOTE_LABEL = regexes.compile(r"(?:N|笔记)?\s*\d+")
_SPACE_OR_PUNCT = regexes.compile(r"[\s。，,.；;：:]")
_FULL_STOP = regexes.compile(r"[。；]")


def note_label(item_id: int) -> str:
    """The label a note goes by in prompts and citations: its ledger id (N1 for the first note)."""
    return note_id(item_id)


class SentenceOut(BaseModel):
    """一句正文及其依据的笔记编号。"""

    text: str = Field(description="一句完整的正文，以句号结尾；不含笔记编号")
    notes: list[str] = Field(default_factory=list, description="本句写到的笔记编号，如 [\"N2\"]；过渡句为空列表")

    @field_validator("notes", mode="before")
    @classmethod
    def _labels(cls, value: object) -> object:
        """Small models write 3 for N3, or one string "N1, N2": read both."""
        if isinstance(value, (str, int)):
            value = [value]
        if isinstance(value, list):
            labels: list[str] = []
            for entry in value:
                for part in str(entry).replace("，", ",").replace("、", ",").split(","):
                    part = part.strip().upper().replace("Ｎ", "N")
                    digits = _NON_DIGIT.sub("", part)
                    if part:  # 3, "N3", "笔记3" all mean N3; anything else stays as written (and is unknown)
                        labels.append(f"N{digits}" if digits and _NOTE_LABEL.fullmatch(part) else part)
            return labels
        return value


class ParagraphOut(BaseModel):
    sentences: list[SentenceOut] = Field(min_length=1)


class SectionDraft(BaseModel):
    """报告某一部分的正文：若干段落，每段若干句，每句注明所写笔记的编号。"""

    paragraphs: list[ParagraphOut] = Field(min_length=1)

    def sentences(self) -> list[SentenceOut]:
        return [s for p in self.paragraphs for s in p.sentences]

    def text(self) -> str:
        return "\n".join("".join(s.text for s in p.sentences) for p in self.paragraphs)


class ExamplePair(Strict):
    office: str
    notes: list[dict[str, str]]
    heading: str
    sentences: list[dict[str, Any]]


class Examples(Strict):
    version: str
    kinds: dict[SectionKind, list[ExamplePair]]


@cache
def _examples(folder: Path) -> Examples:
    path = folder / "examples" / "draft_section.yaml"
    try:
        return Examples.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise DataError(f"cannot read the example pairs {path}: {str(exc).splitlines()[0]}") from exc


def load_examples(settings: Settings | None = None) -> Examples:
    return _examples(prompts_dir(settings))


def example_blocks(examples: Examples, kind: SectionKind) -> list[dict[str, str]]:
    """The example pairs of ``kind`` as the template shows them: notes lines and the answer JSON."""
    blocks = []
    for pair in examples.kinds.get(kind, []):
        notes = "\n".join(f"{n['id']}：{n['text']}" for n in pair.notes)
        answer = SectionDraft(paragraphs=[ParagraphOut(sentences=[SentenceOut(**s) for s in pair.sentences])])
        blocks.append({"office": pair.office, "heading": pair.heading, "notes": notes,
                       "answer": answer.model_dump_json()})
    return blocks


def example_material(examples: Examples, kind: SectionKind) -> list[str]:
    """The example texts, which an answer may imitate (they are not instructions)."""
    return [str(s["text"]) for pair in examples.kinds.get(kind, []) for s in pair.sentences] + [
        n["text"] for pair in examples.kinds.get(kind, []) for n in pair.notes] + [
        pair.heading for pair in examples.kinds.get(kind, [])] + [
        pair.office for pair in examples.kinds.get(kind, [])]


def section_notes(section: PlannedSection, items: dict[int, NoteItem]) -> list[dict[str, Any]]:
    """Each sub-section's heading and its notes with their labels, in plan order."""
    subsections = []
    for index, sub in enumerate(section.subsections):
        heading = paren_number(index) + sub.title if sub.title and section.kind is not SectionKind.problems else ""
        subsections.append({"heading": heading, "items": [
            {"id": note_label(i), "text": full_width(items[i].text)} for i in sub.item_ids]})
    return subsections


def section_messages(template: PromptTemplate, plan: DraftPlan, section: PlannedSection,
                     items: dict[int, NoteItem], examples: Examples, prior: str) -> list[Message]:
    """The draft_section request (deterministic: identical inputs render identical text)."""
    return template.render(
        office=plan.office, short=plan.short, year=plan.year, next_year=plan.next_year,
        party=party_body(plan.office), leadership=self_reference().leadership,
        section_title=section.title, kind=section.kind.value, kind_label=catalogue().summary(section.kind),
        subsections=section_notes(section, items), examples=example_blocks(examples, section.kind),
        prior=prior, register=register_rules().model_dump(), missing=phrase_bank().placeholders.missing,
    )


def section_material(plan: DraftPlan, section: PlannedSection, items: dict[int, NoteItem], examples: Examples,
                     prior: str) -> list[str]:
    """What a request carries as material rather than instruction (llm_verify's leak check)."""
    headings = [sub.title for sub in section.subsections]
    notes = [full_width(items[i].text) for i in section.item_ids] + [items[i].text for i in section.item_ids]
    return [report_title(plan), plan.office, plan.short, party_body(plan.office), self_reference().leadership,
            section.title,
            catalogue().summary(section.kind), *headings, *notes, *example_material(examples, section.kind),
            *prior.splitlines()]


def without_heading_echoes(draft: SectionDraft, section: PlannedSection) -> SectionDraft:
    """The answer without sentences that only repeat a heading (the program adds headings): a
    numbered line, the section title or a sub-section title, cited or not."""
    titles = {_bare(t) for t in [section.title, *(sub.title for sub in section.subsections)] if t}
    paragraphs = []
    for paragraph in draft.paragraphs:
        kept = [s for s in paragraph.sentences if not (_bare(s.text) in titles or _numbered_heading(s.text))]
        if kept:
            paragraphs.append(ParagraphOut(sentences=kept))
    return SectionDraft(paragraphs=paragraphs or draft.paragraphs)


def _bare(text: str) -> str:
    head = parse_heading(text.strip())
    text = text.strip()[head.title_start :] if head is not None else text
    return _SPACE_OR_PUNCT.sub("", text)


def _numbered_heading(text: str) -> bool:
    """（一）强化理论武装，筑牢法治根基 / 一、… on its own, without a sentence after it."""
    head = parse_heading(text.strip())
    return head is not None and len(_bare(text)) <= 16 and not _FULL_STOP.search(text.strip()[:-1])


def as_sentence(text: str) -> str:
    """One answer sentence as report text: full-width punctuation, closed with 。 when open."""
    text = full_width(" ".join(text.split())).strip()
    return text if not text or text.endswith((*ENDINGS, "：")) else text + "。"


def render_body(draft: SectionDraft, section: PlannedSection) -> tuple[str, list[DraftSentence]]:
    """Body lines for the assembler and the traced sentences: each paragraph under the heading of
    the sub-section whose notes it cites most (ties and uncited paragraphs: the one before),
    headings numbered （一）（二）; last year's promises the notes are silent on asked at the end."""
    owner = {note_label(i): index for index, sub in enumerate(section.subsections) for i in sub.item_ids}
    placed: dict[int, list[str]] = {}
    traced: list[DraftSentence] = []
    current = 0
    for paragraph in draft.paragraphs:
        votes = [owner[n] for s in paragraph.sentences for n in s.notes if n in owner]
        if votes:
            current = max(set(votes), key=lambda sub: (votes.count(sub), -sub))
        kept = [s for s in paragraph.sentences if s.text.strip()]
        traced += [DraftSentence(text=as_sentence(s.text), note_ids=[n for n in s.notes if n in owner],
                                 kind="fact" if s.notes else "connective") for s in kept]
        text = "".join(as_sentence(s.text) for s in kept)
        if text:
            placed.setdefault(current, []).append(text)
    lines: list[str] = []
    with_headings = section.kind is not SectionKind.problems and any(s.title for s in section.subsections)
    number = 0
    for index, sub in enumerate(section.subsections):
        if index not in placed:
            continue
        if with_headings and sub.title:
            lines.append(paren_number(number) + sub.title)
            number += 1
        lines.extend(placed[index])
    for index in sorted(set(placed) - set(range(len(section.subsections)))):
        lines.extend(placed[index])
    bank = phrase_bank()
    asks = [bank.placeholders.followup.format(promise=p.rstrip("。；")) for p in section.pending]
    traced += [DraftSentence(text=ask, kind="placeholder") for ask in asks]
    return "\n".join([*lines, *asks]), traced
