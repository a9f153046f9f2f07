"""One exception root, so the CLI can print one clean line for anything we raise on purpose.

Each error carries a ``hint``: what the user should do next. The message names the cause;
the hint names the fix (the pattern simonw/llm uses for missing keys).
"""

from __future__ import annotations


class AidraftError(Exception):
    """Root of every error aidraft raises deliberately."""

    exit_code: int = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and hint on one line, with any secret replaced (aidraft.redact)."""
        from aidraft.redact import redact

        text = self.message if not self.hint else f"{self.message} ({self.hint})"
        return redact(" ".join(text.split()))


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
