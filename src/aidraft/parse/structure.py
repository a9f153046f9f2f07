"""Text → :class:`Document`: skip web debris, find title/office/year, build the heading tree.

Level assignment (why: real reports misnumber, so a style alone does not fix a level)
------------------------------------------------------------------------------------
Headings are read in order while keeping the stack of open levels, each with the styles seen
at it and its last ordinal. For each heading, the first rule that applies decides:

1. **Same style** as an open level → that level (deepest such level first). Exception: an
   ordinal 1 whose style belongs to a *shallower* open level that already has items starts a
   new nested list instead (a "1、" list under "（二）" in a report whose first heading was
   "1、"), because top-level sequences do not restart.
2. **Continuation**: ordinal n > 1 and some open level (deepest first) ended at n − 1 → that
   level, and the style joins it. This is how "1、工作开展情况 … 二、存在的主要问题" and
   "（一）（二）（3）（4）" come out as one sequence each.
3. **New list**: ordinal 1 (or nothing open yet) → one level below the deepest open level.
4. Otherwise (a stray number in an unseen style) → by the usual hierarchy 一、 > （一） >
   1. / 1、 > （1）: below every open level whose style ranks higher.

Levels are therefore always contiguous (a child is never two levels down) and capped at 4.

The frame: web-page rows (索引号 | 发文机关 …, breadcrumbs, 打印/关闭) before the report are
skipped and ``body_start`` recorded; the title is a line ending in 报告 (possibly split over
lines, possibly with an office line above it); the year comes from the title, else the
opening paragraph, else the most frequent "20xx年" outside 《》; a trailing office/date block is
the closing. Markdown heading and bold marks ("## 一、", "**（一）…**") are tolerated for .md drafts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from aidraft import regexes
from aidraft.ingest.read import MAX_TEXT_CHARS, normalise, read_text
from aidraft.parse.dates import is_date_line, years_in
from aidraft.parse.document import Document, NumberStyle, Section
from aidraft.parse.headings import Heading, parse_heading
from aidraft.parse.kinds import Frame, assign_kinds, catalogue

MAX_LEVEL = 4
_RANK = {NumberStyle.cn_dun: 0, NumberStyle.cn_paren: 1, NumberStyle.ar_dot: 2,
         NumberStyle.ar_dun: 2, NumberStyle.ar_paren: 3, NumberStyle.none: 4}
_FRAME_LINE_MAX = 40  # title parts, office lines, signature lines are short
_OFFICE_NAME_MAX = 30  # an office line above a title; a 落款 office may be longer (_is_signature)
_SIGNATURE_MAX = 30
_DEBRIS_SCAN = 40  # web debris is looked for only among the first lines before any heading
# year, month and day may be left blank for the clerk to fill in ("2026年　月　日", "XXXX年X月X日")
_REMARK_LINE = regexes.compile(r"^[（(]此件[^）)]*[）)]$")
_PROSE_PUNCT = regexes.compile(r"[。，,；;：:！？!?]")


class _Line(NamedTuple):  # a tuple, not a dataclass: defining a dataclass costs each start three times more
    index: int
    start: int
    end: int  # offset of the line's end, before its "\n"
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def stripped(self) -> str:
        """The line without padding or Markdown heading/bold marks ("# 标题", "**标题**")."""
        return self.text.strip().lstrip("#").strip().strip("*_").strip()


class _Open:
    """A heading level open while the tree is built: the number styles seen at it, its last ordinal."""

    __slots__ = ("last", "styles")

    def __init__(self) -> None:
        self.styles: set[NumberStyle] = set()
        self.last = 0


def parse_file(path: Path) -> Document:
    """Read a .txt/.md/.docx report and parse it."""
    return parse_text(read_text(Path(path), names_office), str(path))


def names_office(text: str) -> bool:
    """Does ``text`` name its office (title, office line, signature)? What a .docx reader asks
    before it reads a page header as the office (ingest/docx_text.py)."""
    return len(text) <= MAX_TEXT_CHARS and parse_text(text).office is not None


def parse_text(text: str, path: str | None = None) -> Document:
    """Parse report text (newlines normalised first) into a Document whose offsets point into it."""
    text = normalise(text)
    frame = catalogue().frame
    lines = _split_lines(text)
    found = [(line, parse_heading(line.text)) for line in lines]
    first_heading = next((line.index for line, h in found if h is not None), len(lines))
    body_idx, debris_office = _skip_debris(lines, min(first_heading, _DEBRIS_SCAN), frame)
    end_idx = _content_end(lines, body_idx, frame)
    title, office, after_title = _find_title(lines[body_idx:min(first_heading, end_idx)], frame, body_idx)
    if title is None and body_idx > 0:  # a web page may show the title above its metadata rows
        above = [line for line in lines[:body_idx] if not _is_debris(line.text, frame)]
        title, office, _ = _find_title(above, frame, body_idx)
    headings = [(line, h) for line, h in found[after_title:end_idx] if h is not None]
    own = office or _office_from_title(title, frame) or debris_office
    closing_idx = _find_closing(lines, headings[-1][0].index + 1 if headings else after_title, end_idx, frame, own)
    levels = assign_levels([h for _, h in headings])
    sections = _build_tree(lines, headings, levels, closing_idx)
    assign_kinds(sections)
    first_idx = headings[0][0].index if headings else closing_idx
    preamble = _span_text(text, lines, after_title, first_idx)
    closing = _span_text(text, lines, closing_idx, end_idx)
    office = own or _closing_office(closing, frame) or _leading_office(lines[body_idx:min(first_heading, end_idx)], frame)
    body_start = lines[body_idx].start if body_idx < len(lines) else len(text)
    return Document(path=path, title=title, office=office, year=find_year(title, preamble, text[body_start:]),
                    preamble=preamble, closing=closing, sections=sections, text=text, body_start=body_start)


def assign_levels(headings: Sequence[Heading]) -> list[int]:
    """1-based levels for a sequence of headings (algorithm in the module docstring)."""
    open_: list[_Open] = []
    levels: list[int] = []
    for h in headings:
        index = _choose_level(open_, h)
        index = min(index, MAX_LEVEL - 1, len(open_))
        if index == len(open_):
            open_.append(_Open())
        del open_[index + 1:]
        open_[index].styles.add(h.style)
        open_[index].last = h.ordinal
        levels.append(index + 1)
    return levels


def _choose_level(open_: list[_Open], h: Heading) -> int:
    deepest = len(open_) - 1
    for i in range(deepest, -1, -1):  # rule 1: same style
        if h.style in open_[i].styles:
            restarts_above = h.ordinal == 1 and i < deepest and open_[i].last >= 1
            return len(open_) if restarts_above else i
    if h.ordinal > 1:  # rule 2: continuation of another style's sequence
        for i in range(deepest, -1, -1):
            if open_[i].last == h.ordinal - 1:
                return i
    if h.ordinal == 1 or not open_:  # rule 3: a new nested list
        return len(open_)
    rank = _RANK[h.style]  # rule 4: the usual hierarchy
    return sum(1 for level in open_ if min(_RANK[s] for s in level.styles) < rank)


# --- tree -------------------------------------------------------------------------------------


def _build_tree(lines: list[_Line], headings: list[tuple[_Line, Heading]], levels: list[int],
                content_end: int) -> list[Section]:
    text_of = _Slicer(lines)
    roots: list[Section] = []
    stack: list[Section] = []
    for k, ((line, h), level) in enumerate(zip(headings, levels, strict=True)):
        next_idx = headings[k + 1][0].index if k + 1 < len(headings) else content_end
        subtree_end = next((headings[j][0].index for j in range(k + 1, len(headings)) if levels[j] <= level),
                           content_end)
        body_from = line.start + h.rest_start if h.rest_start is not None else None
        section = Section(
            level=level, number=h.number, style=h.style, ordinal=h.ordinal, title=h.title,
            text=text_of.between(body_from, line.index + 1, next_idx),
            line=line.index + 1, start=line.start, end=max(line.end, text_of.last_end(line.index, subtree_end)),
        )
        del stack[level - 1:]
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    return roots


class _Slicer:
    """Exact, whitespace-trimmed slices of the text by line ranges (so text == doc.text[a:b])."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines

    def last_end(self, first: int, stop: int) -> int:
        """End offset of the last non-blank line in lines[first:stop] (0 when none)."""
        for i in range(min(stop, len(self.lines)) - 1, first - 1, -1):
            if not self.lines[i].blank:
                return self.lines[i].start + len(self.lines[i].text.rstrip())
        return 0

    def between(self, from_offset: int | None, first: int, stop: int) -> str:
        text = "\n".join(line.text for line in self.lines[first:stop])
        if from_offset is not None:
            head_line = self.lines[first - 1]
            head = head_line.text[from_offset - head_line.start:]
            text = head + ("\n" + text if first < stop else "")
        return text.strip()


def _span_text(text: str, lines: list[_Line], first: int, stop: int) -> str:
    if first >= stop or first >= len(lines):
        return ""
    return text[lines[first].start:lines[min(stop, len(lines)) - 1].end].strip()


def _split_lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    offset = 0
    for i, raw in enumerate(text.split("\n")):
        out.append(_Line(i, offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return out


# --- frame: debris, title, office, year, closing ----------------------------------------------


_LABEL_END = regexes.compile(r"\s*[:：|｜]")  # after a debris label (发布时间：, 来源|)
_BREADCRUMB = regexes.compile(r"\S\s*[>＞›»]\s*\S")
_ISSUER_LABEL = regexes.compile(r"(?:发文机关|发布机构)[\s:：|｜]+([^|｜\s]+)")
_TRAILING_YEAR = regexes.compile(r"[（(]\s*20\d{2}\s*(?:年度?)?[）)]$")
_TITLE_WORDS = regexes.compile(r"关于|法治|报告|年度")
_CN_YEAR = "二[〇○零O][〇○零O一二三四五六七八九]{2}"
_OFFICE_BEFORE_YEAR = regexes.compile(rf"^(.+?)(?:20\d{{2}}|{_CN_YEAR}|年度|法治)")
_LEADING_YEAR = regexes.compile(rf"^(?:20\d{{2}}|{_CN_YEAR})\s*年度?")


def _is_debris(line: str, frame: Frame) -> bool:
    s = line.strip()
    if not s or parse_heading(s) is not None:
        return False
    if s.count("|") >= 2 or set(s) <= set("|｜-—=_ \t\u3000"):
        return True
    if any(s.startswith(label) and _LABEL_END.match(s, len(label)) for label in frame.debris_labels):
        return True
    if len(s) <= _FRAME_LINE_MAX and "。" not in s and not _ends_like_title(s, frame):
        if any(word in s for word in frame.debris_words) or _BREADCRUMB.search(s):
            return True
    return False


def _skip_debris(lines: list[_Line], limit: int, frame: Frame) -> tuple[int, str | None]:
    """Index just past the last debris line among the first ``limit`` lines, and any 发文机关."""
    last = -1
    office: str | None = None
    for line in lines[:limit]:
        if _is_debris(line.text, frame):
            last = line.index
            match = _ISSUER_LABEL.search(line.text)
            if match and office is None:
                office = match.group(1)
    index = last + 1
    while index < len(lines) and lines[index].blank:
        index += 1
    return index, office


def _content_end(lines: list[_Line], body_idx: int, frame: Frame) -> int:
    """Exclusive index after the last line of the report proper (trailing blanks/debris dropped)."""
    end = len(lines)
    while end > body_idx and (lines[end - 1].blank or _is_debris(lines[end - 1].text, frame)):
        end -= 1
    return end


def _ends_like_title(s: str, frame: Frame) -> bool:
    core = _TRAILING_YEAR.sub("", s.strip())
    return any(core.endswith(e) for e in frame.title_endings)


def _is_office_name(s: str, frame: Frame, limit: int | None = _OFFICE_NAME_MAX) -> bool:
    """A line naming an office; ``limit`` None for a 落款 line, which is an office whatever its
    length (自治州 party and government offices run past 30 characters)."""
    return ((limit is None or len(s) <= limit) and not _PROSE_PUNCT.search(s) and not _TITLE_WORDS.search(s)
            and any(s.endswith(x) for x in frame.office_suffixes))


def _find_title(lines: list[_Line], frame: Frame, default: int) -> tuple[str | None, str | None, int]:
    """(title, office line above it, index after the title) among the first non-blank ``lines``."""
    cands = [line for line in lines if not line.blank][:4]
    for k, line in enumerate(cands):
        s = line.stripped
        if len(s) > 80 or "。" in s or not _ends_like_title(s, frame):
            if len(s) > _FRAME_LINE_MAX or _PROSE_PUNCT.search(s):
                break  # prose started: no title
            continue
        prefix = [c.stripped for c in cands[:k]]
        n_office = 0
        while n_office < len(prefix) and _is_office_name(prefix[n_office], frame):
            n_office += 1
        if s.startswith("关于") or n_office == len(prefix):
            n_office = len(prefix)
        office = " ".join(prefix[:n_office]) or None
        title = "".join(prefix[n_office:]) + s
        return title, office, line.index + 1
    return None, None, default


def _leading_office(lines: list[_Line], frame: Frame) -> str | None:
    """An office-name line opening the text when nothing else names the office: above a title the
    frame does not take for one (梧桐县市场监督管理局 / 2025年法治政府建设工作情况), where a .docx page
    header read above the body puts it."""
    first = next((line.stripped for line in lines if not line.blank), "")
    return first if _is_office_name(first, frame) else None


def _office_from_title(title: str | None, frame: Frame) -> str | None:
    """The office a title names: before 关于 (X局关于2025年度…), else after it or after a leading
    year (关于X局2025年度…, 2025年度X局法治政府…), before the year or 法治."""
    if not title:
        return None
    if "关于" in title:
        head, title = title.split("关于", 1)
        if head.strip():
            return head.strip()
    title = _LEADING_YEAR.sub("", title.strip())
    match = _OFFICE_BEFORE_YEAR.match(title)
    office = match.group(1).strip() if match else ""
    return office if any(office.endswith(x) for x in frame.office_suffixes) else None


def find_year(title: str | None, preamble: str, body: str) -> int | None:
    """The year a text is about: from its title, else its opening, else the most frequent year
    outside 《document titles》 (which name other years' plans)."""
    for source in (title or "", preamble):
        named = years_in(source)
        if named:
            return named[0]
    counts = Counter(years_in(body))
    return counts.most_common(1)[0][0] if counts else None


def _is_signature(s: str, frame: Frame, own_office: str | None = None, before_date: bool = False) -> bool:
    """A 落款 line: a date, a remark (此件公开发布), or an office. The report's own office, or an
    office line directly above the date, is one whatever its length; any other line over
    ``_SIGNATURE_MAX`` characters is text."""
    s = s.strip()
    if own_office and _squeeze(s) == _squeeze(own_office):
        return True
    if before_date and _is_office_name(s, frame, limit=None):
        return True
    if len(s) > _SIGNATURE_MAX:
        return False
    return bool(is_date_line(s) or _REMARK_LINE.match(s) or _is_office_name(s, frame))


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _find_closing(lines: list[_Line], first: int, end: int, frame: Frame, own_office: str | None = None) -> int:
    """Index where a trailing signature block (office, date, 此件公开发布) starts; ``end`` if none."""
    start = end
    below_is_date = False
    for i in range(end - 1, max(first, end - 6) - 1, -1):
        if lines[i].blank:
            continue
        if not _is_signature(lines[i].text, frame, own_office, below_is_date):
            break
        start = i
        below_is_date = is_date_line(lines[i].text.strip())
    return start


def _closing_office(closing: str, frame: Frame) -> str | None:
    return next((s.strip() for s in closing.split("\n") if _is_office_name(s.strip(), frame, limit=None)), None)
