"""The document tree every stage shares: parse produces it, check, lint, draft and digest read it.

Offsets and line numbers refer to ``Document.text``: the decoded file with BOM removed and
newlines normalised to ``\\n`` (for .docx, one line per paragraph).
"""

# no `from __future__ import annotations`: see aidraft.strict

from enum import Enum

from pydantic import Field

from aidraft import genre
from aidraft.errors import DataError
from aidraft.strict import Strict

#: Kinds the code itself reasons about (the position fallback, the problems and plans sections'
#: own shapes); the section catalogue must list them, and may list more.
CORE_KINDS = ("measures", "duty", "problems", "plans", "other")


def _catalogue_kinds() -> list[str]:
    """The kind names of the section catalogue (genre/sections.yaml), in its order."""
    raw = genre.raw("sections.yaml")
    entries = raw.get("kinds") if isinstance(raw, dict) else None
    names = [e["kind"] for e in entries or [] if isinstance(e, dict) and isinstance(e.get("kind"), str)]
    if missing := [k for k in CORE_KINDS if k not in names]:
        raise DataError(f"bundled genre file sections.yaml: kinds must include {', '.join(missing)}")
    return names


#: The standard content a top-level section carries (see GENRE.md): one member per kind of the
#: section catalogue, so a new kind is an entry in genre/sections.yaml, not a change here.
SectionKind = Enum("SectionKind", [(name, name) for name in _catalogue_kinds()],  # type: ignore[misc]
                   type=str, module=__name__)


class NumberStyle(str, Enum):
    """How a heading is numbered, independent of the level it ends up at."""

    cn_dun = "cn_dun"  # 一、
    cn_paren = "cn_paren"  # （一）
    ar_dot = "ar_dot"  # 1.  1．
    ar_dun = "ar_dun"  # 1、
    ar_paren = "ar_paren"  # （1）
    none = "none"  # unnumbered


class Section(Strict):
    level: int = Field(ge=1, le=4, description="1 for 一、, 2 for （一）, 3 for 1., 4 for （1）")
    number: str = Field(description="the numbering as written, e.g. '（一）' or '1、'")
    style: NumberStyle
    ordinal: int | None = Field(default=None, description="1 for 一、/（一）/1.; None when unnumbered")
    title: str = Field(description="heading text without its number")
    text: str = Field(default="", description="body text under this heading, before any child heading")
    line: int = Field(ge=1, description="1-based line of the heading in Document.text")
    start: int = Field(ge=0, description="offset of the heading line in Document.text")
    end: int = Field(ge=0, description="offset just past the last line of this section and its children")
    kind: SectionKind | None = Field(default=None, description="set on top-level sections only")
    children: list["Section"] = Field(default=[])

    def walk(self) -> "list[Section]":
        """This section and all its descendants, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class Document(Strict):
    path: str | None = None
    title: str | None = None
    office: str | None = None
    year: int | None = Field(default=None, description="the year the report covers")
    preamble: str = Field(default="", description="opening paragraph(s) before the first heading")
    closing: str = Field(default="", description="signature block (office, date) after the last section")
    sections: list[Section] = Field(default=[])
    text: str = Field(description="normalised full text; all offsets point into it")
    body_start: int = Field(default=0, ge=0, description="offset where the report proper begins (after web debris)")

    def walk(self) -> list[Section]:
        out: list[Section] = []
        for section in self.sections:
            out.extend(section.walk())
        return out

    def section_of_kind(self, kind: SectionKind) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return self.text.count("\n", 0, offset) + 1
