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
#: A half-width , or a colon between digits is no clause break: 1,050 and 9:30 (14：00 once the
#: sentence is in full-width punctuation) are one number each; a full-width ， always is one.
#: Used by every clause split of the digest (digest.clusters too).
_IN_NUMBER = r"(?<=[0-9０-９])[,:：](?=[0-9０-９])"
_CLAUSE = regexes.compile(rf"(?:[^，；,;]|{_IN_NUMBER})+[，；,;]?")
#: A run of digits as a report writes a number (1,050, 97.5, 1，050): a quoted finding may hold such a
#: run only whole, never a piece of one (1 of 1,050).
_DIGITS = regexes.compile(r"[0-9０-９]+(?:[,，.．:：][0-9０-９]+)*")
_LEAD_IN = ("：", ":")
_SELF = regexes.compile(r"[我本](县|区|市|办|局)")
_OWN_OFFICE = regexes.compile(r"^(?:[县区市]?(?:信访办公室|信访办|信访局)|[局办])(?=主要负责|主要领导|党组|领导班子)")
_DANGLING = regexes.compile(r"(?:达到|达|为|共计|共|累计|合计|总计|约|近|超过|超|逾|均)+$")
_DANGLING_END = regexes.compile(r"(?:[对向将把对于及和与以在]|以上|左右)$")
_NEWLINE = regexes.compile("\n")
MIN_CLAUSE = 4
MIN_PLAIN = 6
HEADING_CHARS = 20  # Han characters past which a numbered line is a sentence (GB/T headings are short)


def clause_pattern(breaks: str) -> re.Pattern[str]:
    """Clauses of a text between any of ``breaks``, where a half-width , or a colon between digits
    (1,050; 9:30) breaks nothing: splitting there leaves a digit fragment (全年受理信访事项1)."""
    marks = re.escape(breaks)
    return regexes.compile(rf"(?:[^{marks}]|{_IN_NUMBER})+")


def digit_fragments(text: str, source: str) -> bool:
    """Whether ``text`` holds a run of digits that is no whole run of ``source`` (the 1 of 1,050):
    a piece of a number is an invented figure."""
    whole = set(_DIGITS.findall(source))
    return any(run not in whole for run in _DIGITS.findall(text))


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
    duty patterns) counts as duty even where an office wrote it under its measures. A lead-in
    (主要表现在：) states nothing; a short sentence that states a finding (法治宣传工作有待加强。)
    is a candidate whatever the length of its neighbours (:func:`_candidate`)."""
    duty = dict(catalogue().compiled)[SectionKind.duty]
    starts = [0, *(m.end() for m in _NEWLINE.finditer(doc.text))]
    for top in doc.sections:
        if top.kind not in DIGEST_KINDS:
            continue
        found: list[tuple[str, int]] = []
        for section in top.walk():
            body = doc.text.find(section.text, section.start) if section.text else -1
            cursor = 0
            text = section.text
            if section is not top and not text.strip() and _states_something(section.title):
                text, body = section.title + "。", section.start  # （一）开展…活动58场。 is an item, no heading
            for raw in quotable_sentences(text):
                at = text.find(raw, cursor)
                cursor = at + len(raw) if at >= 0 else cursor
                offset = body + max(at, 0) if body >= 0 else section.start
                sentence = clean_sentence(raw)
                if len(sentence) <= max_chars and _candidate(sentence, raw, min_chars):
                    found.append((sentence, bisect_right(starts, offset)))
        for sentence, line in found:
            kind = SectionKind.duty if top.kind is SectionKind.measures and duty.search(sentence) else top.kind
            yield kind, sentence, line


def _states_something(title: str) -> bool:
    """A numbered line with nothing under it that is a statement, not a heading: it gives figures
    (开展法治宣传进社区活动58场) or is as long as a sentence."""
    return has_figures(title) or han_count(title) > HEADING_CHARS


def _candidate(sentence: str, raw: str, min_chars: int) -> bool:
    """Whether a cleaned sentence (``raw`` as written) may be quoted or counted. One of
    ``min_chars`` Han characters states something. A shorter one of at least MIN_PLAIN states a
    finding (法治宣传工作有待加强。) unless it only leads in to a list (主要表现在：) or is made of
    figures (全年办结40件。 says nothing without them). The length of its neighbours is no part of
    it: 一是法治宣传工作有待加强。 counts beside a long 二是…."""
    chars = han_count(sentence)
    if chars >= min_chars:
        return True
    if chars < MIN_PLAIN or raw.rstrip().endswith(_LEAD_IN):
        return False
    return not has_figures(sentence) or han_count(strip_figures(sentence, 0) or "") >= MIN_PLAIN


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
    # a full-width ， splits 1，050件 (which the extractor reads as one figure): its 1 must not stay
    if han_count(text) < min_chars or extract_figures(text) or digit_fragments(text, sentence):
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
