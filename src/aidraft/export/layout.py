"""The GB/T 9704-2012 layout as a typed model of ``genre/gbt9704.yaml``, plus the small
geometric rules (title breaks, 落款 indents) that depend only on it.

Keeping the numbers in YAML lets an office with a house variant (other margins, 方正仿宋
instead of 仿宋_GB2312) change them without touching the writer.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
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


class WordUnits(_Strict):
    """Where a line of an office name or title may break (GB/T 9704 7.3.3: 词意完整).

    A break falls after a unit word (an office suffix 局/委员会/办公室, a place unit 县/自治州,
    法治政府建设) or before 关于, never inside a word of ``words`` or of the unit words
    themselves (no break after 委 in 委员会), never inside a run of digits or Latin letters, and
    never after a unit followed by ``no_break_before`` (县委, 市场).
    """

    break_before: list[str] = Field(default_factory=list)
    break_after: list[str] = Field(default_factory=list)
    no_break_before: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)

    def cuts(self, text: str) -> list[int]:
        """Every allowed break position inside ``text``, ascending."""
        found: set[int] = set()
        for word in self.break_before:
            found.update(at for at in _occurrences(text, word) if at > 0)
        for word in self.break_after:
            found.update(at + len(word) for at in _occurrences(text, word)
                         if not any(text.startswith(nb, at + len(word)) for nb in self.no_break_before))
        inside = {at + k for word in (*self.words, *self.break_after) for at in _occurrences(text, word)
                  for k in range(1, len(word))}
        return sorted(c for c in found if 0 < c < len(text) and c not in inside
                      and not (text[c - 1].isascii() and text[c - 1].isalnum()
                               and text[c].isascii() and text[c].isalnum()))

    def split(self, text: str, max_width: float, max_lines: int) -> list[str]:
        """``text`` in as few lines of at most ``max_width`` as word breaks allow (at most
        ``max_lines``), the most balanced such split, never an hourglass (梯形或菱形); if no
        split fits, the one whose longest line is shortest; one line when no break exists."""
        text = text.strip()
        if text_width(text) <= max_width:
            return [text]
        cuts = self.cuts(text)
        options = [[c] for c in cuts]
        if max_lines >= 3:
            options += [[a, b] for i, a in enumerate(cuts) for b in cuts[i + 1:]]
        if not options:
            return [text]

        def lines(option: list[int]) -> list[str]:
            bounds = [0, *option, len(text)]
            return [text[a:b] for a, b in pairwise(bounds)]

        def rank(option: list[int]) -> tuple[bool, int, bool, float, float]:
            widths = [text_width(line) for line in lines(option)]
            hourglass = len(widths) == 3 and widths[1] < min(widths[0], widths[2])
            spread = max(widths) - min(widths)
            return max(widths) > max_width, len(widths), hourglass, max(widths), spread

        return lines(min(options, key=rank))


def _occurrences(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)] if word else []


class TitleRule(_Strict):
    max_line_chars: float = Field(gt=0)
    max_lines: int = Field(default=3, ge=1)

    def split(self, title: str, units: WordUnits | None = None) -> list[str]:
        """The title's lines: at most ``max_lines`` balanced lines broken between words
        (``units``: the bundled layout's when None)."""
        return (units or load_layout().word_units).split(title, self.max_line_chars, self.max_lines)


class ClosingRule(_Strict):
    right_indent_chars: float = Field(ge=0)
    date_shift_chars: float = Field(ge=0)
    max_office_lines: int = Field(default=3, ge=1)

    def indents(self, lines: list[str], date_width: float | None = None) -> list[float]:
        """Right indent, in characters, for each 落款 line (GB/T 9704 7.3.5.2).

        With an office line followed by a date, the date starts ``date_shift_chars`` to the
        right of the office name; a date that would then come too close to the margin is set
        at ``right_indent_chars`` and the office name moves left to keep the shift.
        ``date_width`` overrides the last line's width (a placeholder set where a date will be).
        """
        base = self.right_indent_chars
        if len(lines) < 2 or not is_written_date(lines[-1]):
            return [base] * len(lines)
        office = max(text_width(line) for line in lines[:-1])
        date = text_width(lines[-1]) if date_width is None else date_width
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
    word_units: WordUnits
    page_number: PageNumber
    placeholders: Placeholders
    font_table: dict[str, FontEntry] = Field(default_factory=dict)
    document: DocumentInfo

    @property
    def text_width_twips(self) -> int:
        return mm_to_twips(self.page.width_mm - self.page.margin_left_mm - self.page.margin_right_mm)

    def split_title(self, title: str) -> list[str]:
        """The title broken into lines between words (GB/T 9704 7.3.3)."""
        return self.title.split(title, self.word_units)

    def split_office(self, office: str) -> list[str]:
        """A 落款 office name too long for one line, broken between words into lines that fit
        left of the standard right indent."""
        room = self.text_width_twips / self.roles.closing.char_twips - self.closing.right_indent_chars
        return self.word_units.split(office, room, self.closing.max_office_lines)


def load_layout(name: str = "gbt9704.yaml") -> Layout:
    """The bundled layout, validated and cached; a malformed file raises DataError."""
    return genre.load(name, Layout)


def text_width(text: str) -> float:
    """Width in full-width characters: CJK and full-width forms count 1, everything else ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


