"""Who wrote each report, by name: the title or signature, else the body, else ``--offices``, else
a placeholder — never a file name (a file name in a digest the city office hands up is a defect,
and a long Latin token also breaks justified lines in the .docx).

Names and levels come from aidraft.parse.office, the one place that decides them. Attribution
labels must be short, unique and never read as a figure by the checker.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path, PurePath

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.digest.config import digest_genre
from aidraft.digest.model import NameSource
from aidraft.errors import InputError
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import decode_bytes
from aidraft.messages import msg
from aidraft.parse.office import LEVELS, Level, identify, office_in_text, office_level

_SPACE_OR_PUNCT = regexes.compile(r"[\s（）()、，,；;。]+")

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
    """Read ``offices.csv``: 文件,单位[,级别] or file,office[,level], in any encoding a report may
    have (ingest.read.decode_bytes: UTF-8 with or without BOM, GBK as Excel saves CSV on Chinese
    Windows, UTF-16)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(msg("digest.offices.missing", path=path), hint=msg("digest.offices.hint")) from exc
    except OSError as exc:  # a folder, no permission: said in words, never as errno text
        raise InputError(msg("digest.offices.unreadable", path=path), hint=msg("digest.offices.hint")) from exc
    text = decode_bytes(data, str(path))
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise InputError(msg("digest.offices.empty", path=path), hint=msg("digest.offices.hint"))
    header = rows[0]
    file_col, name_col = _column(header, FILE_HEADERS), _column(header, NAME_HEADERS)
    level_col = _column(header, LEVEL_HEADERS)
    if file_col is None or name_col is None:
        raise InputError(msg("digest.offices.no_columns", path=path), hint=msg("digest.offices.hint"))
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        file, name = cells[file_col].strip(), cells[name_col].strip()
        if not file or not name:
            raise InputError(msg("digest.offices.incomplete_row", path=path, line=number),
                             hint=msg("digest.offices.hint"))
        level = cells[level_col].strip() if level_col is not None else ""
        if level and level not in LEVELS:
            raise InputError(msg("digest.offices.bad_level", path=path, line=number, level=level),
                             hint=msg("digest.offices.hint"))
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


class _Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base: str | None
    department: str = ""
    level: Level | None = None
    named_by: NameSource = "missing"


class Labeller:
    """Assigns each report a unique short label, in input order (so reruns name them the same).

    Offices of different places are named by place (沙坪坝区, 民权县); bureaus of one place by
    place and department (青岭市司法局, 青岭市人力资源和社会保障局), since the place alone would
    not tell them apart."""

    def __init__(self, table: OfficeTable | None = None) -> None:
        self.table = table or OfficeTable()
        self.used: set[str] = set()
        self.unnamed = 0

    def candidate(self, file: str, office: str | None, text: str) -> _Candidate:
        """The report's office: as the report names itself, else the ``--offices`` table, else as
        its text does; None when nothing names it."""
        own = identify(office)
        entry = self.table.find(file)
        if own.short:
            return _Candidate(base=own.short, department=own.department, level=own.level, named_by="report")
        if entry is not None:
            named = identify(entry.name)
            return _Candidate(base=named.short or entry.name, department=named.department,
                              level=entry.level or named.level, named_by="offices")
        found = office_in_text(office, text)
        if found.short:
            return _Candidate(base=found.short, department=found.department, level=found.level, named_by="text")
        return _Candidate(base=None, level=found.level)

    def assign(self, reports: list[tuple[str, str | None, str]]) -> list[Named]:
        """Labels for (file, office, text) of every report at once."""
        found = [self.candidate(*r) for r in reports]
        departments: dict[str, set[str]] = {}
        for c in found:
            if c.base:
                departments.setdefault(c.base, set()).add(c.department)
        out = []
        for c in found:
            if c.base is None:
                out.append(self._placeholder(c.level))
                continue
            base = c.base + c.department if len(departments[c.base]) > 1 and c.department else c.base
            out.append(self._unique(base, c))
        return out

    def name(self, file: str, office: str | None, text: str) -> Named:
        return self.assign([(file, office, text)])[0]

    def _unique(self, base: str, c: _Candidate) -> Named:
        base = _SPACE_OR_PUNCT.sub("", base) or base
        if not figure_free(base):
            return self._placeholder(c.level)
        label, n = base, 1
        while label in self.used:
            n += 1
            label = f"{base}{_CN_ORDINALS[n - 2]}" if n - 2 < len(_CN_ORDINALS) else f"{base}之{n}"
        self.used.add(label)
        return Named(label=label, level=c.level, named_by=c.named_by)

    def _placeholder(self, level: Level | None) -> Named:
        unnamed = digest_genre().unnamed
        self.unnamed += 1
        n = self.unnamed
        label = unnamed if n == 1 else unnamed[:-1] + (_CN_ORDINALS[n - 2] if n - 2 < len(_CN_ORDINALS) else f"之{n}") + unnamed[-1]
        self.used.add(label)
        return Named(label=label, level=level, named_by="missing")

    def label(self, path: str, office: str | None, text: str) -> str:
        return self.name(path, office, text).label
