"""The digest job: reports → names and year → ledger → common findings, notable practices,
office × metric table, totals and rates → digest text → self-check and lint → Document.

Each report is read and parsed once. Offices are named (digest.offices), the year decided and
other years left out or labelled (digest.years), then every figure goes to the ledger and every
sentence to the clustering. The digest is checked against the reports with the checker users run
(``aidraft check digest.md --notes …``) and linted with ``aidraft lint``: an item either flags is
taken out (a recomputed rate falls back to its range) and listed in ``dropped``, so nothing
unproven or mistyped reaches the file.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aidraft.check.model import FLAGGED, CheckReport
from aidraft.check.run import check_text
from aidraft.check.sources import SourceIndex
from aidraft.digest.aggregate import compute_rates, compute_totals, range_of
from aidraft.digest.clusters import Item, common_findings
from aidraft.digest.compose import Composed, compose, default_title, section_title
from aidraft.digest.config import DIGEST_KINDS, digest_genre
from aidraft.digest.group import SentenceGrouper
from aidraft.digest.inputs import collect, display_names, drop_duplicates, read_all
from aidraft.digest.ledger import LedgerFigure, LedgerWriter, ledger_figures
from aidraft.digest.model import (
    DigestResult,
    DigestRun,
    LeftOut,
    MetricColumn,
    Practice,
    RateSummary,
    ReportRef,
    SectionDigest,
    SkippedFile,
    Source,
    Total,
)
from aidraft.digest.offices import Labeller, OfficeTable
from aidraft.digest.practices import key_figures, notable_practices
from aidraft.digest.quotes import clean_quote
from aidraft.digest.sentences import section_sentences
from aidraft.digest.table import metric_table, table_lines
from aidraft.digest.years import digest_year, left_out, no_year_event, other_year
from aidraft.errors import InputError
from aidraft.ingest.read import NamedText
from aidraft.lint.run import lint_text
from aidraft.llm.base import ChatModel
from aidraft.messages import joined, msg
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.structure import parse_text
from aidraft.settings import Settings
from aidraft.text import han_bigrams

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): 'read' per report, 'map' per LLM map call, 'reduce' per section."""
PracticeSets = dict[SectionKind, tuple[list[Practice], list[Practice]]]
MAX_REPAIRS = 6


@dataclass
class Gathered:
    """What the digest keeps of the reports it digests."""

    year: int
    reports: list[ReportRef] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    figures: list[LedgerFigure] = field(default_factory=list)
    sources: list[NamedText] = field(default_factory=list)
    sections: list[dict[SectionKind, str]] = field(default_factory=list)  # per report, model path only
    section_lines: list[dict[SectionKind, int]] = field(default_factory=list)
    items: dict[SectionKind, list[Item]] = field(default_factory=lambda: {k: [] for k in DIGEST_KINDS})
    groupers: dict[SectionKind, SentenceGrouper] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    rows: int = 0

    def __post_init__(self) -> None:
        lim = digest_genre().limits
        self.groupers = {k: SentenceGrouper(lim.similarity, lim.posting_cap, lim.candidates, lim.medoid_sample)
                         for k in DIGEST_KINDS}


def _read(items: Iterable[tuple[str, Document | SkippedFile]], total: int,
          progress: Progress | None) -> Iterator[tuple[str, Document] | SkippedFile]:
    for done, (path, item) in enumerate(items, start=1):
        yield item if isinstance(item, SkippedFile) else (path, item)
        if progress:
            progress("read", done, total)


def gather(items: Iterable[tuple[str, Document | SkippedFile]], total: int, ledger: Path | LedgerWriter | None, *,
           skipped: Sequence[SkippedFile] = (), keep_sections: bool = False, progress: Progress | None = None,
           year: int | None = None, mixed_years: bool = False, offices: OfficeTable | None = None) -> Gathered:
    """Read and name every report, decide the year, then stream the kept reports' ledger rows and
    feed their sentences to the clustering. ``ledger``: a file written here, or the caller's
    writer (the CLI's, which replaces the ledger together with the digest)."""
    genre = digest_genre()
    lim = genre.limits
    docs: list[tuple[str, Document]] = []
    skipped_all = list(skipped)
    for entry in _read(items, total, progress):
        if isinstance(entry, SkippedFile):
            skipped_all.append(entry)
        else:
            docs.append(entry)
    docs, repeated = drop_duplicates(docs)
    skipped_all += repeated
    if not docs:
        count = total + len(skipped)
        if not count:
            raise InputError(msg("digest.no_input"), hint=msg("digest.no_input.hint"))
        reasons = joined(s.line() for s in skipped_all[:3])
        raise InputError(msg("digest.none_readable", total=count, reasons=reasons),
                         hint=msg("digest.none_readable.hint"))
    chosen = digest_year([ReportRef(file=p, label=p, year=d.year) for p, d in docs], year)
    out = Gathered(year=chosen, skipped=skipped_all)
    labeller = Labeller(offices)
    if not mixed_years:  # another year's reports are named apart, so they never take a name's first form
        others = [(p, d) for p, d in docs if d.year is not None and d.year != chosen]
        docs = [(p, d) for p, d in docs if d.year is None or d.year == chosen]
        named_others = Labeller(offices).assign([(p, d.office, d.text) for p, d in others])
        out.left_out = left_out([ReportRef(file=p, label=n.label, year=d.year)
                                 for (p, d), n in zip(others, named_others, strict=True)], chosen)
        if not docs:
            raise InputError(msg("digest.no_report_of_year", year=chosen), hint=msg("digest.no_report_of_year.hint"))
    names = labeller.assign([(p, d.office, d.text) for p, d in docs])
    read = [(ReportRef(file=p, label=n.label, office=d.office, level=n.level, named_by=n.named_by, year=d.year), d)
            for (p, d), n in zip(docs, names, strict=True)]
    writer = ledger if isinstance(ledger, LedgerWriter) else LedgerWriter(ledger)
    # a writer the caller passes is published with the caller's output set; one made here, here
    scope: AbstractContextManager[LedgerWriter] = nullcontext(writer) if writer is ledger else writer
    with scope:
        for ref, doc in read:
            if other_year(ref, chosen):
                ref.label = genre.year_label.format(label=ref.label, year=ref.year)
            elif ref.year is None:
                out.events.append(no_year_event(ref, chosen))
            for lf, row in ledger_figures(doc, ref, chosen):
                writer.write(row)
                out.figures.append(lf)
                ref.figures += 1
            index = len(out.reports)
            lines: dict[SectionKind, int] = {}
            for kind, sentence, line in section_sentences(doc, lim.min_chars, lim.max_chars):
                lines.setdefault(kind, line)
                grams = han_bigrams(sentence)
                out.groupers[kind].add(index, ref.label, sentence, line, grams)
                out.items[kind].append(Item(index, ref.label, ref.label, ref.file, line, sentence, grams))
            out.section_lines.append(lines)
            out.reports.append(ref)
            out.sources.append(NamedText(path=ref.file, text=doc.text))
            if keep_sections:
                out.sections.append({k: _kind_text(doc, k) for k in DIGEST_KINDS})
    out.rows = writer.rows
    return out


def _kind_text(doc: Document, kind: SectionKind) -> str:
    """The text of every section of ``kind`` with its headings (what the LLM map step reads)."""
    return "\n".join(doc.text[s.start : s.end] for s in doc.sections if s.kind is kind)


def offline_practices(g: Gathered, excluded: set[str]) -> PracticeSets:
    """Common findings (clustered across offices, counted) and notable single-office practices."""
    genre = digest_genre()
    order = [r.label for r in g.reports]
    paths = [r.file for r in g.reports]
    attributed: Counter[str] = Counter()
    out: PracticeSets = {}
    commons: dict[SectionKind, list[Practice]] = {}
    used: dict[SectionKind, frozenset[str]] = {}
    for kind in DIGEST_KINDS:
        found, taken = common_findings(g.items[kind], genre.limits.max_common * 2,
                                       cut=kind.value in genre.cluster_cut_kinds)
        commons[kind] = found
        used[kind] = frozenset(g.items[kind][i].text for i in taken)
        for p in found:
            attributed.update(p.labels[: genre.limits.max_names])
    for kind in DIGEST_KINDS:
        notable = notable_practices(g.groupers[kind].groups, attributed, order, paths, excluded, used[kind])
        out[kind] = (commons[kind], notable)
    return out


def _cleaned(practices: list[Practice], excluded: set[str], corrected: dict[str, str], cap: int) -> list[Practice]:
    """Practices whose quotation lints clean (corrected where lint is certain), up to ``cap``."""
    out = []
    for p in practices:
        if p.text in excluded:
            continue
        text, fixes = clean_quote(p.text)
        if text is None or text in excluded:
            continue
        if fixes:
            corrected[text] = f"{'、'.join(p.labels)}: {'，'.join(fixes)}"
        out.append(p.model_copy(update={"text": text}))
        if len(out) >= cap:
            break
    return out


def build_sections(g: Gathered, practices: PracticeSets, totals: list[Total], rates: list[RateSummary],
                   table: list[Practice], excluded: set[str], corrected: dict[str, str]) -> list[SectionDigest]:
    genre = digest_genre()
    lim = genre.limits
    sections = []
    for kind in DIGEST_KINDS:
        common, notable = practices.get(kind, ([], []))
        common = _cleaned(common, excluded, corrected, lim.max_common)
        notable = _cleaned(notable, excluded, corrected, lim.max_notable)
        section = SectionDigest(kind=kind, title="", offices=len(g.reports), common=common, notable=notable)
        section.figures = key_figures(kind, totals, rates, excluded, table if kind is SectionKind.measures else [])
        section.title = section_title(section, g.year)
        sections.append(section)
    return sections


def _flagged_keys(composed: Composed, report: CheckReport, text: str) -> Iterator[tuple[str | None, str]]:
    for fig in report.figures:
        if fig.status in FLAGGED:
            yield composed.key_at(fig.start), f"{fig.text} {fig.status.value}: {fig.note or ''}".strip()
    for finding in report.arithmetic:
        yield composed.key_at(finding.start), f"{finding.text}: {finding.message}"
    for lint in lint_text(text).findings:
        yield composed.key_at(lint.start), f"{lint.excerpt} lint {lint.rule}: {lint.message}"


def _opening_sources(g: Gathered) -> list[Source]:
    return [Source(office=r.label, file=r.file, line=1) for r in g.reports]


def _other_years(g: Gathered) -> str:
    genre = digest_genre()
    others = [r for r in g.reports if other_year(r, g.year)]
    if not others:
        return ""
    years = "、".join(str(y) for y in sorted({r.year for r in others if r.year}))
    return genre.mixed_years.format(offices=genre.names([r.label for r in others]), years=years)


_FigureKey = tuple[str, int, str]  # file, line, the figure as written


def _table(columns: list[MetricColumn], totals: list[Total], rates: list[RateSummary], excluded: set[str],
           canon: dict[tuple[str, int, str, str], str]) -> tuple[list[Practice], set[str]]:
    """The table's lines, and the range clauses it supersedes, so 主要数据 states one total or
    one range per metric.

    An aggregate the digest prints (not excluded) is matched to a column by the canonical metric
    of its members, figure by figure (file, line and figure: two totals may share their lines).
    With the same cells, the aggregate states the column's total or range in the reports' words;
    a total over other cells keeps the checked total and the column states none; a range over
    other cells gives way to the column's, which covers every office reporting the metric."""
    shown = {c.name: frozenset((x.source.file, x.source.line, x.text) for x in c.cells)
             for c in columns if len(c.cells) >= 2}
    hidden = {c for r in rates if r.mode == "recomputed" for c in r.counts}
    stated: set[str] = set()
    superseded: set[str] = set()
    for agg in [*totals, *rates]:
        if agg.text in excluded or (isinstance(agg, Total) and agg.metric in hidden):
            continue
        names = {canon.get((m.file, m.line, m.figure, agg.metric), "") for m in agg.members}
        name = names.pop() if len(names) == 1 else ""
        if name not in shown:
            continue
        keys: frozenset[_FigureKey] = frozenset((m.file, m.line, m.figure) for m in agg.members)
        if keys == shown[name] or isinstance(agg, Total):
            stated.add(name)
        elif agg.mode != "recomputed":
            superseded.add(agg.text)
    table = [Practice(text=text, labels=[c.label for c in col.cells], sources=[c.source for c in col.cells],
                      counted=True)
             for text, col in table_lines(columns, stated)]
    return table, superseded


def finish(g: Gathered, practices: PracticeSets, run: DigestRun, *, title: str | None = None,
           path: str = "digest") -> DigestResult:
    """Aggregate, compose, check against the reports and lint, drop what either flags, parse."""
    totals = compute_totals(g.figures)
    rates = compute_rates(g.figures)
    columns = metric_table(g.figures)
    canon = {(lf.file, lf.figure.line, lf.figure.text, lf.metric): lf.canonical for lf in g.figures}
    title = title or default_title(g.year)
    labels = [r.label for r in g.reports]
    # a total adds up the reports of one year: each report's own year, or the digest's
    years = {r.file: r.year or g.year for r in g.reports}  # a figure of an earlier year is last year's
    index = SourceIndex.build(g.sources, dict(years), years={f: y for f, y in years.items() if y})
    excluded: set[str] = set()
    dropped: list[str] = []
    corrected: dict[str, str] = {}
    superseded: set[str] = set()
    for _ in range(MAX_REPAIRS):
        table, superseded = _table(columns, totals, rates, excluded, canon)
        sections = build_sections(g, practices, totals, rates, table, excluded | superseded, corrected)
        composed = compose(title, g.year, labels, sections, opening_sources=_opening_sources(g),
                           other_years=_other_years(g))
        report = check_text(NamedText(path=path, text=composed.for_check()), notes_index=index)
        flagged = [(k, why) for k, why in _flagged_keys(composed, report, composed.text) if k]
        if not flagged:
            break
        for key, why in flagged:
            rate = next((r for r in rates if r.text == key), None)
            if rate is not None and rate.mode == "recomputed":
                rates[rates.index(rate)] = range_of(rate, g.figures)
            else:
                excluded.add(key)
            dropped.append(f"{key} — {why}")
    document = parse_text(composed.text, path)
    used = {text for s in sections for p in [*s.common, *s.notable] for text in [p.text]}
    run.events = sorted([*run.events, *g.events])
    return DigestResult(document=document, text=composed.text, checked_text=composed.for_check(), check=report,
                        year=g.year, reports=g.reports,
                        skipped=g.skipped, left_out=g.left_out, sections=sections, totals=totals,
                        rates=[r for r in rates if r.text not in superseded],
                        metrics=columns, attribution=composed.attribution(),
                        corrected=[f"{t} ← {why}" for t, why in corrected.items() if t in used],
                        dropped=list(dict.fromkeys(dropped)), run=run)


def run_digest(inputs: Sequence[Path | NamedText], *, settings: Settings | None = None, title: str | None = None,
               ledger: Path | LedgerWriter | None = None, path: str = "digest", skipped: Sequence[SkippedFile] = (),
               progress: Progress | None = None, model: ChatModel | None = None, year: int | None = None,
               mixed_years: bool = False, offices: OfficeTable | None = None,
               names: dict[Path, str] | None = None) -> DigestResult:
    """Digest reports given as files or as in-memory texts (tests, the benchmark's generated reports).

    Offline unless ``settings`` name an endpoint or a ``model`` is passed (tests pass a fake).
    ``names``: how each file is called in the outputs (relative to the inputs)."""
    started = time.perf_counter()
    settings = settings or Settings.from_cli(backend="offline")
    use_model = model is not None or settings.uses_model
    g = gather(read_all(inputs, names), len(inputs), ledger, skipped=skipped, keep_sections=use_model,
               progress=progress, year=year, mixed_years=mixed_years, offices=offices)
    practices = offline_practices(g, set())
    run = DigestRun(backend="offline")
    if use_model:
        from aidraft.digest.llm_reduce import llm_practices

        practices, run = llm_practices(g, practices, settings, model, progress)
    run.ledger_rows = g.rows
    result = finish(g, practices, run, title=title, path=path)
    result.run.seconds = round(time.perf_counter() - started, 3)
    return result


def digest_paths(args: Sequence[str | Path], *, exclude: Sequence[Path] = (), **kwargs: Any) -> DigestResult:
    """Expand files, folders and globs, then :func:`run_digest` (exit 2 when nothing is readable)."""
    collected = collect(args, exclude)
    return run_digest(list(collected.files), skipped=collected.skipped, names=display_names(collected.files),
                      **kwargs)
