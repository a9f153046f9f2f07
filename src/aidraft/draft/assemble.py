"""Put the written sections together into one report text, check it, mark what the checker flags,
and parse it back into the Document that the exporters write.

Parsing our own output is deliberate: the draft must come out as a well-formed report that
``aidraft parse`` and ``aidraft lint`` read the same way a clerk's file would be read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from aidraft import regexes
from aidraft.check.model import FLAGGED, CheckReport
from aidraft.check.placement import check_placement
from aidraft.check.run import check_text
from aidraft.check.sources import SourceIndex
from aidraft.draft.bank import phrase_bank
from aidraft.draft.plan import DraftPlan
from aidraft.draft.write_offline import DraftSentence, WrittenSection
from aidraft.figures.numerals import cn_number
from aidraft.ingest.read import NamedText
from aidraft.ledger.model import Ledger
from aidraft.parse.document import Document
from aidraft.parse.structure import parse_text
from aidraft.text import is_han

CLAUSE_END = regexes.compile(r"[，。；：、！？,;:!?\n（(【]")


def report_title(plan: DraftPlan) -> str:
    return f"{plan.office}关于{plan.year}年度法治政府建设情况的报告"


def opening_sentence(plan: DraftPlan, notes: list[tuple[str, str]]) -> DraftSentence:
    """The opening paragraph: the phrase-bank opening whose claims the office name, or enough of
    the ``notes`` ((ledger id, text) pairs), make; it cites the notes that licensed it, and none
    when the office name or nothing specific did (genre boilerplate, recorded as a connective)."""
    text, backing = phrase_bank().opening_for(plan.office, [note for _, note in notes])
    return DraftSentence(text=plan.fill(text), note_ids=[notes[n][0] for n in backing], kind="connective")


def assemble_text(plan: DraftPlan, sections: list[WrittenSection], opening: str) -> str:
    """The report text: title, ``opening``, the sections, the signature and the date line."""
    bank = phrase_bank()
    lines = [report_title(plan), "", opening]
    for index, section in enumerate(sections, start=1):
        lines.append(f"{cn_number(index)}、{section.title}")
        lines.extend(line for line in section.body.split("\n") if line.strip())
    lines += ["", plan.office, plan.fill(bank.closing_date)]
    return "\n".join(lines) + "\n"


def marker_at(text: str, end: int) -> int:
    """Where a marker for a figure ending at ``end`` goes: right after it, or, when a word runs
    on (召开3次会议, 这一部分), at the end of its clause, so that a marker never splits a word."""
    if end < len(text) and is_han(text[end]):
        brk = CLAUSE_END.search(text, end)
        return brk.start() if brk else len(text)
    return end


def marker_points(text: str, report: CheckReport) -> list[int]:
    """Where 【待核实】 goes: after every figure the checker flags, and after failed arithmetic."""
    marker = phrase_bank().placeholders.unverified
    ends = {marker_at(text, f.end) for f in report.figures if f.status in FLAGGED}
    ends |= {marker_at(text, a.end) for a in report.arithmetic}
    return sorted(end for end in ends if not text.startswith(marker, end))


def mark_flagged(text: str, report: CheckReport) -> str:
    """Insert 【待核实】 after every figure the checker flags (and after failed arithmetic)."""
    marker = phrase_bank().placeholders.unverified
    for end in reversed(marker_points(text, report)):
        text = text[:end] + marker + text[end:]
    return text


def moved(report: CheckReport, points: list[int], width: int) -> CheckReport:
    """The report with its offsets moved past the ``width`` characters inserted at each of
    ``points``: the verdicts that placed the markers, against the text that is shipped (checking
    the marked text again could judge a figure by its marker and disagree with it)."""

    def shift(pos: int, *, end: bool) -> int:
        return pos + width * (bisect_left(points, pos) if end else bisect_right(points, pos))

    figures = [f.model_copy(update={"start": shift(f.start, end=False), "end": shift(f.end, end=True)})
               for f in report.figures]
    arithmetic = [a.model_copy(update={"start": shift(a.start, end=False), "end": shift(a.end, end=True)})
                  for a in report.arithmetic]
    return report.model_copy(update={"figures": figures, "arithmetic": arithmetic})


def finish(plan: DraftPlan, sections: list[WrittenSection], notes: NamedText, prior: list[NamedText],
           notes_index: SourceIndex | None = None, path: str | None = None,
           ledger: Ledger | None = None, opening: str = "") -> tuple[Document, CheckReport]:
    """Assemble, check against the notes (and last year's report) and, with the ledger, each
    fact's section; mark, and parse the marked text. The record is the check that placed the
    markers, so that every 【待核实】 in the text is a flagged figure of check.json and the reverse."""
    text = assemble_text(plan, sections, opening or opening_sentence(plan, []).text)
    report = check_text(NamedText(path=path or "draft", text=text), [notes], prior or None, notes_index=notes_index)
    if ledger is not None:
        report = check_placement(report, parse_text(text, path), ledger)
    points = marker_points(text, report)
    marked = mark_flagged(text, report)
    return parse_text(marked, path), moved(report, points, len(phrase_bank().placeholders.unverified))
