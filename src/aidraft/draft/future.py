"""A planned note as one item of the plans section (一是…): the section lead already says the year
and that these are plans, so the note's own 明年, 拟, 2026年 go; what it says on its own stays.

Kept on purpose: a note's own verb (建成, 拟建立 → 建立), and its deadline (年底前, 上半年, 3月前),
which is part of the promise: only the bare year goes (2026年底前 → 年底前), and a month keeps its
year (明年3月前 → 2026年3月前). A bare noun gets no invented practice: an activity (基层培训) is
pushed on (扎实推进基层培训), a thing (执法队伍) is left for the clerk to fill in. A plan word
that is part of another word (拟定, 草拟) or the 将 of a 把-construction (将“将心比心”机制推广至…) is
no plan word to strip: the ledger's except lists decide (genre/notes_cues.yaml).
"""

from __future__ import annotations

import re
from functools import cache

from aidraft import regexes
from aidraft.draft.bank import PhraseBank
from aidraft.ledger.tense import cue_text
from aidraft.parse.notes_cues import NoteCues, find_word, note_cues

_YEAR = r"20\d{2}年(?:度)?"
_OBJECT = 2  # characters after a verb that make an object: 培养法律明白人, not 基层培训


@cache
def _time_re(time: str) -> re.Pattern[str]:
    """A leading time phrase (3月前, 年底前, 于上半年), with its comma."""
    return regexes.compile(rf"^于?({time})[，,]?")


def lead_time(text: str, bank: PhraseBank, next_year: int | None) -> tuple[str, str]:
    """(the time phrase the note opens with, as the plan writes it; the rest of the note).

    Next year (明年, or its number; any year when ``next_year`` is unknown) is dropped, as the
    lead says it, unless a month follows: 3月前 alone does not say which year. Another year stays."""
    year = rf"{next_year}年(?:度)?" if next_year is not None else _YEAR
    found = regexes.compile(rf"^(?:{'|'.join(map(re.escape, bank.plan_next_year))}|{year})").match(text)
    rest = text
    if found:
        rest = text[found.end():]
        rest = ("年" + rest if rest.startswith(("底", "末", "内")) else rest).lstrip("，, ")
    time = _time_re(bank.plan_time).match(rest)
    if time is None:
        return "", rest
    phrase = time.group(1)
    if found and phrase[0].isdigit():  # 明年3月前 → 2026年3月前: a month needs its year
        said = found.group(0)
        phrase = (f"{next_year}年" if said in bank.plan_next_year and next_year is not None else said) + phrase
    return phrase, rest[time.end():]


def _strip_front(text: str, bank: PhraseBank) -> tuple[str, bool]:
    """``text`` without the plan words and self-references it opens with; True if one was a modal (拟)."""
    changed, modal = True, False
    cues = note_cues()
    while changed:
        changed = False
        for word in bank.plan_strip + bank.self_reference:
            if word in bank.plan_next_year or _part_of_another(text, word, cues):
                continue  # 明年 is lead_time's: 明年3月前 keeps its year
            if text.startswith(word) and len(text) > len(word) + 1:
                text = text[len(word):].lstrip("，,：: ")
                modal = modal or word in bank.plan_modals
                changed = True
    return text, modal


def _part_of_another(text: str, word: str, cues: NoteCues) -> bool:
    """The plan word ``text`` opens with is part of a longer word (拟定, 草拟, 准备金) or the 将 of
    a 把-construction: nothing to strip."""
    longer = [ex for ex in cues.future.except_ if ex.startswith(word) and len(ex) > len(word)]
    return any(text.startswith(ex) for ex in longer) or (text.startswith(word) and cue_text(text, cues)[:1] == "\0")


def has_verb(text: str, bank: PhraseBank) -> bool:
    """True when the note says what is to be done: it opens with a plan verb, a verb stands inside
    it (平台上线运行, 《办法》出台), a verb with an object after it stands anywhere (培养法律明白人800名,
    局长带头讲授法治课), or a modal stands after its subject (局长将…)."""
    if any(text.startswith(verb) for verb in bank.plan_verbs):
        return True
    if any(verb in text[1:] for verb in bank.plan_inner_verbs):
        return True
    cues = note_cues()
    verbs = bank.plan_verbs + cues.future.verbs + cues.done_verbs.action + cues.duty.verbs
    if any(0 <= (at := text.find(verb)) and len(text) - at - len(verb) >= _OBJECT for verb in verbs):
        return True
    plain = cue_text(text, cues)
    modal = find_word(plain[1:], cues.future.before_verb, exceptions=cues.future.except_)
    return modal is not None and len(plain) - plain.find(modal, 1) - len(modal) >= _OBJECT


def plan_item(text: str, bank: PhraseBank, next_year: int | None = None) -> str:
    """One planned note (already through ``prose``) as the plans section states it."""
    time, modal = "", False
    for _ in range(3):  # 下一步，拟于明年6月底前… : plan words and the time phrase in any order
        before = text
        found, text = lead_time(text, bank, next_year)
        time = time or found
        text, was_modal = _strip_front(text, bank)
        modal = modal or was_modal
        if text == before:
            break
    if not (modal or has_verb(text, bank)) and len(text) <= bank.plan_bare_max and "，" not in text:
        if any(text.endswith(word) for word in bank.plan_activities):
            text = bank.plan_prefix + text  # 基层培训 names an activity: pushed on, nothing invented
        else:
            return bank.placeholders.plan_bare.format(subject=text)
    return time + text
