"""Turn a report file (.txt, .md, .docx) into the one normalised text every offset refers to.

Offices save reports from Notepad, WPS and web pages, so the bytes arrive as UTF-8 (with or
without BOM), GBK/GB18030 or UTF-16. Decoding order, most certain first:

1. a BOM (UTF-8, UTF-16 LE/BE, UTF-32) decides;
2. strict UTF-8: GBK bytes of real Chinese prose almost never form valid UTF-8 (its lead and
   continuation byte ranges clash with GBK's full-width punctuation), so success is trusted;
3. GB18030 (a superset of GBK and GB2312), when it decodes cleanly *and* the result looks like
   text rather than a pile of rare characters;
4. charset-normalizer, only as a last resort (e.g. Big5), and only when its guess is mostly Han
   characters: on junk it happily proposes some single-byte code page.

Files we recognise but do not read (.doc, .wps, .pdf, .rtf, password-protected .docx) fail with
one line that says how to convert them. The magic bytes are checked too, because a renamed
file's extension lies.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aidraft.errors import InputError, UnsupportedFormatError
from aidraft.files import os_reason
from aidraft.messages import Msg, msg
from aidraft.text import HAN, on_first_use

if TYPE_CHECKING:  # python-docx loads only for a .docx
    from aidraft.ingest.docx_text import OfficeProbe

MAX_BYTES = 20 * 1024 * 1024
#: A year's report is 5,000–40,000 characters and its notes fewer; these caps sit far above any
#: real input and keep every command's time and memory bounded whatever a file holds.
MAX_TEXT_CHARS = 100_000
MAX_LINE_CHARS = 3_000
#: A .docx is a zip: what its members may inflate to (a zip bomb declares far more).
MAX_DOCX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_DOCX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000
DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx"})

#: Formats we recognise but do not read, by extension: the kind names the message
#: (``read.unsupported.<kind>`` in the catalogue).
UNSUPPORTED: dict[str, str] = {
    ".doc": "doc",
    ".wps": "wps",
    ".pdf": "pdf",
    ".rtf": "rtf",
    ".odt": "odt",
    ".xls": "excel",
    ".xlsx": "excel",
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class NamedText(BaseModel):
    """A source text and the name it is reported under."""

    model_config = ConfigDict(extra="forbid")

    path: str
    text: str


def read_text(path: Path, office_probe: OfficeProbe | None = None) -> str:
    """Read a report file and return its normalised text (BOM stripped, newlines ``\\n``)."""
    path = Path(path)
    if not path.exists():
        raise InputError(msg("read.missing", name=path), hint=msg("read.missing.hint"))
    if path.is_dir():
        raise InputError(msg("read.is_dir", name=path), hint=msg("read.is_dir.hint"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(str(path), size)
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(msg("read.permission", name=path)) from exc
    except OSError as exc:
        raise InputError(msg("read.cannot_read", name=path, reason=os_reason(exc))) from exc
    return read_bytes_text(data, str(path), office_probe)


def read_bytes_text(data: bytes, name: str, office_probe: OfficeProbe | None = None) -> str:
    """Decode an uploaded or already-read file; ``name`` supplies the extension and error wording.
    ``office_probe`` (the parser's "does this text name its office?") lets a .docx page header
    stand in for an office the body does not name."""
    suffix = Path(name).suffix.lower()
    if suffix in UNSUPPORTED:
        raise _unsupported(name, UNSUPPORTED[suffix])
    if len(data) > MAX_BYTES:
        raise _too_big(name, len(data))
    if not data.strip():
        raise InputError(msg("read.empty", name=name), hint=msg("read.empty.hint"))
    if suffix in DOCX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        return check_limits(_read_docx(data, name, office_probe), name)
    sniffed = _sniff_binary(data)
    if sniffed is not None:
        raise _unsupported(name, sniffed)
    if len(data) > 4 * MAX_TEXT_CHARS:  # no encoding spends more than 4 bytes a character
        raise _too_long(name, len(data) // 4)
    text = normalise(decode_bytes(data, name))
    if not text.strip():
        raise InputError(msg("read.empty", name=name), hint=msg("read.blank.hint"))
    return check_limits(text, name)


def check_limits(text: str, name: str) -> str:
    """Refuse text longer than MAX_TEXT_CHARS or with a line longer than MAX_LINE_CHARS: no real
    report is either, and the figure, lint and digest passes work a line (or a sentence) at a time."""
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(name, len(text))
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(msg("read.long_line", name=name, line=number, chars=f"{len(line):,}",
                                 limit=f"{MAX_LINE_CHARS:,}"), hint=msg("read.long_line.hint"))
    return text


def _too_big(name: str, size: int) -> InputError:
    return InputError(msg("read.too_big", name=name, size=f"{size / (1024 * 1024):.1f}",
                          limit=MAX_BYTES // (1024 * 1024)), hint=msg("read.too_big.hint"))


def _too_long(name: str, chars: int) -> InputError:
    return InputError(msg("read.too_long", name=name, chars=f"{chars:,}", limit=f"{MAX_TEXT_CHARS:,}"),
                      hint=msg("read.too_long.hint"))


def normalise(text: str) -> str:
    """Strip a leading BOM and turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CJK_RUN = on_first_use(f"[{HAN}]{{2}}")


def _refuse_mixed(data: bytes, name: str) -> None:
    """A file that is not UTF-8 as a whole but has lines of real UTF-8 Chinese was pasted together
    from two encodings; any single decoding garbles part of it, so say so instead of guessing."""
    utf8_line = other_line = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            if _CJK_RUN.search(raw.decode("utf-8")):
                utf8_line = utf8_line or number
        except UnicodeDecodeError:
            other_line = other_line or number
        if utf8_line and other_line:
            raise InputError(msg("read.mixed_encodings", name=name, utf8_line=utf8_line, other_line=other_line),
                             hint=msg("read.mixed_encodings.hint"))


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode text bytes by BOM, strict UTF-8, clean GB18030, then charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(msg("read.bad_bom", name=name, encoding=encoding),
                                 hint=msg("read.bad_bom.hint")) from exc
    if b"\x00" in data:
        guessed = _bomless_utf16(data)
        if guessed is not None:
            return guessed
        raise _binary(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8":
                _refuse_mixed(data, name)
            continue
        if _looks_like_text(text):
            return text
    text = _charset_normalizer(data)
    if text is not None:
        return text
    raise _binary(name)


def _read_docx(data: bytes, name: str, office_probe: OfficeProbe | None = None) -> str:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise InputError(msg("read.encrypted", name=name), hint=msg("read.encrypted.hint"))
        raise InputError(msg("read.encrypted_or_doc", name=name), hint=msg("read.encrypted_or_doc.hint"))
    if not data.startswith(_ZIP_MAGIC):
        raise InputError(msg("read.not_zip", name=name), hint=_convert_hint(name))
    from aidraft.ingest.docx_text import docx_bytes_text

    check_package(data, name)
    text = normalise(docx_bytes_text(data, name, office_probe))
    if not text.strip():
        raise InputError(msg("read.no_docx_text", name=name), hint=msg("read.no_docx_text.hint"))
    return text


def check_package(data: bytes, name: str, *, max_member: int = MAX_DOCX_MEMBER_BYTES,
                  max_total: int = MAX_DOCX_TOTAL_BYTES, max_members: int = MAX_DOCX_MEMBERS) -> None:
    """Refuse a zip package (.docx) whose members would inflate past the budgets (a zip bomb),
    or one the zip reader cannot list, before anything inflates it. zipfile stops each member at
    its declared size, so the declared sizes bound what reading it can return."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(msg("read.damaged_docx", name=name), hint=msg("read.save_again.hint")) from exc
    too_big = next((i for i in infos if i.file_size > max_member), None)
    if too_big is not None or len(infos) > max_members or sum(i.file_size for i in infos) > max_total:
        raise InputError(msg("read.docx_bomb", name=name, total=max_total // (1024 * 1024),
                             member=max_member // (1024 * 1024)), hint=msg("read.docx_bomb.hint"))


def _sniff_binary(data: bytes) -> str | None:
    """Name a known non-text format (its kind) from its magic bytes, whatever the extension says."""
    head = data[:8]
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return None


def _unsupported(name: str, kind: str) -> UnsupportedFormatError:
    hint = msg("read.pdf.hint") if kind == "pdf" else _convert_hint(name)
    return UnsupportedFormatError(msg(f"read.unsupported.{kind}", name=name), hint=hint)


def _convert_hint(name: str) -> Msg:
    import shlex  # only for a file that cannot be read

    return msg("read.convert.hint", command=f"libreoffice --headless --convert-to docx {shlex.quote(name)}")


def _binary(name: str) -> InputError:
    return InputError(msg("read.binary", name=name), hint=msg("read.binary.hint"))


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes sit almost only at odd (LE) or even (BE) positions."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd > 4 * even and odd:
        encoding = "utf-16-le"
    elif even > 4 * odd and even:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_text(text) else None


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    # a report is Chinese: a guess without Han characters (cp1125 "Cyrillic" for junk) is wrong
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    han = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return text if _looks_like_text(text) and letters and han >= 0.6 * len(letters) else None


def _looks_like_text(text: str) -> bool:
    """Reject decodings full of control characters or unassigned/private/rare code points."""
    if not text:
        return True
    bad = 0
    for ch in text:
        if ch in "\n\r\t\f\v\ufeff":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cn", "Co", "Cs") or ord(ch) > 0xFFFF:
            bad += 1
    return bad <= max(2, len(text) // 100)
