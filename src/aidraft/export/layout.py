"""The GB/T 9704-2012 layout as a typed model of ``genre/gbt9704.yaml``, plus the small
geometric rules (title breaks, 落款 indents) that depend only on it.

Keeping the numbers in YAML lets an office with a house variant (other margins, 方正仿宋
instead of 仿宋_GB2312) change them without touching the writer.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aidraft import genre, regexes
from aidraft.parse.dates import is_written_date

Align = Literal["left", "center", "right", "justify"]
RoleName = Literal[
    "title", "body", "heading1", "heading2", "heading3", "heading4", "closing", "page_number"
]

TWIPS_PER_PT = 20
_TWIPS_PER_MM = 1440 / 25.4


def mm_to_twips(mm: float) -> int:
    """Word stores page geometry in whole twips; A4 becomes 11906 × 16838."""
    return round(mm * _TWIPS_PER_MM)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Page(_Strict):
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    margin_top_mm: float = Field(ge=0)
    margin_bottom_mm: float = Field(ge=0)
    margin_left_mm: float = Field(ge=0)
    margin_right_mm: float = Field(ge=0)
    header_mm: float = Field(ge=0)
    footer_mm: float = Field(ge=0)


class Grid(_Strict):
    line_pitch_twips: int = Field(gt=0)
    line_spacing_twips: int = Field(gt=0)
    lines_per_page: int = Field(gt=0)
    chars_per_line: int = Field(gt=0)


class Role(_Strict):
    """Typeface and paragraph settings for one kind of paragraph."""

    style_name: str
    style_id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9]*$")
    font: str
    size_pt: float = Field(gt=0)
    bold: bool = False
    align: Align = "justify"
    first_line_chars: float = Field(default=0, ge=0)
    char_spacing_twips: int = 0
    keep_next: bool = False
    outline_level: int | None = Field(default=None, ge=0, le=8)

    @property
    def half_points(self) -> int:
        """w:sz is in half-points (22 pt → 44)."""
        return round(self.size_pt * 2)

    @property
    def char_twips(self) -> int:
        """Advance of one full-width character, spacing included."""
        return round(self.size_pt * TWIPS_PER_PT) + self.char_spacing_twips


class Roles(_Strict):
    title: Role
    body: Role
    heading1: Role
    heading2: Role
    heading3: Role
    heading4: Role
    closing: Role
    page_number: Role

    def heading(self, level: int) -> Role:
        return getattr(self, f"heading{min(max(level, 1), 4)}")  # type: ignore[no-any-return]

    def all(self) -> list[Role]:
        return [getattr(self, name) for name in type(self).model_fields]


class TitleRule(_Strict):
    max_line_chars: float = Field(gt=0)
    break_before: list[str] = Field(default_factory=list)
    break_after: list[str] = Field(default_factory=list)

    def split(self, title: str) -> list[str]:
        """One or two lines, as offices break long titles: before 关于 or after 法治政府.

        The first candidate that makes both lines fit wins; if none fits, the candidate with
        the shortest longer line; if there is no candidate, the title stays one line and the
        word processor wraps it.
        """
        title = title.strip()
        if text_width(title) <= self.max_line_chars:
            return [title]
        cuts: list[int] = []
        for word in self.break_before:
            pos = title.find(word)
            if pos > 0:
                cuts.append(pos)
        for word in self.break_after:
            pos = title.find(word)
            if pos >= 0 and pos + len(word) < len(title):
                cuts.append(pos + len(word))
        if not cuts:
            return [title]

        def longer(cut: int) -> float:
            return max(text_width(title[:cut]), text_width(title[cut:]))

        fitting = [cut for cut in cuts if longer(cut) <= self.max_line_chars]
        cut = fitting[0] if fitting else min(cuts, key=longer)
        return [title[:cut], title[cut:]]


class ClosingRule(_Strict):
    right_indent_chars: float = Field(ge=0)
    date_shift_chars: float = Field(ge=0)

    def indents(self, lines: list[str]) -> list[float]:
        """Right indent, in characters, for each 落款 line (GB/T 9704 7.3.5.2).

        With an office line followed by a date, the date starts ``date_shift_chars`` to the
        right of the office name; a date that would then come too close to the margin is set
        at ``right_indent_chars`` and the office name moves left to keep the shift.
        """
        base = self.right_indent_chars
        if len(lines) < 2 or not is_written_date(lines[-1]):
            return [base] * len(lines)
        office = max(text_width(line) for line in lines[:-1])
        date = text_width(lines[-1])
        date_indent = office - self.date_shift_chars - date + base
        office_indent = base
        if date_indent < base:
            date_indent = base
            office_indent = base + date + self.date_shift_chars - office
        return [office_indent] * (len(lines) - 1) + [date_indent]


class PageNumber(_Strict):
    prefix: str
    suffix: str
    odd_align: Align
    even_align: Align
    indent_chars: float = Field(ge=0)


class Placeholders(_Strict):
    markers: list[str] = Field(min_length=1)
    highlight: str = Field(pattern=r"^[a-zA-Z]+$")

    def pattern(self) -> re.Pattern[str]:
        """Each marker, also with a note before its closing bracket (【待核实：数字】)."""
        alts = []
        for marker in self.markers:
            if len(marker) >= 3 and marker[-1] in "】]":
                alts.append(re.escape(marker[:-1]) + r"(?:[：:][^】\]\n]*)?" + re.escape(marker[-1]))
            else:
                alts.append(re.escape(marker))
        return regexes.compile("|".join(alts))


class FontEntry(_Strict):
    alt_name: str | None = None
    family: Literal["auto", "roman", "swiss", "modern", "script", "decorative"] = "auto"


class DocumentInfo(_Strict):
    language: str
    default_author: str
    subject: str = ""


class Layout(_Strict):
    """Everything the .docx writer needs to know about the page, loaded from YAML."""

    page: Page
    grid: Grid
    roles: Roles
    title: TitleRule
    closing: ClosingRule
    page_number: PageNumber
    placeholders: Placeholders
    font_table: dict[str, FontEntry] = Field(default_factory=dict)
    document: DocumentInfo

    @property
    def text_width_twips(self) -> int:
        return mm_to_twips(self.page.width_mm - self.page.margin_left_mm - self.page.margin_right_mm)


def load_layout(name: str = "gbt9704.yaml") -> Layout:
    """The bundled layout, validated and cached; a malformed file raises DataError."""
    return genre.load(name, Layout)


def text_width(text: str) -> float:
    """Width in full-width characters: CJK and full-width forms count 1, everything else ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


