"""Chinese text primitives every stage shares: character classes, sentences, clauses, bigrams.

One home, so that the parser, checker, linter, drafters, digest and evals cut text the same
way. Where two callers need different cuts (a note's sentence ends at ；, a report's does not;
a digest never cuts inside “quotes”), they say so with a keyword or a named function here,
never with a regex of their own. Office names and levels are not text primitives: see
``aidraft.parse.office``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from aidraft import regexes

#: CJK Unified Ideographs (the basic block): what "Han text" means for lengths and bigrams.
HAN = "\u4e00-\u9fff"
#: Han plus Extension A and the compatibility block: what counts as Chinese in lint and register.
CJK = "\u3400-\u9fff\uf900-\ufaff"


def is_cjk(ch: str) -> bool:
    """Whether the character ``ch`` is in CJK ("" at a text's edge is not): a test of one
    character without compiling CJK's class of 28,000 characters (see _OnFirstUse)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def is_han(ch: str) -> bool:
    """Whether the character ``ch`` is in HAN ("" at a text's edge is not)."""
    return "\u4e00" <= ch <= "\u9fff"


class _OnFirstUse:
    """A regex compiled when first used. Python compiles a character class over a range one
    character at a time: a class of the 21,000 Han characters costs milliseconds. Once
    ``regexes.py`` keeps a pattern compiled this saves nothing more; it still spares a first run,
    and every run of an install that keeps nothing (read-only, no bytecode written), the patterns
    a command never uses. After the first use its methods are the compiled pattern's own
    (attributes set on the instance), so it costs nothing more."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __getattr__(self, name: str) -> object:  # only for names not yet set on the instance
        compiled = regexes.compile(self.pattern)
        for method in ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def on_first_use(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, done when the pattern is first used (for module-level patterns
    with large character classes)."""
    return _OnFirstUse(pattern)  # type: ignore[return-value]  # a Pattern by duck typing


HAN_CHAR = on_first_use(f"[{HAN}]")
HAN_RUN = on_first_use(f"[{HAN}]+")
_NOT_HAN = on_first_use(f"[^{HAN}]+")
#: A character that carries content: Chinese, Latin letters, digits (no punctuation or spaces).
CONTENT_CHAR = on_first_use(f"[{CJK}A-Za-z0-9]")

#: Marks that end a sentence; a semicolon ends one only where a caller says so.
SENTENCE_END = "。！？!?"
SEMICOLONS = "；;"
#: Where a clause ends: the figure extractor's context and the digest's phrasing stop here.
CLAUSE_BREAK = "，。；：、！？,;:!?\n"
CLAUSE_EDGE = regexes.compile(f"[{CLAUSE_BREAK}]")
#: Any sentence edge, semicolons and line ends included (the figure extractor's sentence window).
SENTENCE_BREAKS = SENTENCE_END + SEMICOLONS + "\n"
SENTENCE_BREAK = regexes.compile(f"[{SENTENCE_BREAKS}]")


def sentence_breaks(text: str) -> list[int]:
    """The offsets of every SENTENCE_BREAK character, in order. str.find skips to each mark many
    times faster than a regex's character class steps through the text (the figure extractor
    asks this of every text it reads, and the zero claims of the same text after it)."""
    for known, breaks in _BREAKS_OF:
        if known is text:
            return breaks
    out: list[int] = []
    for mark in SENTENCE_BREAKS:
        find, pos = text.find, text.find(mark)
        while pos >= 0:
            out.append(pos)
            pos = find(mark, pos + 1)
    out.sort()
    _BREAKS_OF[:] = [(text, out), *_BREAKS_OF[:1]]
    return out


#: (text, its breaks) of the last two texts asked (a check's draft and notes); callers never change the list
_BREAKS_OF: list[tuple[str, list[int]]] = []


#: Closing marks that belong to the sentence they follow: 他说："好。" → cut after the quote.
CLOSERS = "”’」』）》】)\"'"
_OPEN, _CLOSE = "“《（(「", "”》）)」"


def han_only(text: str) -> str:
    """The Han characters of ``text``, in order (figures, Latin and punctuation dropped)."""
    return _NOT_HAN.sub("", text)


def han_count(text: str) -> int:
    return len(han_only(text))


def content_count(text: str) -> int:
    """Characters that carry content (no punctuation or spaces)."""
    return len(CONTENT_CHAR.findall(text))


@cache
def sentence_re(*, semicolons: bool = False, lines: bool = True, keep_end: bool = True) -> re.Pattern[str]:
    """A pattern whose matches are the sentences of a text.

    ``semicolons``: ；/; end a sentence too (notes and plan items list with them). ``lines``: a
    line end ends a sentence (it always does in a paragraph-per-line text; a lint rule that
    works inside one paragraph needs no such cut). ``keep_end``: the end mark is part of the match.
    """
    ends = SENTENCE_END + (SEMICOLONS if semicolons else "")
    stop = ends + ("\n" if lines else "")
    return regexes.compile(f"[^{stop}]+" + (f"[{ends}]?" if keep_end else ""))


def sentences(text: str, *, semicolons: bool = False, lines: bool = True) -> list[str]:
    """The sentences of ``text``, each with its end mark, stripped, empty ones dropped."""
    found = (m.group().strip() for m in sentence_re(semicolons=semicolons, lines=lines).finditer(text))
    return [s for s in found if s]


def sentence_pieces(text: str) -> list[str]:
    """``text`` cut after 。！？ (and the closing quotes or brackets that follow): the pieces
    re-join to ``text`` exactly, so a long paragraph can be cut for a token budget and restored."""
    pieces: list[str] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        if text[i] in SENTENCE_END:
            while i + 1 < n and text[i + 1] in SENTENCE_END:
                i += 1
            while i + 1 < n and text[i + 1] in CLOSERS:
                i += 1
            pieces.append(text[start : i + 1])
            start = i + 1
        i += 1
    if start < n:
        pieces.append(text[start:])
    return pieces


def quotable_sentences(text: str) -> list[str]:
    """Sentences to quote out of their report: cut after 。！？； and at line ends, but never
    inside “quotes”, 《titles》 or brackets, so a quoted sentence is never half a quotation."""
    ends = SENTENCE_END + SEMICOLONS
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == "\n" or (ch in ends and depth == 0):
            piece = text[start : i + (ch != "\n")].strip()
            if piece:
                out.append(piece)
            start, depth = i + 1, 0
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


#: A 《document title》 or a “named practice”: what a model must not add to what its sources say.
NAMED = regexes.compile(r"《[^》]+》|“[^”]{2,}”")
#: A quotation or title on one line: someone else's words (the register and the notes cues skip them).
QUOTED = regexes.compile(r"《[^《》\n]*》|“[^“”\n]*”|「[^「」\n]*」")


def quoted(text: str) -> list[tuple[int, int]]:
    """The spans of quotations and titles in ``text``: another's words, not the report's."""
    return [m.span() for m in QUOTED.finditer(text)]


def find_all(text: str, word: str) -> Iterator[int]:
    """Where ``word`` starts in ``text``, left to right, without overlaps (as ``re.finditer`` of the
    escaped word finds it): a plain search, so a word from a lexicon costs no pattern to compile."""
    if not word:
        return
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + len(word))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text`` around [start, end): from the last clause break before ``start`` to
    the first one at or after ``end`` (the break itself excluded)."""
    left = max((m.end() for m in CLAUSE_EDGE.finditer(text, 0, start)), default=0)
    right = CLAUSE_EDGE.search(text, end)
    return left, right.start() if right else len(text)


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of ``text`` as it stands."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def han_bigrams(text: str, *, within_runs: bool = False) -> frozenset[str]:
    """Character bigrams of the Han text only: figures, digits and punctuation do not count.

    ``within_runs``: a bigram never spans a gap (化解|率 stay apart across "68件，化解率")."""
    if within_runs:
        return frozenset(run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1))
    return bigrams(han_only(text))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two bigram sets: 1.0 for the same text, 0 for unrelated ones."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))
