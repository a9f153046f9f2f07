"""The digest job: stored report files → run_digest → .docx, .md, ledger .csv/.xlsx, JSON, and
the view the digest page shows (reports, aggregates, the ledger table, the digest text).

Reports are decoded here and handed to the digest as named texts, so the ledger and the
attributions name each file as the person uploaded it, never by its temporary path; a file that
cannot be decoded is reported as skipped, exactly as the digest reports an unparseable one.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aidraft.digest.ledger import COLUMNS, HEADERS, LedgerWriter, from_csv
from aidraft.digest.model import DigestResult, LedgerRow, SkippedFile
from aidraft.digest.offices import OfficeTable
from aidraft.digest.output import DigestRecord
from aidraft.digest.pipeline import run_digest
from aidraft.errors import AidraftError
from aidraft.export.docx_writer import render_docx
from aidraft.export.markdown import render_markdown
from aidraft.ingest.read import NamedText, read_bytes_text
from aidraft.messages import DOC_LANG, Both, joined, msg, of_error, text
from aidraft.parse.structure import names_office
from aidraft.settings import Settings
from aidraft.web.jobs import Download, Job
from aidraft.web.runners import DOCX_TYPE, JSON_TYPE, MD_TYPE, pick_settings

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TABLE_ROWS = 3000
STAGES = {stage: text(f"web.digest.stage.{stage}", DOC_LANG) for stage in ("read", "map", "reduce")}


class DigestView(BaseModel):
    """What the digest page shows; the ledger table is capped so a page stays light."""

    model_config = ConfigDict(extra="forbid")

    result: DigestResult
    ledger: list[LedgerRow]
    ledger_rows: int
    skipped: list[SkippedFile] = Field(default_factory=list)
    inputs: list[Path] = Field(default_factory=list, description="the job's stored report files, for a rerun "
                               "with the office names the page asks for (never shown)")
    title: str = ""
    backend: str = "offline"

    def unnamed(self) -> list[str]:
        """Files of reports no title, text or table names (the page asks for their offices)."""
        return [r.file for r in self.result.reports if r.named_by == "missing"]


def read_reports(paths: list[Path], names: dict[Path, str]) -> tuple[list[NamedText], list[SkippedFile]]:
    texts: list[NamedText] = []
    skipped: list[SkippedFile] = []
    for path in paths:
        name = names.get(path, path.name)
        try:
            texts.append(NamedText(path=name, text=read_bytes_text(path.read_bytes(), name, names_office)))
        except AidraftError as exc:
            skipped.append(SkippedFile(file=name, reason=of_error(exc)))
    return texts, skipped


def ledger_rows(path: Path) -> list[LedgerRow]:
    """Rows back from the CSV the digest streamed (cells typed again: numbers, booleans, blanks)."""
    rows: list[LedgerRow] = []
    fields = dict(zip(HEADERS, COLUMNS, strict=True))  # 单位 → label …
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for raw in csv.DictReader(handle):
            rows.append(LedgerRow.model_validate({fields[k]: _cell(fields[k], v) for k, v in raw.items()}))
    return rows


def _cell(column: str, value: str) -> Any:
    if value == "" and column in ("year", "value", "low", "high"):
        return None
    if column in ("year", "line"):
        return int(value)
    if column in ("value", "low", "high"):
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                pass
    return from_csv(column, value)  # '=… in the CSV is =… again: the .xlsx protects it its own way


def run_digest_job(job: Job, paths: list[Path], upload_skipped: list[tuple[str, Both]], title: str | None,
                   backend: str, settings: Settings, offices: OfficeTable | None = None) -> DigestView:
    """Digest the uploaded reports and write every download into the job folder. ``offices``:
    names given on the page for reports that name none (as ``--offices`` gives them)."""
    out = job.workspace.root / "out"
    out.mkdir(exist_ok=True)
    names = {p: p.name for p in paths}
    job.step("read", f"{STAGES['read']}（0/{len(paths)}）")
    texts, skipped = read_reports(paths, names)
    skipped = [SkippedFile(file=f, reason=r) for f, r in upload_skipped] + skipped
    if not texts:
        raise AidraftError(msg("digest.none_readable", total=len(paths) + len(upload_skipped),
                               reasons=joined(s.line() for s in skipped[:3])),
                           hint=msg("digest.none_readable.hint"))

    def progress(stage: str, done: int, total: int) -> None:
        job.step(stage, f"{STAGES.get(stage, stage)}（{done}/{total}）")

    csv_path = out / "ledger.csv"
    result = run_digest(texts, settings=pick_settings(backend, settings), title=title or None, ledger=csv_path,
                        path="digest.docx", skipped=skipped, progress=progress, offices=offices)
    job.step("export", text("web.digest.stage.export", DOC_LANG))
    rows = ledger_rows(csv_path)
    xlsx_path = out / "ledger.xlsx"
    with LedgerWriter(xlsx_path) as writer:
        for row in rows:
            writer.write(row)
    docx_path, md_path, json_path = out / "digest.docx", out / "digest.md", out / "digest.json"
    stem = "汇总报告"
    markdown = render_markdown(result.document)
    docx_path.write_bytes(render_docx(result.document))
    md_path.write_text(markdown, encoding="utf-8")
    # the command line's record, naming the files as the downloads do: `aidraft check 汇总报告.md --record` reads it
    record = DigestRecord.of(result, f"{stem}.docx", "数字台账.csv", markdown)
    json_path.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    job.downloads = {
        "docx": Download(path=docx_path, filename=f"{stem}.docx", media_type=DOCX_TYPE),
        "md": Download(path=md_path, filename=f"{stem}.md", media_type=MD_TYPE),
        "csv": Download(path=csv_path, filename="数字台账.csv", media_type=CSV_TYPE),
        "xlsx": Download(path=xlsx_path, filename="数字台账.xlsx", media_type=XLSX_TYPE),
        "json": Download(path=json_path, filename=f"{stem}.json", media_type=JSON_TYPE),
    }
    return DigestView(result=result, ledger=rows[:MAX_TABLE_ROWS], ledger_rows=len(rows), skipped=result.skipped,
                      inputs=paths, title=title or "", backend=backend)
