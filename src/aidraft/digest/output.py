"""Write a digest's files atomically: digest.docx, digest.md and digest.json beside them.

Everything is rendered in memory first, so a failure while rendering leaves earlier files intact.
The JSON record says which reports went in under which name (and how the name was found), which
were skipped or left out (another year) and why, the sources (office, file, line) of every
sentence, the office × metric table, every total and rate with the figures it adds up, the
quotations corrected, what the checker found, and how the run went.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from aidraft.check.model import CheckReport
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


def output_paths(out: Path, ledger: Path | None = None) -> DigestPaths:
    """digest.docx → digest.md, digest.json and (unless given) digest.ledger.csv beside it."""
    stem = output_stem(out, "digest.docx")
    if ledger is not None and ledger.suffix.lower() not in (".csv", ".xlsx"):
        raise OutputError(f"{ledger}: the ledger must end in .csv or .xlsx", hint="e.g. --ledger figures.csv")
    if ledger is not None:
        refuse_file_parent(ledger)
    return DigestPaths(docx=beside(stem, ".docx"), markdown=beside(stem, ".md"), record=beside(stem, ".json"),
                       ledger=ledger if ledger is not None else beside(stem, ".ledger.csv"))


def write_outputs(result: DigestResult, paths: DigestPaths) -> None:
    docx = render_docx(result.document)
    markdown = render_markdown(result.document)
    record = DigestRecord(digest=paths.docx.name, ledger=paths.ledger.name, year=result.year, reports=result.reports,
                          skipped=result.skipped, left_out=result.left_out, attribution=result.attribution,
                          metrics=result.metrics, totals=result.totals, rates=result.rates, sections=result.sections,
                          corrected=result.corrected, dropped=result.dropped, check=result.check, run=result.run)
    write_set([(paths.docx, docx), (paths.markdown, markdown.encode("utf-8")),
               (paths.record, (record.model_dump_json(indent=2) + "\n").encode("utf-8"))])
