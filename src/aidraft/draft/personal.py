"""Personal data in the offline draft: masked as the model path masks what it sends out.

A report is filed and published; a phone number, ID number, e-mail or home address jotted in the
notes (联系人：张伟，电话138…) has no place in it. The offline writer states notes in their own
words, so whatever the ledger leaves as a statement goes through the same ``Masker`` (〔手机号甲〕,
numbered in notes order, like the model path's requests) and the run says what it masked, so
the clerk can delete the line or restore a value on purpose. Values never enter the record.
"""

from __future__ import annotations

from aidraft.draft.write_offline import WrittenSection
from aidraft.messages import text
from aidraft.privacy import Masker, MaskSummary


def mask_sections(sections: list[WrittenSection], notes: str) -> tuple[list[WrittenSection], MaskSummary]:
    """``sections`` with every personal-data value in their body and sentences masked; the
    summary counts the sentences' replacements by kind (never values)."""
    masker = Masker()
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
