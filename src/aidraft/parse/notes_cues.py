"""The notes cue words (genre/notes_cues.yaml) as a typed model, with the one lookup they all need:
the first cue word a text contains once its exception words are blanked out."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from aidraft import genre
from aidraft.strict import Strict


def find_word(text: str, words: list[str], *, exceptions: list[str] | None = None) -> str | None:
    """The first of ``words`` (in list order) found in ``text`` after ``exceptions`` are blanked."""
    for ex in exceptions or ():
        text = text.replace(ex, "\0" * len(ex))
    return next((w for w in words if w and w in text), None)


class LabelCues(Strict):
    problem: list[str]
    cause: list[str]
    plan: list[str]
    duty: list[str]
    context: list[str]
    weak_plan: list[str] = Field(description="plan label words whose line's tense still decides")


class ExceptedCues(Strict):
    """Cue words that come with ``except``: words containing a cue that are not it (拟定 is no 拟)."""

    except_: list[str] = Field(alias="except")


class FutureCues(ExceptedCues):
    strong: list[str]
    weak: list[str]
    leading: list[str]
    before_verb: list[str] = Field(description="a future word right before a done verb: 将制定")
    this_year: list[str]


class ProblemCues(ExceptedCues):
    words: list[str]
    remedies: list[str]
    cause_words: list[str]


class DutyCues(ExceptedCues):
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


@cache
def note_cues() -> NoteCues:
    return genre.load("notes_cues.yaml", NoteCues)
