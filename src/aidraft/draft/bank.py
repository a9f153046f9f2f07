"""The phrase bank (genre/phrase_bank.yaml) as a typed model: headings, leads, topics, placeholders.

Every lead says what it claims: a lead with ``claims`` is used only when a note it introduces
contains one of those words, so a paragraph never opens by asserting a practice (“枫桥经验”,
“谁执法谁普法”) that the notes do not mention. A lead without claims states nothing specific.
Words are matched as the topic means them: an occurrence inside one of the topic's ``exclude``
phrases (培训 in 校外培训机构, 考核 in 考核排名) does not count.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import Field

from aidraft import genre, regexes
from aidraft.figures.numerals import cn_number
from aidraft.parse.document import SectionKind
from aidraft.strict import Strict
from aidraft.text import find_all

QUOTED = regexes.compile(r"“([^”]{1,20})”")
GAP, GAP_MAX = "…", 12  # 纳入…考核: the words of a claim in order, up to GAP_MAX characters apart


def mentions(text: str, word: str, exclude: list[str] = []) -> bool:  # noqa: B006 (never mutated)
    """True when ``word`` occurs in ``text`` outside every ``exclude`` phrase; a word with …
    (纳入…考核) is its parts in order within one clause (纳入年度绩效考核)."""
    if GAP in word:
        parts = [re.escape(part) for part in word.split(GAP)]
        return regexes.compile(f"[^，。；,;]{{0,{GAP_MAX}}}".join(parts)).search(text) is not None
    covered = [(at, at + len(p)) for p in exclude if word in p for at in find_all(text, p)]
    return any(not any(s <= at and at + len(word) <= e for s, e in covered) for at in find_all(text, word))


class Lead(Strict):
    text: str
    claims: list[str] = Field(default_factory=list, description="words a cited note must contain; empty: a generic lead")
    share: float = Field(default=0.0, ge=0.0, lt=1.0, description="with claims: the office name makes them, "
                         "or more than this share of the notes does (0: any one note)")

    def fits(self, notes: list[str], exclude: list[str] = []) -> bool:  # noqa: B006 (never mutated)
        """True when the notes make this lead's claims (and contain every “quoted” name in it)."""
        joined = "\n".join(notes)
        if self.claims and not any(mentions(joined, word, exclude) for word in self.claims):
            return False
        return all(name in joined for name in QUOTED.findall(self.text))

    def backing(self, notes: list[str], exclude: list[str] = []) -> list[int]:  # noqa: B006 (never mutated)
        """Indexes of the notes that make this lead's claims."""
        return [n for n, note in enumerate(notes) if any(mentions(note, w, exclude) for w in self.claims)]


class Topic(Strict):
    id: str
    keywords: list[str]
    heading: str
    claims: list[str] = Field(default_factory=list, description="the heading's claim: a note (or the office "
                              "name) must contain one of these words for the topic to take it")
    backing: list[str] = Field(default_factory=list, description="the practice the heading names (积案 in 攻坚积案化解): "
                               "a note must itself contain one of these words for the topic to take it; empty: "
                               "each keyword backs the heading")
    exclude: list[str] = Field(default_factory=list, description="phrases in which the topic's words mean "
                               "something else (校外培训机构 for 培训): a word found only inside one does not count")
    leads: list[Lead] = Field(default_factory=list, description="most specific first; the first that fits is used")

    def takes(self, text: str) -> bool:
        return not self.claims or any(mentions(text, word, self.exclude) for word in self.claims)

    def backs(self, note: str) -> bool:
        """True when the note's own words back the heading: a keyword that only groups notes
        (化解 for 攻坚积案化解) never puts a practice into a heading the notes do not name."""
        return not self.backing or any(mentions(note, word, self.exclude) for word in self.backing)

    def hits(self, text: str) -> int:
        """How many of the topic's keywords the text uses as the topic means them."""
        return sum(1 for k in self.keywords if mentions(text, k, self.exclude))

    @property
    def lead(self) -> str:
        """The lead that claims nothing specific (for writers that do not pass the notes)."""
        return next((lead.text for lead in self.leads if lead.fits([])), "")

    def lead_for(self, notes: list[str]) -> str:
        """The first lead whose claims the given notes make; "" when none fits."""
        return next((lead.text for lead in self.leads if lead.fits(notes, self.exclude)), "")


class Placeholders(Strict):
    unverified: str
    missing: str
    cause: str = Field(description="once per problems section whose notes give no cause")
    cause_lead: str = Field(description="opens the sentence of the notes labelled as causes")
    followup: str = Field(description="once per promise of last year's plans the notes are silent on; {promise}")
    target_missed: str = Field(default="{metric}为{actual}，未达到{target}的目标。",
                               description="a target of this year not met; {metric} {actual} {target}")
    target_stated: str = Field(default="{label}为{target}",
                               description="a note stating this year's target (目标：…), in the measures; {label} {target}")
    plan_bare: str = Field(default="{subject}方面，【待补充：具体安排】",
                           description="a planned bare noun with no activity in it (执法队伍); {subject}")


class ProblemStrip(Strict):
    """What a problem note may open with that the problems list does not repeat."""

    links: list[str] = Field(description="a conjunction opening the note: 但是， 不过")
    labels: list[str] = Field(description="a label naming the note a problem: 存在的问题, 不足")
    ties: list[str] = Field(description="what joins a label to the problem: 是, 主要是, ：")


class PhraseBank(Strict):
    opening: list[Lead] = Field(min_length=1, description="most specific first; the last claims nothing")
    section_leads: dict[SectionKind, str]
    ordinals: list[str] = Field(min_length=3)
    topics: dict[SectionKind, list[Topic]]
    placeholders: Placeholders
    plan_verbs: list[str]
    plan_prefix: str
    plan_activities: list[str] = Field(default_factory=list, description="endings of a bare jotting that names an "
                                       "activity (培训, 建设): only those get plan_prefix")
    plan_inner_verbs: list[str] = Field(default_factory=list, description="verbs inside a note that give it its own verb")
    plan_time: str = Field(default=r"(?!)", description="regex of a time phrase of next year (3月前, 年底前, 上半年)")
    plan_next_year: list[str] = Field(default_factory=list, description="words for next year: 明年, 来年")
    plan_bare_max: int = Field(ge=1, description="longest note still taken for a bare jotting")
    plan_strip: list[str]
    plan_modals: list[str] = Field(description="plan_strip words a verb of the note follows (拟组建): no plan_prefix then")
    problem_strip: ProblemStrip
    self_reference: list[str]
    announcements: list[str] = Field(default_factory=list, description="endings of a line that announces a list "
                                     "(主要做了这些事): never drafted as a statement")
    missing_text: dict[SectionKind, str]
    closing_date: str

    def opening_for(self, office: str, notes: list[str]) -> tuple[str, list[int]]:
        """The first opening whose claims the office name makes, or the notes (more than the lead's
        ``share`` of them), with the indexes of the notes that license it (none: the office name
        or a generic opening)."""
        for lead in self.opening:
            if not lead.claims or lead.fits([office]):
                return lead.text, []
            backing = lead.backing(notes)
            if backing and len(backing) > lead.share * len(notes) and lead.fits(notes):
                return lead.text, backing
        return self.opening[-1].text, []

    def announces(self, text: str) -> bool:
        """True for a line that announces a list rather than states work (主要工作如下：)."""
        stripped = text.strip().rstrip("：:。.；; ")
        return any(stripped.endswith(word) for word in self.announcements)

    def topic_list(self, kind: SectionKind) -> list[Topic]:
        return self.topics.get(kind) or self.topics[SectionKind.measures]

    def ordinal(self, index: int) -> str:
        """一是, 二是 … for item ``index`` (0-based); past the list the count goes on (十一是) in
        the list's own form, so the 11th item is no 此外."""
        if index < len(self.ordinals):
            return self.ordinals[index]
        last = self.ordinals[-1]
        return cn_number(index + 1) + last[len(cn_number(len(self.ordinals))):]


@cache
def phrase_bank() -> PhraseBank:
    return genre.load("phrase_bank.yaml", PhraseBank)
