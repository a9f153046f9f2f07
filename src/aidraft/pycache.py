"""Derived data kept beside this package's bytecode, as Python keeps .pyc files.

Some things every command rebuilds at start-up cost more than reading them back: the parsed
genre files (``genre/parsed.py``) and the compiled regular expressions (``regexes.py``). Their
files live in the folder where Python keeps the package's bytecode (``__pycache__``, or under
``PYTHONPYCACHEPREFIX``), written with ``marshal`` and named by a hash of what they were derived
from, so changed input gets a new file and stale data is never served. As with bytecode, a
folder that refuses writes (a read-only install) or ``sys.dont_write_bytecode`` only means
rebuilding each time, and an unreadable or damaged file reads as absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import sys
from pathlib import Path

from aidraft import atomic

SUFFIX = ".marshal"


def path(beside: Path, name: str, key: bytes) -> Path | None:
    """Where data called ``name``, derived from ``key``, is kept beside the bytecode of the
    module file ``beside``; None where Python keeps no bytecode (no cache tag)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    pyc = Path(importlib.util.cache_from_source(str(beside)))
    digest = hashlib.blake2b(key, digest_size=10).hexdigest()
    return pyc.with_name(f"{name}.{tag}.{digest}{SUFFIX}")


def read(target: Path) -> object | None:
    """What ``target`` holds; None when it is missing, unreadable or damaged."""
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        return marshal.loads(target.read_bytes())
    return None


def write(target: Path, name: str, value: object) -> None:
    """Keep ``value`` at ``target`` unless bytecode is not being written; drop the other versions
    of ``name`` this interpreter kept, which it replaces. Written atomically (a concurrent reader sees the old file or the new
    one, never half of one). Data marshal cannot hold and folders that refuse writes are left
    unkept."""
    if sys.dont_write_bytecode:
        return
    try:
        blob = marshal.dumps(value)
    except ValueError:
        return
    try:
        atomic.replace(target, blob)
    except OSError:
        return
    tag = sys.implementation.cache_tag  # another interpreter's files beside these are its own
    for old in target.parent.glob(f"{name}.{tag}.*{SUFFIX}"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
