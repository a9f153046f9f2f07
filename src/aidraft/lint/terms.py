"""One thing, two spellings: variant groups from genre/terms.yaml, and document titles in 《》.

A reader takes two spellings for two things; a proofreader wants one. The variant groups are
data; titles are compared with each other, because a document cited twice with one character
more or less (《永州市直…》 / 《永州市市直…》) is the same document written two ways. A generic
short title (《条例》) is a third name for a document and needs its 以下简称 first.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re
from collections.abc import Iterator
from functools import cache

from pydantic import Field, model_validator

from aidraft import genre, regexes
from aidraft.lint.base import make, paragraphs, rule
from aidraft.lint.model import LintFinding
from aidraft.parse.document import Document
from aidraft.strict import Strict

_TITLE_QUOTE = regexes.compile(r"《([^《》\n]+)》")


class TermGroup(Strict):
    variants: list[str] = Field(min_length=2)
    preferred: str | None = None
    always_flag: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _preferred_is_a_variant(self) -> "TermGroup":
        if self.preferred is not None and self.preferred not in self.variants:
            raise ValueError(f"preferred {self.preferred!r} is not one of {self.variants}")
        if self.always_flag and self.preferred is None:
            raise ValueError("always_flag needs a preferred form")
        return self


class TermLexicon(Strict):
    groups: list[TermGroup]
    title_min_length: int = Field(default=8, ge=2)
    short_titles: list[str] = Field(default=[])


def lexicon() -> TermLexicon:
    return genre.load("terms.yaml", TermLexicon)


@cache
def _variant_scan() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One regex for every variant of every group (a lookahead, so overlapping starts are all
    found) and the variants by first character, to tell which ones start at a hit."""
    variants = sorted({v for group in lexicon().groups for v in group.variants}, key=regexes.longest_first)
    by_first: dict[str, list[str]] = {}
    for variant in variants:
        by_first.setdefault(variant[0], []).append(variant)
    pattern = regexes.compile("(?=(?:" + regexes.alternation(variants) + "))")
    return pattern, {k: tuple(v) for k, v in by_first.items()}


def _starts(doc: Document) -> dict[str, list[int]]:
    """Every start of every variant in the document, in one pass over its paragraphs."""
    pattern, by_first = _variant_scan()
    starts: dict[str, list[int]] = {}
    for para in paragraphs(doc):
        text = para.text
        for match in pattern.finditer(text):
            at = match.start()
            for variant in by_first[text[at]]:
                if text.startswith(variant, at):
                    starts.setdefault(variant, []).append(para.start + at)
    return starts


def _occurrences(starts: dict[str, list[int]], variants: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, variant) in document order; a longer variant hides one it contains, and a
    variant's own occurrences do not overlap (as a left-to-right search finds them)."""
    found: list[tuple[int, int, str]] = []
    for variant in sorted(variants, key=len, reverse=True):
        free_from = -1
        for s in starts.get(variant, ()):
            if s < free_from:
                continue
            e = free_from = s + len(variant)
            if not any(s < fe and fs < e for fs, fe, _ in found):
                found.append((s, e, variant))
    return sorted(found)


@rule("term-variant")
def term_variant(doc: Document) -> Iterator[LintFinding]:
    """Every occurrence of a form other than the kept one, when forms are mixed."""
    starts = _starts(doc)
    for group in lexicon().groups:
        found = _occurrences(starts, group.variants)
        forms = {v for _, _, v in found}
        if not found or (len(forms) < 2 and not group.always_flag):
            continue
        keep = group.preferred or found[0][2]
        others = "、".join(f"“{f}”" for f in group.variants if f != keep and f in forms)
        note = f"。{group.note}" if group.note else ""
        for s, e, form in found:
            if form == keep:
                continue
            if keep in forms:
                message = f"同一报告中“{keep}”与{others}混用，应统一为“{keep}”{note}"
            else:
                message = f"“{form}”应写作“{keep}”{note}"
            yield make(doc, "term-variant", s, e, message, suggestion=keep)


def _one_insertion(short: str, long: str) -> bool:
    """True when ``long`` is ``short`` with one non-digit character inserted."""
    if len(long) != len(short) + 1:
        return False
    for i, (a, b) in enumerate(zip(short, long)):
        if a != b:
            return long[i + 1 :] == short[i:] and not long[i].isdigit()
    return not long[-1].isdigit()


@rule("title-variant")
def title_variant(doc: Document) -> Iterator[LintFinding]:
    """Titles in 《》 that differ by one inserted character: the rarer spelling (the later, on a tie)."""
    min_length = lexicon().title_min_length
    spans: dict[str, list[tuple[int, int]]] = {}
    for para in paragraphs(doc):
        for match in _TITLE_QUOTE.finditer(para.text):
            if len(match.group(1)) >= min_length:
                spans.setdefault(match.group(1), []).append((para.start + match.start(), para.start + match.end()))
    titles = sorted(spans, key=lambda t: spans[t][0])
    for i, later in enumerate(titles):
        for earlier in titles[:i]:
            if not (_one_insertion(earlier, later) or _one_insertion(later, earlier)):
                continue
            keep, odd = (later, earlier) if len(spans[later]) > len(spans[earlier]) else (earlier, later)
            for s, e in spans[odd]:
                yield make(
                    doc,
                    "title-variant",
                    s,
                    e,
                    f"文件名称前后不一致：《{odd}》与《{keep}》只差一字，应核对后统一",
                    suggestion=f"《{keep}》",
                )
            break


@rule("short-title")
def short_title(doc: Document) -> Iterator[LintFinding]:
    """The first bare 《条例》-style short title that no 以下简称/简称 introduced."""
    for word in lexicon().short_titles:
        short = f"《{word}》"
        if f"简称{short}" in doc.text or f"简称“{word}”" in doc.text:
            continue
        for para in paragraphs(doc):
            at = para.text.find(short)
            if at == -1:
                continue
            full = re.search(f"《[^《》]{{2,}}{re.escape(word)}》", doc.text[: para.start + at])
            named = f"前文的《{full.group()[1:-1]}》" if full else "全称"
            yield make(
                doc,
                "short-title",
                para.start + at,
                para.start + at + len(short),
                f"简称{short}未经说明：应在{named}首次出现时注明“（以下简称{short}）”，或此处写全称",
                suggestion=full.group() if full else None,
            )
            break
