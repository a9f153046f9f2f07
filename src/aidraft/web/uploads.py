"""Uploaded files into a job's own folder, safely.

A browser sends a file name we do not control ("../../etc/passwd", "C:\\x\\报告.docx", names with
NUL or control characters), and a zip may hold absolute paths, '..' entries, symlinks or a
bomb. Nothing here ever joins an uploaded name onto a path as given: names are reduced to a
plain base name, every write goes through :meth:`Workspace.write` (exclusive create, no symlink
following, checked to stay inside the folder), and zip members are read with hard size caps.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.errors import InputError
from aidraft.messages import Both, both, msg

MAX_NAME = 80
_UNSAFE = regexes.compile(r"[^\w.\-（）()【】《》\u3000-\u303f\uff00-\uffef]+")
_SEPARATORS = regexes.compile(r"[\\/]+")
_SEPARATOR = regexes.compile(r"[\\/]")
_CHUNK = 64 * 1024


def safe_name(name: str | None, default: str = "upload.txt") -> str:
    """A base name that is safe to show and to create: no folders, no control characters, no
    leading dot, at most MAX_NAME characters, the extension kept."""
    raw = unicodedata.normalize("NFC", name or "")
    base = PureWindowsPath(PurePosixPath(raw.replace("\x00", "")).name).name  # drop both kinds of folder
    base = _UNSAFE.sub("_", base).strip("._ ")
    if not base or base in (".", ".."):
        return default
    stem, dot, suffix = base.rpartition(".")
    if dot and 0 < len(suffix) <= 8 and stem:
        keep = MAX_NAME - len(suffix) - 1
        return f"{stem[:keep]}.{suffix.lower()}"
    return base[:MAX_NAME]


class Upload(BaseModel):
    """One file stored in a job folder: the name shown to people and the path on disk."""

    model_config = ConfigDict(extra="forbid")

    name: str
    path: Path
    size: int


class Workspace:
    """A job's private temporary folder; everything the job reads or writes lives in it."""

    def __init__(self, parent: Path | None = None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="aidraft-web-", dir=parent)).resolve()
        self._names: set[str] = set()

    def unique(self, name: str) -> str:
        """The safe name, numbered when the job already holds a file of that name."""
        name = safe_name(name)
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            stem, dot, suffix = name.rpartition(".")
            candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
        self._names.add(candidate)
        return candidate

    def path_for(self, name: str, sub: str = "") -> Path:
        """Where ``name`` goes; refuses anything that would land outside the folder."""
        folder = self.root / safe_name(sub) if sub else self.root
        path = (folder / safe_name(name)).resolve()
        if path.parent != folder.resolve() or not path.is_relative_to(self.root):
            raise InputError(msg("upload.unsafe_name", name=name))
        return path

    def write(self, name: str, data: bytes, sub: str = "") -> Upload:
        """Create a new file (never overwrite, never follow a symlink) and return it."""
        shown = self.unique(name)
        path = self.path_for(shown, sub)
        path.parent.mkdir(exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return Upload(name=shown, path=path, size=len(data))

    def write_stream(self, name: str, stream: IO[bytes], limit: int, sub: str = "") -> Upload:
        """Like :meth:`write`, but copied from ``stream`` in chunks with ``limit`` enforced while
        reading: an oversized upload or zip member never sits in memory, and leaves no file."""
        shown = self.unique(name)
        path = self.path_for(shown, sub)
        path.parent.mkdir(exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                size = copy_limited(stream, handle, limit, shown)
        except BaseException:
            path.unlink(missing_ok=True)
            self._names.discard(shown)
            raise
        return Upload(name=shown, path=path, size=size)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class TooLarge(InputError):
    """A stream passed its byte budget while being read."""


def copy_limited(stream: IO[bytes], handle: IO[bytes], limit: int, name: str) -> int:
    """Copy ``stream`` into ``handle`` in chunks, failing with one line as soon as more than
    ``limit`` bytes have arrived (a declared size may lie, and nothing is held in memory)."""
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooLarge(msg("upload.too_large", name=name, limit=_mb(limit)), hint=msg("upload.too_large.hint"))
        handle.write(chunk)
    return total


def skip_reason(key: str, **params: object) -> Both:
    """Why an uploaded file or zip member is skipped (the page lists it in Chinese)."""
    return both(f"upload.skip.{key}", **params)


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):.2g}" if limit < 1024 * 1024 else str(limit // (1024 * 1024))


#: What a damaged member or archive raises inside zipfile/zlib: bad CRC (BadZipFile), an
#: unsupported method such as deflate64 (NotImplementedError), broken deflate data (zlib.error),
#: truncation (EOFError), impossible headers (ValueError, OSError).
ZIP_DAMAGE: tuple[type[BaseException], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError,
                                               zlib.error, EOFError, ValueError, OSError, RuntimeError)


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it: Chinese Windows zips store GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def unsafe_member(info: zipfile.ZipInfo, name: str) -> Both | None:
    """Why a zip member must not be extracted, or None when it is a plain, relative file."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return skip_reason("symlink")
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive or ":" in name.split("/")[0]:
        return skip_reason("absolute")
    parts = _SEPARATORS.split(name)
    if ".." in parts:
        return skip_reason("dotdot")
    if info.flag_bits & 0x1:
        return skip_reason("encrypted")
    return None


def unpack_zip(source: bytes | Path, zip_name: str, workspace: Workspace, *, max_files: int,
               max_file_bytes: int, max_total: int, sub: str = "zip") -> tuple[list[Upload], list[tuple[str, Both]]]:
    """Members of a zip (bytes, or a file on disk) into the workspace, flattened to safe base names;
    (files, skipped). Each member is streamed to disk within its own budget (``max_file_bytes``)
    and the archive's (``max_total``); a member declaring more is skipped before it is inflated,
    and a damaged member (bad CRC, deflate64, broken data) is skipped with the reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except ZIP_DAMAGE as exc:
        raise InputError(msg("upload.bad_zip", name=zip_name, reason=_damage(exc)),
                         hint=msg("upload.bad_zip.hint")) from exc
    files: list[Upload] = []
    skipped: list[tuple[str, Both]] = []
    total = 0
    with archive:
        for info in archive.infolist():
            name = zip_member_name(info)
            label = f"{zip_name}/{name}"
            if info.is_dir():
                continue
            base = _SEPARATOR.split(name)[-1]
            if base.startswith((".", "~$")) or name.startswith("__MACOSX/"):
                continue
            why = unsafe_member(info, name)
            if why is not None:
                skipped.append((label, why))
                continue
            if info.file_size > max_file_bytes:  # the declared size bounds what zipfile inflates
                skipped.append((label, skip_reason("larger", limit=_mb(max_file_bytes))))
                continue
            room = min(max_file_bytes, max_total - total)
            if total >= max_total or info.file_size > room:
                skipped.append((label, skip_reason("zip_total", limit=_mb(max_total))))
                continue
            if len(files) >= max_files:
                skipped.append((label, skip_reason("too_many", count=max_files)))
                continue
            try:
                with archive.open(info) as member:
                    stored = workspace.write_stream(base, member, room, sub)
            except TooLarge:
                skipped.append((label, skip_reason("larger", limit=_mb(room))))
                continue
            except ZIP_DAMAGE as exc:
                skipped.append((label, skip_reason("damaged", reason=_damage(exc))))
                continue
            total += stored.size
            files.append(stored)
    return files, skipped


def _damage(exc: BaseException) -> Both | str:
    """One short line for what zipfile/zlib said (never a path on this machine)."""
    if isinstance(exc, NotImplementedError):
        return skip_reason("compression")
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:80]
