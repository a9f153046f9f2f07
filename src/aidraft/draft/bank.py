"""The phrase bank (genre/phrase_bank.yaml) as a typed model: headings, leads, topics, placeholders.

Every lead says what it claims: a lead with ``claims`` is used only when a note it introduces
contains one of those words, so a paragraph never opens by asserting a practice (“枫桥经验”,
“谁执法谁普法”) that the notes do not mention. A lead without claims states nothing specific.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from aidraft import genre, regexes
from aidraft.figures.numerals import cn_number
from aidraft.parse.document import SectionKind
from aidraft.strict import Strict

QUOTED = regexes.compile(r"“([^”]{1,20})”")
class Lead(Strict):
    text: str
    claims: list[str] = Field(default_factory=list, description="words a cited note must contain; empty: a generic lead")

    def fits(self, notes: list[str]) -> bool:
        """True when the notes make this lead's claims (and contain every “quoted” name in it)."""
        joined = "".join(notes)
        if self.claims and not any(word in joined for word in self.claims):
            return False
        return all(name in joined for name in QUOTED.findall(self.text))


class Topic(Strict):
    id: str
    keywords: list[str]
    heading: str
    claims: list[str] = Field(default_factory=list, description="the heading's claim: a note (or the office "
                              "name) must contain one of these words for the topic to take it")
    backing: list[str] = Field(default_factory=list, description="the practice the heading names (积案 in 攻坚积案化解): "
                               "a note must itself contain one of these words for the topic to take it; empty: "
                               "each keyword backs the heading")
    leads: list[Lead] = Field(default_factory=list, description="most specific first; the first that fits is used")

    def takes(self, text: str) -> bool:
        return not self.claims or any(word in text for word in self.claims)

    def backs(self, note: str) -> bool:
        """True when the note's own words back the heading: a keyword that only groups notes
        (化解 for 攻坚积案化解) never puts a practice into a heading the notes do not name."""
        return not self.backing or any(word in note for word in self.backing)

    @property
    def lead(self) -> str:
        """The lead that claims nothing specific (for writers that do not pass the notes)."""
        return next((lead.text for lead in self.leads if lead.fits([])), "")

    def lead_for(self, notes: list[str]) -> str:
        """The first lead whose claims the given notes make; "" when none fits."""
        return next((lead.text for lead in self.leads if lead.fits(notes)), "")


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
    plan_bare_max: int = Field(ge=1, description="longest note still taken for a bare jotting")
    plan_strip: list[str]
    plan_modals: list[str] = Field(description="plan_strip words a verb of the note follows (拟组建): no plan_prefix then")
    problem_strip: ProblemStrip
    self_reference: list[str]
    missing_text: dict[SectionKind, str]
    closing_date: str

    def opening_for(self, notes: list[str]) -> str:
        """The first opening whose claims the notes make (the office name counts as a note)."""
        return next((lead.text for lead in self.opening if lead.fits(notes)), self.opening[-1].text)

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
