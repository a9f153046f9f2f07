"""Write the digest as plain report text (title, opening, 一、/（一） sections), remembering where
each item stands and which report lines it rests on, so a figure the checker flags can be traced
to the item that printed it and every sentence can list its sources (digest.json).

The text is what ``parse_text`` turns into the Document the GB/T 9704 exporter writes, the same
route the draft job takes (draft/assemble.py): the digest must read like any clerk's report, in
the compiling office's voice (各单位…, 5个单位中有4个…).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aidraft.digest.config import DigestGenre, digest_genre
from aidraft.digest.model import Practice, SectionDigest, SentenceSources, Source
from aidraft.digest.sentences import attribute
from aidraft.draft.write_offline import paren_number
from aidraft.figures.numerals import cn_number
from aidraft.parse.kinds import catalogue


@dataclass(frozen=True)
class Span:
    """Where one item stands in the text; ``key`` is the item's text, used to drop it."""

    start: int
    end: int
    key: str
    sources: tuple[Source, ...] = ()


@dataclass
class Composed:
    text: str = ""
    spans: list[Span] = field(default_factory=list)
    derived: list[tuple[int, int]] = field(default_factory=list)  # office counts: computed, not quoted

    def line(self, text: str = "") -> None:
        self.text += text + "\n"

    def item(self, text: str, key: str, suffix: str = "", sources: list[Source] | None = None,
             derived: str = "") -> None:
        """Append an item (on the current line) and record its span; ``derived`` is a prefix the
        digest computed itself (5个单位中有4个), which the checker is not asked to find in a report."""
        start = len(self.text)
        if derived:
            self.derived.append((start, start + len(derived)))
        self.text += derived + text
        self.spans.append(Span(start, len(self.text), key, tuple(sources or ())))
        self.text += suffix

    def key_at(self, offset: int) -> str | None:
        return next((s.key for s in self.spans if s.start <= offset < s.end), None)

    def for_check(self) -> str:
        """The text with derived office counts blanked (same length, so offsets hold)."""
        chars = list(self.text)
        for start, end in self.derived:
            chars[start:end] = "　" * (end - start)
        return "".join(chars)

    def attribution(self) -> list[SentenceSources]:
        out = []
        for span in self.spans:
            if span.sources:
                line = self.text.count("\n", 0, span.start) + 1
                out.append(SentenceSources(line=line, text=self.text[span.start : span.end],
                                           sources=list(span.sources)))
        return out


def section_title(section: SectionDigest, year: int) -> str:
    return catalogue().title(section.kind).format(year=year, next_year=year + 1)


def _items(out: Composed, genre: DigestGenre, section: SectionDigest, lead: str, practices: list[Practice]) -> None:
    if lead:
        out.line(lead)
    for index, practice in enumerate(practices):
        derived = genre.counted(section.kind, len(practice.labels), section.offices) if practice.counted else ""
        out.item(attribute(practice.text, genre.names(practice.labels)), practice.text, "\n",
                 practice.sources, derived=genre.ordinal(index) + derived)


def _figures(out: Composed, genre: DigestGenre, practices: list[Practice]) -> None:
    lines = [p for p in practices if p.counted]  # the office × metric table: one paragraph per metric
    inline = [p for p in practices if not p.counted]
    for practice in lines:  # copied from ledger figures with their sources: not re-matched by the checker
        out.item("", practice.text, "\n", practice.sources, derived=practice.text)
    if not inline:
        return
    out.text += genre.figures_lead
    for index, practice in enumerate(inline):
        text = practice.text + (f"（{genre.names(practice.labels)}）" if practice.labels else "")
        out.item(text, practice.text, "；" if index < len(inline) - 1 else "。", practice.sources)
    out.line()


def compose(title: str, year: int, labels: list[str], sections: list[SectionDigest], *,
            opening_sources: list[Source] | None = None, other_years: str = "") -> Composed:
    genre = digest_genre()
    out = Composed()
    out.line(title)
    out.line()
    names = genre.names(labels, genre.limits.opening_names, inner=False)
    opening = genre.opening.format(year=year, next_year=year + 1, offices=names, count="{count}", mixed=other_years)
    head, _, tail = opening.partition("{count}")
    out.item(head, "", "", opening_sources)
    if tail:
        out.item(tail, "", "", derived=f"{len(labels)}")
    out.line()
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
                _items(out, genre, section, lead, practices)
    return out


def default_title(year: int) -> str:
    """The compiling office's title; short enough for one line of 二号 (the exporter breaks a
    longer --title before 关于 or after 法治政府, never leaving one character alone)."""
    return digest_genre().title.format(year=year, next_year=year + 1)
