"""Atomic file writes: an earlier good output is never replaced by a partial one.

A command's outputs (report.docx, report.md, report.check.json) are one set: :func:`write_set`
writes every file to a temporary beside it first and renames them only once all are written, so
a failure leaves the earlier set whole. Temporaries are ``.NAME.XXXX.part``; one left by a killed
run is removed by the next write of that name. :func:`refuse_overwriting_inputs` runs before
anything is read, so an output named like an input can never destroy it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from aidraft.errors import InputError, OutputError
from aidraft.messages import msg

PART_SUFFIX = ".part"


def refuse_overwriting_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """One line, exit 2, when any output would replace any input (same path, or the same file
    through a link or another spelling)."""
    given = [Path(p) for p in inputs]
    for out in outputs:
        for source in given:
            if _same_file(Path(out), source):
                raise InputError(msg("output.overwrites_input", output=out, input=source),
                                 hint=msg("output.overwrites_input.hint"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def write_set(files: Sequence[tuple[Path, bytes]], *, private: bool = False) -> None:
    """Write every ``(path, data)`` to a temporary first; rename them together only once all are
    written (and synced). A failure while writing leaves every earlier output as it was.
    ``private`` files (caches holding restored personal data) are 0600 in 0700 folders."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            temps.append((_write_temp(Path(path), data, private), Path(path)))
        for tmp, path in temps:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(msg("output.cannot_write", path=path, reason=exc.strerror)) from exc
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def _write_temp(path: Path, data: bytes, private: bool = False) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
        _remove_stale_parts(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(msg("output.cannot_write", path=path, reason=exc.strerror)) from exc
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600 if private else 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(msg("output.cannot_write", path=path, reason=exc.strerror)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _remove_stale_parts(path: Path) -> None:
    """Temporaries of ``path`` left by a run that was killed (kill -9 runs no clean-up)."""
    for stale in path.parent.glob(f".{_glob_escape(path.name)}.*{PART_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in name)


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    write_set([(Path(path), data)], private=private)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: os.umask is process-wide, not thread-safe to probe


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), private=private)
