"""Working notes → typed items: Markdown bullets with optional YAML front matter and section
headings, or plain lines (a .txt or .docx of jottings), or prose (a whole report works too).

Each item keeps its line in the notes file so every figure can be traced back to it. A heading
such as "# 存在的不足" (or a line label such as "问题：…") puts the items under it in that section
kind; unheaded items are assigned later by the planner.
"""

# no `from __future__ import annotations`: see aidraft.strict

import re
from collections import Counter
from pathlib import Path

from pydantic import Field

from aidraft import regexes
from aidraft.errors import InputError
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import read_text
from aidraft.messages import msg
from aidraft.parse.dates import years_in
from aidraft.parse.document import NumberStyle, SectionKind
from aidraft.parse.headings import parse_heading
from aidraft.parse.kinds import classify_title
from aidraft.parse.notes_cues import (
    find_word,
    is_context_label,
    is_subject,
    label_kind,
    label_section,
    note_cues,
)
from aidraft.parse.notes_items import (
    blank_comments,
    clean_item,
    drop_questions,
    jotting_word,
    opener,
    split_cause,
    split_items,
    take_doubt,
    with_topic,
)
from aidraft.parse.notes_tables import TableReader
from aidraft.parse.office import identify, office_level
from aidraft.parse.structure import find_year, names_office
from aidraft.strict import Strict
from aidraft.text import HAN, HAN_CHAR, HAN_RUN, on_first_use, sentences
from aidraft.yamldata import load_yaml

FRONT_MATTER = regexes.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
HEADING = regexes.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
# a bullet mark or an item number: - * • / 1. 1、 (1) / 一、 （一）: none of it is the item's text
BULLET = regexes.compile(r"^(\s*)(?:[-*+•·▪●]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、．]"
                         r"|[（(][一二三四五六七八九十]{1,3}[)）]、?)\s*")
LABEL = regexes.compile(rf"^\s*((?:20\d\d年?)?[{HAN}]{{1,10}})[：:]\s*(.+)$")
LABEL_ONLY = regexes.compile(rf"^\s*(?:[【\[]\s*(.{{2,16}}?)\s*[】\]]|((?:20\d\d年?)?[{HAN}]{{2,16}})\s*[：:])\s*$")
# A line this long with several sentences is prose ("…化解率95%。下一步，将…。"): one item per
# sentence, so a plan or a problem inside a paragraph gets its own status.
PROSE_LINE = 60
HEADING_TITLE_MAX = 40
_SECTION_NUMBER = regexes.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、．]")  # a whole section title: 2023年党政主要负责人履行推进法治建设第一责任人职责情况
TITLE_CONTEXT = regexes.compile(r"20\d{2}|[局办委所院队站厅处科]")  # a notes title names a year or an office
MAX_TOPIC_LABEL = 4
MAX_SUBHEADING = 16  # （一）强化执法监督: a sub-heading names a topic in a few words
MAX_OFFICE_NAME = 24
# how deep each numbering sits in a report (一、 → （一） → 1. → （1）)
_NUMBER_DEPTH = {NumberStyle.cn_dun: 1, NumberStyle.cn_paren: 2, NumberStyle.ar_dot: 3, NumberStyle.ar_dun: 3,
                 NumberStyle.ar_paren: 4}
# Notes for one annual report are a few pages; a megabyte is hundreds of pages, not notes. Refusing
# it up front beats a draft that appears to hang (and a report nobody could file).
MAX_NOTES_BYTES = 1024 * 1024
OFFICE = regexes.compile(rf"[{HAN}]{{1,12}}(?:信访局|信访办公室|信访办|信访事项服务中心)")
_LEADING_YEAR = regexes.compile(r"^20\d{2}年度?")
_DIGIT_OR_PUNCT = regexes.compile(r"[\d，。；：,;:！？、]")
_LABEL_COLON = regexes.compile(r"[：:]")
_SUBHEADING_STOP = regexes.compile(r"[\d。；;：:！？!?]")  # a sub-heading is a name, not a sentence
_TRAILING_PAREN = regexes.compile(r"[（(][^）)]*[）)]$")
_TITLE_YEAR = regexes.compile(r"^20\d{2}年度?|20\d{2}年度?$")
_TITLE_SPLIT = regexes.compile(r"[\s，,、]+|20\d{2}年度?")  # a cleaned title line has commas for its spaces
_YEAR_ONLY = regexes.compile(r"^\s*20\d{2}\s*年?度?\s*[：:]?\s*$")  # 2025年 alone: a divider, never an item


class NotesMeta(Strict):
    """The YAML front matter of a notes file."""

    office: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    leaders: dict[str, str] = Field(default={})
    level: str | None = Field(default=None, description="县, 区 or 市; inferred from the office name")


class NoteItem(Strict):
    id: int = Field(ge=0, description="position in the notes, stable across runs")
    text: str
    line: int = Field(ge=1)
    heading: str | None = None
    kind: SectionKind | None = Field(default=None, description="from a heading or label; None when unheaded")
    label: str | None = Field(default=None, description="the line label that set the kind (短板, 明年打算 …)")
    continues: bool = Field(default=False, description="a later item of a line split at ；/。/二是 without a label: "
                            "it shares the line's status unless it has a cue of its own")
    jotting: str | None = Field(default=None, description="why the line is no work (TODO, 联系人, 见附件, ？): context")
    unverified: bool = Field(default=False, description="the writer doubted it: (待核实), taken off the text")


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


def _check_size(size: int, path: str) -> None:
    if size > MAX_NOTES_BYTES:
        raise InputError(msg("notes.too_big", name=path, size=f"{size / 2**20:.1f}",
                             limit=f"{MAX_NOTES_BYTES / 2**20:.0f}"), hint=msg("notes.too_big.hint"))


class _Votes(Strict):
    """Years the notes name, as evidence of the report year: years of this year's work, and years
    of plans (a plan names the next year, so 2026年将… votes for 2025 only when nothing else names one)."""

    now: list[int] = Field(default=[])
    later: list[int] = Field(default=[])

    def add(self, text: str, future: bool, *, latest: bool = False) -> None:
        """``latest``: only the latest year counts (a table row names this year and last year)."""
        years = years_in(text)
        (self.later if future else self.now).extend([max(years)] if latest and years else years)

    def year(self) -> int | None:
        if self.now:
            return Counter(self.now).most_common(1)[0][0]
        return min(self.later) - 1 if self.later else None


def parse_notes(text: str, path: str = "notes") -> Notes:
    """Parse notes text into items; raises InputError when nothing usable is in it."""
    _check_size(len(text.encode("utf-8", "surrogatepass")), path)
    meta, skip = _front_matter(text, path)
    lines = blank_comments(text.split("\n"))  # <!-- 内部草稿 --> is no line of the notes
    items: list[NoteItem] = []
    heading: str | None = None
    kind: SectionKind | None = None
    topic: str | None = None  # a sub-heading of the notes (（一）执法): a topic, never an item
    numbered = False  # the heading is a 一、 line: the next 一、 line ends its section
    depth = 0  # the Markdown level of the heading that set the section
    votes, title_office = _Votes(), None
    table = TableReader()
    for number, raw in enumerate(lines, start=1):
        if number <= skip or not raw.strip():
            table.end()  # a blank line ends a table (a 单位：X line above one still holds)
            continue
        title = _heading_title(raw)
        if title is not None:
            named = classify_title(title) or label_kind(title)
            md = HEADING.match(raw)
            if md and named is None and heading is not None and len(md.group(1)) > depth:
                topic = _strip_number(title)  # ## （一）执法 under # 主要工作: a topic of that section
                votes.add(title, bool(items))
                continue
            if not items:
                title_office = title_office or _title_office(title)
            heading, kind, topic = title, named, None
            numbered, depth = _SECTION_NUMBER.match(raw) is not None, len(md.group(1)) if md else 0
            votes.add(title, kind is SectionKind.plans or bool(items))  # # 2026年重点工作 after the work: a plan's year
            table.reset()
            continue
        row = table.read(raw, lines, number)
        if row is not None:  # a table's header, delimiter or 单位 line (no item), or a data row (one)
            if row:
                items.append(NoteItem(id=len(items), text=clean_item(row), line=number, heading=topic or heading,
                                      kind=kind))
                votes.add(items[-1].text, _is_future(items[-1]), latest=True)
            continue
        body = BULLET.sub("", raw, count=1)
        if items and not BULLET.match(raw) and raw[:1] in " \t" and body.strip():
            items[-1].text = clean_item(items[-1].text + body)  # indented continuation of a bullet
            continue
        if _YEAR_ONLY.match(body):  # 2026年 on its own line: the time of the lines under it
            topic = body.strip(" \t：:")
            votes.add(topic, bool(items))
            continue
        asked_body, asked = drop_questions(body)
        jotting = jotting_word(body) or (asked if not asked_body else None)
        if jotting:  # TODO …, 联系人：…, 见附件…, a question alone: kept as context, never work
            items.append(NoteItem(id=len(items), text=clean_item(body), line=number, heading=topic or heading,
                                  kind=kind, jotting=jotting))
            continue
        body = asked_body  # 是否需要写入…？督查培训机构63家: only the fact
        section = _numbered_label(raw)
        if section is not None:  # 二、不足：执法力量不足。 opens a section and is its first item
            heading, kind, topic, numbered, depth = section, classify_title(section) or label_kind(section), None, True, 0
        elif numbered and _SECTION_NUMBER.match(raw):  # 三、… ends the section 二、 opened
            heading, kind, topic, numbered = None, None, None, False
        if _is_subheading(raw, lines, number):
            topic = _strip_number(raw)
            continue
        body, cause = split_cause(body)  # 存在的问题是A，原因：B → the problem A, its cause B
        groups = [_item_parts(body, kind, topic or heading)]
        if cause:
            groups.append((SectionKind.problems, topic or heading, CAUSE_LABEL, _parts(cause)))
        for item_kind, item_heading, item_label, parts in groups:
            for part, continues in parts:
                cleaned, doubted = take_doubt(clean_item(part))
                if not items and _is_title_line(cleaned, meta):
                    votes.add(cleaned, False)
                    title_office = title_office or _title_office(cleaned)
                    continue
                if len(cleaned) >= 2:
                    items.append(NoteItem(id=len(items), text=cleaned, line=number, heading=item_heading, kind=item_kind,
                                          label=item_label, continues=continues and not item_label, unverified=doubted))
                    votes.add(cleaned, _is_future(items[-1]))
    if not items:
        raise InputError(msg("notes.no_items", name=path), hint=msg("notes.no_items.hint"))
    return Notes(path=path, text=text, meta=_complete_meta(meta, text, votes.year(), title_office), items=items)


Part = tuple[str, bool]  # an item's text, and whether it continues the line's item before it
CAUSE_LABEL = "原因"  # the label of a cause given inline or by an opener (原因是…): labels.cause names it


def _item_parts(body: str, kind: SectionKind | None, heading: str | None
                ) -> tuple[SectionKind | None, str | None, str | None, list[Part]]:
    """The kind, heading and label of the items on one line, and their texts: one item per part
    (问题：a；b, 一是a；二是b), and a long prose line one per sentence, each split the same way."""
    opened = opener(body, kind is SectionKind.problems)
    if opened:  # 原因是X, 存在的问题是X (主要是X under a problems heading) read as 原因：X, 问题：X
        return SectionKind.problems, heading, opened[0], _parts(opened[1])
    label = LABEL.match(body)
    labelled = label_section(label.group(1)) if label else None  # 困难群众法律援助： is a topic, no cue
    if label and (labelled or is_context_label(label.group(1))):  # 问题：…；…  背景：…
        return labelled or kind, heading, label.group(1), _parts(label.group(2))
    if label and is_subject(label.group(1)):  # 局长：包案5件 → 局长包案5件 (the leader is the subject)
        return kind, heading, None, _parts(label.group(1) + label.group(2))
    if label and (len(label.group(1)) <= MAX_TOPIC_LABEL or classify_title(label.group(1))):
        return kind, label.group(1), None, _parts(with_topic(*label.groups()))  # 积案：交办75件 → 积案方面，…
    if label and _is_year_label(label.group(1)):  # 2026年工作：将开展… → 2026年将开展…
        return kind, heading, None, _parts(_LEADING_YEAR.match(label.group(1)).group(0) + label.group(2))  # type: ignore[union-attr]
    body = with_topic(*label.groups(), plain=body) if label else body  # 困难群众法律援助：… keeps its words
    if len(body) >= PROSE_LINE:  # a paragraph of prose: each sentence is a fact of its own
        return kind, heading, None, [part for sentence in sentences(body) for part in _parts(sentence)]
    return kind, heading, None, _parts(body)


def _parts(text: str) -> list[Part]:
    return [(part, n > 0) for n, part in enumerate(split_items(text))]


def _is_year_label(label: str) -> bool:
    """2026年工作 / 2025年度: a year and at most a word that names no section (工作, 情况)."""
    year = _LEADING_YEAR.match(label)
    rest = label[year.end():] if year else label
    return year is not None and (not rest or rest in note_cues().bare_heading.endings)


def _strip_number(line: str) -> str:
    return BULLET.sub("", line.strip(), count=1).strip(" \t：:")


def _numbered_label(raw: str) -> str | None:
    """The section label of a numbered line that carries its first item (二、不足：执法力量不足。):
    a 一、 line whose text before the colon names a section kind."""
    numbered = parse_heading(raw)
    if numbered is None or numbered.style is not NumberStyle.cn_dun:
        return None
    label, colon, rest = numbered.title.partition("：") if "：" in numbered.title else numbered.title.partition(":")
    label = label.strip()
    if not colon or not rest.strip() or len(label) > HEADING_TITLE_MAX or extract_figures(label):
        return None
    return label if classify_title(label) or label_kind(label) else None


def _is_subheading(raw: str, lines: list[str], number: int) -> bool:
    """A numbered name on its own line (（一）执法, 1. 普法) with the items under it unnumbered or
    numbered in another style: a sub-heading of the notes, not an activity."""
    numbered = parse_heading(raw)
    if numbered is None or numbered.rest:
        return False
    title = _strip_number(raw)
    if not title or len(title) > MAX_SUBHEADING or _SUBHEADING_STOP.search(title) or extract_figures(title):
        return False
    after = next((line for line in lines[number:] if line.strip()), None)
    if after is None or _heading_title(after) is not None:
        return False
    following = parse_heading(after)  # its items: plain lines, bullets, or numbers of a deeper level
    return following is None or _NUMBER_DEPTH[following.style] > _NUMBER_DEPTH[numbered.style]


def _is_future(item: NoteItem) -> bool:
    """An item about next year: under a plans heading or label, or with a future word."""
    if item.kind is SectionKind.plans:
        return True
    future = note_cues().future
    return (find_word(item.text, future.strong + future.weak, exceptions=future.except_) is not None
            or any(item.text.startswith(w) for w in future.leading))


def _heading_title(raw: str) -> str | None:
    """A heading line: Markdown '# …', or in plain jottings a line that is only a section label
    ('存在问题：', '【下步打算】') or a short numbered title naming a section kind ('二、存在的不足')."""
    h = HEADING.match(raw)
    if h:
        return h.group(2).strip()
    only = LABEL_ONLY.match(raw)
    if only:
        title = (only.group(1) or only.group(2)).strip()
        if label_section(title) or classify_title(title) or is_context_label(title):
            return title
        return None
    numbered = parse_heading(raw)
    if numbered is not None and numbered.style is NumberStyle.cn_dun and not numbered.rest:
        title = numbered.title.strip("：: ")
        if _LABEL_COLON.search(title):  # 二、不足：执法力量不足 is a label with its item (_numbered_label)
            return None
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
    """A first line like '2025年 青溪县信访局 工作记录' or '海棠县人力资源和社会保障局' names the
    notes; it is no activity."""
    bare = _TRAILING_PAREN.sub("", text).strip(" ，,")
    titled = any(bare.endswith(w) for w in note_cues().title_words) and bool(TITLE_CONTEXT.search(text))
    named = (meta.office and meta.office in text) or OFFICE.search(text) or titled or _office_line(text)
    return bool(named) and not extract_figures(text) and len(text) <= 40


def _title_office(text: str) -> str | None:
    """The office a title line or a first heading names (2025年 青溪县信访局 工作记录, 云溪市市场监督
    管理局 2025年法治建设): the first of its parts, split at years and spaces, that is an office name."""
    return next((name for part in _TITLE_SPLIT.split(text) if (name := _office_line(part))), None)


def _office_line(text: str) -> str | None:
    """The office a line names and nothing else (海棠县人力资源和社会保障局, 市城管局2025年): a place or
    level, then an office word at the end (genre/notes_cues.yaml ``office_suffixes``)."""
    name = _TITLE_YEAR.sub("", _TRAILING_PAREN.sub("", text).strip(" ，,")).strip()
    if not (2 < len(name) <= MAX_OFFICE_NAME) or HAN_RUN.fullmatch(name) is None:
        return None
    if not any(name.endswith(w) for w in note_cues().office_suffixes):
        return None
    return name if office_level(name) or identify(name).short else None


def _complete_meta(meta: NotesMeta, text: str, year: int | None = None, title_office: str | None = None) -> NotesMeta:
    """Fill office, year and level from the text when the front matter does not give them: the
    office a title line names, else a petition office the text names; the year of this year's work
    (``year``, from the items), else the year the text names most."""
    office = meta.office or title_office
    if office is None:
        m = OFFICE.search(text)
        office = m.group(0) if m else None
    if meta.year is not None:
        year = meta.year
    elif year is None:
        year = find_year(None, "", text)
    level = meta.level or office_level(office)
    return meta.model_copy(update={"office": office, "year": year, "level": level})


JOTTED_FIGURE = on_first_use(rf"(?<=\d)[ \t\u3000]+(?=[{HAN}%])")


def source_text(notes: Notes) -> str:
    """The notes as the checker's source: a jotted figure with a space before its counter
    ("4120 件次") joined as the draft writes it ("4120件次"); lines stay where they are. (A
    Markdown table needs nothing: figures/tables.py reads its rows as any text's.)"""
    return JOTTED_FIGURE.sub("", notes.text)


def read_notes(path: Path) -> Notes:
    if Path(path).is_file():
        _check_size(Path(path).stat().st_size, str(path))
    return parse_notes(read_text(path, names_office), str(path))  # a .docx header may name the office
