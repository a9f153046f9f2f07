"""Regular expressions compiled once per install, not at every start.

Python keeps bytecode between runs but not compiled regular expressions, and its pattern compiler
is written in Python: the hundred-odd patterns a ``check`` needs (the fixed-phrase alternation,
heading numbers, notes cues) cost a fifth of a small job at every start. ``compile`` keeps what
that compiler produces, the SRE code, beside the bytecode (``pycache.py``), and on later runs
builds the pattern from it with the same C constructor ``re.compile`` ends in. So a kept pattern
is the object ``re.compile`` gives: the same code, flags and groups (a test compares every pattern
the package compiles).

SRE code is only valid for the interpreter that made it, so the file is named by Python's full
version and the SRE engine's magic number. Anything unexpected (another implementation, a
changed compiler internal, a damaged entry) falls back to ``re.compile``.

This is for patterns fixed by the package and its data files, which is every pattern aidraft
compiles today. A pattern built from a user's input should go to ``re.compile``, so that the file
does not grow with every input (it is capped in any case).
"""

from __future__ import annotations

import atexit
import re
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path

from aidraft import pycache

try:  # the pattern compiler's internals, as re.compile uses them (3.11+, then 3.10's names)
    import _sre
    from re import _compiler as _sre_compiler
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - Python 3.10, or an implementation without _sre
    try:
        import _sre
        import sre_compile as _sre_compiler
        import sre_parse as _sre_parser
    except ImportError:
        _sre = None

NAME = "regexes"
#: Beyond this many kept patterns, a run keeps only the ones it used (edited patterns pile up).
MAX_KEPT = 2048

Key = tuple[str, int]
#: What ``_sre.compile`` takes after the pattern: flags, code, last group, group index, group names;
#: the code kept as bytes of unsigned ints, which marshal reads back as one block (as a list, the
#: hundred thousand numbers of every kept pattern cost a small command a twentieth of its start).
Parts = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
CODE_ITEM = "I"  # the array type the code is kept as (SRE code words are 32-bit)

_kept: dict[Key, Parts] | None = None
_used: dict[Key, re.Pattern[str]] = {}  # this process's patterns, each built once
_save_registered = False


def longest_first(word: str) -> tuple[int, str]:
    """Sort key for alternatives: longer first, so a word never loses to its own prefix; ties in
    code-point order, so a pattern built from a set is the same in every process (and is kept
    under one key)."""
    return -len(word), word


def alternation(words: Iterable[str]) -> str:
    """The literal ``words`` as one alternation, each once, longest first."""
    return "|".join(map(re.escape, sorted(set(words), key=longest_first)))


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the kept code when this install has compiled it before."""
    key = (pattern, int(flags))
    built = _used.get(key)
    if built is None:
        built = _from_kept(key) or _compile_and_keep(key)
        _used[key] = built
    return built


def _from_kept(key: Key) -> re.Pattern[str] | None:
    parts = _load().get(key)
    if parts is None:
        return None
    try:
        return _build(key[0], parts)
    except Exception:  # noqa: BLE001 - a damaged entry is compiled afresh
        return None


def _build(pattern: str, parts: Parts) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = parts
    return _sre.compile(pattern, flags, array(CODE_ITEM, code).tolist(), groups, groupindex, indexgroup)  # type: ignore[no-any-return]


def _compile_and_keep(key: Key) -> re.Pattern[str]:
    if _sre is None:
        return re.compile(*key)
    try:
        parts = _compile_parts(*key)
        built = _build(key[0], parts)
    except Exception:  # noqa: BLE001 - a changed internal, or a bad pattern (re.compile raises re.error)
        return re.compile(*key)
    _load()[key] = parts
    _register_save()
    return built  # type: ignore[no-any-return]


def _compile_parts(pattern: str, flags: int) -> Parts:
    """What ``re._compiler.compile`` passes to ``_sre.compile``, in plain values for marshal (the
    compiler's opcodes are an int subclass; the code goes as bytes, see Parts)."""
    parsed = _sre_parser.parse(pattern, flags)
    code = array(CODE_ITEM, [int(op) for op in _sre_compiler._code(parsed, flags)]).tobytes()
    groupindex = {str(name): int(index) for name, index in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def kept_file() -> Path | None:
    """The file this interpreter's kept patterns live in."""
    if _sre is None:
        return None
    version = f"{sys.version}|{sys.hexversion}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}|code as {CODE_ITEM} bytes"
    return pycache.path(Path(__file__), NAME, version.encode())


def _load() -> dict[Key, Parts]:
    global _kept
    if _kept is None:
        target = kept_file()  # None without _sre
        on_disk = pycache.read(target) if target is not None else None
        _kept = on_disk if isinstance(on_disk, dict) else {}
    return _kept


def _register_save() -> None:
    global _save_registered
    if not _save_registered:
        _save_registered = True
        atexit.register(save)


def save() -> None:
    """Write the kept patterns, merged with what another process may have written meanwhile.
    Runs at exit after a run that compiled something new."""
    target = kept_file()
    if target is None or _kept is None:
        return
    on_disk = pycache.read(target)
    merged = {**on_disk, **_kept} if isinstance(on_disk, dict) else dict(_kept)
    if len(merged) > MAX_KEPT:
        merged = {key: parts for key, parts in merged.items() if key in _used}
    pycache.write(target, NAME, merged)

