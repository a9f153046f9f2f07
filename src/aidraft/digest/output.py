"""Write a digest's files atomically: digest.docx, digest.md and digest.json beside them, and the
ledger the run streamed into a temporary, all as one set (files.write_set).

Everything is rendered in memory first, so a failure while rendering leaves earlier files intact.
The record is also how a later run knows these files for an earlier digest (:func:`record_names`),
never a report to digest again or an input to protect.
The JSON record says which reports went in under which name (and how the name was found), which
were skipped or left out (another year) and why, the sources (office, file, line) of every
sentence, the office × metric table, every total and rate with the figures it adds up, the
quotations corrected, what the checker found, and how the run went.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from aidraft.check.model import CheckReport
from aidraft.digest.ledger import LedgerWriter
from aidraft.digest.model import (
    DigestResult,
    DigestRun,
    LeftOut,
    MetricColumn,
    RateSummary,
    ReportRef,
    SectionDigest,
    SentenceSources,
    SkippedFile,
    Total,
)
from aidraft.errors import OutputError
from aidraft.export.docx_writer import render_docx
from aidraft.export.markdown import render_markdown
from aidraft.files import beside, output_stem, refuse_file_parent, write_set
from aidraft.messages import msg

#: How every digest record starts (``model_dump_json(indent=2)``, spaces dropped).
RECORD_START = b'{\n"digest":'


class DigestPaths(BaseModel):
    model_config = ConfigDict(extra="forbid")

    docx: Path
    markdown: Path
    record: Path
    ledger: Path


class DigestRecord(BaseModel):
    """digest.json: the provenance of the overview."""

    model_config = ConfigDict(extra="forbid")

    digest: str
    ledger: str
    year: int
    reports: list[ReportRef]
    skipped: list[SkippedFile]
    left_out: list[LeftOut]
    attribution: list[SentenceSources] = Field(description="every sentence of the digest and its sources")
    metrics: list[MetricColumn] = Field(description="the office × metric table")
    totals: list[Total]
    rates: list[RateSummary]
    sections: list[SectionDigest]
    corrected: list[str]
    dropped: list[str]
    check: CheckReport
    run: DigestRun


    @classmethod
    def of(cls, result: DigestResult, digest: str, ledger: str, markdown: str) -> DigestRecord:
        """The record of ``result``, written beside ``markdown`` (its digest.md): the lines it names
        are lines of that file, where a person and ``aidraft check digest.md`` find them."""
        at = markdown_lines(result.text, markdown)
        check = result.check.model_copy(update={
            "figures": [f.model_copy(update={"line": at(f.line)}) for f in result.check.figures],
            "arithmetic": [a.model_copy(update={"line": at(a.line)}) for a in result.check.arithmetic],
            "misplaced_sentences": [m.model_copy(update={"line": at(m.line)}) for m in result.check.misplaced_sentences],
        })
        return cls(digest=digest, ledger=ledger, year=result.year, reports=result.reports, skipped=result.skipped,
                   left_out=result.left_out,
                   attribution=[a.model_copy(update={"line": at(a.line)}) for a in result.attribution],
                   metrics=result.metrics, totals=result.totals, rates=result.rates, sections=result.sections,
                   corrected=result.corrected, dropped=result.dropped, check=check, run=result.run)


def markdown_lines(text: str, markdown: str) -> Callable[[int], int]:
    """Line numbers of the digest's composed ``text`` as lines of its rendered ``markdown``: each
    paragraph of the text is one block there (a heading with its # marks), blocks one blank line
    apart; a line that renders to nothing keeps the number of the next one that does."""
    blocks = markdown.split("\n")
    mapping: dict[int, int] = {}
    pending: list[int] = []
    at = 0
    for number, line in enumerate(text.split("\n"), 1):
        words = line.strip(" \t\u3000\u00a0\r")
        if not words:
            pending.append(number)
            continue
        found = next((i for i in range(at, len(blocks)) if blocks[i].endswith(words) or words in blocks[i]), None)
        if found is None:
            pending.append(number)
            continue
        for n in [*pending, number]:
            mapping[n] = found + 1
        pending, at = [], found + 1
    return lambda line: mapping.get(line, line)


def output_paths(out: Path, ledger: Path | None = None) -> DigestPaths:
    """digest.docx → digest.md, digest.json and (unless given) digest.ledger.csv beside it."""
    stem = output_stem(out, "digest.docx")
    if ledger is not None and ledger.suffix.lower() not in (".csv", ".xlsx"):
        raise OutputError(msg("digest.ledger.bad_suffix", path=ledger), hint=msg("digest.ledger.bad_suffix.hint"))
    if ledger is not None:
        refuse_file_parent(ledger)
        if ledger.is_dir():  # before any work, as for -o
            raise OutputError(msg("output.target_is_folder", path=ledger), hint=msg("output.target_is_folder.hint"))
    return DigestPaths(docx=beside(stem, ".docx"), markdown=beside(stem, ".md"), record=beside(stem, ".json"),
                       ledger=ledger if ledger is not None else beside(stem, ".ledger.csv"))


def write_outputs(result: DigestResult, paths: DigestPaths, ledger: LedgerWriter | None = None) -> None:
    """The digest's files as one set; with ``ledger`` (the writer the run streamed its rows into)
    the ledger is replaced in the same set, so a failure leaves every earlier file as it was."""
    docx = render_docx(result.document)
    markdown = render_markdown(result.document)
    record = DigestRecord.of(result, paths.docx.name, paths.ledger.name, markdown)
    staged = ledger.staged() if ledger is not None else None
    write_set([(paths.docx, docx), (paths.markdown, markdown.encode("utf-8")),
               (paths.record, (record.model_dump_json(indent=2) + "\n").encode("utf-8"))],
              staged=[staged] if staged is not None else [])


def record_names(record: Path) -> list[Path]:
    """The files ``record`` (a .json) names as its own digest set: its .docx, .md and ledger beside
    it, when it parses as this tool's DigestRecord for the digest of its own name (d1.json for
    d1.docx); else none. Only such files are last run's outputs: a .json that merely shares a
    report's name proves nothing, and the report beside it stays a report."""
    try:
        with record.open("rb") as handle:
            head = handle.read(64)
            if not head.replace(b" ", b"").replace(b"\r", b"").startswith(RECORD_START):
                return []  # every other .json is refused before a full parse
            parsed = DigestRecord.model_validate_json(head + handle.read())
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        return []
    stem = record.name[: -len(record.suffix)]
    if parsed.digest != f"{stem}.docx":
        return []
    return [record.with_name(parsed.digest), record.with_name(f"{stem}.md"), record.with_name(parsed.ledger)]
