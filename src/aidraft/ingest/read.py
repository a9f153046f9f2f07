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
import re
import shlex
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from aidraft.errors import InputError, UnsupportedFormatError
from aidraft.text import HAN

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

_TO_DOCX = "save it as .docx in Word/WPS"
UNSUPPORTED: dict[str, str] = {
    ".doc": "a Word 97-2003 .doc file",
    ".wps": "a WPS .wps file",
    ".pdf": "a PDF file",
    ".rtf": "an RTF file",
    ".odt": "an OpenDocument .odt file",
    ".xls": "an Excel file",
    ".xlsx": "an Excel file",
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


def read_text(path: Path) -> str:
    """Read a report file and return its normalised text (BOM stripped, newlines ``\\n``)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file", hint="check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a report file", hint="give one .txt, .md or .docx file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(str(path), size)
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    return read_bytes_text(data, str(path))


def read_bytes_text(data: bytes, name: str) -> str:
    """Decode an uploaded or already-read file; ``name`` supplies the extension and error wording."""
    suffix = Path(name).suffix.lower()
    if suffix in UNSUPPORTED:
        raise _unsupported(name, UNSUPPORTED[suffix])
    if len(data) > MAX_BYTES:
        raise _too_big(name, len(data))
    if not data.strip():
        raise InputError(f"{name} is empty", hint="the file has no text")
    if suffix in DOCX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        return check_limits(_read_docx(data, name), name)
    sniffed = _sniff_binary(data)
    if sniffed is not None:
        raise _unsupported(name, sniffed)
    if len(data) > 4 * MAX_TEXT_CHARS:  # no encoding spends more than 4 bytes a character
        raise _too_long(name, len(data) // 4)
    text = normalise(decode_bytes(data, name))
    if not text.strip():
        raise InputError(f"{name} is empty", hint="the file has only whitespace")
    return check_limits(text, name)


def check_limits(text: str, name: str) -> str:
    """Refuse text longer than MAX_TEXT_CHARS or with a line longer than MAX_LINE_CHARS: no real
    report is either, and the figure, lint and digest passes work a line (or a sentence) at a time."""
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(name, len(text))
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(f"{name} line {number} has {len(line):,} characters; aidraft reads lines of at most "
                             f"{MAX_LINE_CHARS:,}", hint="a report's paragraphs are far shorter: check the file "
                                                        "(one paragraph per line)")
    return text


def _too_big(name: str, size: int) -> InputError:
    return InputError(f"{name} is {size / (1024 * 1024):.1f} MB; aidraft reads files of at most "
                      f"{MAX_BYTES // (1024 * 1024)} MB", hint="a report is far smaller: check that this is the right file")


def _too_long(name: str, chars: int) -> InputError:
    return InputError(f"{name} has {chars:,} characters or more; aidraft reads at most {MAX_TEXT_CHARS:,}",
                      hint="a report is far shorter: check that this is the right file")


def normalise(text: str) -> str:
    """Strip a leading BOM and turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CJK_RUN = re.compile(f"[{HAN}]{{2}}")


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
            raise InputError(f"{name} mixes two encodings: UTF-8 (line {utf8_line}) and GBK (line {other_line})",
                             hint="open it in an editor and save it once as UTF-8")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode text bytes by BOM, strict UTF-8, clean GB18030, then charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}",
                                 hint="re-save it as UTF-8") from exc
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


def _read_docx(data: bytes, name: str) -> str:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise InputError(f"{name} is password protected",
                             hint="open it in Word/WPS, remove the password and save it again as .docx")
        raise InputError(f"{name} is password protected or is an old .doc renamed to .docx",
                         hint="open it in Word/WPS, remove any password and save it as .docx")
    if not data.startswith(_ZIP_MAGIC):
        raise InputError(f"{name} is not a valid .docx (not a zip package)", hint=_convert_hint(name))
    from aidraft.ingest.docx_text import docx_bytes_text

    check_package(data, name)
    text = normalise(docx_bytes_text(data, name))
    if not text.strip():
        raise InputError(f"{name} has no text", hint="the document body is empty")
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
        raise InputError(f"{name} is not a valid .docx (damaged zip package)", hint=_CONVERT_AGAIN) from exc
    too_big = next((i for i in infos if i.file_size > max_member), None)
    if too_big is not None or len(infos) > max_members or sum(i.file_size for i in infos) > max_total:
        raise InputError(f"{name} unpacks to more than {max_total // (1024 * 1024)} MB "
                         f"(or one part to more than {max_member // (1024 * 1024)} MB)",
                         hint="a report is far smaller; check the file")


_CONVERT_AGAIN = "open it in Word/WPS and save it again as .docx"


def _sniff_binary(data: bytes) -> str | None:
    """Name a known non-text format from its magic bytes, whatever the extension says."""
    head = data[:8]
    if head.startswith(_OLE_MAGIC):
        return "a Word 97-2003 .doc or WPS .wps file"
    if head.startswith(b"%PDF"):
        return "a PDF file"
    if head.startswith(b"{\\rtf"):
        return "an RTF file"
    return None


def _unsupported(name: str, what: str) -> UnsupportedFormatError:
    if what == "a PDF file":
        hint = "open it in Word/WPS and save as .docx, or copy its text into a .txt file"
    else:
        hint = _convert_hint(name)
    return UnsupportedFormatError(f"{name} is {what}; aidraft reads .txt, .md and .docx", hint=hint)


def _convert_hint(name: str) -> str:
    return f"{_TO_DOCX}, or run: libreoffice --headless --convert-to docx {shlex.quote(name)}"


def _binary(name: str) -> InputError:
    return InputError(f"{name} is not a text file (binary data or an unknown encoding)",
                      hint="give a .txt saved as UTF-8 or GBK, or a .docx")


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
