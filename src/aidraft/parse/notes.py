"""Working notes → typed items: Markdown bullets with optional YAML front matter and section
headings, or plain lines (a .txt or .docx of jottings), or prose (a whole report works too).

Each item keeps its line in the notes file so every figure can be traced back to it. A heading
such as "# 存在的不足" (or a line label such as "问题：…") puts the items under it in that section
kind; unheaded items are assigned later by the planner.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from aidraft import regexes
from aidraft.errors import InputError
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import read_text
from aidraft.messages import msg
from aidraft.parse.document import NumberStyle, SectionKind
from aidraft.parse.headings import parse_heading
from aidraft.parse.kinds import classify_title
from aidraft.parse.notes_cues import find_word, note_cues
from aidraft.parse.office import office_level
from aidraft.parse.structure import find_year
from aidraft.strict import Strict
from aidraft.text import HAN, HAN_CHAR, on_first_use, sentences
from aidraft.yamldata import load_yaml

FRONT_MATTER = regexes.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
HEADING = regexes.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
BULLET = regexes.compile(r"^(\s*)(?:[-*+•·▪●]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）])\s*")
LABEL = regexes.compile(rf"^\s*((?:20\d\d年?)?[{HAN}]{{1,10}})[：:]\s*(.+)$")
LABEL_ONLY = regexes.compile(rf"^\s*(?:[【\[]\s*(.{{2,16}}?)\s*[】\]]|((?:20\d\d年?)?[{HAN}]{{2,16}})\s*[：:])\s*$")
# several items on one labelled line: 问题：a；b  /  短板：①a②b  /  明年：一是a。二是b
ITEM_SPLIT = regexes.compile(r"[；;。]|(?=[①②③④⑤⑥⑦⑧⑨⑩])|(?<=.)(?=[一二三四五六七八九十]是)")
# A line this long with several sentences is prose ("…化解率95%。下一步，将…。"): one item per
# sentence, so a plan or a problem inside a paragraph gets its own status.
PROSE_LINE = 60
HEADING_TITLE_MAX = 40  # a whole section title: 2023年党政主要负责人履行推进法治建设第一责任人职责情况
TITLE_CONTEXT = regexes.compile(r"20\d{2}|[局办委所院队站厅处科]")  # a notes title names a year or an office
MAX_TOPIC_LABEL = 4
# Notes for one annual report are a few pages; a megabyte is hundreds of pages, not notes. Refusing
# it up front beats a draft that appears to hang (and a report nobody could file).
MAX_NOTES_BYTES = 1024 * 1024
OFFICE = regexes.compile(rf"[{HAN}]{{1,12}}(?:信访局|信访办公室|信访办|信访事项服务中心)")
_SPACE_OR_WORD = regexes.compile(r"\s+|\S+")
_LEADING_YEAR = regexes.compile(r"^20\d{2}年度?")
_DIGIT_OR_PUNCT = regexes.compile(r"[\d，。；：,;:！？、]")
_TRAILING_PAREN = regexes.compile(r"[（(][^）)]*[）)]$")
#: Markdown a jotted line may carry into the report: a quote mark, a nested bullet or a task box at
#: its start; bold, code and strike marks anywhere (never a single ~, which writes a range: 2~3天).
_MARKUP_LEAD = regexes.compile(r"^(?:>\s*|[-*+•]\s+|\[[ xX✓√]\]\s*)+")
_MARKUP_INLINE = regexes.compile(r"\*+|__|~~|`+")


class NotesMeta(Strict):
    """The YAML front matter of a notes file."""

    office: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    leaders: dict[str, str] = Field(default_factory=dict)
    level: str | None = Field(default=None, description="县, 区 or 市; inferred from the office name")


class NoteItem(Strict):
    id: int = Field(ge=0, description="position in the notes, stable across runs")
    text: str
    line: int = Field(ge=1)
    heading: str | None = None
    kind: SectionKind | None = Field(default=None, description="from a heading or label; None when unheaded")
    label: str | None = Field(default=None, description="the line label that set the kind (短板, 明年打算 …)")


class Notes(Strict):
    path: str
    text: str = Field(description="the notes file's full text: the checker's source")
    meta: NotesMeta
    items: list[NoteItem]


def _front_matter(text: str, path: str) -> tuple[NotesMeta, int]:
    m = FRONT_MATTER.match(text)
    if not m:
        return NotesMeta(), 0
    meta = load_yaml(m.group(1), NotesMeta, f"{path}: front matter", hint="allowed fields: office, year, leaders, level",
                     empty_ok=True, line_offset=1)
    return meta, m.group(0).count("\n")


def clean_item(text: str) -> str:
    """Tidy one jotted line. A space after a figure or between two words separates two facts
    (…36名 参考率100%) and becomes a comma; a space before a number (研究法治建设 6次) is dropped."""
    text = _MARKUP_INLINE.sub("", _MARKUP_LEAD.sub("", text.strip())).strip()
    figure_ends = {f.end for f in extract_figures(text)}
    out: list[str] = []
    for m in _SPACE_OR_WORD.finditer(text):
        chunk = m.group(0)
        if not chunk.isspace():
            out.append(chunk)
            continue
        prev, nxt = text[m.start() - 1], text[m.end()] if m.end() < len(text) else ""
        if HAN_CHAR.match(nxt) and (m.start() in figure_ends or HAN_CHAR.match(prev)):
            out.append("，")
        elif not (HAN_CHAR.match(prev) or prev.isdigit() or prev in "%）”") or not (HAN_CHAR.match(nxt) or nxt.isdigit() or nxt in "“（"):
            out.append(" ")
    return "".join(out).strip(" \t;；,，。")


def _check_size(size: int, path: str) -> None:
    if size > MAX_NOTES_BYTES:
        raise InputError(msg("notes.too_big", name=path, size=f"{size / 2**20:.1f}",
                             limit=f"{MAX_NOTES_BYTES / 2**20:.0f}"), hint=msg("notes.too_big.hint"))


def parse_notes(text: str, path: str = "notes") -> Notes:
    """Parse notes text into items; raises InputError when nothing usable is in it."""
    _check_size(len(text.encode("utf-8", "surrogatepass")), path)
    meta, skip = _front_matter(text, path)
    items: list[NoteItem] = []
    heading: str | None = None
    kind: SectionKind | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        if number <= skip or not raw.strip():
            continue
        title = _heading_title(raw)
        if title is not None:
            heading = title
            kind = classify_title(title) or label_kind(title)
            continue
        body = BULLET.sub("", raw, count=1)
        if items and not BULLET.match(raw) and raw[:1] in " \t" and body.strip():
            items[-1].text = clean_item(items[-1].text + body)  # indented continuation of a bullet
            continue
        item_kind, item_heading, item_label, parts = kind, heading, None, [body]
        label = LABEL.match(body)
        labelled = label_kind(label.group(1)) if label else None
        if label and (labelled or _is_kind_label(label.group(1))):  # 问题：…；…  背景：…
            item_kind, item_label = labelled or kind, label.group(1)
            parts = [p for p in ITEM_SPLIT.split(label.group(2)) if p and p.strip()]
        elif label and _is_subject(label.group(1)):  # 局长：包案5件 → 局长包案5件 (the leader is the subject)
            parts = [label.group(1) + label.group(2)]
        elif label and len(label.group(1)) <= MAX_TOPIC_LABEL:  # 积案：交办75件… (a topic, not prose)
            item_heading, parts = label.group(1), [label.group(2)]
        elif len(body) >= PROSE_LINE:  # a paragraph of prose: each sentence is a fact of its own
            parts = sentences(body)
        for part in parts:
            cleaned = clean_item(part.lstrip("①②③④⑤⑥⑦⑧⑨⑩ \t"))
            if not items and _is_title_line(cleaned, meta):
                continue
            if len(cleaned) >= 2:
                items.append(NoteItem(id=len(items), text=cleaned, line=number, heading=item_heading,
                                      kind=item_kind, label=item_label))
    if not items:
        raise InputError(msg("notes.no_items", name=path), hint=msg("notes.no_items.hint"))
    return Notes(path=path, text=text, meta=_complete_meta(meta, text), items=items)


def label_kind(label: str) -> SectionKind | None:
    """The section kind a line label or short notes heading names (genre/notes_cues.yaml)."""
    cues = note_cues().labels
    for kind, words in ((SectionKind.problems, cues.cause + cues.problem), (SectionKind.plans, cues.plan),
                        (SectionKind.duty, cues.duty)):
        if find_word(label, words):
            return kind
    return None


def _is_subject(label: str) -> bool:
    """A label that names who did the work (局长：, 主要领导：): it stays in the sentence."""
    return any(label.endswith(word) for word in note_cues().duty.leaders)


def _is_kind_label(label: str) -> bool:
    """A label that says what the line is without naming a section (背景：, 说明：)."""
    return find_word(label, note_cues().labels.context) is not None


def _heading_title(raw: str) -> str | None:
    """A heading line: Markdown '# …', or in plain jottings a line that is only a section label
    ('存在问题：', '【下步打算】') or a short numbered title naming a section kind ('二、存在的不足')."""
    h = HEADING.match(raw)
    if h:
        return h.group(1).strip()
    only = LABEL_ONLY.match(raw)
    if only:
        title = (only.group(1) or only.group(2)).strip()
        if label_kind(title) or classify_title(title) or _is_kind_label(title):
            return title
        return None
    numbered = parse_heading(raw)
    if numbered is not None and numbered.style is NumberStyle.cn_dun and not numbered.rest:
        title = numbered.title.strip("：: ")
        if len(title) <= HEADING_TITLE_MAX and not extract_figures(title) and classify_title(title):
            return title
    return raw.strip() if _is_bare_heading(raw.strip()) else None


def _is_bare_heading(line: str) -> bool:
    """存在问题 / 下步工作打算 on a line of its own in plain jottings (genre/notes_cues.yaml)."""
    cues = note_cues()
    rule, labels = cues.bare_heading, cues.labels
    title = _LEADING_YEAR.sub("", line)
    words = labels.problem + labels.cause + labels.plan + labels.duty
    return (2 <= len(title) <= rule.max_chars and HAN_CHAR.match(title) is not None
            and not _DIGIT_OR_PUNCT.search(title)
            and any(title.endswith(w) for w in rule.endings)
            and (any(title.startswith(w) for w in rule.starts) or title in words)
            and (classify_title(line) is not None or label_kind(line) is not None))


def _is_title_line(text: str, meta: NotesMeta) -> bool:
    """A first line like '2025年 青溪县信访局 工作记录' names the notes; it is no activity."""
    bare = _TRAILING_PAREN.sub("", text).strip(" ，,")
    titled = any(bare.endswith(w) for w in note_cues().title_words) and bool(TITLE_CONTEXT.search(text))
    named = (meta.office and meta.office in text) or OFFICE.search(text) or titled
    return bool(named) and not extract_figures(text) and len(text) <= 40


def _complete_meta(meta: NotesMeta, text: str) -> NotesMeta:
    """Fill office, year and level from the text when the front matter does not give them."""
    office = meta.office
    if office is None:
        m = OFFICE.search(text)
        office = m.group(0) if m else None
    year = meta.year if meta.year is not None else find_year(None, "", text)
    level = meta.level or office_level(office)
    return meta.model_copy(update={"office": office, "year": year, "level": level})


JOTTED_FIGURE = on_first_use(rf"(?<=\d)[ \t\u3000]+(?=[{HAN}%])")


def source_text(notes: Notes) -> str:
    """The notes as the checker's source: a jotted figure with a space before its counter
    ("4120 件次") joined as the draft writes it ("4120件次"); lines stay where they are."""
    return JOTTED_FIGURE.sub("", notes.text)


def read_notes(path: Path) -> Notes:
    if Path(path).is_file():
        _check_size(Path(path).stat().st_size, str(path))
    return parse_notes(read_text(path), str(path))
