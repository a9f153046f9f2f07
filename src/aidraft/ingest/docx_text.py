"""A .docx as plain text: one line per non-empty paragraph, in body order, tables included.

python-docx opens and validates the package; the body is then walked in its XML directly,
because ``Paragraph.text`` misses what clerks' files really contain: runs inside tracked
insertions (``w:ins``), paragraphs inside content controls (``w:sdt``) of templates, and
table cells inside those. Deleted text and field codes are left out. Table cells are read where
they stand; a merged cell is one ``w:tc``, so it is read once.

Numbers produced by Word's automatic list numbering live in numbering.xml, not in the text,
and cannot be recovered in general; the text is kept as written and the parser works with
whatever numbering is typed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from aidraft.errors import InputError
from aidraft.messages import msg

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
# block-level wrappers whose children are paragraphs/tables/rows/cells again
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"})
# inside a paragraph: not its visible text (pPr holds tab-stop definitions, also named w:tab)
_HIDDEN = frozenset({f"{_W}pPr", f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_W}instrText"})
_TEXT_TAGS = (f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr")


def docx_text(path: Path) -> str:
    """Text of the .docx at ``path``, one line per non-empty paragraph."""
    return docx_bytes_text(Path(path).read_bytes(), str(path))


def docx_bytes_text(data: bytes, name: str = "document.docx") -> str:
    """Text of a .docx given as bytes; ``name`` is used in error messages only."""
    try:
        document = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise InputError(msg("read.damaged_docx", name=name), hint=msg("read.save_again.hint")) from exc
    except ValueError as exc:  # a zip that is not a Word document, e.g. a renamed .xlsx
        raise InputError(msg("read.not_word", name=name, reason=exc), hint=msg("read.save_again.hint")) from exc
    except Exception as exc:  # lxml errors on corrupt XML parts
        raise InputError(msg("read.unreadable_docx", name=name, reason=type(exc).__name__),
                         hint=msg("read.save_again.hint")) from exc
    lines = [line for p in _paragraphs(document.element.body) for line in _lines(p)]
    return "\n".join(lines) + ("\n" if lines else "")


def _paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """Every w:p of a body or cell in reading order, descending into tables and wrappers."""
    for child in container:
        tag = child.tag
        if tag == _P:
            yield child
        elif tag in (_TBL, _TR, _TC) or tag in _WRAPPERS:
            yield from _paragraphs(child)


def _lines(paragraph: etree._Element) -> Iterator[str]:
    """The visible text of one paragraph; a soft line break starts a new line."""
    parts: list[str] = []
    for element in paragraph.iter(*_TEXT_TAGS):
        if _hidden(element, paragraph):
            continue
        if element.tag == f"{_W}t":
            parts.append(element.text or "")
        elif element.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    for piece in "".join(parts).split("\n"):
        piece = piece.strip()
        if piece:
            yield piece


def _hidden(element: etree._Element, paragraph: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag in _HIDDEN or ancestor.tag == _P:  # deleted, a text box, or a nested paragraph
            return True
    return False
