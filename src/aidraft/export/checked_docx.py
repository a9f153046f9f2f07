"""The checked draft as Word: the user's own .docx back, each flagged figure highlighted with a
Word comment beside it saying why and what the source says, nothing else changed.

A clerk works in Word; a JSON file or a web page is one step removed from the document they
must fix. The check ran on ``docx_text`` of the same file, so line N of the checked text is the
N-th visible line of the document and a figure's column within it is the same: the figure's
characters are split into a run of their own (formatting copied) and only that run changes.
Text drafts (.txt, .md, pasted text) are laid out like a draft first (GB/T 9704, through the
same writer, Markdown marks gone) and each mark is moved to the line that now holds its text.
A figure's highlight is chosen to stay readable on the run's own font colour and to differ from
a highlight the clerk already set, so no figure is ever left unmarked.
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
from aidraft.ingest.docx_segments import Segment, line_text
from aidraft.ingest.docx_text import DocxReader
from aidraft.messages import DOC_LANG, Lang, text

AUTHOR_INITIALS = "AI"
MIN_CONTRAST = 3.0  # WCAG ratio for large text: below it a figure's text is lost in its highlight
NEARBY_LINES = 3  # a text line the writer split (title, heading with text) spans at most this many more
_STRIP = " \t\u3000\u00a0\r"
COLOURS = {FigureStatus.contradicted: WD_COLOR_INDEX.RED, FigureStatus.stale: WD_COLOR_INDEX.YELLOW,
           FigureStatus.unsupported: WD_COLOR_INDEX.YELLOW, FigureStatus.misplaced: WD_COLOR_INDEX.TURQUOISE}
ARITHMETIC_COLOUR = WD_COLOR_INDEX.RED
FALLBACKS = (WD_COLOR_INDEX.YELLOW, WD_COLOR_INDEX.BRIGHT_GREEN, WD_COLOR_INDEX.TURQUOISE, WD_COLOR_INDEX.GRAY_25)
HIGHLIGHT_RGB = {WD_COLOR_INDEX.RED: (255, 0, 0), WD_COLOR_INDEX.YELLOW: (255, 255, 0),
                 WD_COLOR_INDEX.BRIGHT_GREEN: (0, 255, 0), WD_COLOR_INDEX.TURQUOISE: (0, 255, 255),
                 WD_COLOR_INDEX.GRAY_25: (192, 192, 192)}


@dataclass
class _Line:
    """One visible line of the document as ``docx_text`` wrote it, and the parts it is made of."""

    segments: list[Segment]
    text: str

    def locate(self, column: int, length: int) -> tuple[Segment, int] | None:
        """The segment holding characters [column, column + length) of the line, and where they
        start in its paragraph; None where they straddle two cells."""
        at = 0
        for index, segment in enumerate(self.segments):
            at += len(segment.glue) if index else 0
            if at <= column and column + length <= at + len(segment.text):
                return segment, segment.start + column - at
            at += len(segment.text)
        return None


@dataclass
class Mark:
    """One place to highlight and comment: a line, the span in it, the comment, the colour."""

    line: int
    column: int
    figure: str
    comment: str
    colour: WD_COLOR_INDEX


def document_lines(doc: Document, reader: DocxReader | None = None) -> list[_Line]:
    """The document's lines exactly as ``docx_text`` numbers them (the same reader)."""
    return [_Line(segments, line_text(segments)) for segments in (reader or DocxReader(doc)).lines()]


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


def _isolate(reader: DocxReader, paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
    """The w:r elements that hold exactly characters [start, end) of the paragraph, split off.
    Only shown runs are pieces, so a hidden run is never highlighted or commented."""
    for cut in (start, end):
        for piece in reader.pieces(paragraph):
            if piece.start < cut < piece.end and piece.element.tag == qn("w:t"):
                _split_run(piece.element.getparent(), piece.element, cut - piece.start)
                break
    runs: list[etree._Element] = []
    for piece in reader.pieces(paragraph):
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
    reader = DocxReader(doc)
    lines = document_lines(doc, reader)
    placed = 0
    author = text("check.comment_author", lang)
    ours: set[etree._Element] = set()  # runs this call highlighted
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
        if segment.paragraph.getroottree().getroot() is not doc.element:
            continue  # a page-header line read above the title: Word takes no comment there
        elements = _isolate(reader, segment.paragraph, start, start + len(mark.figure))
        if not elements:
            continue
        paragraph = Paragraph(segment.paragraph, doc._body)
        runs = [Run(r, paragraph) for r in elements]
        for run in runs:  # a figure already marked inside a marked sentence keeps its own colour
            if run._r not in ours:
                run.font.highlight_color = visible_highlight(run, mark.colour)
                ours.add(run._r)
        doc.add_comment(runs, text=mark.comment, author=author, initials=AUTHOR_INITIALS)
        placed += 1
    return placed


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def visible_highlight(run: Run, wanted: WD_COLOR_INDEX) -> WD_COLOR_INDEX:
    """``wanted``, unless it would hide the run's text (red on red) or change nothing (yellow on
    the clerk's yellow): then the first fallback that is readable and different."""
    try:
        rgb = run.font.color.rgb if run.font.color.type is not None else None
    except (AttributeError, ValueError):
        rgb = None
    font = (rgb[0], rgb[1], rgb[2]) if rgb is not None else (0, 0, 0)
    existing = run.font.highlight_color
    for colour in (wanted, *FALLBACKS):
        if colour != existing and contrast(font, HIGHLIGHT_RGB.get(colour, (255, 255, 0))) >= MIN_CONTRAST:
            return colour
    return wanted


def text_as_docx(body: str) -> Document:
    """A text draft laid out as a draft: parsed and written by the GB/T 9704 .docx writer, so
    Markdown heading marks become heading paragraphs. No title is made up for a draft without one."""
    from aidraft.export.docx_writer import render_docx
    from aidraft.parse.structure import parse_text

    parsed = parse_text(body)
    if not parsed.title:
        parsed = parsed.model_copy(update={"office": None})
    return open_docx(io.BytesIO(render_docx(parsed)))


def _core(line: str) -> tuple[str, int]:
    """A text line as the writer prints it (no Markdown heading or bold marks, no indentation),
    and where that starts in the line stripped of leading space."""
    lead = line.lstrip()
    core = lead.lstrip("#").strip(_STRIP).strip("*_").strip(_STRIP)
    return core, lead.find(core) if core else 0


def relocate(marks: list[Mark], draft_text: str, doc: Document) -> list[Mark]:
    """Marks positioned in ``draft_text`` moved to the document lines that hold the same text
    (the writer drops blank lines and marks, splits a long title, adds a blank line before the
    signature): lines are matched in order; a figure not on its matched line is looked for in
    the next ``NEARBY_LINES``."""
    drafted = [line for line in draft_text.split("\n") if line.strip()]
    printed = [line.text for line in document_lines(doc)]
    where: list[tuple[int, int]] = []  # per draft line: document line index, column shift
    at = 0
    for line in drafted:
        core, offset = _core(line)
        j = next((k for k in range(at, len(printed)) if core and core in printed[k]), None)
        if j is None:
            j = next((k for k in range(at, len(printed)) if printed[k] and printed[k] in core), at)
            where.append((j, -1 - len(line)))
        else:
            where.append((j, printed[j].find(core) - offset))
            at = j + 1
    moved: list[Mark] = []
    for mark in marks:
        if not 0 < mark.line <= len(where):
            continue
        j, shift = where[mark.line - 1]
        column = mark.column + shift if mark.column >= 0 else -1
        for k in range(j, min(j + NEARBY_LINES + 1, len(printed))):
            if printed[k][column:column + len(mark.figure)] == mark.figure or mark.figure in printed[k]:
                moved.append(Mark(line=k + 1, column=column if k == j else -1, figure=mark.figure,
                                  comment=mark.comment, colour=mark.colour))
                break
    return moved


def checked_docx(report: CheckReport, draft_text: str, source_docx: bytes | None = None,
                 lang: Lang = DOC_LANG) -> tuple[bytes, int]:
    """The commented .docx as bytes and the number of marks placed.

    ``source_docx`` is the user's file when the draft was a .docx; otherwise ``draft_text`` is
    laid out as a draft first and the marks follow their text into it.
    """
    marks = marks_for_text(report, draft_text, lang)
    if source_docx is not None:
        doc = open_docx(io.BytesIO(source_docx))
    else:
        doc = text_as_docx(draft_text)
        marks = relocate(marks, draft_text, doc)
    placed = annotate(doc, marks, lang)
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
