"""Put the written sections together into one report text, check it, mark what the checker flags,
and parse it back into the Document that the exporters write.

Parsing our own output is deliberate: the draft must come out as a well-formed report that
``aidraft parse`` and ``aidraft lint`` read the same way a clerk's file would be read.
"""

from __future__ import annotations

from aidraft import regexes
from aidraft.check.model import FLAGGED, CheckReport
from aidraft.check.placement import check_placement
from aidraft.check.run import check_text
from aidraft.check.sources import SourceIndex
from aidraft.draft.bank import phrase_bank
from aidraft.draft.plan import DraftPlan
from aidraft.draft.write_offline import WrittenSection, cn_number
from aidraft.ingest.read import NamedText
from aidraft.ledger.model import Ledger
from aidraft.parse.document import Document
from aidraft.parse.structure import parse_text
from aidraft.text import is_han

CLAUSE_END = regexes.compile(r"[，。；：、！？,;:!?\n（(【]")


def report_title(plan: DraftPlan) -> str:
    return f"{plan.office}关于{plan.year}年度法治政府建设情况的报告"


def assemble_text(plan: DraftPlan, sections: list[WrittenSection], notes: str = "") -> str:
    """The report text; the opening is the phrase-bank opening whose claims the notes make."""
    bank = phrase_bank()
    lines = [report_title(plan), "", plan.fill(bank.opening_for([plan.office, notes]))]
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


def mark_flagged(text: str, report: CheckReport) -> str:
    """Insert 【待核实】 after every figure the checker flags (and after failed arithmetic)."""
    marker = phrase_bank().placeholders.unverified
    ends = {marker_at(text, f.end) for f in report.figures if f.status in FLAGGED}
    ends |= {marker_at(text, a.end) for a in report.arithmetic}
    for end in sorted(ends, reverse=True):
        if not text.startswith(marker, end):
            text = text[:end] + marker + text[end:]
    return text


def finish(plan: DraftPlan, sections: list[WrittenSection], notes: NamedText, prior: list[NamedText],
           notes_index: SourceIndex | None = None, path: str | None = None,
           ledger: Ledger | None = None) -> tuple[Document, CheckReport]:
    """Assemble, check against the notes (and last year's report) and, with the ledger, each
    fact's section; mark, and parse."""

    def checked(text: str) -> tuple[Document, CheckReport]:
        report = check_text(NamedText(path=path or "draft", text=text), [notes], prior or None, notes_index=notes_index)
        document = parse_text(text, path)
        return document, check_placement(report, document, ledger) if ledger is not None else report

    text = assemble_text(plan, sections, notes.text)
    document, report = checked(text)
    marked = mark_flagged(text, report)
    if marked != text:  # offsets moved: report them against the text that is shipped
        document, report = checked(marked)
    return document, report
