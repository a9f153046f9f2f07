"""Placement: a fact is checked for its section as well as its value. A figure (or a sentence)
that states a planned note in the measures, a done note in the plans or a problem in the
measures is ``misplaced``: the notes ledger says where each note belongs.

Measures and duty are one family (a leader's work reported among the measures is not wrong);
plans and problems each stand alone.
"""

from __future__ import annotations

from aidraft.check.model import CheckedFigure, CheckReport, FigureStatus, MisplacedSentence
from aidraft.ledger.model import CueKind, Ledger, LedgerItem
from aidraft.parse.document import Document, SectionKind
from aidraft.text import han_bigrams, sentence_re

# A note whose section the notes state (a heading, a label, a year, a future marker, a weighed
# tense, or plain past work) can make a fact misplaced; a status guessed from problem words or a
# leader word is a drafting hint, not grounds to flag a clerk's own placement.
DECISIVE = frozenset({CueKind.heading, CueKind.label, CueKind.year, CueKind.future, CueKind.tense,
                      CueKind.default})
BACKED = frozenset({FigureStatus.supported, FigureStatus.rounded, FigureStatus.derived})
FAMILY = {SectionKind.measures: "done", SectionKind.duty: "done", SectionKind.problems: "problems",
          SectionKind.plans: "plans"}
COVERS = 0.8  # share of a note's bigrams a sentence must contain to be stating it
MIN_NOTE_BIGRAMS = 4
LABELS = {SectionKind.measures: "主要举措和成效", SectionKind.duty: "第一责任人职责", SectionKind.problems: "存在的不足",
          SectionKind.plans: "下一年度安排"}


def section_at(document: Document, offset: int) -> SectionKind | None:
    """The kind of the top-level section an offset of the document text falls in."""
    for section in document.sections:
        if section.start <= offset < section.end:
            return section.kind
    return None


def fits(where: SectionKind | None, belongs: SectionKind) -> bool:
    """True when a note that belongs in ``belongs`` may stand in section ``where``."""
    if where is None or where not in FAMILY:
        return True
    return FAMILY[where] == FAMILY.get(belongs, FAMILY[where])


def _source_items(fig: CheckedFigure, ledger: Ledger) -> list[LedgerItem]:
    if fig.source is None or fig.source.file != ledger.path:
        return []
    on_line = [i for i in ledger.items if i.line == fig.source.line and i.cue.kind in DECISIVE]
    exact = [i for i in on_line if fig.source.text in i.text]
    return exact or on_line


def _misplaced_figure(fig: CheckedFigure, note: LedgerItem, where: SectionKind) -> CheckedFigure:
    message = (f"笔记第{note.line}行（{note.id}）属于“{LABELS.get(note.section, note.section.value)}”，"
               f"不应写在“{LABELS.get(where, where.value)}”")
    return fig.model_copy(update={"status": FigureStatus.misplaced, "note": message})


def _misplaced_sentences(document: Document, ledger: Ledger) -> list[MisplacedSentence]:
    """Sentences (with or without figures) that state a note outside its section's family."""
    placed: list[tuple[str, int, SectionKind, frozenset[str]]] = []
    for section in document.sections:
        if section.kind not in FAMILY:
            continue
        for m in sentence_re(semicolons=True).finditer(document.text, section.start, section.end):
            placed.append((m.group(0).strip(), m.start(), section.kind,
                           han_bigrams(m.group(0), within_runs=True)))
    out: list[MisplacedSentence] = []
    for note in ledger.items:
        key = han_bigrams(note.text, within_runs=True)
        if len(key) < MIN_NOTE_BIGRAMS or note.cue.kind not in DECISIVE:
            continue
        hits = [(text, start, kind) for text, start, kind, grams in placed if len(key & grams) >= COVERS * len(key)]
        if hits and not any(fits(kind, note.section) for _, _, kind in hits):
            for text, start, kind in hits:
                out.append(MisplacedSentence(text=text, line=document.line_of(start), section=kind.value,
                                             note_id=note.id, note_line=note.line, note_section=note.section.value))
    return out


def check_placement(report: CheckReport, document: Document, ledger: Ledger) -> CheckReport:
    """The report with figures from notes of another section marked ``misplaced``, and the
    sentences that state such notes listed. ``document`` is the checked text, parsed."""
    figures: list[CheckedFigure] = []
    # a target of this year not met is a shortfall: its target and actual belong among the problems too
    shortfall = {i for t in ledger.targets if not t.met for i in (t.target_id, t.actual_id)}
    for fig in report.figures:
        where = section_at(document, fig.start)
        notes = _source_items(fig, ledger)
        wrong = [n for n in notes if not fits(where, n.section)
                 and not (where is SectionKind.problems and n.id in shortfall)]
        if where is not None and notes and len(wrong) == len(notes) and fig.status in BACKED:
            fig = _misplaced_figure(fig, wrong[0], where)
        figures.append(fig)
    moved = sum(1 for a, b in zip(report.figures, figures, strict=True) if a.status is not b.status)
    by_status: dict[str, int] = {}
    for fig in figures:
        by_status[fig.status.value] = by_status.get(fig.status.value, 0) + 1
    summary = report.summary.model_copy(update={"by_status": dict(sorted(by_status.items())),
                                                "flagged": report.summary.flagged + moved})
    return report.model_copy(update={"figures": figures, "summary": summary,
                                     "misplaced_sentences": _misplaced_sentences(document, ledger)})
