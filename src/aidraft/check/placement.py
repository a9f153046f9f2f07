"""Placement: a fact is checked for its section as well as its value. A figure (or a sentence)
that states a planned note in the measures, a done note in the plans or a problem in the
measures is ``misplaced``: the notes ledger says where each note belongs.

Measures and duty are one family (a leader's work reported among the measures is not wrong);
plans and problems each stand alone.
"""

from __future__ import annotations

import math

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


def _decisive_by_line(ledger: Ledger) -> dict[int, list[LedgerItem]]:
    """The ledger's items by notes line, in ledger order: one pass, not one per figure."""
    by_line: dict[int, list[LedgerItem]] = {}
    for item in ledger.items:
        by_line.setdefault(item.line, []).append(item)
    return by_line


def _source_items(fig: CheckedFigure, ledger: Ledger, by_line: dict[int, list[LedgerItem]]) -> list[LedgerItem]:
    """The decisive notes items a figure comes from: the items of its line that hold it, else the
    line's items. An item that holds it but was placed by no decisive cue decides nothing, and
    neither do the other items of its line (检查企业46家；执法人员持证率偏低，仅为76%: 76% is the
    second item's, never the first's)."""
    if fig.source is None or fig.source.file != ledger.path:
        return []
    on_line = by_line.get(fig.source.line, [])
    exact = [i for i in on_line if fig.source.text in i.text] or on_line
    return [i for i in exact if i.cue.kind in DECISIVE]


def _misplaced_figure(fig: CheckedFigure, note: LedgerItem, where: SectionKind) -> CheckedFigure:
    message = (f"笔记第{note.line}行（{note.id}）属于“{LABELS.get(note.section, note.section.value)}”，"
               f"不应写在“{LABELS.get(where, where.value)}”")
    return fig.model_copy(update={"status": FigureStatus.misplaced, "note": message})


class _Stating:
    """Which sentences contain COVERS of a note's bigrams, without comparing every note with every
    sentence: sentences with the same bigrams are one group, a group is looked at only when it holds
    one of the note's rarest bigrams (a sentence that misses none of those few cannot be skipped),
    and notes with the same bigrams share one answer."""

    def __init__(self, sentence_grams: list[frozenset[str]]) -> None:
        group_of: dict[frozenset[str], int] = {}
        self.groups: list[frozenset[str]] = []
        self.members: list[list[int]] = []
        for index, grams in enumerate(sentence_grams):
            g = group_of.get(grams)
            if g is None:
                g = group_of[grams] = len(self.groups)
                self.groups.append(grams)
                self.members.append([])
            self.members[g].append(index)
        self.postings: dict[str, list[int]] = {}
        for g, grams in enumerate(self.groups):
            for gram in grams:
                self.postings.setdefault(gram, []).append(g)
        self._answers: dict[frozenset[str], list[int]] = {}

    def covering(self, key: frozenset[str]) -> list[int]:
        """Indexes (in order) of the sentences holding at least COVERS of ``key``'s bigrams."""
        found = self._answers.get(key)
        if found is not None:
            return found
        need = COVERS * len(key)
        # a covering sentence misses at most len(key) - ceil(need) bigrams: it holds one of any more
        probe = sorted(key, key=lambda gram: len(self.postings.get(gram, ())))[: len(key) - math.ceil(need) + 1]
        groups = {g for gram in probe for g in self.postings.get(gram, ())}
        found = sorted(i for g in groups if len(key & self.groups[g]) >= need for i in self.members[g])
        self._answers[key] = found
        return found


def _misplaced_sentences(document: Document, ledger: Ledger) -> list[MisplacedSentence]:
    """Sentences (with or without figures) that state a note outside its section's family."""
    placed: list[tuple[str, int, SectionKind, frozenset[str]]] = []
    for section in document.sections:
        if section.kind not in FAMILY:
            continue
        for m in sentence_re(semicolons=True).finditer(document.text, section.start, section.end):
            placed.append((m.group(0).strip(), m.start(), section.kind,
                           han_bigrams(m.group(0), within_runs=True)))
    stating = _Stating([grams for _, _, _, grams in placed])
    fit_cache: dict[tuple[frozenset[str], SectionKind], bool] = {}
    out: list[MisplacedSentence] = []
    for note in ledger.items:
        key = han_bigrams(note.text, within_runs=True)
        if len(key) < MIN_NOTE_BIGRAMS or note.cue.kind not in DECISIVE:
            continue
        found = stating.covering(key)
        fitting = fit_cache.get((key, note.section))
        if fitting is None:  # notes alike share the answer: not one pass over the hits per note
            fitting = fit_cache[(key, note.section)] = any(fits(placed[i][2], note.section) for i in found)
        hits = [placed[i][:3] for i in found] if found and not fitting else []
        if hits:
            for text, start, kind in hits:
                out.append(MisplacedSentence(text=text, line=document.line_of(start), section=kind.value,
                                             note_id=note.id, note_line=note.line, note_section=note.section.value))
    return out


def check_placement(report: CheckReport, document: Document, ledger: Ledger) -> CheckReport:
    """The report with figures from notes of another section marked ``misplaced``, and the
    sentences that state such notes listed. ``document`` is the checked text, parsed."""
    figures: list[CheckedFigure] = []
    by_line = _decisive_by_line(ledger)
    # a target of this year not met is a shortfall: its target and actual belong among the problems too
    shortfall = {i for t in ledger.targets if not t.met for i in (t.target_id, t.actual_id)}
    for fig in report.figures:
        where = section_at(document, fig.start)
        notes = _source_items(fig, ledger, by_line)
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
