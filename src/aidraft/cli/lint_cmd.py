"""``aidraft lint REPORT [--json]``: proofreading findings, grouped by line for a person to fix."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import typer
from rich.markup import escape

from aidraft.cli.common import console, finish
from aidraft.ingest.read import read_text
from aidraft.lint.model import LintReport, Severity
from aidraft.lint.run import lint_text
from aidraft.messages import text

SEVERITY_STYLE = {Severity.error: "bold red", Severity.warning: "yellow"}


def render(report: LintReport) -> None:
    """One block per line: the excerpt once, then each rule's message (and fix) under it. The
    findings are the document's proofreading notes, Chinese by design; the frame around them is
    the command line's own words, in its language."""
    name = report.path or "report"
    if not report.findings:
        console.print(f"[green]{escape(text('cli.lint.clean', path=name))}[/]")
        return
    for line, group in groupby(report.findings, key=lambda f: f.line):
        findings = list(group)
        console.print(f"[bold]{escape(text('cli.lint.line', line=line))}[/]  [dim]{escape(findings[0].excerpt)}[/]")
        for finding in findings:
            style = SEVERITY_STYLE[finding.severity]
            fix = f" → [green]{escape(finding.suggestion)}[/]" if finding.suggestion else ""
            if finding.excerpt != findings[0].excerpt:
                console.print(f"    [dim]{escape(finding.excerpt)}[/]")
            console.print(f"    [{style}]{finding.rule}[/] {escape(finding.message)}{fix}")
    errors = sum(1 for f in report.findings if f.severity == Severity.error)
    console.print(escape(text("cli.lint.total", path=name, count=len(report.findings), errors=errors)))


def lint(
    report: Path = typer.Argument(..., help="The report to proofread (.txt, .md or .docx)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
) -> None:
    """Proofread REPORT: numbering, repeats, years, punctuation, terms, typos. Exit 1 on findings."""
    result = lint_text(read_text(report), path=str(report))
    finish(result, as_json, render)


def register(app: typer.Typer) -> None:
    app.command("lint")(lint)
