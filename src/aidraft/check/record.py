"""A digest's own record (digest.json) as evidence: the office × metric table names, for every
cell, the report file and line it was copied from.

Checked against its input reports, a table cell (学法次数：甲县3次、乙区5次) has no words of its
metric beside it, so the context match cannot find it; the record says where it came from, and
the checker verifies that very line of that very report states that very figure. The record is
never trusted on its own: a cell whose source line does not state it stays unsupported.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath

from pydantic import BaseModel, ConfigDict, ValidationError

from aidraft.check.match import Verdict
from aidraft.check.model import FigureStatus
from aidraft.check.source_figure import SourceFigure
from aidraft.check.sources import SourceIndex
from aidraft.errors import InputError
from aidraft.figures.model import Figure
from aidraft.messages import DOC_LANG, text


class RecordCell(BaseModel):
    """One table cell of the record: the office label, the figure as written, where it came from."""

    model_config = ConfigDict(extra="forbid")

    label: str
    text: str
    file: str
    line: int


class _Source(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a digest.json holds more than the checker reads

    file: str
    line: int


class _Cell(BaseModel):
    model_config = ConfigDict(extra="ignore")

    label: str
    text: str
    source: _Source


class _Column(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cells: list[_Cell]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")

    metrics: list[_Column]


def read_record(path: Path) -> list[RecordCell]:
    """The table cells of a digest.json (``aidraft digest`` writes it beside the digest)."""
    try:
        record = _Record.model_validate(json.loads(Path(path).read_bytes().decode("utf-8-sig")))
    except (OSError, UnicodeDecodeError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"{path}: not a digest record ({first})",
                         hint="give the digest.json that aidraft digest wrote beside the digest") from exc
    return [RecordCell(label=c.label, text=c.text, file=c.source.file, line=c.source.line)
            for column in record.metrics for c in column.cells]


def _same_file(path: str, recorded: str) -> bool:
    """The record names files relative to the digest's inputs; --notes may give them by any path."""
    given, named = PurePath(path.replace("\\", "/")), PurePath(recorded.replace("\\", "/"))
    return given == named or given.parts[-len(named.parts):] == named.parts


def _stated(cell: RecordCell, notes: SourceIndex) -> SourceFigure | None:
    return next((sf for sf in notes.figures if sf.figure.line == cell.line and sf.figure.text == cell.text
                 and _same_file(sf.file, cell.file)), None)


def recorded_cells(figures: list[Figure], cells: list[RecordCell], notes: SourceIndex,
                   unsupported: set[int]) -> dict[int, Verdict]:
    """Verdicts for unsupported figures (by start) that are table cells of the record whose
    source line states them: written right after the cell's office label, as the table does."""
    out: dict[int, Verdict] = {}
    for fig in figures:
        if fig.start not in unsupported:
            continue
        for cell in cells:
            if cell.text != fig.text or not fig.before.endswith(cell.label):
                continue
            source = _stated(cell, notes)
            if source is not None:
                out[fig.start] = Verdict(FigureStatus.supported, source, text("check.recorded", DOC_LANG))
                break
    return out
