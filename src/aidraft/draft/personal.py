"""Personal data in the offline draft: masked as the model path masks what it sends out.

A report is filed and published; a phone number, ID number, e-mail or home address jotted in the
notes (联系人：张伟，电话138…) has no place in it. The offline writer states notes in their own
words, so whatever the ledger leaves as a statement goes through the same ``Masker`` (〔手机号甲〕,
numbered in notes order, like the model path's requests) and the run says what it masked, so
the clerk can delete the line or restore a value on purpose. Values never enter the record.

Only persons' data: an institution's public data (a court's case number, an office hotline, a
gov.cn mailbox, a public facility's address: genre/privacy_public.yaml) is the report's to state,
and a mask never starts inside a place name (江〔住址甲〕). The model path masks as before.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from aidraft import genre, regexes
from aidraft.draft.write_offline import WrittenSection
from aidraft.messages import text
from aidraft.privacy import Masker, MaskSummary
from aidraft.privacy.detect import Span
from aidraft.privacy.rules import privacy_rules
from aidraft.strict import Strict
from aidraft.text import HAN_CHAR


class PublicKind(Strict):
    values: list[str] = Field(default_factory=list, description="a value matching one is public")
    context: list[str] = Field(default_factory=list, description="a value after one of these is public")


class PublicData(Strict):
    """genre/privacy_public.yaml: what the offline draft leaves unmasked."""

    version: str
    window: int = Field(ge=1)
    personal: list[str]
    kinds: dict[str, PublicKind]


@cache
def public_data() -> PublicData:
    return genre.load("privacy_public.yaml", PublicData)


def _whole_place(text: str, span: Span) -> Span:
    """An address span widened to the start of the place name it cuts (江|城县人民大道188号)."""
    rules = privacy_rules()
    stop, cues, start = rules.names.stop, tuple(rules.addresses.triggers), span.start
    while (start > 0 and HAN_CHAR.match(text[start - 1]) and text[start - 1] not in stop
           and not text[:start].endswith(cues)):  # 家住|江城县…: the cue stays
        start -= 1
    return span if start == span.start else span.model_copy(update={"start": start, "value": text[start:span.end]})


def is_public(text: str, span: Span) -> bool:
    """True when the value at ``span`` is an institution's public data, not a person's."""
    rules = public_data()
    kind = rules.kinds.get(span.kind)
    if kind is None:
        return False
    if any(regexes.compile(v).search(span.value) for v in kind.values):
        return True
    before = text[max(0, span.start - rules.window):span.start]
    if any(w in before for w in rules.personal):
        return False
    near = before.rstrip(" （(：:")
    return any(near.endswith(w) for w in kind.context) or any(w in before for w in kind.context)


class PersonalMasker(Masker):
    """A ``Masker`` that leaves an institution's public data as written (the offline draft's)."""

    def _spans(self, text: str) -> list[Span]:
        spans = [_whole_place(text, s) if s.kind == "address" else s for s in super()._spans(text)]
        return [s for s in spans if not is_public(text, s)]


def mask_sections(sections: list[WrittenSection], notes: str) -> tuple[list[WrittenSection], MaskSummary]:
    """``sections`` with every personal-data value in their body and sentences masked; the
    summary counts the sentences' replacements by kind (never values)."""
    masker = PersonalMasker()
    masker.prime(notes)  # placeholders numbered in the order of the notes, as the model path does
    said = [[s.model_copy(update={"text": masker.mask(s.text)}) for s in section.sentences] for section in sections]
    stated = masker.summary()  # before the bodies (the same sentences again) are masked
    out = [section.model_copy(update={"body": masker.mask(section.body), "sentences": sentences})
           for section, sentences in zip(sections, said)]
    return out, MaskSummary(values=stated.occurrences, occurrences=stated.occurrences, texts_masked=stated.texts_masked)


def masked_event(summary: MaskSummary) -> str | None:
    """The run note for a draft that had personal data masked; None when there was none."""
    if not summary.occurrences:
        return None
    kinds = "、".join(f"{kind} {count}" for kind, count in summary.occurrences.items())
    return text("draft.personal_masked", count=sum(summary.occurrences.values()), kinds=kinds)
