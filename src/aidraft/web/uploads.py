"""Uploaded files into a job's own folder, safely.

A browser sends a file name we do not control ("../../etc/passwd", "C:\\x\\报告.docx", names with
NUL or control characters), and a zip may hold absolute paths, '..' entries, symlinks or a
bomb. Nothing here ever joins an uploaded name onto a path as given: names are reduced to a
plain base name, every write goes through :meth:`Workspace.write` (exclusive create, no symlink
following, checked to stay inside the folder), and zip members are read with hard size caps.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from pydantic import BaseModel, ConfigDict

from aidraft.errors import InputError

MAX_NAME = 80
_UNSAFE = re.compile(r"[^\w.\-（）()【】《》\u3000-\u303f\uff00-\uffef]+")
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
            raise InputError(f"{name}: unsafe file name")
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

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def read_limited(stream: IO[bytes], limit: int, name: str) -> bytes:
    """Read at most ``limit`` bytes, failing with one line past it (a declared size may lie)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise InputError(f"{name} is larger than {limit // (1024 * 1024) or 1} MB",
                             hint="a report or notes file is far smaller; check the file")
        chunks.append(chunk)
    return b"".join(chunks)


def check_package(data: bytes, name: str, max_total: int, max_members: int = 5000) -> None:
    """A .docx is a zip: refuse one that would unpack to more than ``max_total`` bytes (a zip
    bomb) before the reader inflates it. The declared sizes bound what zipfile will return."""
    import io

    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        return  # the reader names the damage in its own words
    if len(infos) > max_members or sum(i.file_size for i in infos) > max_total:
        raise InputError(f"{name} unpacks to more than {max_total // (1024 * 1024)} MB",
                         hint="a report is far smaller; check the file")


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it: Chinese Windows zips store GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def unsafe_member(info: zipfile.ZipInfo, name: str) -> str | None:
    """Why a zip member must not be extracted, or None when it is a plain, relative file."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link in the zip"
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive or ":" in name.split("/")[0]:
        return "absolute path in the zip"
    parts = re.split(r"[\\/]+", name)
    if ".." in parts:
        return "'..' in the path inside the zip"
    if info.flag_bits & 0x1:
        return "encrypted zip member"
    return None


def unpack_zip(data: bytes, zip_name: str, workspace: Workspace, *, max_files: int, max_file_bytes: int,
               max_total: int, sub: str = "zip") -> tuple[list[Upload], list[tuple[str, str]]]:
    """Members of a zip into the workspace, flattened to safe base names; (files, skipped)."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{zip_name} is not a valid zip file") from exc
    files: list[Upload] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    with archive:
        for info in archive.infolist():
            name = zip_member_name(info)
            label = f"{zip_name}/{name}"
            if info.is_dir():
                continue
            base = re.split(r"[\\/]", name)[-1]
            if base.startswith((".", "~$")) or name.startswith("__MACOSX/"):
                continue
            why = unsafe_member(info, name)
            if why is not None:
                skipped.append((label, why))
                continue
            if total >= max_total:
                skipped.append((label, f"the zip unpacks to more than {max_total // (1024 * 1024)} MB"))
                continue
            if len(files) >= max_files:
                skipped.append((label, f"more than {max_files} files in one upload"))
                continue
            with archive.open(info) as member:
                try:
                    content = read_limited(member, min(max_file_bytes, max_total - total), label)
                except InputError as exc:
                    skipped.append((label, exc.one_line("zh")))
                    continue
            total += len(content)
            files.append(workspace.write(base, content, sub))
    return files, skipped
