"""Run a digest case through the digest job, behind one small adapter.

The digest job (aidraft.digest.pipeline.run_digest) is young; everything the evals need from it
passes through ``digest_reports`` so a change of its signature is a change here only. When the
job is not available in this build the case is reported as skipped, not failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aidraft.check.model import CheckReport
from aidraft.check.sources import NamedText
from aidraft.evals.cases import NamedInput
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


def digest_reports(reports: list[NamedInput], settings: Settings, path: str) -> DigestOutput:
    """Digest in-memory reports; DigestUnavailable when the digest job cannot run."""
    try:
        from aidraft.digest.pipeline import run_digest
    except ImportError as exc:
        raise DigestUnavailable(f"aidraft.digest.pipeline cannot be imported: {exc}") from exc
    try:
        result = run_digest(
            [NamedText(path=r.name, text=r.text) for r in reports], settings=settings, path=path
        )
    except NotImplementedError as exc:
        raise DigestUnavailable("aidraft.digest.pipeline.run_digest is not implemented yet") from exc
    run = result.run
    stats = RunStats(
        backend=run.backend,
        model=run.model,
        prompt_versions=dict(run.prompt_versions),
        prompt_tokens=run.prompt_tokens,
        completion_tokens=run.completion_tokens,
        model_calls=run.model_calls,
        cached_calls=run.cached_calls,
        seconds=run.seconds,
    )
    return DigestOutput(document=result.document, check=result.check, run=stats, notes=list(result.dropped))
