"""Recognise one numbered heading line: 一、 / （一） / 1. / 1、 / （1）.

Only the line itself is judged here; which level a heading sits at is decided by
:mod:`aidraft.parse.structure` from the sequence of headings, because real reports misnumber.

A level-2 heading is often the bold *lead sentence* of its paragraph
("（一）突出政治引领，强化理论武装。通过党组会…"): when the text before the first sentence end is
short, that part is the title and the rest is body text of the section.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.parse.document import NumberStyle
from aidraft.text import SENTENCE_END

LEAD_MAX_CHARS = 30
"""A first sentence up to this long (without its 。) is a lead-sentence title; longer is prose."""

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九十]{1,3}"
_WS = r"[ \t\u3000\u00a0]*"
_MD = r"(?:#{1,6}[ \t]+|\*\*|__)?"  # a Markdown heading mark or bold opener (drafts saved as .md)
_PATTERNS: tuple[tuple[NumberStyle, re.Pattern[str]], ...] = (
    # 一、  (一． / 一. are rare slips of the same style)
    (NumberStyle.cn_dun, regexes.compile(rf"^{_WS}{_MD}(?P<num>(?P<ord>{_CN}){_WS}[、．])")),
    # （一） (一) （一)  — a 、 after the bracket is a common slip and belongs to the number
    (NumberStyle.cn_paren, regexes.compile(rf"^{_WS}{_MD}(?P<num>[（(]{_WS}(?P<ord>{_CN}){_WS}[）)][、.．]?)")),
    # （1） (1)
    (NumberStyle.ar_paren, regexes.compile(rf"^{_WS}{_MD}(?P<num>[（(]{_WS}(?P<ord>\d{{1,2}}){_WS}[）)][、.．]?)")),
    # 1、
    (NumberStyle.ar_dun, regexes.compile(rf"^{_WS}{_MD}(?P<num>(?P<ord>\d{{1,2}}){_WS}、)")),
    # 1. 1． — but not 1.5万人次 or 12.4宪法日
    (NumberStyle.ar_dot, regexes.compile(rf"^{_WS}{_MD}(?P<num>(?P<ord>\d{{1,2}}){_WS}[.．](?![.．\d０-９]))")),
)
_SENTENCE_END = regexes.compile(f"[{SENTENCE_END}]")
_SPACES = regexes.compile(r"[ \t\u3000\u00a0]+")
_PAD = " \t\u3000\u00a0"
_MARKUP = "*_"


class Heading(BaseModel):
    """A recognised heading line. ``rest`` is body text that follows a lead-sentence title."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    style: NumberStyle
    ordinal: int
    number: str
    title: str
    lead: bool = False
    rest: str = ""
    title_start: int = 0
    """offset of the title inside the line"""
    rest_start: int | None = None
    """offset of ``rest`` inside the line, when there is one"""


def cn_ordinal(text: str) -> int | None:
    """一..九十九 → 1..99; None for anything else (一一, 十十, 百)."""
    if not text:
        return None
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    if text.count("十") != 1 or len(text) > 3:
        return None
    tens_part, ones_part = text.split("十")
    if len(tens_part) > 1 or len(ones_part) > 1:
        return None
    tens = 1 if not tens_part else _CN_DIGITS.get(tens_part)
    ones = 0 if not ones_part else _CN_DIGITS.get(ones_part)
    if tens is None or ones is None:
        return None
    return tens * 10 + ones


def parse_heading(line: str) -> Heading | None:
    """Return the heading this line starts with, or None when it is not a numbered heading."""
    for style, pattern in _PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        raw_ord = match.group("ord")
        ordinal = int(raw_ord) if raw_ord.isdigit() else cn_ordinal(raw_ord)
        if ordinal is None or ordinal == 0:
            return None
        number = _squeeze(match.group("num"))
        return _split_title(style, ordinal, number, line, match.end())
    return None


def _split_title(style: NumberStyle, ordinal: int, number: str, line: str, after: int) -> Heading | None:
    body = line[after:]
    stripped = body.lstrip(_PAD)
    title_start = after + (len(body) - len(stripped))
    stripped = stripped.rstrip()
    if not stripped.strip(_MARKUP):
        return None
    end = _SENTENCE_END.search(stripped)
    if end is not None and end.start() <= LEAD_MAX_CHARS:
        rest = stripped[end.end():].lstrip(_PAD + _MARKUP)
        if rest:
            rest_start = title_start + len(stripped) - len(rest)
            return Heading(style=style, ordinal=ordinal, number=number, title=_unmark(stripped[: end.start()]),
                           lead=True, rest=rest, title_start=title_start, rest_start=rest_start)
        # "（一）加强组织领导。" standing alone: drop the full stop from the title
        stripped = stripped[: end.start()] if end.end() == len(stripped.rstrip(_MARKUP)) else stripped
    return Heading(style=style, ordinal=ordinal, number=number, title=_unmark(stripped), title_start=title_start)


def _unmark(title: str) -> str:
    """Drop Markdown bold marks around a title ("**强化学习**" → "强化学习")."""
    return title.strip(_MARKUP).strip(_PAD)


def _squeeze(number: str) -> str:
    """The number as written, minus padding spaces inside it ("（ 一 ）" → "（一）")."""
    return _SPACES.sub("", number)
