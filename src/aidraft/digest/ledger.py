"""The ledger: one row per figure of every report, in one pass, streamed to CSV or .xlsx.

Why every figure and not only the ones the digest prints: the ledger is the provenance a clerk
checks the overview against, and it must hold every figure ``aidraft check`` finds in a report
(the same extractor over the same normalised text). Rows are encoded as they come, never kept
as objects, into a temporary beside the ledger that replaces any earlier one only together with
the digest's other files (files.write_set), so a failed run leaves the earlier ledger as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from aidraft.atomic import finish, open_temp
from aidraft.digest.config import digest_genre
from aidraft.digest.metric_names import canonical_match, metric_words
from aidraft.digest.model import LedgerRow, ReportRef
from aidraft.errors import OutputError
from aidraft.figures.extract import extract_figures
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import metric_phrase
from aidraft.figures.model import Figure, json_number
from aidraft.files import refuse_file_parent, write_set
from aidraft.messages import msg
from aidraft.parse.document import Document

COLUMNS: tuple[str, ...] = tuple(LedgerRow.model_fields)
#: The header a clerk sees: 单位, 级别, 年度, 部分, 指标, 规范指标, 数值, 下限, 上限, 计量单位, 原文, 文件, 行.
HEADERS: tuple[str, ...] = tuple(str(f.title) for f in LedgerRow.model_fields.values())
_TEXT_COLUMNS = frozenset({"label", "part", "metric", "canonical", "text", "file"})
_FORMULA_START = ("=", "+", "-", "@")
#: Excel column widths (characters; a Han character counts about two).
WIDTHS = {"label": 16, "level": 6, "year": 7, "part": 14, "metric": 44, "canonical": 14, "value": 12, "low": 12,
          "high": 12, "unit": 9, "text": 14, "file": 28, "line": 6}


@dataclass(frozen=True, slots=True)
class LedgerFigure:
    """What the digest keeps of a ledger row: enough to aggregate and to quote the figure."""

    label: str
    file: str
    kind: str
    figure: Figure
    metric: str
    unit_class: str
    canonical: str = ""
    year: int | None = None
    cue: str = ""  # the cue of digest.yaml ``metrics`` that named ``canonical`` (the longest one in the clause)
    counted: str = ""  # what the figure counts, from that cue on (受理信访事项 vs 受理法律援助案件)


class _Sections:
    """Which top-level section an offset falls in (figures outside any section: preamble/closing)."""

    def __init__(self, doc: Document) -> None:
        self.body_start = doc.body_start
        self.starts = [s.start for s in doc.sections]
        self.sections = doc.sections

    def at(self, offset: int) -> tuple[str, str]:
        if offset < self.body_start:
            return "frame", ""
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            return "preamble", ""
        section = self.sections[i]
        if i == len(self.sections) - 1 and offset >= section.end:
            return "closing", ""
        kind = section.kind.value if section.kind is not None else "other"
        return kind, section.title


def ledger_figures(doc: Document, ref: ReportRef, year: int | None = None) -> Iterator[tuple[LedgerFigure, LedgerRow]]:
    """Every figure of ``doc`` (its whole normalised text, as the checker reads it) with its row.

    The row names the office as the report states it (桐川区信访局: a clerk filters by office),
    the short label only where nothing more is known; a report that states no year is of the
    digest's ``year``, as the digest counts it, in the row as in the aggregates."""
    office = ref.office.strip() if ref.office and ref.named_by == "report" else ""
    year = ref.year if ref.year is not None else year
    lex = lexicon()
    where = _Sections(doc)
    parts = digest_genre().parts
    figures = extract_figures(doc.text)
    for i, fig in enumerate(figures):
        kind, title = where.at(fig.start)
        metric = metric_phrase(fig)
        words = metric_words(fig, figures[i - 1] if i else None, figures[i + 1] if i + 1 < len(figures) else None)
        label = words.label
        named = canonical_match(fig, words)
        unit_class = lex.unit_class(fig.unit)
        value = fig.value
        row = LedgerRow(
            label=office or ref.label, level=ref.level or "", year=year, part=parts.get(kind, title or kind),
            metric=label, canonical=named.metric.name if named else "",
            value=json_number(value.low) if value.exact else None,
            low=json_number(value.low),
            high=None if value.high is None else json_number(value.high), unit=fig.unit,
            text=fig.text, file=ref.file, line=fig.line,
        )
        yield LedgerFigure(ref.label, ref.file, kind, fig, metric, unit_class, row.canonical, year,
                           named.cue if named else "", named.counted if named else ""), row


def _formula_like(column: str, value: Any) -> bool:
    """Text that a spreadsheet would run as a formula (=, +, -, @ first: formula injection)."""
    return column in _TEXT_COLUMNS and isinstance(value, str) and value.startswith(_FORMULA_START)


def _safe(column: str, value: Any) -> Any:
    """A CSV cell: formula-like text gets a leading ' (CSV has no cell styles to say "text")."""
    return "'" + value if _formula_like(column, value) else value


def from_csv(column: str, value: str) -> str:
    """A CSV cell as written before :func:`_safe` protected it (the web page reads the CSV back to
    build its .xlsx, which protects the text its own way)."""
    if value.startswith("'") and _formula_like(column, value[1:]):
        return value[1:]
    return value


def _xlsx_cell(sheet: Any, column: str, value: Any) -> Any:
    """An .xlsx cell: formula-like text is stored as a string with the quotePrefix style, so Excel
    shows it as written (no ' in the cell) and never evaluates it."""
    if not _formula_like(column, value):
        return value
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl reads a leading = as a formula
    cell.quotePrefix = True
    return cell


class LedgerWriter:
    """Streams rows into CSV (UTF-8 with BOM, so Excel shows Chinese) or, for *.xlsx, a
    write-only workbook, in a temporary beside the ledger: 1,000 reports' rows are never held in
    memory. Without a path rows are only counted.

    ``publish``: ``close`` renames the finished file over the ledger (the web job, tests). Without
    it the finished temporary is :meth:`staged` for the caller's output set (files.write_set), so
    the ledger is replaced together with the digest or not at all. A failure discards it."""

    def __init__(self, path: Path | None, *, publish: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        self.publish = publish
        self.rows = 0
        self._xlsx = self.path is not None and self.path.suffix.lower() == ".xlsx"
        self._tmp: Path | None = None
        self._handle: BinaryIO | None = None
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None
        self._book: Any = None
        self._sheet: Any = None
        self._done = False
        if self.path is not None and self._xlsx:
            from openpyxl import Workbook  # type: ignore[import-untyped]
            from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

            self._book = Workbook(write_only=True)  # streams its rows to a file of its own
            self._sheet = self._book.create_sheet("数字台账")
            self._sheet.freeze_panes = "A2"
            for i, column in enumerate(COLUMNS, start=1):
                self._sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column, 12)
            self._sheet.append(list(HEADERS))

    def _open(self) -> None:
        """The temporary, made at the first row, so a run that reads nothing leaves no folder."""
        if self._handle is not None or self.path is None:
            return
        self._tmp, self._handle = _temp(self.path)
        if not self._xlsx:
            self._text = io.TextIOWrapper(self._handle, encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._text)
            self._csv.writerow(HEADERS)

    def write(self, row: LedgerRow) -> None:
        self.rows += 1
        if self.path is None:
            return
        values = [(c, getattr(row, c)) for c in COLUMNS]
        if self._xlsx:
            self._sheet.append([_xlsx_cell(self._sheet, c, v) for c, v in values])
            return
        self._open()
        self._csv.writerow(["" if v is None else _safe(c, v) for c, v in values])

    def staged(self) -> tuple[Path, Path] | None:
        """``(ledger, finished temporary)`` for files.write_set; None without a path (or once
        published: a ``publish`` writer renames its own file)."""
        self.close()
        if self.path is None or self._tmp is None or self.publish:
            return None
        return self.path, self._tmp

    def close(self) -> None:
        """Finish the file (and, with ``publish``, rename it over the ledger); once only."""
        if self._done or self.path is None:
            return
        self._open()
        assert self._handle is not None and self._tmp is not None
        try:
            if self._xlsx:
                from openpyxl.utils import get_column_letter

                self._sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{self.rows + 1}"
                self._book.save(self._handle)
            else:
                assert self._text is not None
                self._text.flush()
                self._text.detach()
            finish(self._handle)
        except OSError as exc:
            self.discard()
            raise OutputError(msg("output.cannot_write", path=self.path, reason=exc.strerror or exc)) from exc
        self._done = True
        if self.publish:
            write_set([], staged=[(self.path, self._tmp)])

    def discard(self) -> None:
        """Drop the unfinished or unpublished file: an earlier ledger stays as it was."""
        self._done = True
        if self._sheet is not None and not self._handle:  # end openpyxl's own temporary sheet file
            with contextlib.suppress(Exception):
                self._sheet.close()
                self._sheet._writer.cleanup()
        for stream in (self._text, self._handle):  # the text layer closes the file unless detached
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.close()
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> LedgerWriter:  # noqa: PYI034 (never subclassed)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()


def _temp(path: Path) -> tuple[Path, BinaryIO]:
    try:
        return open_temp(path)
    except OSError as exc:
        refuse_file_parent(path)
        raise OutputError(msg("output.cannot_write", path=path, reason=exc.strerror or exc)) from exc
