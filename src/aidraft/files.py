"""Atomic file writes: an earlier good output is never replaced by a partial one.

A command's outputs (report.docx, report.md, report.check.json; a digest's ledger too) are one
set: :func:`write_set` writes every file to a temporary beside it first (``atomic.py``), checks
every target, and renames them only once all are written, putting back the old files if a rename
fails, so a failure leaves the earlier set whole. :func:`refuse_overwriting_inputs` runs before
anything is read, so an output named like an input can never destroy it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from aidraft.atomic import keep_aside, write_temp
from aidraft.errors import InputError, OutputError
from aidraft.messages import Both, both, msg

SET_SUFFIXES = (".docx", ".md")
#: The operating system's usual refusals, in the catalogue's words: its own strerror is English
#: whatever language the user reads, so it is only the fallback for the rare others.
OS_REASONS: dict[int, str] = {
    errno.EACCES: "os.denied",
    errno.EPERM: "os.denied",
    errno.ENOSPC: "os.no_space",
    getattr(errno, "EDQUOT", errno.ENOSPC): "os.no_space",  # over quota: full, as far as the user can tell
    errno.EROFS: "os.read_only",
    errno.ENOENT: "os.missing",
    errno.EISDIR: "os.is_dir",
    errno.ENOTDIR: "os.not_dir",
}


def os_reason(exc: OSError) -> Both:
    """Why the system refused, in both languages: a catalogue word for the common errno values,
    else the system's own text (better a foreign word than none)."""
    key = OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if key is not None:
        return both(key)
    raw = exc.strerror or " ".join(str(exc).split())
    return Both(zh=raw, en=raw) if raw else both("os.other")


def folder_unusable(path: Path) -> Both | None:
    """Why files cannot be kept under the folder ``path`` (a file in its place or on its way, no
    write permission, a read-only disk), or None when they can. Nothing is created: a command
    asks before it starts, so an optional store (the response cache) is announced as off once
    instead of failing silently entry by entry."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        return both("folder.is_file", path=path)
    existing = path if path.is_dir() else next((p for p in path.parents if p.exists()), None)
    if existing is None:
        return None
    if not existing.is_dir():
        return both("folder.parent_is_file", path=path, parent=existing)
    if hasattr(os, "statvfs") and os.statvfs(existing).f_flag & getattr(os, "ST_RDONLY", 1):
        return both("folder.cannot_write", path=path, reason=both("os.read_only"))
    if not os.access(existing, os.W_OK | os.X_OK):
        return both("folder.cannot_write", path=path, reason=both("os.denied"))
    return None


def refuse_file_parent(path: Path) -> None:
    """One line when a folder on the way to ``path`` is a file (``-o notes.txt/r.docx``): making
    the folder would fail with no more than "File exists" or "Not a directory"."""
    for parent in Path(path).parents:
        if parent.is_dir():
            return
        if parent.exists():
            raise OutputError(msg("output.parent_not_dir", path=path, parent=parent),
                              hint=msg("output.parent_not_dir.hint"))


def output_stem(out: Path, example: str) -> Path:
    """The name an output set shares: ``-o out/r.docx`` and ``-o out/r.md`` both give ``out/r``.
    Only the last suffix goes (``r.v2.docx`` → ``r.v2``, never ``r``, whose files a clerk may
    keep beside it). A folder, a file where a folder should be, or another suffix is refused
    before any work."""
    if out.is_dir() or str(out).endswith(("/", "\\")):
        raise OutputError(msg("output.dir_for_file", path=out), hint=msg("output.dir_for_file.hint", example=example))
    refuse_file_parent(out)
    if out.suffix.lower() not in SET_SUFFIXES:  # .md names the same set: the .docx is written beside it
        raise OutputError(msg("output.bad_suffix", path=out, suffix=" / ".join(SET_SUFFIXES)),
                          hint=msg("output.bad_suffix.hint", example=example))
    return out.with_name(out.name[: -len(out.suffix)])


def beside(stem: Path, ending: str) -> Path:
    """``stem`` + ``ending`` (``.docx``, ``.check.json``): the members of an output set."""
    return stem.with_name(stem.name + ending)


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


def write_set(files: Sequence[tuple[Path, bytes]], *, private: bool = False,
              staged: Sequence[tuple[Path, Path]] = ()) -> None:
    """Publish a command's outputs as one set: a failed run leaves every earlier output as it was.

    Every ``(path, data)`` goes to a synced temporary first; ``staged`` are ``(path, temporary)``
    already written that way (the ledger, streamed while the reports were read). Every target is
    checked before any is replaced, each old file is kept aside under a second name until all are
    in place, and a replace that fails still puts back the ones already made. ``private`` files
    (caches holding restored personal data) are 0600 in 0700 folders."""
    ready: list[tuple[Path, Path]] = [(Path(tmp), Path(path)) for path, tmp in staged]
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            written.append((_write_temp(Path(path), data, private), Path(path)))
        for _, path in [*written, *ready]:
            _check_target(path)
        _replace_all([*written, *ready])
    finally:
        for tmp, _ in [*written, *ready]:
            tmp.unlink(missing_ok=True)


def _check_target(path: Path) -> None:
    """A target os.replace would refuse (a folder of that name) stops the set before any rename."""
    if path.is_dir():
        raise OutputError(msg("output.target_is_folder", path=path), hint=msg("output.target_is_folder.hint"))


def _replace_all(temps: Sequence[tuple[Path, Path]]) -> None:
    """Rename every temporary over its target; on a failure, restore the targets already replaced."""
    aside: dict[Path, Path | None] = {}
    done: list[Path] = []
    current = temps[0][1] if temps else Path()
    try:
        for _, current in temps:
            aside[current] = keep_aside(current)
        for tmp, current in temps:
            os.replace(tmp, current)
            done.append(current)
    except OSError as exc:
        for path in reversed(done):
            _restore(path, aside.get(path))
        raise OutputError(msg("output.cannot_write", path=current, reason=os_reason(exc))) from exc
    finally:
        for old in aside.values():
            if old is not None:
                old.unlink(missing_ok=True)


def _restore(path: Path, old: Path | None) -> None:
    """Put the file kept aside back at ``path`` (or remove ``path`` where there was none)."""
    try:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            os.replace(old, path)
    except OSError:  # nothing better to do: the error that started this is what the user sees
        import logging  # only here: every command reads through this module, few ever restore

        logging.getLogger(__name__).warning("cannot restore %s", path, exc_info=True)


def _write_temp(path: Path, data: bytes, private: bool = False) -> Path:
    try:
        return write_temp(path, data, private)
    except OSError as exc:
        refuse_file_parent(path)  # a file where a folder should be: say so, not "File exists"
        raise OutputError(msg("output.cannot_write", path=path, reason=os_reason(exc))) from exc


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    write_set([(Path(path), data)], private=private)


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), private=private)
