"""Which files a digest reads: files, folders and globs in, readable reports and skip notes out.

A city office drops every county's file into one folder, so the folder holds whatever people
sent: .doc files, PDFs, Word lock files, a .zip, last run's digest. Reading must never stop at one
bad file: each is reported with the reason (the one-line error of ingest.read) and skipped. An
earlier digest is known by its record (d1.json names d1.docx and d1.md), never by its name alone.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.digest.model import SkippedFile
from aidraft.errors import AidraftError
from aidraft.ingest.read import DOCX_SUFFIXES, UNSUPPORTED, NamedText, read_text
from aidraft.messages import both, of_error
from aidraft.parse.document import Document
from aidraft.parse.structure import names_office, parse_text

log = logging.getLogger(__name__)

READABLE = frozenset({".txt", ".md", *DOCX_SUFFIXES})
#: Archives: the web page unpacks an uploaded .zip; the command line reads no archive (a zip bomb,
#: a path outside the folder), so it says to unpack it first.
ARCHIVES = frozenset({".zip"})
#: Files a folder scan lists: readable ones, and recognised ones we report as skipped.
SCANNED = READABLE | frozenset(UNSUPPORTED) | ARCHIVES
_GLOB_CHARS = set("*?[")
_SPACE = regexes.compile(r"\s+")


class Collected(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[Path]
    skipped: list[SkippedFile]


def _folder(folder: Path) -> list[Path]:
    """Report-like files under ``folder`` (recursively), without hidden files and ~$ lock files."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$"):
            continue
        if path.is_file() and path.suffix.lower() in SCANNED:
            found.append(path)
    return sorted(found)


class EarlierDigests:
    """Files that a digest record (d1.json) in their folder names as its digest, Markdown or
    ledger: an earlier run's outputs, never an office's report. Each folder's records are read once."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[Path, str]] = {}

    def record_of(self, path: Path) -> str | None:
        """The record naming ``path`` as one of its outputs, or None."""
        from aidraft.digest.output import record_names  # the record's model lives with the writer

        folder = path.resolve().parent
        if folder not in self._folders:
            self._folders[folder] = {named.resolve(): record.name for record in sorted(folder.glob("*.json"))
                                     if record.is_file() for named in record_names(record)}
        return self._folders[folder].get(path.resolve())


def collect(args: Iterable[str | Path], exclude: Iterable[Path] = ()) -> Collected:
    """Expand the command-line arguments in order; duplicates and our own outputs are dropped, and
    an earlier digest or a .zip is listed as skipped with the reason."""
    excluded = {p.resolve() for p in exclude}
    seen: set[Path] = set()
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    earlier = EarlierDigests()

    def add(path: Path) -> None:
        key = path.resolve()
        if key in seen or key in excluded:
            return
        seen.add(key)
        if path.suffix.lower() in ARCHIVES:
            skipped.append(SkippedFile(file=str(path), reason=both("digest.skip.zip")))
        elif (record := earlier.record_of(path)) is not None:
            skipped.append(SkippedFile(file=str(path), reason=both("digest.skip.earlier_digest", record=record)))
        else:
            files.append(path)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for member in _folder(path):
                add(member)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS & set(str(arg)):
            matches = sorted(Path(m) for m in glob.glob(str(arg), recursive=True))
            matches = [m for m in matches if m.is_file()]
            if not matches:
                skipped.append(SkippedFile(file=str(arg), reason=both("digest.skip.no_match")))
            for match in matches:
                add(match)
        else:
            skipped.append(SkippedFile(file=str(arg), reason=both("digest.skip.missing")))
    return Collected(files=files, skipped=skipped)


def read_report(source: Path | NamedText) -> Document:
    """A report parsed from its normalised text (``Document.text`` is what ``aidraft check`` reads)."""
    if isinstance(source, NamedText):
        return parse_text(source.text, source.path)
    return parse_text(read_text(source, names_office), str(source))


def display_names(files: list[Path]) -> dict[Path, str]:
    """Each file as the outputs name it: relative to the folder all inputs share (民权县.docx,
    county/民权县.docx), never an absolute path of this machine."""
    if not files:
        return {}
    parents = [str(f.resolve().parent) for f in files]
    try:
        base = Path(os.path.commonpath(parents))
    except ValueError:  # different drives
        return {f: f.name for f in files}
    return {f: f.resolve().relative_to(base).as_posix() for f in files}


def read_all(sources: Iterable[Path | NamedText],
             names: dict[Path, str] | None = None) -> Iterator[tuple[str, Document | SkippedFile]]:
    """Each report's parse, or why it was skipped; one bad file never stops the rest."""
    names = names or {}
    for source in sources:
        name = source.path if isinstance(source, NamedText) else names.get(source, str(source))
        try:
            yield name, read_report(source)
        except AidraftError as exc:
            yield name, SkippedFile(file=name, reason=of_error(exc))
        except Exception as exc:  # a damaged file must not abort a run over hundreds of reports
            log.debug("cannot read %s", name, exc_info=True)
            yield name, SkippedFile(file=name, reason=both("digest.skip.cannot_read", error=f"{type(exc).__name__}: {exc}"))


def _identity(doc: Document) -> list[tuple[str, ...]]:
    """What makes two files one report: the same full office name and year, or the same text."""
    keys: list[tuple[str, ...]] = [("text", _SPACE.sub("", doc.text))]
    office = _SPACE.sub("", doc.office or "")
    if office:
        keys.append(("office", office, str(doc.year)))
    return keys


def drop_duplicates(docs: list[tuple[str, Document]]) -> tuple[list[tuple[str, Document]], list[SkippedFile]]:
    """Each report once: a second copy of one office's report for one year (a .docx and its .txt,
    a re-saved UTF-16 file) is skipped with the file it repeats, since digesting both would count
    the office twice and add its figures to themselves."""
    seen: dict[tuple[str, ...], str] = {}
    kept: list[tuple[str, Document]] = []
    skipped: list[SkippedFile] = []
    for name, doc in docs:
        keys = _identity(doc)
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            what = (both("digest.skip.duplicate.office_year", office=doc.office, year=doc.year) if doc.office
                    else both("digest.skip.duplicate.same_text"))
            skipped.append(SkippedFile(file=name, reason=both("digest.skip.duplicate", first=first, what=what)))
            continue
        for k in keys:
            seen[k] = name
        kept.append((name, doc))
    return kept, skipped
