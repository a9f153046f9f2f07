"""Sentences of a report's standard sections, cleaned for quoting in a digest.

A digest quotes the offices' own sentences (extractive, so nothing is invented), but a quoted
sentence must read well out of its report: list ordinals (一是, （1）) go, half-width punctuation
becomes full-width, 我县/我办 names the office, and figures are either removed clause by clause
(for a practice several offices share) or kept verbatim and attributed to their one office.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from aidraft import regexes
from aidraft.digest.config import DIGEST_KINDS
from aidraft.draft.write_offline import full_width
from aidraft.figures.extract import extract_figures
from aidraft.figures.model import FigureKind
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.kinds import catalogue
from aidraft.text import han_count, quotable_sentences

_LEAD = regexes.compile(
    r"^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d)|"
    r"[一二三四五六七八九十]{1,3}、|首先|其次|再次|最后|同时|此外|另外)[，,、：:]?\s*"
)
_CLAUSE = regexes.compile(r"[^，；,;]+[，；,;]?")
_SELF = regexes.compile(r"[我本](县|区|市|办|局)")
_OWN_OFFICE = regexes.compile(r"^(?:[县区市]?(?:信访办公室|信访办|信访局)|[局办])(?=主要负责|主要领导|党组|领导班子)")
_DANGLING = regexes.compile(r"(?:达到|达|为|共计|共|累计|合计|总计|约|近|超过|超|逾|均)+$")
_DANGLING_END = regexes.compile(r"(?:[对向将把对于及和与以在]|以上|左右)$")
_NEWLINE = regexes.compile("\n")
MIN_CLAUSE = 4
MIN_PLAIN = 6


def strip_ordinals(text: str) -> str:
    """``text`` without the list ordinals it opens with (一是, （1）, 1. , 首先): they number a
    list item, they are no part of what it says (a quotation, a ledger's 指标)."""
    previous = None
    while previous != text:
        previous, text = text, _LEAD.sub("", text, count=1)
    return text


def clean_sentence(sentence: str) -> str:
    """Without list ordinals, in full-width punctuation, ending in 。."""
    text = strip_ordinals(sentence.strip(" \t\u3000\u00a0"))
    text = full_width(text).strip()
    text = text.rstrip("，、；：,;: ")
    if text and text[-1] not in "。！？":
        text += "。"
    return text


def section_sentences(doc: Document, min_chars: int, max_chars: int) -> Iterator[tuple[SectionKind, str, int]]:
    """Cleaned sentences of each standard section (headings excluded), in document order, with
    the line of the report each one starts on (the attribution a clerk checks).

    A sentence about the principal leader's duty (第一责任人, 主要负责人…履行职责: the catalogue's
    duty patterns) counts as duty even where an office wrote it under its measures. Sentences
    shorter than ``min_chars`` are fragments, except in a section that has no longer one."""
    duty = dict(catalogue().compiled)[SectionKind.duty]
    starts = [0, *(m.end() for m in _NEWLINE.finditer(doc.text))]
    for top in doc.sections:
        if top.kind not in DIGEST_KINDS:
            continue
        found: list[tuple[str, int]] = []
        for section in top.walk():
            body = doc.text.find(section.text, section.start) if section.text else -1
            cursor = 0
            for raw in quotable_sentences(section.text):
                at = section.text.find(raw, cursor)
                cursor = at + len(raw) if at >= 0 else cursor
                offset = body + max(at, 0) if body >= 0 else section.start
                sentence = clean_sentence(raw)
                if len(sentence) <= max_chars:
                    found.append((sentence, bisect_right(starts, offset)))
        long_enough = [f for f in found if han_count(f[0]) >= min_chars]
        # a section written in short sentences (法治宣传工作有待加强。) still reports its content:
        # its whole sentences count, so the section is never declared missing
        for sentence, line in long_enough or [f for f in found if han_count(f[0]) >= MIN_PLAIN]:
            kind = SectionKind.duty if top.kind is SectionKind.measures and duty.search(sentence) else top.kind
            yield kind, sentence, line


def has_figures(text: str) -> bool:
    return bool(extract_figures(text))


def _without_counts(clause: str) -> str | None:
    """A clause with its counts cut out (聘请1名律师为法律顾问 → 聘请律师为法律顾问); None when
    the clause is about a rate or rank (化解率89.66%) or too little of it is left."""
    figures = extract_figures(clause)
    if not figures:
        return clause
    if any(f.kind not in (FigureKind.count, FigureKind.money) for f in figures):
        return None
    for fig in reversed(figures):
        head = _DANGLING.sub("", clause[: fig.start])
        clause = head + clause[fig.end :]
    body = clause.rstrip("，；,;")
    return clause if han_count(body) >= MIN_CLAUSE and not _DANGLING_END.search(body) else None


def strip_figures(sentence: str, min_chars: int) -> str | None:
    """The sentence without its figures: counts are cut out of their clause, clauses about a rate
    are dropped; None when too little is left. Used for practices several offices share."""
    clauses = _CLAUSE.findall(sentence.rstrip("。！？"))
    if not any(han_count(c) >= MIN_PLAIN and not extract_figures(c) for c in clauses):
        return None  # a sentence made of figures (办理40件，满意38件) says nothing without them
    kept = [c for c in (_without_counts(c) for c in clauses) if c]
    if not kept:
        return None
    text = "".join(kept).rstrip("，；,;") + "。"
    if han_count(text) < min_chars or extract_figures(text):
        return None
    return text


def name_office(sentence: str, label: str | None) -> str:
    """我县/本区 → the office's name, 我办/我局 → 该办/该局: a digest speaks about offices.

    Without a label (a practice several offices share) 我县 becomes 本地, and a leading office
    self-name goes (县信访办主要负责人… → 主要负责人…): it named one office, not all of them."""

    def repl(m: re.Match[str]) -> str:
        level = m.group(1)
        if level in "县区市":
            return label if label and label.endswith(level) else "本地"
        return "该" + level

    if label is None:
        sentence = _OWN_OFFICE.sub("", sentence)
    return _SELF.sub(repl, sentence)


def attribute(sentence: str, names: str) -> str:
    """…（沙坪坝区、民权县）。 — the attribution goes inside the sentence's final punctuation."""
    body = sentence.rstrip("。！？；")
    end = sentence[len(body):][:1] or "。"
    return f"{body}（{names}）{'。' if end == '；' else end}"
