"""The OOXML elements the .docx writer builds by hand: python-docx leaves Chinese text to the
theme font, so runs name all four script slots themselves, and the footer's page number is a
complex PAGE field. Built once per role and copied: a report has thousands of runs."""

from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from aidraft.export.layout import Role

__all__ = ["el", "fonts", "page_field", "rpr"]


def el(tag: str, **attrs: object) -> BaseOxmlElement:
    """A w: element with w: attributes, e.g. ``el("w:sz", val=32)``."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def fonts(font: str) -> BaseOxmlElement:
    """All four script slots named, hint eastAsia so quotes and dashes use the Chinese font."""
    return el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


def rpr(role: Role, highlight: str | None = None) -> BaseOxmlElement:
    """Run properties in schema order: rFonts, b, bCs, spacing, sz, szCs, highlight.

    A report has thousands of runs in a handful of roles: each role's element is built once and
    copied (lxml copies in C, far faster than building elements one by one in Python).
    """
    key = (role.font, role.bold, role.char_spacing_twips, role.half_points, highlight)
    found = _RPR_CACHE.get(key)
    if found is None:
        found = _RPR_CACHE.setdefault(key, _build_rpr(role, highlight))
    return copy.deepcopy(found)


_RPR_CACHE: dict[tuple[object, ...], BaseOxmlElement] = {}


def _build_rpr(role: Role, highlight: str | None) -> BaseOxmlElement:
    rpr = el("w:rPr")
    rpr.append(fonts(role.font))
    if role.bold:
        rpr.append(el("w:b"))
        rpr.append(el("w:bCs"))
    # Always written: Normal is condensed for body text, and the title must not inherit that.
    rpr.append(el("w:spacing", val=role.char_spacing_twips))
    rpr.append(el("w:sz", val=role.half_points))
    rpr.append(el("w:szCs", val=role.half_points))
    if highlight:
        rpr.append(el("w:highlight", val=highlight))
    return rpr


def page_field() -> list[BaseOxmlElement]:
    """The contents of the five runs of a complex PAGE field showing "1" until Word updates it."""
    instr = el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    shown = el("w:t")
    shown.text = "1"
    return [
        el("w:fldChar", fldCharType="begin"),
        instr,
        el("w:fldChar", fldCharType="separate"),
        shown,
        el("w:fldChar", fldCharType="end"),
    ]


def app_version() -> str:
    """AppVersion must look like NN.NNNN; aidraft's own version, padded."""
    from aidraft import __version__

    major, _, rest = __version__.partition(".")
    minor = "".join(ch for ch in rest if ch.isdigit())[:4]
    return f"{int(major or 0):02d}.{minor.ljust(4, '0')}"
