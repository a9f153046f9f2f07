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


#: Archives a zip may hold; they are listed as skipped, never unpacked (no zip-in-zip bombs).
NESTED_ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")


def member_label(name: str, drop: int = 0) -> str:
    """The name a member is shown and stored under: its path inside the zip, folders kept
    (甲县/2025年报告.docx → 甲县-2025年报告.docx) so that the same file name in two units'
    folders stays apart, with ``drop`` leading folders shared by every member removed. Stored
    flat: each part is reduced to a safe name; leading folders go first when it is too long."""
    parts = [p for p in _SEPARATORS.split(name) if p not in ("", ".")][drop:]
    base = safe_name(parts[-1] if parts else "")
    folders = [safe_name(p, "") for p in parts[:-1]]
    folders = [f for f in folders if f]
    while folders and len("-".join([*folders, base])) > MAX_NAME:
        folders.pop(0)
    return "-".join([*folders, base])


def shared_folders(names: list[str]) -> int:
    """How many leading folders every member shares (a zipped folder wraps all in its own name)."""
    paths = [[p for p in _SEPARATORS.split(n) if p not in ("", ".")][:-1] for n in names]
    if not paths:
        return 0
    depth = 0
    while all(len(p) > depth and p[depth] == paths[0][depth] for p in paths):
        depth += 1
    return depth


def unpack_zip(source: bytes | Path, zip_name: str, workspace: Workspace, *, max_files: int,
               max_file_bytes: int, max_total: int, sub: str = "zip") -> tuple[list[Upload], list[tuple[str, Both]]]:
    """Members of a zip (bytes, or a file on disk) into the workspace, stored flat under names
    that keep their folders (:func:`member_label`); (files, skipped). Each member is streamed to
    disk within its own budget (``max_file_bytes``) and the archive's (``max_total``); a member
    declaring more is skipped before it is inflated, a damaged member (bad CRC, deflate64,
    broken data) is skipped with the reason, and an archive inside is skipped, not unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except ZIP_DAMAGE as exc:
        raise InputError(msg("upload.bad_zip", name=zip_name, reason=_damage(exc)),
                         hint=msg("upload.bad_zip.hint")) from exc
    files: list[Upload] = []
    skipped: list[tuple[str, Both]] = []
    total = 0
    with archive:
        wanted = [(info, zip_member_name(info)) for info in archive.infolist() if not info.is_dir()]
        wanted = [(info, name) for info, name in wanted
                  if not _SEPARATOR.split(name)[-1].startswith((".", "~$")) and not name.startswith("__MACOSX/")]
        drop = shared_folders([name for _, name in wanted])
        for info, name in wanted:
            label = f"{zip_name}/{name}"
            why = unsafe_member(info, name)
            if why is None and name.lower().endswith(NESTED_ARCHIVES):
                why = skip_reason("nested")
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
                    stored = workspace.write_stream(member_label(name, drop), member, room, sub)
            except TooLarge:
                skipped.append((label, skip_reason("larger", limit=_mb(room))))
                continue
            except ZIP_DAMAGE as exc:
                skipped.append((label, skip_reason("damaged", reason=_damage(exc))))
                continue
            total += stored.size
            files.append(stored)
    return files, skipped


#: What zipfile's own words mean, for the one damage type that covers several causes.
_BAD_ZIP_WORDS: tuple[tuple[str, str], ...] = (("crc", "bad_crc"), ("not a zip", "not_zip"), ("truncat", "truncated"),
                                               ("encrypt", "encrypted"), ("password", "encrypted"))


def damage_kind(exc: BaseException) -> str:
    """Which catalogue reason (``upload.damage.*``) fits what zipfile/zlib raised. The exception's
    own words are only matched here, never shown: they are English and may name a path."""
    words = str(exc).lower()
    if isinstance(exc, NotImplementedError):
        return "compression"
    if isinstance(exc, EOFError):
        return "truncated"
    if isinstance(exc, zlib.error):
        return "broken"
    if isinstance(exc, zipfile.BadZipFile | RuntimeError):
        return next((kind for word, kind in _BAD_ZIP_WORDS if word in words), "broken")
    return "broken"


def _damage(exc: BaseException) -> Both:
    """One catalogue line for a damaged archive or member, in both languages."""
    return both(f"upload.damage.{damage_kind(exc)}")
