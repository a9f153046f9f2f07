"""The notes cue words (genre/notes_cues.yaml) as a typed model, with the one lookup they all need
(the first cue word a text contains once its exception words are blanked out) and the label
lookups built on it (which section a label names, whether it names a subject or a context)."""

# no `from __future__ import annotations`: see aidraft.strict

from functools import cache

from pydantic import Field

from aidraft import genre, regexes
from aidraft.parse.document import SectionKind
from aidraft.strict import Strict
from aidraft.text import quoted

_LEADING_YEAR = regexes.compile(r"^20\d{2}年?度?")


def find_word(text: str, words: list[str], *, exceptions: list[str] | None = None) -> str | None:
    """The first of ``words`` (in list order) found in ``text`` after ``exceptions`` are blanked."""
    for ex in exceptions or ():
        text = text.replace(ex, "\0" * len(ex))
    return next((w for w in words if w and w in text), None)


class Openers(Strict):
    """Words that open a line the way a label does (原因是X reads as 原因：X)."""

    problem: list[str]
    cause: list[str]
    cause_in_problems: list[str] = Field(description="a cause only under a problems heading: 主要是…")


class LabelCues(Strict):
    problem: list[str]
    cause: list[str]
    plan: list[str]
    duty: list[str]
    context: list[str]
    weak_plan: list[str] = Field(description="plan label words whose line's tense still decides")
    filler: list[str] = Field(description="words that may stand beside label words in a line label: 存在的, 主要, 工作")
    no_topic: list[str] = Field(description="labels naming no topic (工作亮点): dropped, not kept in the item")
    openers: Openers
    inline_cause: list[str] = Field(description="a cause inside a problem's line: A，原因：B")


class ExceptedCues(Strict):
    """Cue words that come with ``except``: words containing a cue that are not it (拟定 is no 拟)."""

    except_: list[str] = Field(alias="except")


class BaCues(Strict):
    """将 + object + verb is 把, not a future: 将在建项目纳入监管."""

    verbs: list[str]
    not_object: list[str] = Field(description="an object opening so is an adverb: 将继续…, 将于明年…")


class FutureCues(ExceptedCues):
    ba: BaCues
    strong: list[str]
    weak: list[str]
    leading: list[str]
    before_verb: list[str] = Field(description="a future word right before a done verb: 将制定")
    verbs: list[str] = Field(description="verbs the plans writer finds anywhere in a note, an object after them")
    this_year: list[str]


class ProblemCues(ExceptedCues):
    words: list[str]
    remedies: list[str]
    targets: list[str] = Field(description="a clause opened so names the problem a remedy targets: 针对…")
    modal: list[str] = Field(description="an action word right after one is the problem's predicate: 有待提升")
    cause_words: list[str]


class DutyCues(ExceptedCues):
    own_heads: dict[str, list[str]] = Field(description="office name ending → the leader words of its own head")
    own_always: list[str]
    place_units: list[str]
    place_suffixes: list[str]
    leaders: list[str]
    verbs: list[str]
    alone: list[str]


class DoneVerbs(Strict):
    completion: list[str]
    action: list[str]
    govern_year: list[str] = Field(description="done verbs whose object may name a later year")
    past: list[str] = Field(description="after a later year in its clause: the thing named is done")


class TargetCues(Strict):
    at_least: list[str]
    at_most: list[str]
    markers: list[str] = Field(description="words that make a note's figures targets: 目标, 指标")
    later: list[str] = Field(description="a target for a later period, not held against this year's figures")
    links: list[str] = Field(description="linking words dropped from the end of a metric: 满意率达")


class FollowupCues(Strict):
    generic: list[str]
    min_shared: int = Field(ge=1)
    min_cover: float = Field(gt=0, le=1)
    repeat_shared: int = Field(ge=1)


class TableCues(Strict):
    """How a data row of a notes table is written as one item (parse/notes.py)."""

    this_year: list[str] = Field(description="a column headed exactly so holds this year's value: written first, "
                                 "without its heading")
    changes: dict[str, str] = Field(description="a signed value's column heading → the comparison it is written with")
    up: str
    down: str


class SplitCues(Strict):
    """What keeps a part of a notes line with the part before it."""

    keep_with: list[str] = Field(description="a part opening with one of these (其中, 同比) depends on the one before")
    done_before: list[str] = Field(description="a part before ，明年将… holding one is done work: cut there")


class OverruleCues(Strict):
    """The strong cues that win over a notes heading (ledger/build.py)."""

    planned: list[str]
    done: list[str]
    done_except: list[str]
    weak_planned: list[str] = Field(description="weak plan words that overrule when the done-verb test leaves them planned")
    modifier: str = Field(description="a done marker whose clause goes on to this is attributive: 已完成试点的基础上")
    background_ends: list[str] = Field(description="a clause ending so is background: …调离后，")
    contrast: list[str] = Field(description="a done marker before one of these is conceded, not stated: 已实现…但…")
    cutoff: list[str] = Field(description="before a later year's date: a cut-off, no plan (截至2026年1月10日)")
    report_months: list[str] = Field(description="months of the next year the notes are written in")
    this_year: list[str] = Field(description="with a month after it (今年3月), this year's past work")
    deadline: list[str] = Field(description="after that month, a deadline and no past: 今年6月前")
    problem: list[str]
    problem_blockers: list[str] = Field(description="a remedy or action in the line: no problem then")


class JottingCues(Strict):
    """Lines that are no work: comments, notes to oneself, contacts, pointers (parse/notes_items.py)."""

    comment_open: list[str]
    comment_close: list[str]
    starts: list[str]
    label_starts: list[str] = Field(description="a jotting only as a label: 联系人：张伟, not 联系人制度…")
    question_marks: list[str]
    question_words: list[str] = Field(description="a question's clause opens at the clause naming one")
    doubts: list[str]
    arrows: list[str]


class BareHeading(Strict):
    max_chars: int = Field(ge=2)
    endings: list[str]
    starts: list[str]


class NoteCues(Strict):
    labels: LabelCues
    future: FutureCues
    bare_heading: BareHeading
    title_words: list[str]
    office_suffixes: list[str] = Field(description="a first line naming only the office ends with one: 局, 人民政府")
    done_verbs: DoneVerbs
    problems: ProblemCues
    duty: DutyCues
    targets: TargetCues
    followup: FollowupCues
    tables: TableCues
    split: SplitCues
    overrule: OverruleCues
    jottings: JottingCues


@cache
def note_cues() -> NoteCues:
    return genre.load("notes_cues.yaml", NoteCues)


def blank_quoted(text: str) -> str:
    """``text`` with every quotation and title (“下一步行动”, 《遇到纠纷怎么办？》) blanked to NULs of
    the same length: someone else's words are no cue of the line's own."""
    for start, end in quoted(text):
        text = text[:start] + "\0" * (end - start) + text[end:]
    return text


def label_section(label: str) -> SectionKind | None:
    """The section a LINE label names when it is a cue label: label words and fillers alone
    (存在的主要问题, 下步工作打算), never a topic that merely contains one (困难群众法律援助)."""
    kind = label_kind(label)
    return kind if kind is not None and _only_label_words(label) else None


def is_context_label(label: str) -> bool:
    """A line label that says what the line is (背景：, 备注：) and nothing else (not 政策说明会)."""
    return is_kind_label(label) and _only_label_words(label)


def _only_label_words(label: str) -> bool:
    cues = note_cues().labels
    rest = _LEADING_YEAR.sub("", label)
    words = cues.problem + cues.cause + cues.plan + cues.duty + cues.context + cues.filler
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    return not rest.strip()


def label_kind(label: str) -> SectionKind | None:
    """The section kind a line label or short notes heading names (genre/notes_cues.yaml)."""
    cues = note_cues().labels
    for kind, words in ((SectionKind.problems, cues.cause + cues.problem), (SectionKind.plans, cues.plan),
                        (SectionKind.duty, cues.duty)):
        if find_word(label, words):
            return kind
    return None


def is_subject(label: str) -> bool:
    """A label that names who did the work (局长：, 主要领导：): it stays in the sentence."""
    return any(label.endswith(word) for word in note_cues().duty.leaders)


def is_kind_label(label: str) -> bool:
    """A label that says what the line is without naming a section (背景：, 说明：)."""
    return find_word(label, note_cues().labels.context) is not None
