"""Parsed genre files kept beside the bytecode, as Python keeps .pyc files.

Every command reads a few genre files at start-up, and for a small job parsing them was a tenth of
its time: PyYAML's import and its object construction, not the reading. So the plain data of a
bundled file is also written with ``marshal`` to the folder where Python keeps this package's
bytecode (``__pycache__``, or under ``PYTHONPYCACHEPREFIX``), named by a hash of the file's bytes:
an edited file has a new hash and is parsed again, so the cache can never serve stale data. As
with bytecode, a folder that cannot be written to (a read-only install) or ``sys.dont_write_bytecode``
only means the file is parsed each time; an unreadable or damaged cache file is parsed over.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import sys
from collections.abc import Callable
from pathlib import Path

from aidraft import atomic

SUFFIX = ".marshal"


def cache_file(source: Path, data: bytes) -> Path | None:
    """Where the parsed form of ``source`` (whose bytes are ``data``) is kept; None where Python
    keeps no bytecode (no cache tag)."""
    if sys.implementation.cache_tag is None:
        return None
    beside_bytecode = Path(importlib.util.cache_from_source(str(source.with_suffix(".py"))))
    digest = hashlib.blake2b(data, digest_size=10).hexdigest()
    return beside_bytecode.with_name(f"{source.name}.{sys.implementation.cache_tag}.{digest}{SUFFIX}")


def load(source: Path, data: bytes, parse: Callable[[str], object]) -> object:
    """``parse(text)`` of ``source``, from the cache when it holds this version of the file."""
    target = cache_file(source, data)
    if target is not None:
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            return marshal.loads(target.read_bytes())
    value = parse(data.decode("utf-8"))
    if target is not None and not sys.dont_write_bytecode:
        _store(target, source.name, value)
    return value


def _store(target: Path, name: str, value: object) -> None:
    """Write atomically (a concurrent reader sees the old file or the new one, never half of one)
    and drop the versions of ``name`` this one replaces. Data marshal cannot hold (a YAML date)
    and folders that refuse writes are left uncached."""
    try:
        blob = marshal.dumps(value)
    except ValueError:
        return
    try:
        atomic.replace(target, blob)
    except OSError:
        return
    for old in target.parent.glob(f"{name}.*{SUFFIX}"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
