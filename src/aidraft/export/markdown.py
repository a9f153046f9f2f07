"""Markdown export: the report's text in a form people can review and ``diff``.

It carries exactly the text the .docx carries (title, preamble, headings, body, 落款), and
the helpers here define that text for both writers, so a reviewer who approves the Markdown
has approved the words in the .docx.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from aidraft.files import write_text_atomic
from aidraft.messages import DOC_LANG, text
from aidraft.parse.dates import is_unknown_date
from aidraft.parse.document import Document, Section

__all__ = [
    "closing_lines",
    "heading_text",
    "paragraphs",
    "render_markdown",
    "report_title",
    "write_markdown",
]

# Leading full-width spaces are manual indentation from the source; the writers indent.
_STRIP = " \t\u3000\u00a0\r"


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs of ``text``, one per line, without manual indentation."""
    return [line.strip(_STRIP) for line in text.split("\n") if line.strip(_STRIP)]


def heading_text(section: Section) -> str:
    """The heading as printed: its number as written, then its title (一、主要举措和成效)."""
    return f"{section.number.strip(_STRIP)}{section.title.strip(_STRIP)}"


def report_title(doc: Document) -> str | None:
    """The document's title; failing that, the genre's standard title from office and year."""
    if doc.title and doc.title.strip(_STRIP):
        return " ".join(doc.title.split())
    if doc.office and doc.year:
        return f"{doc.office}关于{doc.year}年度法治政府建设情况的报告"
    return None


def closing_lines(doc: Document) -> list[str]:
    """The 落款 as both writers print it: a date left to fill in (2026年　月　日) reads as the one
    placeholder of the catalogue (【待补充：成文日期】), so the .md and the .docx say the same."""
    return [text("docx.date_missing", DOC_LANG) if is_unknown_date(line) else line for line in paragraphs(doc.closing)]


def _blocks(doc: Document) -> Iterator[str]:
    title = report_title(doc)
    if title:
        yield f"# {title}"
    yield from paragraphs(doc.preamble)
    for section in doc.walk():
        yield f"{'#' * (section.level + 1)} {heading_text(section)}"
        yield from paragraphs(section.text)
    yield from closing_lines(doc)


def render_markdown(doc: Document) -> str:
    """Blocks separated by one blank line, ending in one newline; same input, same bytes."""
    blocks = list(_blocks(doc))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_markdown(doc: Document, path: Path) -> None:
    """Render, then replace ``path`` atomically: a failed render leaves the old file alone."""
    write_text_atomic(Path(path), render_markdown(doc))
