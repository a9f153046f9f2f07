"""The checked draft as Word: the user's own .docx back, each flagged figure highlighted with a
Word comment beside it saying why and what the source says, nothing else changed.

A clerk works in Word; a JSON file or a web page is one step removed from the document they
must fix. The check ran on ``docx_text`` of the same file, so line N of the checked text is the
N-th visible line of the document and a figure's column within it is the same: the figure's
characters are split into a run of their own (formatting copied) and only that run changes.
Text drafts (.txt, .md, pasted text) get a plain .docx with one paragraph per line first.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass

from docx import Document as open_docx
from docx.document import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from aidraft.check.model import FLAGGED, CheckedFigure, CheckReport, FigureStatus
from aidraft.ingest.docx_text import _TEXT_TAGS, CELL_SEPARATOR, Segment, _hidden, line_text, visible_lines
from aidraft.messages import DOC_LANG, Lang, text

AUTHOR_INITIALS = "AI"
COLOURS = {FigureStatus.contradicted: WD_COLOR_INDEX.RED, FigureStatus.stale: WD_COLOR_INDEX.YELLOW,
           FigureStatus.unsupported: WD_COLOR_INDEX.YELLOW, FigureStatus.misplaced: WD_COLOR_INDEX.TURQUOISE}
ARITHMETIC_COLOUR = WD_COLOR_INDEX.RED


@dataclass
class _Piece:
    """A run-level text element of a paragraph and where its characters sit in the paragraph."""

    element: etree._Element  # w:t, w:tab, w:br or w:cr
    start: int
    end: int


@dataclass
class _Line:
    """One visible line of the document as ``docx_text`` wrote it, and the parts it is made of."""

    segments: list[Segment]
    text: str

    def locate(self, column: int, length: int) -> tuple[Segment, int] | None:
        """The segment holding characters [column, column + length) of the line, and where they
        start in its paragraph; None where they straddle two cells."""
        at = 0
        for segment in self.segments:
            if at <= column and column + length <= at + len(segment.text):
                return segment, segment.start + column - at
            at += len(segment.text) + len(CELL_SEPARATOR)
        return None


@dataclass
class Mark:
    """One place to highlight and comment: a line, the span in it, the comment, the colour."""

    line: int
    column: int
    figure: str
    comment: str
    colour: WD_COLOR_INDEX


def _pieces(paragraph: etree._Element) -> list[_Piece]:
    pieces: list[_Piece] = []
    pos = 0
    for element in paragraph.iter(*_TEXT_TAGS):
        if _hidden(element, paragraph):
            continue
        length = len(element.text or "") if element.tag == qn("w:t") else 1
        pieces.append(_Piece(element, pos, pos + length))
        pos += length
    return pieces


def document_lines(doc: Document) -> list[_Line]:
    """The document's lines exactly as ``docx_text`` numbers them (the same walk)."""
    return [_Line(segments, line_text(segments)) for segments in visible_lines(doc.element.body)]


def _split_run(run: etree._Element, t: etree._Element, cut: int) -> etree._Element:
    """Split ``run`` at character ``cut`` of its text element ``t``; return the run holding the
    characters from ``cut`` on (the original keeps what came before). Formatting is copied."""
    after = copy.deepcopy(run)
    index = list(run).index(t)
    t_after = after[index]
    for child in list(run)[index + 1:]:
        run.remove(child)
    for child in list(after)[:index]:
        if child.tag != qn("w:rPr"):
            after.remove(child)
    t.text, t_after.text = (t.text or "")[:cut], (t.text or "")[cut:]
    for node in (t, t_after):
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(after)
    return after


def _isolate(paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
    """The w:r elements that hold exactly characters [start, end) of the paragraph, split off."""
    for cut in (start, end):
        for piece in _pieces(paragraph):
            if piece.start < cut < piece.end and piece.element.tag == qn("w:t"):
                _split_run(piece.element.getparent(), piece.element, cut - piece.start)
                break
    runs: list[etree._Element] = []
    for piece in _pieces(paragraph):
        if piece.start >= start and piece.end <= end and piece.end > piece.start:
            run = piece.element.getparent()
            if run.tag == qn("w:r") and run not in runs:
                runs.append(run)
    return runs


def _section_label(kind: str) -> str:
    from aidraft.check.placement import LABELS
    from aidraft.parse.document import SectionKind

    try:
        return LABELS.get(SectionKind(kind), kind)
    except ValueError:
        return kind


def _figure_comment(fig: CheckedFigure, lang: Lang) -> str:
    label = text(f"status.{fig.status.value}", lang)
    parts = [text("check.comment", lang, label=label, note=fig.note or text(f"status.{fig.status.value}.help", lang))]
    if fig.source is not None:
        parts.append(text("check.comment_source", lang, file=fig.source.file, line=fig.source.line,
                          sentence=fig.source.sentence))
    return "\n".join(parts)


def annotate(doc: Document, marks: list[Mark], lang: Lang = DOC_LANG) -> int:
    """Highlight and comment each mark in ``doc``; return how many were placed."""
    lines = document_lines(doc)
    placed = 0
    author = text("check.comment_author", lang)
    # right to left within a paragraph, so splitting one run never shifts a later mark
    for mark in sorted(marks, key=lambda m: (m.line, m.column), reverse=True):
        if not 0 < mark.line <= len(lines):
            continue
        line = lines[mark.line - 1]
        column = mark.column
        if line.text[column:column + len(mark.figure)] != mark.figure:
            found = line.text.find(mark.figure)
            if found < 0:
                continue
            column = found
        located = line.locate(column, len(mark.figure))
        if located is None:
            continue
        segment, start = located
        elements = _isolate(segment.paragraph, start, start + len(mark.figure))
        if not elements:
            continue
        paragraph = Paragraph(segment.paragraph, doc._body)
        runs = [Run(r, paragraph) for r in elements]
        for run in runs:  # a figure already marked inside a marked sentence keeps its own colour
            if run.font.highlight_color is None:
                run.font.highlight_color = mark.colour
        doc.add_comment(runs, text=mark.comment, author=author, initials=AUTHOR_INITIALS)
        placed += 1
    return placed


def text_as_docx(body: str) -> Document:
    """A plain .docx of a text draft: one paragraph per line, so line N stays line N."""
    doc = open_docx()
    for line in body.split("\n"):
        if line.strip():
            doc.add_paragraph(line.strip())
    return doc


def checked_docx(report: CheckReport, draft_text: str, source_docx: bytes | None = None,
                 lang: Lang = DOC_LANG) -> tuple[bytes, int]:
    """The commented .docx as bytes and the number of marks placed.

    ``source_docx`` is the user's file when the draft was a .docx; otherwise ``draft_text`` is
    laid out as a plain document first.
    """
    doc = open_docx(io.BytesIO(source_docx)) if source_docx is not None else text_as_docx(draft_text)
    placed = annotate(doc, marks_for_text(report, draft_text, lang), lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), placed


def marks_for_text(report: CheckReport, draft_text: str, lang: Lang = DOC_LANG) -> list[Mark]:
    """Every flagged figure and arithmetic finding as a mark, positioned by visible line (blank
    lines skipped, as in a document) and column within the stripped line of ``draft_text``."""
    raw_lines = draft_text.split("\n")
    starts: list[int] = []
    visible: list[int] = []  # raw line number (0-based) -> visible line number (1-based), 0 if blank
    pos, count = 0, 0
    for raw in raw_lines:
        starts.append(pos)
        count += 1 if raw.strip() else 0
        visible.append(count if raw.strip() else 0)
        pos += len(raw) + 1

    def place(line: int, offset: int) -> tuple[int, int]:
        if not 0 < line <= len(raw_lines):
            return 0, 0
        raw = raw_lines[line - 1]
        return visible[line - 1], offset - starts[line - 1] - (len(raw) - len(raw.lstrip()))

    marks: list[Mark] = []
    for fig in report.figures:
        if fig.status in FLAGGED:
            line, column = place(fig.line, fig.start)
            marks.append(Mark(line=line, column=column, figure=fig.text, comment=_figure_comment(fig, lang),
                              colour=COLOURS.get(fig.status, WD_COLOR_INDEX.YELLOW)))
    figure_lines = {(f.line, f.text) for f in report.figures if f.status is FigureStatus.misplaced}
    for moved in report.misplaced_sentences:  # sentences stating a note of another section
        if any(line == moved.line and fig in moved.text for line, fig in figure_lines):
            continue  # its figure carries the comment already
        line, _ = place(moved.line, 0)
        comment = text("check.comment", lang, label=text("status.misplaced", lang),
                       note=text("check.misplaced_sentence", lang, note=moved.note_id, note_line=moved.note_line,
                                 section=_section_label(moved.note_section)))
        marks.append(Mark(line=line, column=-1, figure=moved.text, comment=comment,
                          colour=COLOURS[FigureStatus.misplaced]))
    for finding in report.arithmetic:
        line, column = place(finding.line, finding.start)
        comment = text("check.comment", lang, label=text("check.arithmetic_label", lang), note=finding.message)
        marks.append(Mark(line=line, column=column, figure=finding.text, comment=comment, colour=ARITHMETIC_COLOUR))
    return marks
