"""The check job: extract the draft's figures, judge each against notes and prior, check arithmetic."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from aidraft.check.arithmetic import check_arithmetic
from aidraft.check.change import change_contexts
from aidraft.check.dating import Lines, last_year_values, stated_year
from aidraft.check.digest_counts import derive_digest_counts
from aidraft.check.match import Verdict, judge
from aidraft.check.model import (
    FLAGGED,
    CheckedFigure,
    CheckReport,
    CheckSummary,
    FigureStatus,
    SourceRef,
)
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import SourceIndex
from aidraft.check.zero_claims import back_zero_count, judge_zero
from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Approx, Figure, FigureKind, Interval, json_number, trusted
from aidraft.figures.zero import zero_claims
from aidraft.ingest.read import NamedText

if TYPE_CHECKING:  # a --record is rare: its module (five models) loads when one is given
    from aidraft.check.record import RecordCell

BACKED = frozenset({FigureStatus.supported, FigureStatus.rounded, FigureStatus.derived})
BULK_THRESHOLD = 50_000  # allocations between young-generation collections in a check (CPython: 700)


# enum values by member: Enum.value is a Python-level property, read twice per figure otherwise
_KIND = {k: k.value for k in FigureKind}
_APPROX = {a: a.value for a in Approx}


def _source_ref(sf: SourceFigure | None, refs: dict[int, SourceRef]) -> SourceRef | None:
    """The source a report names; one per source figure, however many draft figures name it."""
    if sf is None:
        return None
    ref = refs.get(id(sf))
    if ref is None:
        ref = refs[id(sf)] = trusted(SourceRef, {
            "file": sf.file, "line": sf.figure.line, "sentence": sf.figure.sentence_window().strip(),
            "text": sf.figure.text})
    return ref


def _checked(fig: Figure, verdict: Verdict, refs: dict[int, SourceRef]) -> CheckedFigure:
    """Built from the extractor's own typed values, without validating them again (a 5 MB draft
    has tens of thousands)."""
    value = json_number(fig.value.low) if fig.value.exact else Interval.of(fig.value)
    return trusted(CheckedFigure, {
        "text": fig.text, "start": fig.start, "end": fig.end, "line": fig.line, "value": value, "unit": fig.unit,
        "kind": _KIND[fig.kind], "approx": _APPROX[fig.approx], "metric": fig.metric, "status": verdict.status,
        "source": _source_ref(verdict.source, refs), "note": verdict.note,
    })


@contextmanager
def few_collections() -> Iterator[None]:
    """Fewer garbage collections while a check builds its figures.

    A 5 MB check creates a few hundred thousand small objects (figures, intervals, verdicts) and
    no reference cycles. CPython's collector starts a young-generation pass every 700 allocations
    and, as those objects survive, full passes over all of them: about a twentieth of the check's
    time, spent finding no garbage. The threshold is raised for the duration (as mypy does for its
    whole run) and restored after; cycles are still collected, only later.
    """
    saved = gc.get_threshold()
    gc.set_threshold(max(saved[0], BULK_THRESHOLD), *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def check_text(
    draft: NamedText,
    notes: list[NamedText] | None = None,
    prior: list[NamedText] | None = None,
    *,
    notes_index: SourceIndex | None = None,
    record: list[RecordCell] | None = None,
) -> CheckReport:
    """Check ``draft``. Without notes only the arithmetic is checked (figures are 'unchecked').
    ``record``: a digest's table cells with their source lines (digest.json), checked there."""
    with few_collections():
        return _check(draft, notes or [], prior or [], notes_index, record)


def _check(draft: NamedText, notes: list[NamedText], prior: list[NamedText], notes_index: SourceIndex | None,
           record: list[RecordCell] | None) -> CheckReport:
    figures = extract_figures(draft.text)
    arithmetic = check_arithmetic(figures)
    lines = Lines(draft.text)
    # last year's values: a column headed by last year, an earlier year than the report's, 由A…到B
    year = stated_year(draft.text)
    last_year = last_year_values(figures, lines, by_report_year=True, year=year)
    changes = change_contexts(figures, lines, last_year)
    if notes_index is None and notes:
        notes_index = SourceIndex.build(notes, year=year)
    prior_index = SourceIndex.build(prior) if prior else None
    verdicts: dict[int, Verdict] = {}
    # figures that recompute from others in their sentence are judged after those others
    for fig in sorted(figures, key=lambda f: f.start in arithmetic.operands):
        operands = arithmetic.operands.get(fig.start, [])
        backed = bool(operands) and all(
            start in verdicts and verdicts[start].status in BACKED for start in operands)
        verdicts[fig.start] = judge(fig, notes_index, prior_index, verified_rate=arithmetic.verified.get(fig.start),
                                    operands_backed=backed, change=changes.get(fig.start),
                                    last_year=fig.start in last_year)
        if verdicts[fig.start].status is FigureStatus.unsupported and fig.value.high == 0:
            claim = back_zero_count(fig, notes_index)  # 败诉0件 by the notes' 实现零败诉
            if claim is not None:
                verdicts[fig.start] = Verdict(FigureStatus.supported, claim)
    for finding in arithmetic.findings:  # 合计765件 against its own parts: that is why it is flagged,
        verdict = verdicts.get(finding.start)  # not a part the notes give (材料中此项为388件)
        if finding.kind == "sum" and verdict is not None and verdict.status in FLAGGED:
            verdicts[finding.start] = Verdict(FigureStatus.contradicted, None, finding.message)
    if notes_index is not None:  # a digest checked against its reports: office counts, total cells
        verdicts.update(derive_digest_counts(figures, notes_index, lambda f: verdicts[f.start]))
        if record:
            from aidraft.check.record import recorded_cells

            unsupported = {start for start, v in verdicts.items() if v.status is FigureStatus.unsupported}
            verdicts.update(recorded_cells(figures, record, notes_index, unsupported))
    # 两个责任, 三项制度: a one-character numeral before a noun is a word unless a source states it
    figures = [f for f in figures if not (f.wordlike and verdicts[f.start].status is FigureStatus.unsupported)]
    refs: dict[int, SourceRef] = {}  # source figures live as long as the index: ids stay theirs
    checked = [_checked(fig, verdicts[fig.start], refs) for fig in figures]
    zeros = zero_claims(draft.text)  # 零发生, 未发生…: claims of none, judged as figures
    if zeros:
        checked += [_checked(z, judge_zero(z, notes_index), refs) for z in zeros]
        checked.sort(key=lambda c: c.start)
    counts = Counter(c.status.value for c in checked)
    flagged = sum(1 for c in checked if c.status in FLAGGED) + len(arithmetic.findings)
    return CheckReport(
        draft=draft.path,
        notes=[n.path for n in notes],
        prior=[p.path for p in prior],
        figures=checked,
        arithmetic=arithmetic.findings,
        summary=CheckSummary(figures=len(checked), by_status=dict(sorted(counts.items())),
                             arithmetic=len(arithmetic.findings), flagged=flagged),
    )


def named(path: Path, text: str) -> NamedText:
    return NamedText(path=str(path), text=text)
