"""Heading numbering: mixed styles at one level, gaps and repeats, skipped levels, number format.

Misnumbered headings are exactly what this module looks for, so it does not trust any level
assignment: headings are read flat, in order, and each joins the open sequence whose next
ordinal it is (（3） after （二） continues （一）（二）; among several open sequences the one with
the same style wins, else the one with the same shape of number, so 1、 joins 二、 and not （一）).
A sequence's style is the one most of its headings use (the first, on a tie); the others are
flagged, with the number they should have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from aidraft.lint.base import make, rule
from aidraft.lint.model import LintFinding, Severity
from aidraft.parse.document import Document, NumberStyle, Section

STYLE_EXAMPLE = {
    NumberStyle.cn_dun: "一、",
    NumberStyle.cn_paren: "（一）",
    NumberStyle.ar_dot: "1.",
    NumberStyle.ar_dun: "1、",
    NumberStyle.ar_paren: "（1）",
}
_CN = "一二三四五六七八九十"
# A misnumbered heading keeps the shape of its siblings' numbers (（3） among （一）, 1、 among 二、).
_SHAPE = {
    NumberStyle.cn_dun: "dun",
    NumberStyle.ar_dun: "dun",
    NumberStyle.cn_paren: "paren",
    NumberStyle.ar_paren: "paren",
    NumberStyle.ar_dot: "dot",
}


@dataclass
class Run:
    """One numbered sequence: the headings that count 1, 2, 3 … at one level."""

    members: list[Section] = field(default_factory=list)

    @property
    def last(self) -> int:
        return self.members[-1].ordinal or 0

    @property
    def style(self) -> NumberStyle:
        counts = Counter(m.style for m in self.members)
        best = max(counts.values())
        return next(m.style for m in self.members if counts[m.style] == best)


def _numbered(doc: Document) -> list[Section]:
    return [s for s in doc.walk() if s.style != NumberStyle.none and s.ordinal is not None]


def _render(style: NumberStyle, ordinal: int) -> str:
    """The number as it should be written, e.g. (cn_paren, 3) → （三）."""
    if style in (NumberStyle.cn_dun, NumberStyle.cn_paren):
        if ordinal <= 10:
            word = _CN[ordinal - 1]
        elif ordinal < 20:
            word = "十" + _CN[ordinal - 11]
        else:
            word = _CN[ordinal // 10 - 1] + "十" + (_CN[ordinal % 10 - 1] if ordinal % 10 else "")
    else:
        word = str(ordinal)
    return STYLE_EXAMPLE[style].replace("一" if "一" in STYLE_EXAMPLE[style] else "1", word, 1)


def _runs(doc: Document) -> tuple[list[Run], list[tuple[Section, int]]]:
    """Group numbered headings into sequences; also return (heading, expected) for breaks."""
    runs: list[Run] = []
    stack: list[Run] = []
    breaks: list[tuple[Section, int]] = []
    for section in _numbered(doc):
        n = section.ordinal or 0
        target: Run | None = None
        if n == 1 and stack and stack[-1].style == section.style:
            # a list never nests in its own style: a second （一） repeats the number
            target = stack[-1]
            breaks.append((section, target.last + 1))
        elif n > 1:
            candidates = [r for r in reversed(stack) if r.last == n - 1]
            same = [r for r in candidates if r.style == section.style]
            alike = [r for r in candidates if _SHAPE[r.style] == _SHAPE[section.style]]
            target = (same or alike or candidates or [None])[0]
            if target is None:
                # a gap or a repeat: continue the nearest open sequence in the same style
                target = next((r for r in reversed(stack) if r.style == section.style), None)
                if target is not None:
                    breaks.append((section, target.last + 1))
        if target is None:
            if n > 1:
                breaks.append((section, 1))
            target = Run()
            runs.append(target)
            stack.append(target)
        else:
            del stack[stack.index(target) + 1 :]
        target.members.append(section)
    return runs, breaks


def _heading_span(doc: Document, section: Section) -> tuple[int, int]:
    index = doc.text.find(section.number, section.start)
    if index == -1 or index > section.start + 8:
        return section.start, section.start + len(section.number)
    return index, index + len(section.number)


@rule("numbering-mixed")
def numbering_mixed(doc: Document) -> Iterator[LintFinding]:
    """Headings whose numbering style differs from the rest of their sequence."""
    runs, _ = _runs(doc)
    for run in runs:
        style = run.style
        for member in run.members:
            if member.style == style:
                continue
            s, e = _heading_span(doc, member)
            want = _render(style, member.ordinal or 1)
            yield make(
                doc,
                "numbering-mixed",
                s,
                e,
                f"同级标题编号格式不一致：“{member.number.strip()}”与同级的“{STYLE_EXAMPLE[style]}”式编号混用，应为“{want}”",
                suggestion=want,
                severity=Severity.error,
            )


@rule("numbering-sequence")
def numbering_sequence(doc: Document) -> Iterator[LintFinding]:
    """Headings that skip or repeat a number of their sequence (（一）（三）, 二、二、)."""
    _, breaks = _runs(doc)
    for section, expected in breaks:
        s, e = _heading_span(doc, section)
        want = _render(section.style, expected)
        yield make(
            doc,
            "numbering-sequence",
            s,
            e,
            f"标题序号不连续：“{section.number.strip()}”处应为“{want}”",
            suggestion=want,
        )


_RANK = {NumberStyle.cn_dun: 0, NumberStyle.cn_paren: 1, NumberStyle.ar_dot: 2, NumberStyle.ar_dun: 2,
         NumberStyle.ar_paren: 3}


@rule("numbering-format")
def numbering_format(doc: Document) -> Iterator[LintFinding]:
    """Punctuation of the number itself (GB/T 15834 附录B, GB/T 9704 7.3.3).

    （一）、 and 一． are slips at one heading each; 1、 is usually a house habit, so it gets one
    finding for the whole report.
    """
    arabic_dun: list[Section] = []
    for section in _numbered(doc):
        number = section.number.strip()
        if section.style == NumberStyle.ar_dun:
            arabic_dun.append(section)
            continue
        if section.style in (NumberStyle.cn_paren, NumberStyle.ar_paren) and number[-1] in "、.．":
            want, why = number[:-1], "括号序号后不再加标点"
        elif section.style == NumberStyle.cn_dun and not number.endswith("、"):
            want, why = number[:-1] + "、", "汉字序号后用顿号"
        else:
            continue
        s, e = _heading_span(doc, section)
        yield make(doc, "numbering-format", s, e, f"序号标点不规范：“{number}”应为“{want}”（{why}）", suggestion=want)
    if arabic_dun:
        first = arabic_dun[0]
        s, e = _heading_span(doc, first)
        want = f"{first.ordinal}."
        more = f"（全文共{len(arabic_dun)}处）" if len(arabic_dun) > 1 else ""
        yield make(
            doc,
            "numbering-format",
            s,
            e,
            f"序号标点不规范：阿拉伯数字序号后应用下脚点，“{first.number.strip()}”应为“{want}”{more}",
            suggestion=want,
        )


@rule("numbering-skip")
def numbering_skip(doc: Document) -> Iterator[LintFinding]:
    """A heading level skipped (一、 followed directly by 1.): GB/T 9704 orders them 一、（一）1.（1）."""
    reported: set[tuple[NumberStyle, NumberStyle]] = set()
    for parent in doc.walk():
        numbered = [c for c in parent.children if c.style in _RANK]
        if parent.style not in _RANK or not numbered:
            continue
        child = numbered[0]
        pair = (parent.style, child.style)
        if _RANK[child.style] <= _RANK[parent.style] + 1 or pair in reported:
            continue
        reported.add(pair)
        want = next(s for s, r in _RANK.items() if r == _RANK[parent.style] + 1)
        s, e = _heading_span(doc, child)
        yield make(
            doc,
            "numbering-skip",
            s,
            e,
            f"标题层次跳级：“{STYLE_EXAMPLE[parent.style]}”下直接用“{STYLE_EXAMPLE[child.style]}”，"
            f"按公文格式应依次用“{STYLE_EXAMPLE[want]}”",
            suggestion=_render(want, child.ordinal or 1),
        )
