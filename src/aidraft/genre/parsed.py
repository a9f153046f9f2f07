"""Parsed genre files kept beside the bytecode (``pycache.py``).

Every command reads a few genre files at start-up, and for a small job parsing them was a tenth of
its time: PyYAML's import and its object construction, not the reading. So the plain data of a
bundled file is kept, named by a hash of the file's bytes: an edited file has a new hash and is
parsed again, so the cache can never serve stale data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aidraft import pycache

SUFFIX = pycache.SUFFIX


def cache_file(source: Path, data: bytes) -> Path | None:
    """Where the parsed form of ``source`` (whose bytes are ``data``) is kept."""
    return pycache.path(source.with_suffix(".py"), source.name, data)


def load(source: Path, data: bytes, parse: Callable[[str], object]) -> object:
    """``parse(text)`` of ``source``, from the cache when it holds this version of the file."""
    target = cache_file(source, data)
    if target is not None:
        kept = pycache.read(target)
        if kept is not None:
            return kept
    value = parse(data.decode("utf-8"))
    if target is not None:
        pycache.write(target, source.name, value)
    return value
