"""One exception root, so the CLI can print one clean line for anything we raise on purpose.

Each error carries a ``hint``: what the user should do next. The message names the cause;
the hint names the fix (the pattern simonw/llm uses for missing keys).
"""

from __future__ import annotations

from typing import Protocol


class Msg(Protocol):
    """A catalogue message not yet rendered (aidraft.messages.Msg). Described here, not imported,
    so that the exception root depends on nothing: the catalogue itself raises these errors."""

    key: str

    def render(self, lang: str | None = None) -> str: ...

    def in_chinese(self, lang: str | None = None) -> bool: ...


def _render(part: str | Msg | None, lang: str | None) -> str | None:
    if part is None or isinstance(part, str):
        return part
    return part.render(lang)


class AidraftError(Exception):
    """Root of every error aidraft raises deliberately.

    ``message`` and ``hint`` are plain text or a catalogue :class:`~aidraft.messages.Msg`; the
    latter is rendered in the language of whoever shows it (``one_line("zh")`` on the web page).
    """

    exit_code: int = 2

    def __init__(self, message: str | Msg, *, hint: str | Msg | None = None) -> None:
        super().__init__(message if isinstance(message, str) else message.key)
        self._message = message
        self._hint = hint

    @property
    def message(self) -> str:
        return _render(self._message, None) or ""

    @property
    def hint(self) -> str | None:
        return _render(self._hint, None)

    def __str__(self) -> str:
        return self.message

    def one_line(self, lang: str | None = None) -> str:
        message, hint = _render(self._message, lang), _render(self._hint, lang)
        chinese = not isinstance(self._message, str) and self._message.in_chinese(lang)
        text = message if not hint else f"{message}（{hint}）" if chinese else f"{message} ({hint})"
        from aidraft.redact import redact  # every message, whatever its source: no key in clear

        return redact(" ".join((text or "").split()))


class InputError(AidraftError):
    """A file the user gave us cannot be read or makes no sense as input."""


class UnsupportedFormatError(InputError):
    """A file format we recognise but do not read (.doc, .wps, .pdf …)."""


class DataError(AidraftError):
    """A bundled data file (genre lexicon, prompt) is missing or malformed: a packaging bug."""


class ConfigError(AidraftError):
    """Settings are missing or inconsistent (no API key for a cloud endpoint, bad preset …)."""


class ModelError(AidraftError):
    """The model endpoint failed in a way retries could not fix."""


class OutputError(AidraftError):
    """An output file cannot be written."""
