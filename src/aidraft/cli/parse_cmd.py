"""``aidraft parse REPORT [--json]``: show the document tree the other stages will work on.

The tree view lets a user see at a glance whether headings were recognised at the right levels
and sections got the right kinds before trusting check/lint/digest output.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.tree import Tree

from aidraft.cli.common import console, emit_json
from aidraft.messages import text
from aidraft.parse.document import Document, Section
from aidraft.parse.structure import parse_file

PREVIEW_CHARS = 40


def register(app: typer.Typer) -> None:
    """Add the ``parse`` command to ``app``."""

    @app.command("parse")
    def parse(
        report: Path = typer.Argument(..., help="The report: .txt, .md or .docx (UTF-8, GBK or UTF-16)."),
        as_json: bool = typer.Option(False, "--json", help="Print the Document as JSON instead of a tree."),
    ) -> None:
        """Parse a report and print its title, office, year and numbered sections."""
        document = parse_file(report)
        if as_json:
            emit_json(document)
        else:
            console.print(render_tree(document))


def render_tree(document: Document) -> Tree:
    """A rich Tree: title, office and year at the root, then the headings with kind and preview.
    Its labels are the command line's words (catalogue); kinds stay the identifiers --json shows."""
    unknown = text("cli.parse.unknown")
    root = Tree(f"[bold]{escape(document.title or text('cli.parse.no_title'))}[/]")
    root.add(escape(text("cli.parse.office_year", office=document.office or unknown, year=document.year or unknown)))
    if document.preamble:
        root.add(f"[dim]{escape(text('cli.parse.preamble', text=preview(document.preamble)))}[/]")
    if not document.sections:
        root.add(f"[yellow]{escape(text('cli.parse.no_headings'))}[/]")
    for section in document.sections:
        _add(root, section)
    if document.closing:
        root.add(f"[dim]{escape(text('cli.parse.closing', text=' / '.join(document.closing.split())))}[/]")
    return root


def _add(parent: Tree, section: Section) -> None:
    kind = f" [cyan]\\[{section.kind.value}][/]" if section.kind is not None else ""
    label = f"[bold]{escape(section.number)}{escape(section.title)}[/]{kind} [dim]L{section.line}[/]"
    if section.text:
        label += f"\n[dim]{escape(preview(section.text))}[/]"
    node = parent.add(label)
    for child in section.children:
        _add(node, child)


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The first ``limit`` characters on one line, with … when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
