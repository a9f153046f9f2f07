"""An office's name and level (县/区/市/州/旗/盟), decided in one place for notes, drafts and digests.

Why one function: the level decides who a report is addressed to and how it names itself (我县,
全区), and the short name is how a digest attributes a sentence. Reading the level off the first
unit character gave 市 for 重庆市沙坪坝区信访办 while reading it off the last gave 区; the level is
the *last* administrative unit of the place part of the name (重庆市 → 沙坪坝区 → 区), and the place
part ends where the department begins (市场监督管理局 is a department, not a 市). The level is the
unit the office's own Party committee and government are named by (自治州 → 州委、州政府), read from
``genre/offices.yaml``, never a fixed 市.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re
from collections import Counter
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aidraft import genre, regexes
from aidraft.strict import Strict
from aidraft.text import HAN, HAN_RUN, find_all

Level = Literal["县", "区", "市", "州", "旗", "盟"]
LEVELS: tuple[Level, ...] = ("县", "区", "市", "州", "旗", "盟")
_NOT_NAME_START = set("全我本该各在为和及与向对将把由从到赴至并等了的是、")
_NOT_NAME_CHARS = set("省市县区委局办")
MIN_MENTIONS = 2
MAX_PLACE = 8


class OfficeGenre(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    units: dict[str, Level | None] = Field(min_length=1)
    not_unit_before: list[str] = []
    township: list[str] = []
    not_places: list[str] = []
    leadership: str = Field(description="the opening's committee and government, by level: {level}委、{level}政府")
    leadership_by_unit: dict[str, str] = Field(default={}, description="units with their own organs: 盟委、行署")


class OfficeName(Strict):
    """What a report or notes say about their office."""

    full: str | None = Field(default=None, description="the office as written, e.g. 重庆市沙坪坝区信访办公室")
    short: str | None = Field(default=None, description="the last place unit, e.g. 沙坪坝区; None if not named")
    level: Level | None = Field(default=None, description="县, 区, 市, 州, 旗 or 盟; None when the name gives none")
    department: str = Field(default="", description="what follows the place, e.g. 信访办公室")


@cache
def office_genre() -> OfficeGenre:
    return genre.load("offices.yaml", OfficeGenre)


@cache
def _unit_re() -> re.Pattern[str]:
    g = office_genre()
    units = regexes.alternation([*g.units, *g.township])
    guard = "|".join(re.escape(w) for w in g.not_unit_before)
    after = f"(?!{guard})" if guard else ""
    # one place unit: 1–8 Han characters then a unit word not starting a department word
    return regexes.compile(f"[{HAN}]{{1,{MAX_PLACE}}}?(?:{units}){after}")


@cache
def _bare_re() -> re.Pattern[str]:
    """A name that is only a level and a department (区信访办, 市场监督管理局 excluded)."""
    g = office_genre()
    guard = "|".join(re.escape(w) for w in g.not_unit_before)
    return regexes.compile(f"^([县区市]){'(?!' + guard + ')' if guard else ''}")


def _clean(office: str) -> str:
    name = _WHITESPACE.sub("", office)
    return _PARTY_PREFIX.sub("", name)


def _not_a_place(unit: str) -> bool:
    """Whether a match of the unit pattern is a word, not a place: it starts with a word of
    ``not_places`` (城市管理局, 市场监督管理局城区分局) or ends in one (住房和城乡建设局, 市城市管理局),
    except a place name of one character and the word (盐城市, 新城镇)."""
    g = office_genre()
    for word in g.not_places:
        if unit.startswith(word):
            return True
        if unit.endswith(word):
            name = unit[: -len(word)]
            return len(name) != 1 or name in g.units
    return False


def _places(name: str) -> list[str]:
    """Consecutive place units from the start of ``name`` (重庆市, 沙坪坝区)."""
    out: list[str] = []
    pos = 0
    pattern = _unit_re()
    while (m := pattern.match(name, pos)) is not None:
        if _not_a_place(m.group(0)):
            break
        out.append(m.group(0))
        pos = m.end()
    return out


def _township(place: str) -> bool:
    """A 街道/镇/乡: a place an office is named by, at none of the levels 县/区/市."""
    return any(place.endswith(unit) for unit in office_genre().township)


def _level_of_unit(place: str) -> Level | None:
    units = office_genre().units
    for unit in sorted(units, key=len, reverse=True):
        if place.endswith(unit):
            return units[unit]
    return None


def identify(office: str | None) -> OfficeName:
    """Short name, level and department of an office name (重庆市沙坪坝区信访办公室 → 沙坪坝区, 区)."""
    if not office or not office.strip():
        return OfficeName()
    name = _clean(office)
    places = _places(name)
    if not places:
        bare = _bare_re().match(name)
        level: Level | None = bare.group(1) if bare else None  # type: ignore[assignment]
        return OfficeName(full=office.strip(), level=level, department=name[1:] if bare else name)
    department = name[sum(len(p) for p in places):]
    department = _COMMITTEE_PREFIX.sub("", department) if department.startswith("委") else department
    last = places[-1]
    level = None if _township(last) else _level_of_unit(last)
    # a trailing unit with no level (省) or a last unit of one character (区信访办 after a prefix) names no office
    short = last if len(last) >= 2 and HAN_RUN.fullmatch(last) else None
    if level is None and not _township(last):
        short = None
    return OfficeName(full=office.strip(), short=short, level=level, department=department)


def office_level(office: str | None) -> Level | None:
    """The level (县/区/市/州/旗/盟) of an office name, or None when the name does not give one."""
    return identify(office).level


def leadership(office: str | None, level: str) -> str:
    """Who leads the office, as a report's opening names them: 县委、县政府 by its ``level``, or by the
    place unit its name ends in where that has its own organs (锡林郭勒盟 → 盟委、行署)."""
    g = office_genre()
    place = identify(office).short or ""
    for unit, organs in sorted(g.leadership_by_unit.items(), key=lambda kv: -len(kv[0])):
        if place.endswith(unit):
            return organs
    return g.leadership.format(level=level)


def short_name(office: str | None) -> str | None:
    """The last place unit of an office name (河南省商丘市民权县信访局 → 民权县); None when the
    name gives only a level (区信访办) or no place."""
    return identify(office).short


def name_from_text(text: str, levels: str | None = None, department: str = "信访") -> str | None:
    """The place most often written with a level right before the department (永州市信访局).

    Every 2–4 character run before "市信访" is a candidate, scored by how often it appears with its
    level anywhere in the text, so 在永州市 loses to 永州市; ties go to the longer name (沙坪坝区 over
    坪坝区). ``levels`` limits the levels looked for (the office's own, when it names one)."""
    head = department[:2] or "信访"
    counts: Counter[str] = Counter()
    for level in levels or "".join(LEVELS):
        for at in find_all(text, level + head):
            for k in range(2, 5):
                start = at - k
                cand = text[start:at] if start >= 0 else ""
                if (len(cand) == k and HAN_RUN.fullmatch(cand) and cand[0] not in _NOT_NAME_START
                        and not _NOT_NAME_CHARS & set(cand)):
                    counts[cand + level] = text.count(cand + level)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return best[0][0] if best and best[0][1] >= MIN_MENTIONS else None


_SELF_LEVEL = regexes.compile(rf"(?:我|本|全)([{''.join(LEVELS)}])")
_WHITESPACE = regexes.compile(r"\s+")
_PARTY_PREFIX = regexes.compile(r"^中共")
_COMMITTEE_PREFIX = regexes.compile(r"^委")


def level_in_text(text: str) -> Level | None:
    """The level a text speaks from (我县, 全县, 本区 …), when it says so at least twice."""
    counts = Counter(m.group(1) for m in _SELF_LEVEL.finditer(text))
    if not counts:
        return None
    level, n = counts.most_common(1)[0]
    return level if n >= MIN_MENTIONS else None  # type: ignore[return-value]


def office_in_text(office: str | None, text: str) -> OfficeName:
    """The office as named (title, signature), completed from the text when the name gives only a
    level: 市信访局 in a text that says 永州市信访局 twice is 永州市; a text that names no office
    still gives its level (我县, 全县)."""
    found = identify(office)
    if found.level is None:
        found = found.model_copy(update={"level": level_in_text(text)})
    if found.short is None:
        levels = found.level or "".join(LEVELS)
        department = found.department if found.full else "信访"
        named = name_from_text(text, levels, department)
        if named is not None:
            found = found.model_copy(update={"short": named, "level": found.level or _level_of_unit(named)})
    return found
