"""Punctuation in Chinese text: half-width marks, unbalanced pairs, doubled marks, GB/T 15834 顿号.

Half-width marks are flagged only next to Chinese characters, so "12.4", "1." heading numbers,
times and Latin text stay quiet. A paragraph typed with a half-width keyboard gets one finding
with a count rather than dozens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from aidraft import regexes
from aidraft.lint.base import Paragraph, at_match, make, paragraphs, rule
from aidraft.lint.model import LintFinding, Severity
from aidraft.parse.document import Document
from aidraft.text import is_cjk

FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "()": "（）", ".": "。", "-": "—"}
# Half-width marks touching Chinese: , ; : ? ! after Chinese or a closing mark, or before Chinese
# or an opening mark; a full stop typed as '.' after Chinese and before Chinese, an opening mark or
# the end. Tested in Python rather than as lookarounds on CJK's class, whose five copies took a
# twentieth of a small lint to compile (tests/test_lint.py holds this to the regex it replaced).
_MARK = regexes.compile(r"[,;:?!.]")
_REST_BLANK = regexes.compile(r"\s*$")
_CLOSING, _OPENING = "）”》", "“《（"
_PAREN_RE = regexes.compile(r"\(([^()\n]*)\)")
_PAIRS = {"）": "（", ")": "(", "》": "《", "〉": "〈", "】": "【", "”": "“", "’": "‘"}
_OPENERS = set(_PAIRS.values())
_SAME_KIND = {"(": "（", "（": "（"}
_NAMES = {"（": "括号", "(": "括号", "《": "书名号", "〈": "书名号", "【": "方括号", "“": "引号", "‘": "引号"}
# "1）加强学习" / "a)": a list marker with only a closing bracket is not an unbalanced bracket.
_LIST_MARK_RE = regexes.compile(r"(?:^|[\s，。；：、,;:])[0-9A-Za-z一二三四五六七八九十]{1,2}$")
_DOUBLE_RE = regexes.compile(r"[，。；：、！？]{2,}")
_DUN_RE = regexes.compile(r"(”)、(“)")
_RANGE_RE = regexes.compile(r"(?<=(?<!\d)(?:19|20)\d\d)-(?=(?:19|20)\d\d(?!\d))")
PER_PARAGRAPH = 1


@rule("unbalanced")
def unbalanced(doc: Document) -> Iterator[LintFinding]:
    """Quotation marks and brackets that do not pair up within their paragraph."""
    for para in paragraphs(doc):
        stack: list[tuple[int, str]] = []
        for i, ch in enumerate(para.text):
            if ch in _OPENERS:
                stack.append((i, ch))
                continue
            if ch not in _PAIRS or (ch in "）)" and _LIST_MARK_RE.search(para.text, 0, i)):
                continue
            want = _SAME_KIND.get(_PAIRS[ch], _PAIRS[ch])
            depth = next(
                (k for k in range(len(stack) - 1, -1, -1) if _SAME_KIND.get(stack[k][1], stack[k][1]) == want),
                None,
            )
            if depth is None:
                yield _unpaired(doc, para, i, f"{_NAMES[want]}不成对：{_show(ch)}前面没有与之配对的{_show(_PAIRS[ch])}")
                continue
            for j, opener in stack[depth + 1 :]:
                yield _unclosed(doc, para, j, opener)
            del stack[depth:]
        for j, opener in stack:
            yield _unclosed(doc, para, j, opener)


def _show(mark: str) -> str:
    """Name a mark in a message; quotation marks inside quotation marks read badly."""
    names = {"“": "左引号", "”": "右引号", "‘": "左单引号", "’": "右单引号"}
    return names.get(mark, f"“{mark}”")


def _unpaired(doc: Document, para: Paragraph, index: int, message: str) -> LintFinding:
    """An unbalanced mark at ``index`` of the paragraph: always an error, never a style point."""
    return make(doc, "unbalanced", para.start + index, para.start + index + 1, message, severity=Severity.error)


def _unclosed(doc: Document, para: Paragraph, index: int, opener: str) -> LintFinding:
    return _unpaired(doc, para, index, f"{_NAMES[opener]}不成对：{_show(opener)}在本段内没有闭合")


def halfwidth_marks(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, mark, replacement of text[start:end]) in one line of text; a bracket pair
    counts as one mark. The evals count these marks one by one (evals/register.py)."""
    marks = [(m.start(), m.end(), m.group(), FULL[m.group()]) for m in _MARK.finditer(text) if _touches_chinese(text, m)]
    marks += [(m.start(), m.end(), "-", "—") for m in _RANGE_RE.finditer(text)]
    for match in _PAREN_RE.finditer(text):
        if any(is_cjk(ch) for ch in text[max(0, match.start() - 1) : match.end() + 1]):
            marks.append((match.start(), match.end(), "()", f"（{match.group(1)}）"))
    return sorted(marks)


def _touches_chinese(text: str, m: re.Match[str]) -> bool:
    i = m.start()
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    opens = is_cjk(after) or (after != "" and after in _OPENING)
    if m.group() == ".":
        return is_cjk(before) and (opens or _REST_BLANK.match(text, i + 1) is not None)
    return is_cjk(before) or (before != "" and before in _CLOSING) or opens


@rule("halfwidth-punct")
def halfwidth(doc: Document) -> Iterator[LintFinding]:
    """Half-width , ; : ? ! ( ) . in Chinese text, and 2021-2025 for 2021—2025 (GB/T 15834 一字线);
    one summary per paragraph when there are several."""
    for para in paragraphs(doc):
        marks = halfwidth_marks(para.text)
        if not marks:
            continue
        s, e, mark, fixed = marks[0]
        if len(marks) <= PER_PARAGRAPH:
            kind = "括号" if mark == "()" else "标点"
            message = f"中文行文中使用了半角{kind}“{mark}”，应为“{FULL[mark]}”"
        else:
            counts = Counter(m for _, _, m, _ in marks)
            listing = "、".join(f"“{m}”→“{FULL[m]}”{n}处" for m, n in counts.items())
            message = f"本段中文行文中有{len(marks)}处半角标点，应改为全角：{listing}"
        yield make(doc, "halfwidth-punct", para.start + s, para.start + e, message, suggestion=fixed)


@rule("punct-doubled")
def doubled(doc: Document) -> Iterator[LintFinding]:
    """Two sentence marks in a row (，。 or 、、): one of them is left over from an edit."""
    for para in paragraphs(doc):
        for match in _DOUBLE_RE.finditer(para.text):
            yield at_match(doc, "punct-doubled", para, match, f"标点重复：“{match.group()}”，应只保留一个",
                           suggestion=match.group()[-1])


@rule("punct-quote-dun")
def quote_dun(doc: Document) -> Iterator[LintFinding]:
    """GB/T 15834-2011 4.5.3.5: no 顿号 between items each in quotation marks.

    The same rule covers 书名号, but lists of titles (often with inserted words or dates) keep
    their 顿号 in nearly every published report; flagging them would drown the real findings.
    """
    for para in paragraphs(doc):
        for match in _DUN_RE.finditer(para.text):
            yield at_match(doc, "punct-quote-dun", para, match, "标有引号的并列成分之间通常不用顿号（GB/T 15834—2011）",
                           suggestion=match.group(1) + match.group(2))
