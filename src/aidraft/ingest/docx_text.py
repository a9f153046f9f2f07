"""A .docx as plain text: one line per non-empty paragraph, in body order, tables included.

python-docx opens and validates the package; the body is then walked in its XML directly,
because ``Paragraph.text`` misses what clerks' files really contain: runs inside tracked
insertions (``w:ins``), paragraphs inside content controls (``w:sdt``) of templates, and
table cells inside those. Deleted text and field codes are left out. A merged cell is one
``w:tc``, so it is read once.

A table row of short one-line cells (a data table: 指标 | 2025年 | 2024年) is one line with its
cells split by `` | ``, the text-table form the figure checker reads (a bare 1500 in a cell takes
its unit from the row label or the column header). A row whose cells hold paragraphs of prose, a
one-cell layout table or a nested table is read paragraph by paragraph, as body text.

Numbers produced by Word's automatic list numbering live in numbering.xml, not in the text,
and cannot be recovered in general; the text is kept as written and the parser works with
whatever numbering is typed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
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
CELL_SEPARATOR = " | "
MAX_CELL = 60  # characters: a longer cell is prose, and its row is read as paragraphs


def docx_text(path: Path) -> str:
    """Text of the .docx at ``path``, one line per non-empty paragraph."""
    return docx_bytes_text(Path(path).read_bytes(), str(path))


def docx_bytes_text(data: bytes, name: str = "document.docx") -> str:
    """Text of a .docx given as bytes; ``name`` is used in error messages only.

    Opening and walking the body are one step to the user: whatever python-docx or lxml raises on
    a damaged package (bad XML, a missing or foreign part, a body of the wrong shape; the class
    varies with the damage and the library version) becomes one catalogue line, never a library
    class name or message."""
    try:
        document = open_docx(io.BytesIO(data))
        body = document.element.body
        if body is None:  # a w:document without a w:body: nothing a reader can show
            raise ValueError("no w:body")
        lines = [line_text(segments) for segments in visible_lines(body)]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise InputError(msg("read.damaged_docx", name=name), hint=msg("read.save_again.hint")) from exc
    except (RecursionError, MemoryError):  # the caller's own one-line handling applies
        raise
    except Exception as exc:  # any library failure on a damaged package is the same fact
        key = "read.not_word" if _foreign_package(exc) else "read.unreadable_docx"
        raise InputError(msg(key, name=name), hint=msg("read.save_again.hint")) from exc
    return "\n".join(lines) + ("\n" if lines else "")


def _foreign_package(exc: Exception) -> bool:
    """python-docx's refusal of a zip whose main part is not a Word document (a renamed .xlsx)."""
    return isinstance(exc, ValueError) and "content type" in str(exc)


@dataclass(frozen=True)
class Segment:
    """Part of one visible line: text of ``paragraph`` from character ``start`` of its visible text
    (a body line is one segment; a table row, one per cell)."""

    paragraph: etree._Element
    start: int
    text: str


def line_text(segments: list[Segment]) -> str:
    """A visible line as ``docx_text`` writes it: cells joined by CELL_SEPARATOR."""
    return CELL_SEPARATOR.join(s.text.replace("|", "｜") for s in segments)


def visible_lines(container: etree._Element) -> Iterator[list[Segment]]:
    """The lines of a body or cell in reading order: paragraphs, and table rows (see above).
    ``export/checked_docx.py`` maps a checked figure back to its run through the same lines."""
    for child in container:
        tag = child.tag
        if tag == _P:
            yield from ([segment] for segment in _paragraph_lines(child))
        elif tag == _TR:
            row = _row(child)
            if row is not None:
                yield row
            else:
                yield from visible_lines(child)
        elif tag in (_TBL, _TC) or tag in _WRAPPERS:
            yield from visible_lines(child)


def _row(row: etree._Element) -> list[Segment] | None:
    """A row of two or more short one-line cells, a segment per cell; None for any other row."""
    cells = [child for child in row if child.tag == _TC]
    if len(cells) < 2 or any(child.tag in _WRAPPERS for child in row):
        return None
    segments: list[Segment] = []
    for cell in cells:
        if cell.find(f".//{_TBL}") is not None:
            return None
        lines = list(visible_lines(cell))
        if len(lines) > 1 or (lines and len(lines[0][0].text) > MAX_CELL):
            return None
        if lines:
            segments.append(lines[0][0])
        else:
            first = cell.find(_P)
            if first is None:
                return None
            segments.append(Segment(first, 0, ""))
    return segments if any(s.text for s in segments) else None


def visible_text(paragraph: etree._Element) -> str:
    """A paragraph's visible characters: text, tabs, and line breaks as newlines."""
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
    return "".join(parts)


def _paragraph_lines(paragraph: etree._Element) -> Iterator[Segment]:
    """The non-empty lines of one paragraph (a soft line break starts a new one), stripped."""
    offset = 0
    for piece in visible_text(paragraph).split("\n"):
        stripped = piece.strip()
        if stripped:
            yield Segment(paragraph, offset + piece.index(stripped), stripped)
        offset += len(piece) + 1


def _hidden(element: etree._Element, paragraph: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag in _HIDDEN or ancestor.tag == _P:  # deleted, a text box, or a nested paragraph
            return True
    return False
