"""Write a draft's files atomically: report.docx, report.md and report.check.json beside them.

All three are rendered in memory first and written as one set (aidraft.files.write_set): a
failure while rendering or writing leaves the earlier three intact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from aidraft.check.model import CheckReport
from aidraft.draft.followup import PlanFollowup
from aidraft.draft.pipeline import DraftResult, RunInfo
from aidraft.draft.prior import PlanGap
from aidraft.export.docx_writer import render_docx
from aidraft.export.markdown import render_markdown
from aidraft.files import beside, output_stem, write_set
from aidraft.ledger.model import TargetCheck
from aidraft.lint.model import LintReport
from aidraft.strict import Strict


class SectionRecord(Strict):
    kind: str
    title: str
    backend: str
    note: str | None = None

    @field_validator("note")
    @classmethod
    def _no_personal_data(cls, note: str | None) -> str | None:
        """A note may quote the model's problem with a section: kinds, never values, are kept."""
        from aidraft.privacy.mask import scrub

        return scrub(note) if note else note
    provenance: str = Field(default="offline", description="model, repaired (model after the one re-ask) or offline")
    fallback: bool = Field(default=False, description="the model could not write it: written offline from the notes")


#: the ``section`` of the opening paragraph's record: it stands before the first section
PREAMBLE = "preamble"


class SentenceRecord(Strict):
    """One sentence of the draft with the notes it states (ledger ids N1 …)."""

    text: str
    section: str = Field(description="the section kind it stands in; 'preamble' for the opening")
    section_title: str
    note_ids: list[str]
    kind: Literal["fact", "connective", "placeholder"]


class DraftCheckFile(Strict):
    """report.check.json: what a reviewer must look at before the draft is filed."""

    report: str
    check: CheckReport
    lint: LintReport
    unanswered_plans: list[PlanGap]
    plans_followup: list[PlanFollowup] = Field(default_factory=list, description="last year's promises: "
                                               "done / partly / repeated / unanswered, with evidence")
    targets: list[TargetCheck] = Field(default_factory=list, description="this year's targets in the notes held "
                                       "against this year's figures: met or not, with the bound")
    sections: list[SectionRecord]
    sentences: list[SentenceRecord] = Field(default_factory=list, description="empty when the writer does not trace")
    run: RunInfo


class DraftPaths(Strict):
    docx: Path
    markdown: Path
    check: Path


def output_paths(out: Path) -> DraftPaths:
    stem = output_stem(out, "report.docx")
    return DraftPaths(docx=beside(stem, ".docx"), markdown=beside(stem, ".md"), check=beside(stem, ".check.json"))


def quoted_notes_scrubbed(check: CheckReport) -> CheckReport:
    """The check with each figure's quote of the notes scrubbed of personal data (〔手机号〕): the
    record is shared like the draft, whose own sentences are masked already."""
    from aidraft.privacy.mask import scrub

    figures = [f.model_copy(update={"source": f.source.model_copy(update={"sentence": scrub(f.source.sentence)})})
               if f.source is not None and f.source.sentence else f for f in check.figures]
    return check.model_copy(update={"figures": figures})


def write_outputs(result: DraftResult, out: Path) -> DraftPaths:
    paths = output_paths(out)
    docx = render_docx(result.document)
    markdown = render_markdown(result.document)
    record = DraftCheckFile(
        report=str(paths.docx), check=quoted_notes_scrubbed(result.check), lint=result.lint, unanswered_plans=result.unanswered_plans,
        sections=[SectionRecord(kind=s.kind.value, title=s.title, backend=s.backend, note=s.note,
                                provenance=s.provenance, fallback=s.fallback) for s in result.sections],
        plans_followup=result.plans_followup,
        targets=result.ledger.targets if result.ledger is not None else [],
        sentences=([SentenceRecord(text=result.opening.text, section=PREAMBLE, section_title="",
                                   note_ids=result.opening.note_ids, kind=result.opening.kind)]
                   if result.opening is not None else [])
        + [SentenceRecord(text=t.text, section=s.kind.value, section_title=s.title, note_ids=t.note_ids,
                          kind=t.kind) for s, t in result.traced_sentences()],
        run=result.run,
    )
    write_set([(paths.docx, docx), (paths.markdown, markdown.encode("utf-8")),
               (paths.check, (record.model_dump_json(indent=2) + "\n").encode("utf-8"))])
    return paths
