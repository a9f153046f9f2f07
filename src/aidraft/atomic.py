"""Replacing a file atomically, the bare mechanism: a temporary beside the file, written and synced,
then renamed over it. Errors are plain OSErrors; ``files.py`` turns them into the one-line
OutputError a command shows, and the parsed-genre cache (which needs no message) just skips.

Temporaries are ``.NAME.XXXX.part``; one left by a killed run is removed by the next write of
that name.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

PART_SUFFIX = ".part"


def open_temp(path: Path, private: bool = False) -> tuple[Path, BinaryIO]:
    """A temporary beside ``path`` (its folder made if missing), open for writing: what is too big
    to hold in memory (the ledger of 1,000 reports) is streamed into it, passed to :func:`finish`
    and renamed over ``path``. ``private``: 0600 in a 0700 folder."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    _remove_stale_parts(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600 if private else 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        return tmp, os.fdopen(fd, "wb")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def finish(handle: BinaryIO) -> None:
    """Flush, sync and close a temporary from :func:`open_temp`: renamed, it is whole on disk."""
    with handle:
        handle.flush()
        os.fsync(handle.fileno())


def write_temp(path: Path, data: bytes, private: bool = False) -> Path:
    """``data`` in a synced temporary beside ``path``; rename it over ``path`` to publish."""
    tmp, handle = open_temp(path, private)
    try:
        handle.write(data)
        finish(handle)
    except BaseException:
        handle.close()
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def keep_aside(path: Path) -> Path | None:
    """A second name for the file now at ``path`` (``.NAME.XXXX.old.part``: a hard link, or a copy
    where the file system has none), so a set of outputs can put it back if a later member fails.
    None when there is no file to keep."""
    if not os.path.lexists(path):
        return None
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old{PART_SUFFIX}")
    try:
        os.link(path, aside, follow_symlinks=False)
    except OSError:  # FAT, some shares: no hard links
        shutil.copy2(path, aside, follow_symlinks=False)
    return aside


def replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a reader sees the old file or the new one, never half."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _remove_stale_parts(path: Path) -> None:
    """Temporaries of ``path`` left by a run that was killed (kill -9 runs no clean-up)."""
    for stale in path.parent.glob(f".{_glob_escape(path.name)}.*{PART_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in name)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: os.umask is process-wide, not thread-safe to probe
