"""A .docx as plain text: what a person sees in Word, one line per paragraph, in reading order.

python-docx opens and validates the package; the body is then walked in its XML directly,
because ``Paragraph.text`` misses what clerks' files really contain and reads what Word hides.
The rule is "what Word shows with tracked changes accepted":

* runs inside insertions (``w:ins``) and content controls (``w:sdt``) are read; deleted or
  moved-away text, field codes, hidden runs (``w:vanish``/``w:specVanish``, directly or through
  the run's, the paragraph's or the default style) and tracked-deleted table rows are not;
* a paragraph whose mark is deleted or hidden runs on into the next paragraph, as Word shows it;
* a soft line break (``w:br``, ``w:cr``) inside a paragraph joins its two halves (a space only
  between two Latin letters or digits); page and column breaks are not text;
* automatic numbering (一、 （一） 1.) is written in front of its paragraph (docx_numbering.py);
* a text box is read once, as its own lines after the paragraph that anchors it: the
  ``mc:Choice`` form, the VML ``mc:Fallback`` only where there is no Choice;
* when the body names no office, the first section's page header is put above the title, since
  that is where some offices print their name (the parser then finds it as an office line).

A table row of short one-line cells (a data table: 指标 | 2025年 | 2024年) is one line with its
cells split by `` | ``, the text-table form the figure checker reads (a bare 1500 in a cell takes
its unit from the row label or the column header). A vertically merged cell repeats the label
above it there, and a horizontally merged cell is read once. A row whose cells hold paragraphs
of prose, a one-cell layout table or a nested table is read paragraph by paragraph.

``export/checked_docx.py`` maps a checked figure back to its run through the same reader, so a
line's characters and the runs they come from cannot drift apart.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from aidraft.errors import InputError
from aidraft.ingest.docx_numbering import Numbering, Styles, flag
from aidraft.ingest.docx_segments import (
    WRAPPERS,
    Piece,
    Segment,
    continues,
    glued,
    grid_cells,
    line_text,
    rows,
    table_row,
    word_char,
)
from aidraft.messages import msg

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.part import Part

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_P, _TBL, _TR, _TC, _R = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}r"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_TXBX, _FALLBACK, _CHOICE = f"{_W}txbxContent", f"{_MC}Fallback", f"{_MC}Choice"
_DELETED = frozenset({f"{_W}del", f"{_W}moveFrom"})
# inside a paragraph: not its own visible text (pPr holds tab-stop definitions, also named w:tab;
# a text box is read as lines of its own)
_NOT_TEXT = _DELETED | {f"{_W}pPr", _TXBX, f"{_W}instrText", f"{_W}delInstrText"}
_TEXT_TAGS = (_T, _TAB, _BR, _CR)
_PAGE_BREAKS = frozenset({"page", "column"})
_HEADER_PROBE = 30  # body lines read with the header to see whether it names the office


#: "Does this text name its office?": the parse layer's answer, given by a caller that reads a
#: report or notes for their office (ingest knows no parser); without one no header is read.
OfficeProbe = Callable[[str], bool]


def docx_text(path: Path, office_probe: OfficeProbe | None = None) -> str:
    """Text of the .docx at ``path``, one line per non-empty paragraph."""
    return docx_bytes_text(Path(path).read_bytes(), str(path), office_probe)


def docx_bytes_text(data: bytes, name: str = "document.docx", office_probe: OfficeProbe | None = None) -> str:
    """Text of a .docx given as bytes; ``name`` is used in error messages only.

    Opening and walking the body are one step to the user: whatever python-docx or lxml raises on
    a damaged package (bad XML, a missing or foreign part, a body of the wrong shape; the class
    varies with the damage and the library version) becomes one catalogue line, never a library
    class name or message."""
    try:
        document = open_docx(io.BytesIO(data))
        if document.element.body is None:  # a w:document without a w:body: nothing a reader can show
            raise ValueError("no w:body")
        lines = [line_text(segments) for segments in DocxReader(document).lines(office_probe)]
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


class DocxReader:
    """One document's reading: styles and numbering resolved once, then lines and runs on demand."""

    def __init__(self, document: Document) -> None:
        self.part: Part = document.part
        self.body: etree._Element = document.element.body
        self.styles = Styles(_part_root(self.part, RT.STYLES))
        self._style_hides: dict[tuple[str | None, str | None], bool] = {}
        numbering = Numbering(_part_root(self.part, RT.NUMBERING), self.styles)
        self.labels = numbering.labels(p for p in self.body.iter(_P) if self._counted(p))

    # --- lines ---------------------------------------------------------------------------------

    def lines(self, office_probe: OfficeProbe | None = None) -> list[list[Segment]]:
        """The document's lines: body, with the page header above it when only the header names
        the office (``office_probe`` says what names one; without it the header is not read)."""
        body = list(self.visible_lines(self.body))
        header = self.header_lines() if office_probe is not None else []
        return header + body if header and _header_names_office(header, body, office_probe) else body

    def visible_lines(self, container: etree._Element) -> Iterator[list[Segment]]:
        """The lines of a body, cell, text box or header in reading order."""
        pending: list[Segment] = []  # paragraphs whose mark is deleted or hidden, run on into the next
        boxes: list[etree._Element] = []
        for child in container:
            if child.tag == _P:
                label, text = self._paragraph(child)
                boxes.extend(self._boxes(child))
                if self._mark_gone(child):
                    pending.extend(s for s in (label, text) if s is not None)
                    continue
                line = glued([s for s in (label, *pending, text) if s is not None])
            elif pending or boxes:
                line = glued(pending)
            else:
                line = []
            if line:
                yield line
            for box in boxes:
                yield from self.visible_lines(box)
            pending, boxes = [], []
            if child.tag == _TBL:
                yield from self._table(child)
            elif child.tag == _TC or child.tag in WRAPPERS:
                yield from self.visible_lines(child)
        if pending:
            yield glued(pending)
        for box in boxes:
            yield from self.visible_lines(box)

    def _paragraph(self, paragraph: etree._Element) -> tuple[Segment | None, Segment | None]:
        """(its number label, its stripped text), each None where there is none."""
        text = "".join(piece.text for piece in self.pieces(paragraph))
        stripped = text.strip()
        if not stripped:
            return None, None
        label = self.labels.get(paragraph, "")
        start = len(label) + text.index(stripped)
        return (Segment(paragraph, 0, label) if label else None), Segment(paragraph, start, stripped)

    def _table(self, table: etree._Element) -> Iterator[list[Segment]]:
        above: dict[int, str] = {}  # grid column -> the one-line text of the last cell read there
        for row in rows(table):
            if row.find(f"{_W}trPr/{_W}del") is not None:
                continue  # a tracked-deleted row
            cells = grid_cells(row)
            cell_lines = [list(self.visible_lines(cell)) for _, cell in cells]
            segments = table_row(row, cells, cell_lines, above)
            if segments is not None:
                yield segments
            else:
                yield from self.visible_lines(row)
            for (column, cell), lines in zip(cells, cell_lines):
                if lines or not continues(cell):
                    above[column] = line_text(lines[0]) if len(lines) == 1 else ""

    def header_lines(self) -> list[list[Segment]]:
        """Lines of the first section's page header (its first-page header where it has one)."""
        section = _first_section(self.body)
        if section is None:
            return []
        refs = {ref.get(f"{_W}type", "default"): ref.get(_REL_ID)
                for ref in section.iterchildren(f"{_W}headerReference")}
        for kind in ("first", "default") if flag(section, "titlePg") else ("default",):
            rel = self.part.rels.get(refs.get(kind) or "")
            root = None if rel is None or rel.is_external else getattr(rel.target_part, "element", None)
            lines = list(self.visible_lines(root)) if root is not None else []
            if lines:
                return lines
        return []

    # --- characters ----------------------------------------------------------------------------

    def pieces(self, paragraph: etree._Element) -> list[Piece]:
        """The paragraph's shown text elements with their characters and positions, counted after
        its number label. A soft break shows nothing (a space between Latin words)."""
        shown: list[tuple[etree._Element, str | None]] = []
        for element in paragraph.iter(*_TEXT_TAGS):
            if not self._shown(element, paragraph):
                continue
            if element.tag == _T:
                shown.append((element, element.text or ""))
            elif element.tag == _TAB:
                shown.append((element, "\t"))
            elif element.get(f"{_W}type") in _PAGE_BREAKS:
                shown.append((element, ""))
            else:
                shown.append((element, None))
        pieces: list[Piece] = []
        pos = len(self.labels.get(paragraph, ""))
        for index, (element, text) in enumerate(shown):
            if text is None:
                before = next((t for _, t in reversed(shown[:index]) if t), "")
                after = next((t for _, t in shown[index + 1:] if t), "")
                text = " " if word_char(before[-1:]) and word_char(after[:1]) else ""
            pieces.append(Piece(element, pos, pos + len(text), text))
            pos += len(text)
        return pieces

    def _shown(self, element: etree._Element, paragraph: etree._Element) -> bool:
        for ancestor in element.iterancestors():
            if ancestor is paragraph:
                return True
            tag = ancestor.tag
            if tag in _NOT_TEXT or tag == _P or (tag == _FALLBACK and _has_choice(ancestor)):
                return False  # deleted, a field code, a text box, a duplicate form, a nested paragraph
            if tag == _R and self._run_hidden(ancestor):
                return False
        return False

    def _run_hidden(self, run: etree._Element) -> bool:
        """``w:vanish``/``w:specVanish`` on the run, else as its character style, its paragraph's
        style or the document defaults say."""
        rpr = run.find(f"{_W}rPr")
        own = flag(rpr, "vanish")
        if own is not None or flag(rpr, "specVanish"):
            return bool(own) or bool(flag(rpr, "specVanish"))
        rstyle = rpr.find(f"{_W}rStyle") if rpr is not None else None
        paragraph = next(run.iterancestors(_P), None)
        key = (rstyle.get(f"{_W}val") if rstyle is not None else None, self._paragraph_style(paragraph))
        if key not in self._style_hides:
            by_style = self.styles.run_flag(key[0], "vanish")
            if by_style is None:
                by_style = self.styles.run_flag(key[1], "vanish")
            self._style_hides[key] = self.styles.default_flag("vanish") if by_style is None else by_style
        return self._style_hides[key]

    def _paragraph_style(self, paragraph: etree._Element | None) -> str | None:
        pstyle = paragraph.find(f"{_W}pPr/{_W}pStyle") if paragraph is not None else None
        return pstyle.get(f"{_W}val") if pstyle is not None else self.styles.default_paragraph

    def _mark_gone(self, paragraph: etree._Element) -> bool:
        """Whether the paragraph mark is deleted or hidden, so the paragraph runs on into the next."""
        rpr = paragraph.find(f"{_W}pPr/{_W}rPr")
        if _mark_deleted(paragraph) or flag(rpr, "specVanish"):
            return True
        own = flag(rpr, "vanish")
        if own is not None:
            return own
        by_style = self.styles.run_flag(self._paragraph_style(paragraph), "vanish")
        return self.styles.default_flag("vanish") if by_style is None else by_style

    def _counted(self, paragraph: etree._Element) -> bool:
        """Whether a paragraph takes part in numbering: it is read, and its mark is not deleted."""
        if _mark_deleted(paragraph):
            return False
        for ancestor in paragraph.iterancestors():
            tag = ancestor.tag
            if tag in _DELETED or (tag == _FALLBACK and _has_choice(ancestor)):
                return False
            if (tag == _TR and ancestor.find(f"{_W}trPr/{_W}del") is not None) or (
                    tag == _R and self._run_hidden(ancestor)):
                return False
        return True

    def _boxes(self, paragraph: etree._Element) -> Iterator[etree._Element]:
        """The text boxes this paragraph anchors, each once (the Choice form over its fallback)."""
        for box in paragraph.iter(_TXBX):
            if next(box.iterancestors(_P), None) is paragraph and self._box_shown(box, paragraph):
                yield box  # a box inside a box is read with its own anchor

    def _box_shown(self, box: etree._Element, paragraph: etree._Element) -> bool:
        for ancestor in box.iterancestors():
            if ancestor is paragraph:
                return True
            tag = ancestor.tag
            if tag in _DELETED or (tag == _FALLBACK and _has_choice(ancestor)) or (
                    tag == _R and self._run_hidden(ancestor)):
                return False
        return False


def _mark_deleted(paragraph: etree._Element) -> bool:
    rpr = paragraph.find(f"{_W}pPr/{_W}rPr")
    return rpr is not None and any(child.tag in _DELETED for child in rpr)


def _has_choice(fallback: etree._Element) -> bool:
    parent = fallback.getparent()
    return parent is not None and parent.find(_CHOICE) is not None


def _first_section(body: etree._Element) -> etree._Element | None:
    """The first section's properties: the first ``w:sectPr`` of a paragraph or the body's own
    (a tracked change's old properties are not one)."""
    for section in body.iter(f"{_W}sectPr"):
        parent = section.getparent()
        if parent is body or (parent is not None and parent.tag == f"{_W}pPr"
                              and parent.getparent() is not None and parent.getparent().tag == _P):
            return section
    return None


def _part_root(part: Part, reltype: str) -> etree._Element | None:
    """The XML of the part ``part`` relates to by ``reltype`` (styles, numbering), if any."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return getattr(rel.target_part, "element", None)
    return None


def _header_names_office(header: list[list[Segment]], body: list[list[Segment]], names_office: OfficeProbe | None) -> bool:
    """Whether to read the header above the body: the body names no office (title, office line,
    signature) and, with the header above it, ``names_office`` finds one. Notes with front matter
    keep their first line."""
    if names_office is None:
        return False
    text = "\n".join(line_text(line) for line in body)
    if text.startswith("---") or names_office(text):
        return False
    return names_office("\n".join(line_text(line) for line in header + body[:_HEADER_PROBE]))
