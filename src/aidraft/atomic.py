"""Replacing a file atomically, the bare mechanism: a temporary beside the file, written and synced,
then renamed over it. Errors are plain OSErrors; ``files.py`` turns them into the one-line
OutputError a command shows, and the parsed-genre cache (which needs no message) just skips.

Temporaries are ``.NAME.XXXX.part``; one left by a killed run is removed by the next write of
that name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PART_SUFFIX = ".part"


def write_temp(path: Path, data: bytes, private: bool = False) -> Path:
    """``data`` in a synced temporary beside ``path`` (its folder made if missing); rename it over
    ``path`` to publish. ``private``: 0600 in a 0700 folder."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    _remove_stale_parts(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600 if private else 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


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
