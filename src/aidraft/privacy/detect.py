"""Find personal data in notes text: spans with a kind, never overlapping, in text order.

Numbers are found by pattern and confirmed by their checksums (a random 18-digit string is rarely
a valid resident ID, a 16-digit one rarely passes Luhn), so statistics in the notes are left
alone. Names and addresses have no checksum: they are found only where the notes introduce them
(信访人张三, 家住东山村), which is how petition notes write them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict

from aidraft.figures.extract import extract_figures
from aidraft.privacy.rules import PrivacyRules, compiled_patterns, privacy_rules
from aidraft.text import HAN, HAN_CHAR

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEPARATORS = re.compile(r"[ \-－—]")
_LEAD = re.compile(r"[：:为是在\s]*")  # between a trigger word and what it introduces


class Span(BaseModel):
    """One piece of personal data: ``text[start:end] == value``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    start: int
    end: int
    value: str


def gb11643_valid(number: str) -> bool:
    """An 18-character resident ID (GB 11643): mod-11 check character and a real birth date."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1880, 1, 1) <= born <= date.today()


def luhn_valid(number: str) -> bool:
    """A bank card number (16–19 digits, separators ignored) passing the Luhn check."""
    digits = _SEPARATORS.sub("", number)
    if not digits.isdigit() or not 16 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for index, ch in enumerate(reversed(digits)):
        d = int(ch)
        if index % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CHECKS = {"gb11643": gb11643_valid, "luhn": luhn_valid}


def detect(text: str) -> list[Span]:
    """Every personal-data span in ``text``; overlaps go to the longer span, then the higher kind."""
    rules = privacy_rules()
    found = [*_pattern_spans(text), *_name_spans(text, rules), *_address_spans(text)]
    found.sort(key=lambda s: (s.start, -(s.end - s.start), rules.priority(s.kind)))
    chosen: list[Span] = []
    for span in found:
        if not chosen or span.start >= chosen[-1].end:
            chosen.append(span)
    return _spare_figures(text, chosen)


def _pattern_spans(text: str) -> Iterator[Span]:
    for pattern in compiled_patterns():
        for m in pattern.regex.finditer(text):
            group = "value" if "value" in pattern.regex.groupindex else 0
            value = m.group(group)
            if pattern.check is not None and not _CHECKS[pattern.check](value):
                continue
            yield Span(kind=pattern.kind, start=m.start(group), end=m.end(group), value=value)


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(dict.fromkeys(words), key=len, reverse=True)))


@cache
def _name_tools() -> tuple[re.Pattern[str], re.Pattern[str] | None, frozenset[str]]:
    n = privacy_rules().names
    singles = frozenset(ch for ch in n.surnames if HAN_CHAR.match(ch))
    suffix = None
    if n.suffixes:
        suffix = re.compile(f"(?:{_alternation([*n.compound_surnames, *singles])})(?:{_alternation(n.suffixes)})")
    return re.compile(_alternation(n.triggers)), suffix, singles


def name_at(text: str, pos: int) -> int | None:
    """End of a personal name starting at ``pos`` (surname + one or two given characters), or None."""
    n = privacy_rules().names
    singles = _name_tools()[2]
    surname = text[pos : pos + 2] if text[pos : pos + 2] in n.compound_surnames else text[pos : pos + 1]
    if not surname or (len(surname) == 1 and surname not in singles):
        return None
    end = pos + len(surname)
    given = 0
    while given < 2 and end < len(text) and HAN_CHAR.match(text[end]) and text[end] not in n.stop:
        if given == 1 and text[end] in n.stop_after_first:
            break
        end, given = end + 1, given + 1
    candidate = text[pos:end]
    if given == 0 or any(candidate.startswith(word) for word in n.not_names):
        return None
    return end


def _name_spans(text: str, rules: PrivacyRules) -> Iterator[Span]:
    triggers, suffix, _ = _name_tools()
    for m in triggers.finditer(text):
        pos = _LEAD.match(text, m.end()).end()  # type: ignore[union-attr]
        while (end := name_at(text, pos)) is not None:
            yield Span(kind="name", start=pos, end=end, value=text[pos:end])
            if end < len(text) and text[end] in rules.names.joiners:
                pos = end + 1
                continue
            break
    if suffix is not None:
        for m in suffix.finditer(text):
            yield Span(kind="name", start=m.start(), end=m.end(), value=m.group(0))


@cache
def _address_tools() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    a = privacy_rules().addresses
    body = re.compile(rf"[{HAN}A-Za-z{re.escape(a.extra_chars)}]{{1,{a.max_chars}}}")
    return re.compile(_alternation(a.triggers)), body, re.compile(_alternation(a.markers))


def _address_spans(text: str) -> Iterator[Span]:
    triggers, body, markers = _address_tools()
    for m in triggers.finditer(text):
        start = _LEAD.match(text, m.end()).end()  # type: ignore[union-attr]
        run = body.match(text, start)
        if run is None:
            continue
        ends = [marker.end() for marker in markers.finditer(run.group(0))]
        if ends and ends[-1] >= 2:
            end = start + ends[-1]
            yield Span(kind="address", start=start, end=end, value=text[start:end])


def _spare_figures(text: str, spans: list[Span]) -> list[Span]:
    """Cut an address before the first figure in it (东山村5组: 5组 is a figure the checker counts),
    so masking never changes the figures a text states; numbers like phones are not figures."""
    if not any(s.kind == "address" for s in spans):
        return spans
    starts = sorted(f.start for f in extract_figures(text))
    out: list[Span] = []
    for span in spans:
        if span.kind == "address":
            inside = [s for s in starts if span.start <= s < span.end]
            if inside:
                end = inside[0]
                if end - span.start < 2:
                    continue
                span = Span(kind="address", start=span.start, end=end, value=text[span.start : end])
        out.append(span)
    return out


__all__ = ["Span", "detect", "gb11643_valid", "luhn_valid", "name_at"]
