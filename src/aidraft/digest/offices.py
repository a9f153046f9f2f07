"""Who wrote each report, by name: the title or signature, else the body, else ``--offices``, else
a placeholder — never a file name (a file name in a digest the city office hands up is a defect,
and a long Latin token also breaks justified lines in the .docx).

Names and levels come from aidraft.parse.office, the one place that decides them. Attribution
labels must be short, unique and never read as a figure by the checker.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path, PurePath

from pydantic import BaseModel, ConfigDict

from aidraft.digest.config import digest_genre
from aidraft.digest.model import NameSource
from aidraft.errors import InputError
from aidraft.figures.extract import extract_figures
from aidraft.parse.office import LEVELS, Level, identify, office_in_text, office_level

FILE_HEADERS = ("文件", "file", "文件名")
NAME_HEADERS = ("单位", "office", "name", "单位名称")
LEVEL_HEADERS = ("级别", "level")
_CN_ORDINALS = "二三四五六七八九十"


class OfficeEntry(BaseModel):
    """One row of ``--offices offices.csv``: which office a file is from."""

    model_config = ConfigDict(extra="forbid")

    file: str
    name: str
    level: Level | None = None


class OfficeTable:
    """``--offices`` rows, looked up by the file as given, its relative name, or its base name."""

    def __init__(self, entries: list[OfficeEntry] | None = None) -> None:
        self.entries = entries or []
        self._by: dict[str, OfficeEntry] = {}
        for entry in self.entries:
            for key in _keys(entry.file):
                self._by.setdefault(key, entry)

    def find(self, file: str) -> OfficeEntry | None:
        return next((self._by[k] for k in _keys(file) if k in self._by), None)


def _keys(file: str) -> list[str]:
    pure = PurePath(file.replace("\\", "/"))
    return [str(pure), pure.name, pure.stem]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def read_office_table(path: Path) -> OfficeTable:
    """Read ``offices.csv`` (UTF-8, with or without BOM): 文件,单位[,级别] or file,office[,level]."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the offices table {path}: {exc}",
                         hint="save it as UTF-8 CSV with columns 文件,单位,级别") from exc
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{path}: the offices table is empty", hint="columns: 文件,单位,级别")
    header = rows[0]
    file_col, name_col = _column(header, FILE_HEADERS), _column(header, NAME_HEADERS)
    level_col = _column(header, LEVEL_HEADERS)
    if file_col is None or name_col is None:
        raise InputError(f"{path}: the offices table needs a 文件 (file) and a 单位 (office) column",
                         hint="first line: 文件,单位,级别")
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        file, name = cells[file_col].strip(), cells[name_col].strip()
        if not file or not name:
            raise InputError(f"{path}, line {number}: a row needs both a file and an office name")
        level = cells[level_col].strip() if level_col is not None else ""
        if level and level not in LEVELS:
            raise InputError(f"{path}, line {number}: level {level!r} is not one of 县, 区, 市")
        entries.append(OfficeEntry(file=file, name=name, level=level or office_level(name)))  # type: ignore[arg-type]
    return OfficeTable(entries)


def figure_free(label: str) -> bool:
    """True when the checker would read no figure in a bracket holding this name."""
    return not extract_figures(f"（{label}、{label}）")


class Named(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    level: Level | None
    named_by: NameSource


class Labeller:
    """Assigns each report a unique short label, in input order (so reruns name them the same)."""

    def __init__(self, table: OfficeTable | None = None) -> None:
        self.table = table or OfficeTable()
        self.used: set[str] = set()
        self.unnamed = 0

    def name(self, file: str, office: str | None, text: str) -> Named:
        """The report's office: as the report names itself, else as its text does, else the
        ``--offices`` table, else the placeholder (（单位名称待补充）, numbered when repeated)."""
        own = identify(office)
        entry = self.table.find(file)
        if own.short:
            base, level, by = own.short, own.level, "report"
        elif entry is not None:
            base, level, by = entry.name, entry.level or office_level(entry.name), "offices"
        elif (found := office_in_text(office, text)).short:
            base, level, by = found.short, found.level, "text"  # type: ignore[assignment]
        else:
            return self._placeholder(own.level)
        short = identify(base).short or base  # a full name in the table becomes its short form
        base = re.sub(r"[\s（）()、，,；;。]+", "", short) or base
        if not figure_free(base):
            return self._placeholder(level)
        label, n = base, 1
        while label in self.used:
            n += 1
            label = f"{base}{_CN_ORDINALS[min(n - 2, len(_CN_ORDINALS) - 1)]}" if n <= 10 else f"{base}之{n}"
        self.used.add(label)
        return Named(label=label, level=level, named_by=by)  # type: ignore[arg-type]

    def _placeholder(self, level: Level | None) -> Named:
        unnamed = digest_genre().unnamed
        self.unnamed += 1
        label = unnamed if self.unnamed == 1 else unnamed[:-1] + _CN_ORDINALS[min(self.unnamed - 2, 8)] + unnamed[-1]
        while label in self.used:
            self.unnamed += 1
            label = unnamed[:-1] + f"之{self.unnamed}" + unnamed[-1]
        self.used.add(label)
        return Named(label=label, level=level, named_by="missing")

    def label(self, path: str, office: str | None, text: str) -> str:
        return self.name(path, office, text).label
