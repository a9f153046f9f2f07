"""Working notes → typed items: Markdown bullets with optional YAML front matter and section
headings, or plain lines (a .txt or .docx of jottings), or prose (a whole report works too).

Each item keeps its line in the notes file so every figure can be traced back to it. A heading
such as "# 存在的不足" (or a line label such as "问题：…") puts the items under it in that section
kind; unheaded items are assigned later by the planner.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aidraft.errors import InputError
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import read_text
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import classify_title
from aidraft.parse.structure import find_year
from aidraft.text import HAN_CHAR

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^(\s*)(?:[-*+•·▪●]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）])\s*")
LABEL = re.compile(r"^\s*([\u4e00-\u9fff]{1,8})[：:]\s*(.+)$")
LABEL_KINDS = {
    "问题": SectionKind.problems, "不足": SectionKind.problems, "存在问题": SectionKind.problems,
    "明年": SectionKind.plans, "下一步": SectionKind.plans, "下步": SectionKind.plans,
    "计划": SectionKind.plans, "打算": SectionKind.plans,
}
MAX_TOPIC_LABEL = 4
# Notes for one annual report are a few pages; a megabyte is hundreds of pages, not notes. Refusing
# it up front beats a draft that appears to hang (and a report nobody could file).
MAX_NOTES_BYTES = 1024 * 1024
OFFICE = re.compile(r"[\u4e00-\u9fff]{1,12}(?:信访局|信访办公室|信访办|信访事项服务中心)")


class NotesMeta(BaseModel):
    """The YAML front matter of a notes file."""

    model_config = ConfigDict(extra="forbid")

    office: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    leaders: dict[str, str] = Field(default_factory=dict)
    level: str | None = Field(default=None, description="县, 区 or 市; inferred from the office name")


class NoteItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=0, description="position in the notes, stable across runs")
    text: str
    line: int = Field(ge=1)
    heading: str | None = None
    kind: SectionKind | None = Field(default=None, description="from a heading or label; None when unheaded")


class Notes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    text: str = Field(description="the notes file's full text: the checker's source")
    meta: NotesMeta
    items: list[NoteItem]


def _front_matter(text: str, path: str) -> tuple[NotesMeta, int]:
    m = FRONT_MATTER.match(text)
    if not m:
        return NotesMeta(), 0
    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise InputError(f"{path}: the YAML front matter is malformed{where}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: the YAML front matter must be key: value pairs (office, year, leaders)")
    try:
        meta = NotesMeta.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{path}: front matter field '{field}': {err['msg']}",
                         hint="allowed fields: office, year, leaders, level") from exc
    return meta, m.group(0).count("\n")


def clean_item(text: str) -> str:
    """Tidy one jotted line. A space after a figure or between two words separates two facts
    (…36名 参考率100%) and becomes a comma; a space before a number (研究法治建设 6次) is dropped."""
    text = text.strip()
    figure_ends = {f.end for f in extract_figures(text)}
    out: list[str] = []
    for m in re.finditer(r"\s+|\S+", text):
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
        raise InputError(f"{path} is {size / 2**20:.1f} MB: too large for the notes of one report "
                         f"(limit {MAX_NOTES_BYTES / 2**20:.0f} MB)", hint="split it by office or year")


def parse_notes(text: str, path: str = "notes") -> Notes:
    """Parse notes text into items; raises InputError when nothing usable is in it."""
    _check_size(len(text.encode("utf-8")), path)
    meta, skip = _front_matter(text, path)
    items: list[NoteItem] = []
    heading: str | None = None
    kind: SectionKind | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        if number <= skip or not raw.strip():
            continue
        h = HEADING.match(raw)
        if h:
            heading = h.group(1).strip()
            kind = classify_title(heading)
            continue
        body = BULLET.sub("", raw, count=1)
        if items and not BULLET.match(raw) and raw[:1] in " \t" and body.strip():
            items[-1].text = clean_item(items[-1].text + body)  # indented continuation of a bullet
            continue
        item_kind, item_heading, parts = kind, heading, [body]
        label = LABEL.match(body)
        if label and label.group(1) in LABEL_KINDS:  # 问题：…；…
            item_kind = LABEL_KINDS[label.group(1)]
            parts = [p for p in re.split(r"[；;]", label.group(2)) if p.strip()]
        elif label and len(label.group(1)) <= MAX_TOPIC_LABEL:  # 积案：交办75件… (a topic, not prose)
            item_heading, parts = label.group(1), [label.group(2)]
        for part in parts:
            cleaned = clean_item(part)
            if not items and _is_title_line(cleaned, meta):
                continue
            if len(cleaned) >= 2:
                items.append(NoteItem(id=len(items), text=cleaned, line=number, heading=item_heading, kind=item_kind))
    if not items:
        raise InputError(f"{path}: the notes contain no items", hint="write one bullet per activity, e.g. '- 开展宣讲12场'")
    return Notes(path=path, text=text, meta=_complete_meta(meta, text), items=items)


def _is_title_line(text: str, meta: NotesMeta) -> bool:
    """A first line like '2025年 青溪县信访局 工作记录' names the notes; it is no activity."""
    named = (meta.office and meta.office in text) or OFFICE.search(text)
    return bool(named) and not extract_figures(text) and len(text) <= 40


def _complete_meta(meta: NotesMeta, text: str) -> NotesMeta:
    """Fill office, year and level from the text when the front matter does not give them."""
    office = meta.office
    if office is None:
        m = OFFICE.search(text)
        office = m.group(0) if m else None
    year = meta.year if meta.year is not None else find_year(None, "", text)
    level = meta.level or _level_of(office)
    return meta.model_copy(update={"office": office, "year": year, "level": level})


def _level_of(office: str | None) -> str | None:
    if not office:
        return None
    for ch in reversed(office.split("信访")[0]):
        if ch in "县区市":
            return ch
    return None


def read_notes(path: Path) -> Notes:
    if Path(path).is_file():
        _check_size(Path(path).stat().st_size, str(path))
    return parse_notes(read_text(path), str(path))
