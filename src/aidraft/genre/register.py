"""The register rules of the genre (genre/register.yaml): the drafter's prompts state them, the
repair step checks them, the offline writer applies them, `aidraft lint` flags them, and the evals
score drafts by them, so all of these read this one model.

Words inside a quotation (《》, “”) are someone else's words: never flagged, never rewritten.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re
from functools import cache, cached_property
from typing import NamedTuple

from pydantic import Field

from aidraft import genre, regexes
from aidraft.strict import Strict
from aidraft.text import find_all, quoted

_STOPS = regexes.compile(r"。+")  # the full stop an exclamation became, doubled


class Colloquial(Strict):
    word: str
    use: str | None = Field(default=None, description="the written form; '' drops the word; None: left to the clerk")
    allow: list[str] = Field(default=[], description="official phrases the word stands in (不搞)")


class Hit(NamedTuple):
    """One register problem at [start, end) of a text."""

    kind: str  # first_person, colloquial or mark
    start: int
    end: int
    word: str
    use: str | None


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _allowed(text: str, start: int, end: int, allow: list[str]) -> bool:
    """True when the word at [start, end) is part of one of the ``allow`` phrases."""
    for phrase in allow:
        for at in find_all(text, phrase):
            if at <= start and end <= at + len(phrase):
                return True
    return False


class RegisterRules(Strict):
    """genre/register.yaml: what the prompts ask for and what :meth:`hits` checks afterwards."""

    version: str
    first_person: list[str]
    first_person_pattern: str
    colloquial: list[Colloquial]
    marks: list[Colloquial] = Field(default=[], description="punctuation a report does not use (！)")
    required: list[str]
    claims: list[str] = Field(default=[], description="distinctions a sentence may claim only "
                              "where the notes it cites do")
    claim_phrases: list[str] = Field(default=[], description="set phrases holding a claim word "
                                     "that claim nothing (率先垂范)")
    promises: list[str] = Field(default=[], description="plan wording (下一步, 力争): the plans "
                                "section's own")

    def claims_in(self, text: str) -> list[str]:
        """The claim words of ``text`` outside quotations and set phrases (率先垂范), longest first
        where two overlap (示范单位 over 示范)."""
        skip = quoted(text) + [(at, at + len(p)) for p in self.claim_phrases for at in find_all(text, p)]
        found: list[tuple[int, int, str]] = []
        for word in sorted(set(self.claims), key=len, reverse=True):
            for at in find_all(text, word):
                span = (at, at + len(word))
                if not _inside(skip, *span) and not any(s < span[1] and span[0] < e for s, e, _ in found):
                    found.append((*span, word))
        return list(dict.fromkeys(word for _, _, word in sorted(found)))

    def promises_in(self, text: str) -> list[str]:
        """The plan wording of ``text`` outside quotations."""
        skip = quoted(text)
        return [w for w in self.promises if any(not _inside(skip, at, at + len(w)) for at in find_all(text, w))]

    @cached_property
    def _words(self) -> tuple[re.Pattern[str], dict[str, list[tuple[str, Colloquial]]]]:
        """The colloquial words and marks as one pattern (overlapping matches found through a
        lookahead, as a scan per word found them), with the entries each word stands for."""
        entries: dict[str, list[tuple[str, Colloquial]]] = {}
        for kind, listed in (("colloquial", self.colloquial), ("mark", self.marks)):
            for entry in listed:
                entries.setdefault(entry.word, []).append((kind, entry))
        words = regexes.alternation(entries) if entries else "(?!)"
        return regexes.compile(f"(?=({words}))"), entries

    def first_person_re(self) -> re.Pattern[str]:
        return regexes.compile(self.first_person_pattern)

    def hits(self, text: str) -> list[Hit]:
        """Every first-person form, colloquial word and unused mark outside quotations; where two
        overlap the longer is kept (挺好 over 挺)."""
        skip = quoted(text)
        found = [Hit("first_person", m.start(), m.end(), m.group(0), None)
                 for m in self.first_person_re().finditer(text)]
        words_re, entries = self._words
        for m in words_re.finditer(text):  # one pass over the text for every word (a scan per word was a draft's lint)
            for kind, entry in entries[m.group(1)]:
                at, end = m.start(1), m.end(1)
                if not _allowed(text, at, end, entry.allow):
                    found.append(Hit(kind, at, end, entry.word, entry.use))
        kept: list[Hit] = []
        for hit in sorted(found, key=lambda h: (h.start, -(h.end - h.start))):
            if _inside(skip, hit.start, hit.end) or any(k.start < hit.end and hit.start < k.end for k in kept):
                continue
            kept.append(hit)
        return kept

    def findings(self, text: str) -> list[str]:
        """Register problems in ``text``, one line each (in Chinese: they go back to the model)."""
        lines: list[str] = []
        for hit in self.hits(text):
            if hit.kind == "first_person":
                lines.append(f"使用了第一人称“{hit.word}”，应改用单位名称")
            elif hit.kind == "colloquial":
                fix = f"，改用“{hit.use}”" if hit.use else "，改用书面语"
                lines.append(f"使用了口语词“{hit.word}”{fix}")
        return list(dict.fromkeys(lines))

    def formal(self, text: str, spoken_self: list[str], self_name: str) -> str:
        """``text`` in the written register: the office's spoken self-reference (咱们局, 我们) becomes
        ``self_name``, a colloquial word its written form, an exclamation a full stop. Words with
        no written form stay (the lint flags them); quotations are left as written."""
        skip = quoted(text)
        edits: list[tuple[int, int, str]] = []
        for word in sorted(spoken_self, key=len, reverse=True):
            edits += [(at, at + len(word), self_name) for at in find_all(text, word)]
        edits += [(h.start, h.end, h.use) for h in self.hits(text) if h.kind != "first_person" and h.use is not None]
        out, last = [], 0
        for start, end, new in sorted(edits, key=lambda e: (e[0], -(e[1] - e[0]))):
            if start < last or _inside(skip, start, end):
                continue
            out += [text[last:start], new]
            last = end
        text = "".join(out) + text[last:]
        return _STOPS.sub("。", text)


@cache
def register_rules() -> RegisterRules:
    return genre.load("register.yaml", RegisterRules)
