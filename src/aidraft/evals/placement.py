"""Placement and claim metrics of a draft: does every note land in its section, is every
sentence traced to a note, are last year's promises followed up correctly?

They work on any drafter's output: a note is found in the draft by its words (a sentence that
contains most of the note's character bigrams states it), so an LLM draft is scored the same
way as the offline one; the sentence trace (check.json ``sentences``) is used where present.
"""

from __future__ import annotations

from aidraft import regexes
from aidraft.check.model import CheckReport, FigureStatus
from aidraft.check.placement import section_at
from aidraft.draft.followup import PlanFollowup
from aidraft.draft.write_offline import DraftSentence
from aidraft.evals.cases import Case
from aidraft.evals.metrics import Scored
from aidraft.ledger.model import Ledger, LedgerItem
from aidraft.parse.dates import is_date_line
from aidraft.parse.document import Document, SectionKind
from aidraft.text import HAN_RUN, han_bigrams, sentence_re

PLACEHOLDER = regexes.compile(r"【[^】\n]*】")
QUOTED = regexes.compile(r"“([^”\n]{1,20})”")
DRAFT_ONLY = ("placement_accuracy", "plain_note_coverage", "untraced_sentences", "misplaced_figures",
              "quoted_not_in_notes", "followup_accuracy")
STATES = 0.6  # share of a note's bigrams a sentence must contain to state it


def note_bigrams(text: str) -> frozenset[str]:
    return han_bigrams(text, within_runs=True)


def _body_sentences(doc: Document) -> list[tuple[str, int, SectionKind | None]]:
    """(sentence, offset, section kind) of every body sentence, headings left out."""
    heading_lines = {s.line for s in doc.walk()}
    closing = {line.strip() for line in (doc.closing or "").split("\n") if line.strip()}
    out = []
    for section in doc.sections:
        for m in sentence_re(semicolons=True).finditer(doc.text, section.start, section.end):
            if (doc.line_of(m.start()) in heading_lines or not HAN_RUN.search(m.group(0))
                    or m.group(0).strip() in closing or _is_signature(m.group(0).strip(), doc)):
                continue
            out.append((m.group(0).strip(), m.start(), section_at(doc, m.start())))
    return out


def _is_signature(text: str, doc: Document) -> bool:
    """The office name and date under the last section (when the parser kept them in it)."""
    return text == (doc.office or "") or is_date_line(text)


def _where(note: LedgerItem, sentences: list[tuple[str, int, SectionKind | None]]) -> list[SectionKind | None]:
    key = note_bigrams(note.text)
    if not key:
        return []
    return [kind for text, _, kind in sentences if len(key & note_bigrams(text)) >= STATES * len(key)]


def _gold_note(key: str, ledger: Ledger) -> LedgerItem | None:
    return next((i for i in ledger.items if key in i.text), None)


def placement_metrics(out: Scored, doc: Document, ledger: Ledger, case: Case) -> None:
    """placement_accuracy (gold section per note) and plain_note_coverage (notes without figures)."""
    sentences = _body_sentences(doc)
    gold = case.expect.placement
    if gold:
        right, wrong = 0, []
        for key, kind in gold.items():
            note = _gold_note(key, ledger)
            found = _where(note, sentences) if note else []
            if found and all(k is kind for k in found):
                right += 1
            else:
                wrong.append(f"{key}: expected {kind.value}, drafted in "
                             + (", ".join(k.value if k else "?" for k in found) or "nowhere"))
        out.metrics["placement_accuracy"] = round(right / len(gold), 4)
        out.note("notes in the wrong section", wrong)
    else:
        out.metrics["placement_accuracy"] = None
    plain = [i for i in ledger.items if not i.figures and len(note_bigrams(i.text)) >= 2]
    missing = [i for i in plain if not _where(i, sentences)]
    out.metrics["plain_note_coverage"] = round(1 - len(missing) / len(plain), 4) if plain else None
    out.note("notes without figures left out", [f"{i.id} {i.text}" for i in missing])


def trace_metrics(out: Scored, doc: Document, traced: list[DraftSentence], notes_text: str,
                  check: CheckReport) -> None:
    """untraced_sentences, misplaced_figures and quoted_not_in_notes."""
    accounted = {s.text for s in traced if s.note_ids or s.kind != "fact"}
    loose = [text for text, _, _ in _body_sentences(doc)
             if not any(text in t or t in text for t in accounted)]
    out.metrics["untraced_sentences"] = float(len(loose))
    out.note("sentences citing no note", loose)
    misplaced = [f for f in check.figures if f.status is FigureStatus.misplaced]
    out.metrics["misplaced_figures"] = float(len(misplaced) + len(check.misplaced_sentences))
    out.note("misplaced", [f"{f.text} (line {f.line}): {f.note}" for f in misplaced]
             + [f"{s.text} (line {s.line}): {s.note_id} belongs in {s.note_section}" for s in check.misplaced_sentences])
    quoted = sorted({name for text, _, _ in _body_sentences(doc) for name in QUOTED.findall(PLACEHOLDER.sub("", text))
                     if name not in notes_text and name.replace("“", "") not in notes_text})
    out.metrics["quoted_not_in_notes"] = float(len(quoted))
    out.note("quoted names the notes do not contain", quoted)


def followup_metrics(out: Scored, followups: list[PlanFollowup], case: Case) -> None:
    """followup_accuracy: share of gold promises (by a words key) followed up with the gold status."""
    gold = case.expect.followup
    if not gold:
        out.metrics["followup_accuracy"] = None
        return
    right, wrong = 0, []
    for key, status in gold.items():
        found = next((f for f in followups if key in f.promise), None)
        if found is not None and found.status == status:
            right += 1
        else:
            wrong.append(f"{key}: expected {status}, got {found.status if found else 'not found'}")
    out.metrics["followup_accuracy"] = round(right / len(gold), 4)
    out.note("plans followed up wrongly", wrong)
