"""Run a digest case through the digest job, behind one small adapter.

The digest job (aidraft.digest.pipeline.run_digest) is young; everything the evals need from it
passes through ``digest_reports`` so a change of its signature is a change here only. When the
job is not available in this build the case is reported as skipped, not failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pathlib import PurePath

from aidraft.check.model import CheckReport
from aidraft.ingest.read import NamedText
from aidraft.digest.model import Practice, SentenceSources
from aidraft.evals.cases import Case
from aidraft.evals.results import RunStats
from aidraft.figures.extract import extract_figures
from aidraft.lint.run import lint_document
from aidraft.parse.document import Document
from aidraft.settings import Settings
from aidraft.text import han_bigrams

MIN_SHARED = 2  # Han bigrams a report line must share with the sentence it is cited for


class DigestUnavailable(Exception):
    """The digest job cannot run in this build (not installed or not finished)."""


@dataclass
class DigestOutput:
    """What the evals read from a digest: its parsed text, its self-check, and its run record."""

    document: Document
    check: CheckReport
    run: RunStats
    notes: list[str] = field(default_factory=list)
    attribution: list[SentenceSources] = field(default_factory=list)
    common: list[Practice] = field(default_factory=list)
    failed_maps: int = 0  # reports the model could not summarise (DigestRun.failed_maps)
    map_failures: list[str] = field(default_factory=list)  # the run's events naming them


def digest_reports(reports: list[NamedText], settings: Settings, path: str) -> DigestOutput:
    """Digest a case's in-memory reports with the digest job itself."""
    from aidraft.digest.llm_map import MAP_FAILED
    from aidraft.digest.pipeline import run_digest

    result = run_digest(list(reports), settings=settings, path=path)
    stats = RunStats(**result.run.model_dump(include=set(RunStats.model_fields)))
    return DigestOutput(document=result.document, check=result.check, run=stats, notes=list(result.dropped),
                        attribution=result.attribution, common=[p for s in result.sections for p in s.common],
                        failed_maps=result.run.failed_maps,
                        map_failures=[e for e in result.run.events if MAP_FAILED in e])


def _supports(line: str, sentence: str) -> bool:
    """A report line supports a digest sentence when they share words, or a figure of the line
    is quoted in the sentence."""
    if len(han_bigrams(line) & han_bigrams(sentence)) >= MIN_SHARED:
        return True
    return any(f.text in sentence for f in extract_figures(line))


def digest_metrics(digest: DigestOutput, case: Case) -> tuple[dict[str, float | None], dict[str, list[str]]]:
    """attribution_accuracy, clustering_recall, file_names and copied_lint_findings, with details."""
    lines = {r.path: r.text.split("\n") for r in case.reports}
    cited = wrong = 0
    details: dict[str, list[str]] = {}
    for entry in digest.attribution:
        for source in entry.sources:
            cited += 1
            text = lines.get(source.file, [])
            line = text[source.line - 1] if 0 < source.line <= len(text) else ""
            if not _supports(line, entry.text):
                wrong += 1
                details.setdefault("sources that do not support their sentence", []).append(
                    f"{entry.text[:40]} ← {source.file}:{source.line}")
    text = digest.document.text
    stems = {p for r in case.reports for p in (PurePath(r.path).name, PurePath(r.path).stem) if len(p) >= 3}
    shown = sorted(s for s in stems if s in text)
    if shown:
        details["file names in the digest"] = shown
    found = 0
    for expected in case.expect.common:
        if any(p.counted and len(p.labels) >= expected.offices and any(w in p.text for w in expected.words)
               for p in digest.common):
            found += 1
        else:
            details.setdefault("common findings not found", []).append(
                f"{'/'.join(expected.words)} ×{expected.offices}")
    sources = "\n".join(r.text for r in case.reports)
    report = lint_document(digest.document)
    spans = [(f, digest.document.text[f.start : f.end]) for f in report.findings]
    copied = [f"{f.rule}: {span}" for f, span in spans if len(span.strip()) >= 2 and span in sources]
    if copied:
        details["lint findings copied from a report"] = copied
    metrics: dict[str, float | None] = {
        "attribution_accuracy": round(1 - wrong / cited, 4) if cited else None,
        "clustering_recall": round(found / len(case.expect.common), 4) if case.expect.common else None,
        "file_names": float(len(shown)),
        "copied_lint_findings": float(len(copied)),
    }
    return metrics, details
