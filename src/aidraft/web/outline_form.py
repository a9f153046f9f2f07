"""The web page's outline step: the outline as form fields, and the edited form back as an outline.

The page shows the same outline ``aidraft plan`` writes; the clerk edits titles and headings
and picks, for each note, the heading it goes under. The edited form is turned back into the
plan.yaml structure and validated by the same model and checks as ``aidraft draft --plan``, so
the web page and the command line accept and refuse exactly the same outlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from aidraft.draft.outline import OutlineFile, plan_from_outline, to_outline, validate_outline
from aidraft.draft.pipeline import DraftInputs, outline, resolve_inputs
from aidraft.draft.plan import DraftPlan
from aidraft.errors import InputError
from aidraft.ingest.read import NamedText
from aidraft.ledger.model import Ledger
from aidraft.messages import DOC_LANG, msg, text
from aidraft.parse.notes import parse_notes
from aidraft.parse.structure import parse_text


class OutlineSession(BaseModel):
    """What the outline page was made from, kept with its job until the clerk writes from it."""

    model_config = ConfigDict(extra="forbid")

    notes: NamedText
    priors: list[NamedText]
    office: str | None
    year: int | None
    backend: str
    outline: OutlineFile

    def inputs(self) -> DraftInputs:
        return draft_inputs(self.notes, self.priors, self.office, self.year)


class Slot(BaseModel):
    """A heading a note can be placed under (section i, subsection j), as the page's select offers it."""

    model_config = ConfigDict(extra="forbid")

    value: str
    label: str


class SlotGroup(BaseModel):
    """One section's headings (an optgroup of the select)."""

    model_config = ConfigDict(extra="forbid")

    title: str
    slots: list[Slot]


def slot_value(section: int, sub: int) -> str:
    return f"{section}-{sub}"


def start_session(notes: NamedText, priors: list[NamedText], office: str | None, year: int | None,
                  backend: str) -> OutlineSession:
    """The program's own outline for these inputs: what ``aidraft plan`` would write."""
    base, ledger, followups = outline(draft_inputs(notes, priors, office, year))
    return OutlineSession(notes=notes, priors=priors, office=office, year=year, backend=backend,
                          outline=to_outline(base, ledger, followups, notes.path))


def draft_inputs(notes: NamedText, priors: list[NamedText], office: str | None, year: int | None) -> DraftInputs:
    """The same inputs the draft job resolves, so the outline and the draft agree."""
    return resolve_inputs(parse_notes(notes.text, notes.path), [parse_text(p.text, p.path) for p in priors],
                          office, year)


def slots(outline_file: OutlineFile) -> list[SlotGroup]:
    """Every heading of the outline, by section, as the page's select offers them."""
    none = text("page.outline.no_heading", DOC_LANG)
    return [SlotGroup(title=section.title, slots=[Slot(value=slot_value(i, j), label=sub.heading or none)
                                                  for j, sub in enumerate(section.subsections)]
                      or [Slot(value=slot_value(i, 0), label=none)])  # a section with no notes yet
            for i, section in enumerate(outline_file.sections)]


def form_values(outline_file: OutlineFile) -> dict[str, str]:
    """The form's fields as the outline stands: titles, headings, and each note's place."""
    values: dict[str, str] = {}
    for i, section in enumerate(outline_file.sections):
        values[f"title-{i}"] = section.title
        for j, sub in enumerate(section.subsections):
            values[f"heading-{i}-{j}"] = sub.heading
            for note in sub.notes:
                values[f"place-{note.id}"] = slot_value(i, j)
    return values


def edited_outline(base: OutlineFile, form: Mapping[str, str]) -> dict[str, Any]:
    """The outline with the form's edits applied, as plain data (what a hand-edited plan.yaml
    loads to), for the shared validation. A field the form lacks keeps the outline's value."""
    source = text("outline.web_source", DOC_LANG)
    raw = base.model_dump(mode="json")
    placed: list[tuple[dict[str, Any], str]] = []
    for i, section in enumerate(raw["sections"]):
        section["title"] = form.get(f"title-{i}", section["title"])
        for j, sub in enumerate(section["subsections"]):
            sub["heading"] = form.get(f"heading-{i}-{j}", sub["heading"])
            placed += [(note, form.get(f"place-{note['id']}", slot_value(i, j))) for note in sub["notes"]]
            sub["notes"] = []
    for note, place in placed:
        target = _slot(raw, place)
        if target is None:
            raise InputError(msg("outline.bad_place", source=source, id=note["id"], place=place[:20]))
        target["notes"].append(note)
    return raw


def plan_from_form(session: OutlineSession, form: Mapping[str, str], ledger: Ledger) -> DraftPlan:
    """The edited form as the plan to write, validated exactly as ``aidraft draft --plan`` does."""
    source = text("outline.web_source", DOC_LANG)
    checked = validate_outline(edited_outline(session.outline, form), source)
    plan, _ = plan_from_outline(checked, ledger, source)
    return plan


def _slot(raw: dict[str, Any], place: str) -> dict[str, Any] | None:
    section, _, sub = place.partition("-")
    if not (section.isascii() and section.isdigit() and sub.isascii() and sub.isdigit()):
        return None
    sections = raw["sections"]
    if int(section) >= len(sections):
        return None
    subsections = sections[int(section)]["subsections"]
    if not subsections and int(sub) == 0:  # the first note moved into a section that had none
        subsections.append({"heading": "", "lead": "", "topic": "", "notes": []})
    if int(sub) >= len(subsections):
        return None
    return sections[int(section)]["subsections"][int(sub)]  # type: ignore[no-any-return]
