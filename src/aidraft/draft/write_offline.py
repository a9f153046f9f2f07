"""The offline writer: turns a planned section into official prose from the phrase bank and the
notes' own words. It never writes a figure the notes do not contain: figures are carried over
verbatim inside the notes' sentences, and all connecting prose comes from the phrase bank.

Every sentence it writes is traced: a fact sentence carries the id of the note it states (N1 …),
a lead carries the notes that make its claim, a connective or placeholder carries none.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aidraft import messages, regexes
from aidraft.draft.bank import PhraseBank, phrase_bank
from aidraft.draft.future import plan_item
from aidraft.draft.plan import DraftPlan, PlannedSection, item_topic
from aidraft.draft.self_reference import self_reference
from aidraft.figures.numerals import cn_number
from aidraft.genre.register import register_rules
from aidraft.ledger.model import note_id
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import NoteItem
from aidraft.parse.notes_cues import find_word, note_cues
from aidraft.strict import Strict
from aidraft.text import HAN

HALF_TO_FULL = str.maketrans({";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"})
#: full-width digits and signs kept from the notes (抽查１２６次, 98％): the draft writes them half-width
HALF_WIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
ENDINGS = "。！？；"
TARGET_LABEL_MAX = 6  # 目标, 年度目标, 考核指标: a label, not a heading such as 年度目标任务完成情况
SLASH = regexes.compile(rf"(?<=[{HAN}”）])\s*[/／]\s*(?=[{HAN}“（])")
INNER_LABEL = regexes.compile(rf"(?<=[{HAN}])[：:](?=[{HAN}\d“])")
# a comma of prose (not the one inside 1,190) with the spaces around it: 58件, 纠错9件 → 58件，纠错9件
_PROSE_COMMA = regexes.compile(r"[ \t\u3000]*(?:(?<!\d),|,(?!\d{3}))[ \t\u3000]*")
# spaces around a Chinese mark (or one converted from a half-width mark) are jotting residue
_SPACED_MARK = regexes.compile(r"[ \t\u3000]*([;:!?()，。；：！？、（）])[ \t\u3000]*")
_CLOCK = regexes.compile(r"(?<=\d)：(?=\d\d)")  # 9:30 is a time, no colon of prose
_FULL_POINT = regexes.compile(r"(?<=\d)．(?=\d)")


class DraftSentence(Strict):
    """One sentence of the draft and the notes it states."""

    text: str
    note_ids: list[str] = Field(default_factory=list, description="ledger ids (N1 …) of the notes it states")
    kind: Literal["fact", "connective", "placeholder"]


class WrittenSection(Strict):
    """A section as plain text lines: '（一）heading' lines and paragraph lines."""

    kind: SectionKind
    title: str
    body: str
    backend: str = "offline"
    note: str | None = None
    provenance: Literal["model", "repaired", "offline"] = Field(
        default="offline", description="model; model after repair (the one re-ask); offline from the notes")
    fallback: bool = Field(default=False, description="a model was asked and could not write it: written offline")
    sentences: list[DraftSentence] = Field(default_factory=list, description="empty when the backend does not trace")


def paren_number(index: int) -> str:
    return f"（{cn_number(index + 1)}）"


def full_width(text: str) -> str:
    """Chinese punctuation for jotted notes: commas (not inside 1,190), quotes paired “…”, and no
    space left beside a mark."""
    text = _CLOCK.sub(":", _SPACED_MARK.sub(lambda m: m.group(1), _PROSE_COMMA.sub("，", text)).translate(HALF_TO_FULL))
    parts = text.split('"')
    if len(parts) % 2 == 1 and len(parts) > 1:
        text = "".join(p + ("“" if i % 2 == 0 else "”") if i < len(parts) - 1 else p for i, p in enumerate(parts))
    return text


def as_sentence(text: str) -> str:
    text = full_width(text.strip()).rstrip("，、；： ")
    return text if text.endswith(tuple(ENDINGS)) else text + "。"


def half_width(text: str) -> str:
    """Figures as a report writes them: ASCII digits and % (１２６次 → 126次, ９８．５％ → 98.5%)."""
    return _FULL_POINT.sub(".", text.translate(HALF_WIDTH))


def prose(text: str) -> str:
    """A jotted note without its residue: a/b lists become a、b, an inner 'X：' label a comma,
    full-width digits ASCII, and the office's 我局/本办 at its start dropped (the report speaks
    for the office)."""
    text = INNER_LABEL.sub("，", SLASH.sub("、", full_width(half_width(text.strip()))))
    for word in phrase_bank().self_reference:
        if text.startswith(word) and len(text) > len(word) + 2:
            return text[len(word):].lstrip("，, ")
    return text


def future_register(text: str, bank: PhraseBank, next_year: int | None = None) -> str:
    """A planned note as a plan sentence (draft/future.py): 明年, 拟 and the bare year dropped,
    its own verb and deadline kept, a bare noun never given an invented practice."""
    return plan_item(prose(text), bank, next_year)


def formal(text: str, short: str | None = None) -> str:
    """``text`` in the written register (genre/register.yaml): 咱们局/我们 → the office's short name
    (``short``; 本单位 where unknown), 搞 → 开展, 老百姓 → 群众, ！ → 。"""
    refs = self_reference()
    return register_rules().formal(text, refs.spoken, short or refs.unnamed)


def problem_register(text: str, bank: PhraseBank) -> str:
    """A problem note as one item of the problems list: the section lead already says there are
    problems, so a leading 但是， or a label (存在的问题是…, 不足：) is dropped."""
    text = prose(text)
    changed = True
    while changed:
        changed = False
        for word in bank.problem_strip.links:
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word):].lstrip("，,：: "), True
        for label in bank.problem_strip.labels:
            if not text.startswith(label):
                continue
            rest = text[len(label):]
            tie = next((t for t in bank.problem_strip.ties if rest.startswith(t)), None)
            if tie is not None and len(rest) > len(tie) + 1:
                text, changed = rest[len(tie):].lstrip("，,：: "), True
                break
    return text


def note_sentence(item: NoteItem, kind: SectionKind, plan: DraftPlan | None = None) -> str:
    """One note as the offline writer states it in a section of ``kind`` (the review's repair
    rewrites a sentence that carries jotting or prompt text from its notes with this)."""
    return as_sentence(formal(_item_prose(item, kind, phrase_bank(), plan), plan.short if plan else None))


def _item_prose(item: NoteItem, kind: SectionKind, bank: PhraseBank, plan: DraftPlan | None = None) -> str:
    if kind is SectionKind.plans:
        return future_register(item.text, bank, plan.next_year if plan else None)
    if kind is SectionKind.problems:
        return problem_register(item.text, bank)
    label = _target_label(item)
    if label:  # 目标：满意率达到98%以上 states this year's yardstick, not its result
        label = label if find_word(label[:2], note_cues().future.this_year) else "年度" + label
        return bank.placeholders.target_stated.format(label=label, target=prose(item.text))
    return prose(item.text)


def _target_label(item: NoteItem) -> str | None:
    """The label (目标：) or topic label (考核指标：) that makes a note a statement of a target."""
    markers = note_cues().targets.markers
    for label in (item.label, item.heading if item.kind is None else None):
        if label and len(label) <= TARGET_LABEL_MAX and find_word(label, markers):
            return label
    return None


def _paragraph(lead: str, lead_ids: list[str], items: list[NoteItem], kind: SectionKind,
               bank: PhraseBank, out: list[DraftSentence], plan: DraftPlan) -> str:
    """lead + 一是…。二是…。 (or lead + the one item), recording each sentence with its notes."""
    parts: list[str] = []
    if lead:
        parts.append(lead)
        out.append(DraftSentence(text=lead, note_ids=lead_ids, kind="connective"))
    for index, item in enumerate(items):
        sentence = note_sentence(item, kind, plan)
        if item.unverified:  # the notes doubt it ((待核实)): the report says so until someone checks
            stop = sentence[-1:] if sentence[-1:] in "。；" else ""
            sentence = sentence[: len(sentence) - len(stop)] + bank.placeholders.unverified + stop
        text = sentence if len(items) == 1 else bank.ordinal(index) + sentence
        parts.append(text)
        out.append(DraftSentence(text=text, note_ids=[note_id(item.id)], kind="fact"))
    return "".join(parts)


def _lead_ids(lead: str, items: list[NoteItem], kind: SectionKind, bank: PhraseBank) -> list[str]:
    """The notes that make a phrase-bank lead's claims (none for a lead that claims nothing)."""
    for topic in bank.topic_list(kind):
        for candidate in topic.leads:
            if candidate.text and candidate.text in lead and candidate.claims:
                return [note_id(items[n].id) for n in candidate.backing([i.text for i in items], topic.exclude)]
    return []


def _is_cause_line(item: NoteItem) -> bool:
    """A note labelled as a cause (原因：…): written after the problems, not as one of them."""
    return bool(item.label and find_word(item.label, note_cues().labels.cause))


def _has_cause(items: list[NoteItem]) -> bool:
    cues = note_cues()
    return any(find_word(i.label or "", cues.labels.cause) or find_word(i.text, cues.problems.cause_words)
               for i in items)


def _pending_after(section: PlannedSection, bank: PhraseBank) -> dict[int, list[str]]:
    """Where each unanswered promise goes: after the sub-section of its topic, else at the end (-1)."""
    topics = bank.topic_list(section.kind)
    where: dict[int, list[str]] = {}
    for promise in section.pending:
        topic = item_topic(promise, topics).id
        index = next((n for n, sub in enumerate(section.subsections) if sub.topic == topic), -1)
        where.setdefault(index, []).append(promise)
    return where


def write_section_offline(plan: DraftPlan, section: PlannedSection, items: dict[int, NoteItem]) -> WrittenSection:
    bank = phrase_bank()
    sentences: list[DraftSentence] = []
    pending = _pending_after(section, bank)
    asks = {n: [bank.placeholders.followup.format(promise=p.rstrip("。；")) for p in ps] for n, ps in pending.items()}
    if not section.item_ids and section.shortfalls:
        lines = [section.lead] if section.lead else []
        sentences += [DraftSentence(text=section.lead, kind="connective")] if section.lead else []
        lines += [_shortfalls(section, bank, sentences), bank.placeholders.cause]
        sentences.append(DraftSentence(text=bank.placeholders.cause, kind="placeholder"))
        return WrittenSection(kind=section.kind, title=section.title, body="\n".join(lines), sentences=sentences)
    if not section.item_ids:
        body = bank.missing_text.get(section.kind, bank.placeholders.missing)
        sentences.append(DraftSentence(text=body, kind="placeholder"))
        lines = [body] + [ask for group in asks.values() for ask in group]
        sentences += [DraftSentence(text=ask, kind="placeholder") for group in asks.values() for ask in group]
        return WrittenSection(kind=section.kind, title=section.title, body="\n".join(lines),
                              note=messages.text("draft.section_no_notes", messages.DOC_LANG), sentences=sentences)
    lines: list[str] = []
    if section.kind is SectionKind.problems:
        chosen = [items[i] for i in section.item_ids]
        causes = [i for i in chosen if _is_cause_line(i)]
        problems = [i for i in chosen if i not in causes]
        lines.append(_paragraph(section.lead, [], problems, section.kind, bank, sentences, plan)
                     + _shortfalls(section, bank, sentences))
        if causes:
            lines.append(_paragraph(bank.placeholders.cause_lead, [], causes, section.kind, bank, sentences, plan))
        elif not _has_cause(chosen):
            lines.append(bank.placeholders.cause)
            sentences.append(DraftSentence(text=bank.placeholders.cause, kind="placeholder"))
    else:
        if section.lead:
            lines.append(section.lead)
            sentences.append(DraftSentence(text=section.lead, kind="connective"))
        for index, sub in enumerate(section.subsections):
            chosen = [items[i] for i in sub.item_ids]
            if sub.title:  # an untitled sub-section (other matters) is one paragraph
                lines.append(paren_number(index) + sub.title)
            lead_ids = _lead_ids(sub.lead, chosen, section.kind, bank)
            lines.append(_paragraph(sub.lead, lead_ids, chosen, section.kind, bank, sentences, plan))
            lines += _asks(asks.get(index, []), sentences)
    lines += _asks(asks.get(-1, []), sentences)
    return WrittenSection(kind=section.kind, title=section.title, body="\n".join(lines), sentences=sentences)


def _shortfalls(section: PlannedSection, bank: PhraseBank, sentences: list[DraftSentence]) -> str:
    """One sentence per target of this year not met, citing the target's and the actual's notes."""
    out = [bank.placeholders.target_missed.format(metric=s.metric, actual=s.actual, target=s.target)
           for s in section.shortfalls]
    sentences += [DraftSentence(text=text, note_ids=s.note_ids, kind="fact") for text, s in zip(out, section.shortfalls)]
    return "".join(out)


def _asks(asks: list[str], sentences: list[DraftSentence]) -> list[str]:
    sentences += [DraftSentence(text=ask, kind="placeholder") for ask in asks]
    return asks
