"""The digest job: reports → ledger (streamed) → groups and aggregates → digest text → self-check
→ Document for the GB/T 9704 exporter.

One pass over the reports feeds everything: each report is parsed once, its figures go to the
ledger file as they are found, its sentences to the per-section groupers, and only compact
records stay in memory. The digest is then checked against the reports with the checker users
run (``aidraft check digest.md --notes …``); an item the checker flags is taken out (a recomputed
rate falls back to its range) and listed in ``dropped``, so nothing unproven reaches the file.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from aidraft.check.model import FLAGGED, CheckReport
from aidraft.check.run import check_text
from aidraft.check.sources import NamedText, SourceIndex
from aidraft.digest.aggregate import compute_rates, compute_totals, range_of
from aidraft.digest.compose import Composed, compose, default_title, section_title
from aidraft.digest.config import DIGEST_KINDS, digest_genre
from aidraft.digest.group import SentenceGrouper
from aidraft.digest.inputs import collect, read_all
from aidraft.digest.ledger import LedgerFigure, LedgerWriter, ledger_figures
from aidraft.digest.model import (
    DigestResult,
    DigestRun,
    Practice,
    RateSummary,
    ReportRef,
    SectionDigest,
    SkippedFile,
    Total,
)
from aidraft.digest.offices import Labeller
from aidraft.digest.practices import common_practices, key_figures, notable_practices
from aidraft.digest.sentences import section_sentences
from aidraft.errors import InputError
from aidraft.llm.base import ChatModel
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.structure import parse_text
from aidraft.settings import Settings

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): 'read' per report, 'map' per LLM map call, 'reduce' per section."""
PracticeSets = dict[SectionKind, tuple[list[Practice], list[Practice]]]
MAX_REPAIRS = 4


class Gathered:
    """What one pass over the reports leaves in memory."""

    def __init__(self) -> None:
        genre = digest_genre()
        lim = genre.limits
        self.reports: list[ReportRef] = []
        self.skipped: list[SkippedFile] = []
        self.figures: list[LedgerFigure] = []
        self.sources: list[NamedText] = []
        self.sections: list[dict[SectionKind, str]] = []  # per report: its text per standard section
        self.groupers = {k: SentenceGrouper(lim.similarity, lim.posting_cap, lim.candidates, lim.medoid_sample)
                         for k in DIGEST_KINDS}


def gather(items: Iterable[tuple[str, Document | SkippedFile]], total: int, ledger: Path | None, *,
           skipped: Sequence[SkippedFile] = (), keep_sections: bool = False,
           progress: Progress | None = None) -> tuple[Gathered, int]:
    """Read every report once; stream its ledger rows; feed the groupers. Returns the row count."""
    lim = digest_genre().limits
    out = Gathered()
    out.skipped.extend(skipped)
    labeller = Labeller()
    with LedgerWriter(ledger) as writer:
        for done, (path, item) in enumerate(items, start=1):
            if isinstance(item, SkippedFile):
                out.skipped.append(item)
            else:
                doc = item
                ref = ReportRef(file=path, label=labeller.label(path, doc.office, doc.text), office=doc.office,
                                year=doc.year)
                for lf, row in ledger_figures(doc, ref):
                    writer.write(row)
                    out.figures.append(lf)
                    ref.figures += 1
                index = len(out.reports)
                for kind, sentence in section_sentences(doc, lim.min_chars, lim.max_chars):
                    out.groupers[kind].add(index, ref.label, sentence)
                out.reports.append(ref)
                out.sources.append(NamedText(path=path, text=doc.text))
                if keep_sections:
                    out.sections.append({k: _kind_text(doc, k) for k in DIGEST_KINDS})
            if progress:
                progress("read", done, total)
        if not out.reports:
            reasons = "; ".join(f"{s.file}: {s.reason}" for s in out.skipped[:3]) or "no input"
            raise InputError(f"no readable report among {total + len(skipped)} input(s) ({reasons})",
                             hint="give .txt, .md or .docx reports, or a folder of them")
    return out, writer.rows


def _kind_text(doc: Document, kind: SectionKind) -> str:
    """The text of every section of ``kind`` with its headings (what the LLM map step reads)."""
    return "\n".join(doc.text[s.start : s.end] for s in doc.sections if s.kind is kind)


def offline_practices(g: Gathered, excluded: set[str]) -> PracticeSets:
    """Common and notable practices per section from the sentence groups (deterministic)."""
    genre = digest_genre()
    order = [r.label for r in g.reports]
    paths = [r.file for r in g.reports]
    attributed: Counter[str] = Counter()
    out: PracticeSets = {}
    commons = {k: common_practices(g.groupers[k].groups, paths, excluded) for k in DIGEST_KINDS}
    for practices in commons.values():
        for p in practices:
            attributed.update(p.labels[: genre.limits.max_names])
    for kind in DIGEST_KINDS:
        notable = notable_practices(g.groupers[kind].groups, attributed, order, paths, excluded)
        out[kind] = (commons[kind], notable)
    return out


def digest_year(reports: list[ReportRef]) -> int:
    """The year most reports cover (the latest on a tie)."""
    years = Counter(r.year for r in reports if r.year)
    if not years:
        return time.localtime().tm_year - 1
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


def build_sections(g: Gathered, practices: PracticeSets, totals: list[Total], rates: list[RateSummary],
                   excluded: set[str], year: int) -> list[SectionDigest]:
    genre = digest_genre()
    sections = []
    for kind in DIGEST_KINDS:
        common, notable = practices.get(kind, ([], []))
        common = [p for p in common if p.text not in excluded]
        notable = [p for p in notable if p.text not in excluded]
        section = SectionDigest(kind=kind, title="", common=common, notable=notable)
        section.figures = key_figures(kind, g.figures, totals, rates, [*common, *notable], excluded)
        section.title = section_title(section, year)
        sections.append(section)
    return sections


def _flagged_keys(composed: Composed, report: CheckReport) -> Iterator[tuple[str | None, str]]:
    for fig in report.figures:
        if fig.status in FLAGGED:
            yield composed.key_at(fig.start), f"{fig.text} {fig.status.value}: {fig.note or ''}".strip()
    for finding in report.arithmetic:
        yield composed.key_at(finding.start), f"{finding.text}: {finding.message}"


def finish(g: Gathered, practices: PracticeSets, run: DigestRun, *, title: str | None = None,
           path: str = "digest") -> DigestResult:
    """Aggregate, compose, check against the reports, drop what the checker flags, parse."""
    totals = compute_totals(g.figures)
    rates = compute_rates(g.figures)
    year = digest_year(g.reports)
    title = title or default_title(year)
    labels = [r.label for r in g.reports]
    index = SourceIndex.build(g.sources)
    excluded: set[str] = set()
    dropped: list[str] = []
    for _ in range(MAX_REPAIRS):
        sections = build_sections(g, practices, totals, rates, excluded, year)
        composed = compose(title, year, labels, sections)
        report = check_text(NamedText(path=path, text=composed.text), notes_index=index)
        flagged = list(_flagged_keys(composed, report))
        if not flagged or any(key is None for key, _ in flagged):
            break
        for key, why in flagged:
            rate = next((r for r in rates if r.text == key), None)
            if rate is not None and rate.mode == "recomputed":
                rates[rates.index(rate)] = range_of(rate, g.figures)
            else:
                excluded.add(key)  # type: ignore[arg-type]
            dropped.append(f"{key} — {why}")
    document = parse_text(composed.text, path)
    return DigestResult(document=document, text=composed.text, check=report, reports=g.reports, skipped=g.skipped,
                        sections=sections, totals=totals, rates=rates, dropped=dropped, run=run)


def run_digest(inputs: Sequence[Path | NamedText], *, settings: Settings | None = None, title: str | None = None,
               ledger: Path | None = None, path: str = "digest", skipped: Sequence[SkippedFile] = (),
               progress: Progress | None = None, model: ChatModel | None = None) -> DigestResult:
    """Digest reports given as files or as in-memory texts (tests, the benchmark's generated reports).

    Offline unless ``settings`` name an endpoint or a ``model`` is passed (tests pass a fake)."""
    started = time.perf_counter()
    settings = settings or Settings.from_cli(backend="offline")
    use_model = model is not None or settings.uses_model
    g, rows = gather(read_all(inputs), len(inputs), ledger, skipped=skipped, keep_sections=use_model,
                     progress=progress)
    practices = offline_practices(g, set())
    run = DigestRun(backend="offline")
    if use_model:
        from aidraft.digest.llm_reduce import llm_practices

        practices, run = llm_practices(g, practices, settings, model, progress)
    run.ledger_rows = rows
    result = finish(g, practices, run, title=title, path=path)
    result.run.seconds = round(time.perf_counter() - started, 3)
    return result


def digest_paths(args: Sequence[str | Path], *, exclude: Sequence[Path] = (), **kwargs: Any) -> DigestResult:
    """Expand files, folders and globs, then :func:`run_digest` (exit 2 when nothing is readable)."""
    collected = collect(args, exclude)
    return run_digest(list(collected.files), skipped=collected.skipped, **kwargs)
