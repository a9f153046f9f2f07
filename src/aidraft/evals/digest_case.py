"""Run a digest case through the digest job, behind one small adapter.

The digest job (aidraft.digest.pipeline.run_digest) is young; everything the evals need from it
passes through ``digest_reports`` so a change of its signature is a change here only. When the
job is not available in this build the case is reported as skipped, not failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aidraft.check.model import CheckReport
from aidraft.ingest.read import NamedText
from aidraft.evals.results import RunStats
from aidraft.parse.document import Document
from aidraft.settings import Settings


class DigestUnavailable(Exception):
    """The digest job cannot run in this build (not installed or not finished)."""


@dataclass
class DigestOutput:
    """What the evals read from a digest: its parsed text, its self-check, and its run record."""

    document: Document
    check: CheckReport
    run: RunStats
    notes: list[str] = field(default_factory=list)


def digest_reports(reports: list[NamedText], settings: Settings, path: str) -> DigestOutput:
    """Digest a case's in-memory reports with the digest job itself."""
    from aidraft.digest.pipeline import run_digest

    result = run_digest(list(reports), settings=settings, path=path)
    stats = RunStats(**result.run.model_dump(include=set(RunStats.model_fields)))
    return DigestOutput(document=result.document, check=result.check, run=stats, notes=list(result.dropped))
