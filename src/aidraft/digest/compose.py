"""Write the digest as plain report text (title, opening, 一、/（一） sections), remembering where
each item stands so a figure the checker flags can be traced back to the item that printed it.

The text is what ``parse_text`` turns into the Document the GB/T 9704 exporter writes, the same
route the draft job takes (draft/assemble.py): the digest must read like any clerk's report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aidraft.digest.config import DigestGenre, digest_genre
from aidraft.digest.model import Practice, SectionDigest
from aidraft.digest.sentences import attribute
from aidraft.parse.kinds import catalogue
from aidraft.draft.write_offline import cn_number, paren_number


@dataclass(frozen=True)
class Span:
    """Where one item stands in the text; ``key`` is the item's text, used to drop it."""

    start: int
    end: int
    key: str


@dataclass
class Composed:
    text: str = ""
    spans: list[Span] = field(default_factory=list)

    def line(self, text: str = "") -> None:
        self.text += text + "\n"

    def item(self, text: str, key: str, suffix: str = "") -> None:
        """Append an item (on the current line) and record its span."""
        start = len(self.text)
        self.text += text
        self.spans.append(Span(start, len(self.text), key))
        self.text += suffix

    def key_at(self, offset: int) -> str | None:
        return next((s.key for s in self.spans if s.start <= offset < s.end), None)


def section_title(section: SectionDigest, year: int) -> str:
    return catalogue().title(section.kind).format(year=year, next_year=year + 1)


def _items(out: Composed, genre: DigestGenre, lead: str, practices: list[Practice]) -> None:
    if lead:
        out.line(lead)
    for index, practice in enumerate(practices):
        out.item(genre.ordinal(index) + attribute(practice.text, genre.names(practice.labels)), practice.text, "\n")


def _figures(out: Composed, genre: DigestGenre, practices: list[Practice]) -> None:
    out.text += genre.figures_lead
    for index, practice in enumerate(practices):
        text = practice.text + (f"（{genre.names(practice.labels)}）" if practice.labels else "")
        out.item(text, practice.text, "；" if index < len(practices) - 1 else "。")
    out.line()


def compose(title: str, year: int, labels: list[str], sections: list[SectionDigest]) -> Composed:
    genre = digest_genre()
    out = Composed()
    out.line(title)
    out.line()
    out.line(genre.opening.format(year=year, next_year=year + 1, offices=genre.names(labels, genre.limits.opening_names)))
    for number, section in enumerate(sections, start=1):
        out.line(f"{cn_number(number)}、{section_title(section, year)}")
        parts = [
            (genre.common_headings[section.kind], genre.common_leads[section.kind], section.common, False),
            (genre.notable_headings[section.kind], genre.notable_leads[section.kind], section.notable, False),
            (genre.figures_heading, "", section.figures, True),
        ]
        present = [part for part in parts if part[2]]
        if not present:
            out.line(genre.missing)
        for index, (heading, lead, practices, figures) in enumerate(present):
            out.line(paren_number(index) + heading)
            if figures:
                _figures(out, genre, practices)
            else:
                _items(out, genre, lead, practices)
    return out


def default_title(year: int) -> str:
    return digest_genre().title.format(year=year, next_year=year + 1)
