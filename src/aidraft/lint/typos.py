"""Typos a spell checker cannot see: real words in the wrong place, and stuttered words.

The confusion lexicon lives in genre/typos.yaml so offices can extend it; this module only
matches it. A stutter (宣传深入宣传) is an edit left half done: the writer inserted an adverb
and kept the first copy of the verb.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re
from collections.abc import Iterator
from functools import cache

from pydantic import Field

from aidraft import genre, regexes
from aidraft.lint.base import make, paragraphs, rule
from aidraft.lint.model import LintFinding, Severity
from aidraft.parse.document import Document
from aidraft.strict import Strict
from aidraft.text import CJK, find_all


class TypoEntry(Strict):
    wrong: str = Field(min_length=2)
    right: str
    note: str = ""
    unless_before: list[str] = Field(default=[], description="preceding text that makes it fine")
    unless_after: list[str] = Field(default=[], description="following text that makes it fine")


class TypoLexicon(Strict):
    typos: list[TypoEntry]
    stutter_infixes: list[str] = Field(default=[])
    stutter_allowed: list[str] = Field(default=[])


def lexicon() -> TypoLexicon:
    return genre.load("typos.yaml", TypoLexicon)


@cache
def _stutter_re(infixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = regexes.alternation(infixes)
    return regexes.compile(f"([{CJK}]{{2}})(?:{alternatives})?\\1")


def _excused(text: str, start: int, end: int, entry: TypoEntry) -> bool:
    before = text[max(0, start - 4) : start]
    after = text[end : end + 4]
    return any(before.endswith(b) for b in entry.unless_before) or any(
        after.startswith(a) for a in entry.unless_after
    )


@rule("typo")
def typo(doc: Document) -> Iterator[LintFinding]:
    """Occurrences of lexicon entries (longest entry wins where two overlap)."""
    entries = sorted(lexicon().typos, key=lambda e: len(e.wrong), reverse=True)
    for para in paragraphs(doc):
        taken: list[tuple[int, int]] = []
        for entry in entries:
            for s in find_all(para.text, entry.wrong):
                e = s + len(entry.wrong)
                if any(s < te and ts < e for ts, te in taken) or _excused(para.text, s, e, entry):
                    continue
                taken.append((s, e))
                note = f"。{entry.note}" if entry.note else ""
                yield make(
                    doc,
                    "typo",
                    para.start + s,
                    para.start + e,
                    f"疑似错字：“{entry.wrong}”应为“{entry.right}”{note}",
                    suggestion=entry.right,
                    severity=Severity.error,
                )


@rule("typo-stutter")
def stutter(doc: Document) -> Iterator[LintFinding]:
    """A two-character word repeated around an adverb, or doubled outright (宣传深入宣传)."""
    lex = lexicon()
    pattern = _stutter_re(tuple(lex.stutter_infixes))
    for para in paragraphs(doc):
        for match in pattern.finditer(para.text):
            word = match.group(1)
            # 一件一件, 一案一案: counting one by one is idiomatic
            if word[0] == "一" or word in lex.stutter_allowed:
                continue
            s, e = match.span()
            fixed = match.group(0)[len(word) :]
            yield make(
                doc,
                "typo-stutter",
                para.start + s,
                para.start + e,
                f"词语重复：“{match.group(0)}”中“{word}”出现两次，疑为修改未删净",
                suggestion=fixed,
            )
