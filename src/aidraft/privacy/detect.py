"""Find personal data in notes text: spans with a kind, never overlapping, in text order.

Detection runs on a normalised copy of the text (full-width digits and letters folded to ASCII,
every dash to '-', the ideographic space to a space) with the same offsets, so ``１３８ ００１３
８０００`` is found like ``13800138000`` and the span still cuts the original text.

Numbers are found by pattern and confirmed by their checksums (a random 18-digit string is rarely
a valid resident ID, a 16-digit one rarely passes Luhn, a 15-digit old ID must hold a real birth
date), so statistics in the notes are left alone; separators (spaces, dashes) inside a number are
allowed. Names are found where the notes introduce them (信访人张三), after verbs of contact
(约谈张三, 经与李四), by their form (张某, 王女士), and in lists (张伟、李娜等); addresses after a
cue (家住…) or by their own shape (…小区3幢602室, …村5组18号), always to their end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.privacy.rules import PrivacyRules, compiled_patterns, privacy_rules
from aidraft.text import HAN, HAN_CHAR

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEPARATORS = regexes.compile(r"[ \-－—]")
_LEAD = regexes.compile(r"[：:为是在了\s]*")  # between a trigger word and what it introduces
#: One-to-one folds, so offsets in the folded text are offsets in the original.
_FOLD = {**{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}, 0x3000: 0x20,
         **{ord(ch): ord("-") for ch in "‐‑‒–—―－﹣−"}}


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, dashes to '-', ideographic space to space; same length."""
    return text.translate(_FOLD)


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


def id15_valid(number: str) -> bool:
    """A 15-digit resident ID of before 1999: area code and a real 19YYMMDD birth date."""
    digits = _SEPARATORS.sub("", number)
    if len(digits) != 15 or not digits.isdigit() or digits[0] == "0":
        return False
    try:
        date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    except ValueError:
        return False
    return True


def id18_valid(number: str) -> bool:
    """gb11643_valid for an ID written with spaces or dashes between its groups."""
    return gb11643_valid(_SEPARATORS.sub("", number))


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


_CHECKS = {"gb11643": id18_valid, "luhn": luhn_valid, "id15": id15_valid}


def detect(text: str) -> list[Span]:
    """Every personal-data span in ``text``; overlaps go to the longer span, then the higher kind."""
    rules = privacy_rules()
    folded = fold(text)
    found = [*_pattern_spans(folded), *_name_spans(folded, rules), *_list_name_spans(folded),
             *_address_spans(folded)]
    found.sort(key=lambda s: (s.start, -(s.end - s.start), rules.priority(s.kind)))
    chosen: list[Span] = []
    for span in found:
        if not chosen or span.start >= chosen[-1].end:
            chosen.append(span)
    # the values are the original text's (full-width digits stay full-width)
    return [s if folded is text else s.model_copy(update={"value": text[s.start : s.end]}) for s in chosen]


def _pattern_spans(text: str) -> Iterator[Span]:
    for pattern in compiled_patterns():
        for m in pattern.regex.finditer(text):
            group = "value" if "value" in pattern.regex.groupindex else 0
            value = m.group(group)
            if pattern.check is not None and not _CHECKS[pattern.check](value):
                continue
            yield Span(kind=pattern.kind, start=m.start(group), end=m.end(group), value=value)


@cache
def _name_tools() -> tuple[re.Pattern[str], re.Pattern[str] | None, frozenset[str]]:
    n = privacy_rules().names
    singles = frozenset(ch for ch in n.surnames if HAN_CHAR.match(ch))
    suffix = None
    if n.suffixes:
        suffix = regexes.compile(f"(?:{regexes.alternation([*n.compound_surnames, *singles])})(?:{regexes.alternation(n.suffixes)})")
    return regexes.compile(regexes.alternation(n.triggers)), suffix, singles


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
def _list_tools() -> re.Pattern[str]:
    """Two or more surname-led names joined by 、 and closed by 等 (张伟、李娜、王芳等3人)."""
    n = privacy_rules().names
    surnames = regexes.alternation([*n.compound_surnames, *_name_tools()[2]])
    one = rf"(?:{surnames})[{HAN}]{{1,2}}"
    return regexes.compile(rf"{one}(?:、{one})+(?={regexes.alternation(n.list_enders)})")


def _list_name_spans(text: str) -> Iterator[Span]:
    n = privacy_rules().names
    for m in _list_tools().finditer(text):
        pos = m.start()
        names: list[Span] = []
        for part in m.group(0).split("、"):
            end = name_at(text, pos)
            if end is None or end != pos + len(part):
                names = []
                break
            names.append(Span(kind="name", start=pos, end=end, value=part))
            pos = end + 1
        if len(names) >= 2 and not any(span.value in n.not_names for span in names):
            yield from names


@cache
def _address_tools() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    a = privacy_rules().addresses
    body = regexes.compile(rf"[{HAN}A-Za-z{re.escape(a.extra_chars)}]{{1,{a.max_chars}}}")
    return regexes.compile(regexes.alternation(a.triggers)), body, regexes.compile(regexes.alternation(a.markers))


def _address_spans(text: str) -> Iterator[Span]:
    """After a cue (家住…) up to the last address marker, numbers included (…5组18号): the whole
    address, its house number too; and addresses with no cue, by their own shape."""
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
    lead_stop = privacy_rules().names.stop
    for pattern in _shaped_addresses():
        for m in pattern.finditer(text):
            start = m.start()
            for cue in triggers.finditer(text, m.start(), m.end()):  # 家住…, 住在…: the cue stays
                start = _LEAD.match(text, cue.end()).end()  # type: ignore[union-attr]
            while start < m.end() and text[start] in lead_stop:  # 反映阳光小区…: the verb stays
                start += 1
            if m.end() - start >= 4:
                yield Span(kind="address", start=start, end=m.end(), value=text[start : m.end()])


@cache
def _shaped_addresses() -> tuple[re.Pattern[str], ...]:
    return tuple(regexes.compile(p) for p in privacy_rules().addresses.patterns)


__all__ = ["Span", "detect", "fold", "gb11643_valid", "id15_valid", "luhn_valid", "name_at"]
