"""Secrets out of every message: API keys never reach a terminal, a log, a page or a file.

Settings registers every key it holds (flags, AIDRAFT_API_KEY, the providers' own variables) the
moment it reads them; :func:`redact` replaces each registered value, and anything shaped like a
credential (``Bearer …``, ``sk-…``, ``api_key=…``), with ``***``. The one-line error, the
``--debug`` traceback and the web page's failure line all pass through it, so a provider's 401
body that echoes the key is harmless wherever it surfaces.
"""

from __future__ import annotations

import re
import threading

from aidraft.text import on_first_use

MASK = "***"
_MIN_SECRET = 6  # shorter "keys" ("EMPTY", "x") are placeholders, and would blank ordinary words
_SHAPES = on_first_use(
    r"(?i)(?P<lead>\bbearer\s+|\b(?:api[_-]?key|access[_-]?token|authorization|x-api-key)\b[\"']?\s*[:=]\s*[\"']?)"
    r"(?P<secret>[A-Za-z0-9._~+/=-]{6,})"
    r"|(?P<bare>\bsk-[A-Za-z0-9_-]{8,})"
)

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember ``value`` so every later message has it replaced."""
    if value and len(value.strip()) >= _MIN_SECRET:
        with _lock:
            _secrets.add(value.strip())


def redact(text: str) -> str:
    """``text`` with every registered secret and credential-shaped token replaced by ``***``."""
    if not text:
        return text
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return _SHAPES.sub(_mask_shape, text)


def _mask_shape(m: re.Match[str]) -> str:
    if m.group("bare"):
        return MASK
    return f"{m.group('lead')}{MASK}"


__all__ = ["MASK", "redact", "register_secret"]
