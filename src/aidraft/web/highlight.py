"""A report's text and its CheckReport as escaped HTML: one row per line, figures as coloured
spans that carry their status and source in data attributes, marks such as 【待核实】 set off,
and the lint and arithmetic findings of each line beside it.

Every piece of text passes through markupsafe's escape: the text comes from uploaded files, so
a notes file holding ``<script>`` must come out as the visible characters, never as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.check.model import FLAGGED, ArithmeticFinding, CheckedFigure, CheckReport, FigureStatus
from aidraft.export.markdown import closing_lines, paragraphs
from aidraft.lint.model import LintFinding
from aidraft.messages import DOC_LANG, text
from aidraft.parse.document import Document

STATUS_LABELS: dict[str, str] = {s.value: text(f"status.{s.value}", DOC_LANG) for s in FigureStatus}
STATUS_HELP: dict[str, str] = {s.value: text(f"status.{s.value}.help", DOC_LANG) for s in FigureStatus}
MARK = regexes.compile(r"【[^】\n]{1,16}】")
# a Markdown heading's marks ("## 一、…") are layout, not text: the preview shows the heading without them
MD_HEADING = regexes.compile(r"[ \t]{0,3}#{1,6}[ \t]+")


class SideNote(BaseModel):
    """A finding shown beside its line."""

    model_config = ConfigDict(extra="forbid")

    kind: str  # "lint" or "arithmetic"
    rule: str
    message: str
    suggestion: str | None = None


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    number: int
    html: Markup
    role: str = "body"  # title, h1, h2, body, blank
    notes: list[SideNote] = []
    flagged: bool = False


class _Span(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    figure: int | None = None  # index into the figures
    lint: str | None = None  # a lint message: underline the words it is about


def figure_tooltip(fig: CheckedFigure) -> str:
    """What a hover shows: the status, then where the figure comes from or why it is flagged."""
    parts = [f"{fig.text}：{STATUS_LABELS.get(fig.status.value, fig.status.value)}"]
    if fig.source is not None:
        parts.append(text("web.tooltip_source", DOC_LANG, file=fig.source.file, line=fig.source.line, sentence=fig.source.sentence))
    if fig.note:
        parts.append(fig.note)
    return "\n".join(parts)


def figure_span(index: int, fig: CheckedFigure, text: str) -> Markup:
    source = fig.source
    return Markup(
        '<span class="fig fig-{status}" id="fig-{index}" tabindex="0" role="button" data-status="{status}" '
        'data-label="{label}" data-figure="{figure}" data-file="{file}" data-line="{line}" '
        'data-sentence="{sentence}" data-source-text="{source_text}" data-note="{note}" title="{tip}">{text}</span>'
    ).format(
        status=fig.status.value, index=index, label=STATUS_LABELS.get(fig.status.value, fig.status.value),
        figure=fig.text, file=source.file if source else "", line=source.line if source else "",
        sentence=source.sentence if source else "", source_text=source.text if source else "",
        note=fig.note or "", tip=figure_tooltip(fig), text=text,
    )


def mark_span(text: str) -> Markup:
    kind = "verify" if "核实" in text else "fill" if "补充" in text else "other"
    return Markup('<mark class="mark mark-{kind}">{text}</mark>').format(kind=kind, text=text)


def _spans(text: str, figures: Sequence[CheckedFigure], findings: Sequence[LintFinding] = ()) -> list[_Span]:
    """Figure and mark spans, sorted, overlaps dropped (the earlier span wins); then lint spans
    wherever they overlap none of those (a figure's colour matters more than an underline)."""
    found = [_Span(start=f.start, end=f.end, figure=i) for i, f in enumerate(figures)
             if 0 <= f.start < f.end <= len(text)]
    found += [_Span(start=m.start(), end=m.end()) for m in MARK.finditer(text)]
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[_Span] = []
    for span in found:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    for finding in findings:
        lint = _Span(start=finding.start, end=finding.end, lint=finding.message)
        if (0 <= lint.start < lint.end <= len(text) and "\n" not in text[lint.start:lint.end]
                and all(lint.end <= k.start or lint.start >= k.end for k in kept)):
            kept.append(lint)
    kept.sort(key=lambda s: s.start)
    return kept


def _roles(doc: Document | None) -> dict[int, str]:
    if doc is None:
        return {}
    roles = {s.line: f"h{min(s.level, 3)}" for s in doc.walk()}
    if doc.title:
        first = doc.text.find(doc.title)
        if first >= 0:
            roles.setdefault(doc.line_of(first), "title")
    return roles


def render_lines(text: str, check: CheckReport, findings: Iterable[LintFinding] = (),
                 doc: Document | None = None) -> list[Line]:
    """The text as rows of escaped HTML; offsets of ``check`` and ``findings`` index ``text``."""
    figures = check.figures
    findings = list(findings)
    spans = _spans(text, figures, findings)
    notes: dict[int, list[SideNote]] = {}
    for finding in findings:
        notes.setdefault(finding.line, []).append(
            SideNote(kind="lint", rule=finding.rule, message=finding.message, suggestion=finding.suggestion))
    for arith in check.arithmetic:
        notes.setdefault(arith.line, []).append(_arith_note(arith))
    roles = _roles(doc)
    lines: list[Line] = []
    offset = 0
    cursor = 0  # index into spans
    for number, raw in enumerate(text.split("\n"), start=1):
        end = offset + len(raw)
        parts: list[Markup] = []
        heading = MD_HEADING.match(raw)
        pos = offset + (heading.end() if heading else 0)
        flagged = False
        while cursor < len(spans) and spans[cursor].start < end:
            span = spans[cursor]
            cursor += 1
            if span.start < pos:  # a span that straddled the previous newline
                continue
            stop = min(span.end, end)
            parts.append(escape(text[pos:span.start]))
            piece = text[span.start:stop]
            if span.lint is not None:
                parts.append(Markup('<span class="lint-span" title="{}">{}</span>').format(span.lint, piece))
            elif span.figure is None:
                parts.append(mark_span(piece))
                flagged = True
            else:
                fig = figures[span.figure]
                parts.append(figure_span(span.figure, fig, piece))
                flagged = flagged or fig.status in FLAGGED
            pos = stop
        parts.append(escape(text[pos:end]))
        role = "blank" if not raw.strip() else roles.get(number, "h2" if heading else "body")
        here = notes.get(number, [])
        flagged = flagged or any(n.kind == "arithmetic" for n in here)  # lint is advice, not a flag
        lines.append(Line(number=number, html=Markup("").join(parts), role=role, notes=here, flagged=flagged))
        offset = end + 1
    return closing_as_printed(lines, doc)


def closing_as_printed(lines: list[Line], doc: Document | None) -> list[Line]:
    """The 落款 rows as the .md and .docx print them (``closing_lines``: a date left blank reads
    as the catalogue's 【待补充：成文日期】), so the page never says otherwise than the downloads."""
    if doc is None or not doc.closing.strip() or (start := doc.text.rfind(doc.closing)) < 0:
        return lines
    first, last = doc.line_of(start), doc.line_of(start + len(doc.closing))
    printed = iter(zip(paragraphs(doc.closing), closing_lines(doc), strict=False))
    out: list[Line] = []
    for line in lines:
        pair = next(printed, None) if first <= line.number <= last and line.role != "blank" else None
        if pair is not None and pair[0] != pair[1]:
            marked = MARK.fullmatch(pair[1]) is not None
            line = line.model_copy(update={"html": mark_span(pair[1]) if marked else escape(pair[1]),
                                           "flagged": line.flagged or marked})
        out.append(line)
    return out


def _arith_note(arith: ArithmeticFinding) -> SideNote:
    return SideNote(kind="arithmetic", rule=f"arithmetic-{arith.kind}", message=arith.message,
                    suggestion=text("web.should_be", DOC_LANG, expected=arith.expected) if arith.expected else None)


def status_counts(check: CheckReport) -> list[tuple[str, str, int]]:
    """(status, label, count) in a fixed order, for the legend."""
    counts = Counter(f.status.value for f in check.figures)
    return [(s, STATUS_LABELS[s], counts.get(s, 0)) for s in STATUS_LABELS]


def flagged_figures(check: CheckReport) -> list[tuple[int, CheckedFigure]]:
    """The figures someone must look at, with their span index for in-page links."""
    return [(i, f) for i, f in enumerate(check.figures) if f.status in FLAGGED]
