"""Atomic file writes: an earlier good output is never replaced by a partial one.

A command's outputs (report.docx, report.md, report.check.json) are one set: :func:`write_set`
writes every file to a temporary beside it first (``atomic.py``) and renames them only once all
are written, so a failure leaves the earlier set whole. :func:`refuse_overwriting_inputs` runs before
anything is read, so an output named like an input can never destroy it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from aidraft.atomic import write_temp
from aidraft.errors import InputError, OutputError
from aidraft.messages import msg


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
        return write_temp(path, data, private)
    except OSError as exc:
        raise OutputError(msg("output.cannot_write", path=path, reason=exc.strerror)) from exc


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    write_set([(Path(path), data)], private=private)


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), private=private)
