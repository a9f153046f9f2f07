"""Short, unique office names for attributions: 重庆市沙坪坝区信访办公室 → 沙坪坝区.

A digest says who does what in brackets (（沙坪坝区、民权县）), so names must be short, must not
repeat, and must never look like a figure to the checker. Reports often name themselves only by
level (区信访办, 市信访局) or not at all; then the text is searched for the place name used most
often with that level, and failing that the file name is used.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from aidraft.figures.extract import extract_figures

OFFICE_SUFFIXES = ("人民来访接待中心", "信访办公室", "信访委员会", "信访局", "信访办", "信访中心", "人民政府")
LEVELS = "县区市"
_PREFIX_UNIT = re.compile(r"^[\u4e00-\u9fff]{2,}?(?:特别行政区|自治区|自治州|地区|省|市|州|盟)")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_NOT_NAME_START = set("全我本该各在为和及与向对将把由从到赴至并及等了的是、")
_NOT_NAME_CHARS = set("省市县区委局办")
MIN_MENTIONS = 2


def short_name(office: str | None) -> str | None:
    """The last administrative unit of an office name, without the office suffix; None if that
    leaves only a level (区信访办 → None: the report did not say which district)."""
    if not office:
        return None
    name = re.sub(r"\s+", "", office)
    changed = True
    while changed:
        changed = False
        for suffix in OFFICE_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, changed = name[: -len(suffix)], True
    name = re.sub(r"^中共", "", name)
    name = re.sub(r"(?<=[县区市])委$", "", name)
    while (prefix := _PREFIX_UNIT.match(name)) and len(name) - prefix.end() >= 2:
        name = name[prefix.end():]  # 重庆市沙坪坝区 → 沙坪坝区, 河南省商丘市民权县 → 民权县
    if len(name) < 2 or not _HAN.fullmatch(name):
        return None
    return name


def level_of(office: str | None) -> str:
    """The level characters to look for in the text: the office's own (区信访办 → 区), else all."""
    if office:
        for ch in re.sub(r"\s+", "", office):
            if ch in LEVELS:
                return ch
    return LEVELS


def name_from_text(text: str, levels: str) -> str | None:
    """The place name most often written with one of ``levels`` right before 信访 (永州市信访局).

    Every 2–4 character run before "市信访" is a candidate; it is scored by how often it appears
    with its level anywhere in the text, so 在永州市 loses to 永州市. Ties go to the longer name
    (沙坪坝区 over 坪坝区, which always occurs as often)."""
    counts: Counter[str] = Counter()
    for level in levels:
        for match in re.finditer(f"{level}信访", text):
            for k in range(2, 5):
                start = match.start() - k
                cand = text[start : match.start()] if start >= 0 else ""
                if (len(cand) == k and _HAN.fullmatch(cand) and cand[0] not in _NOT_NAME_START
                        and not _NOT_NAME_CHARS & set(cand)):
                    counts[cand + level] = text.count(cand + level)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return best[0][0] if best and best[0][1] >= MIN_MENTIONS else None


def figure_free(label: str) -> bool:
    """True when the checker would read no figure in a bracket holding this name."""
    return not extract_figures(f"（{label}、{label}）")


class Labeller:
    """Assigns each report a unique short label, in input order (so reruns name them the same)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def label(self, path: str, office: str | None, text: str) -> str:
        base = short_name(office) or name_from_text(text, level_of(office)) or Path(path).stem
        base = re.sub(r"[\s（）()、，,；;。]+", "_", base).strip("_") or "报告"
        if not figure_free(base):
            base = "报告"
        label, n = base, 1
        while label in self.used or not figure_free(label):
            n += 1
            label = f"{base}{n}"
        self.used.add(label)
        return label
