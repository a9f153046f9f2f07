"""The phrase bank (genre/phrase_bank.yaml) as a typed model: headings, leads, topics, placeholders.

Every lead says what it claims: a lead with ``claims`` is used only when a note it introduces
contains one of those words, so a paragraph never opens by asserting a practice (“枫桥经验”,
“谁执法谁普法”) that the notes do not mention. A lead without claims states nothing specific.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from aidraft import genre, regexes
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
    leads: list[Lead] = Field(default_factory=list, description="most specific first; the first that fits is used")

    def takes(self, text: str) -> bool:
        return not self.claims or any(word in text for word in self.claims)

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
    self_reference: list[str]
    missing_text: dict[SectionKind, str]
    closing_date: str

    def opening_for(self, notes: list[str]) -> str:
        """The first opening whose claims the notes make (the office name counts as a note)."""
        return next((lead.text for lead in self.opening if lead.fits(notes)), self.opening[-1].text)

    def topic_list(self, kind: SectionKind) -> list[Topic]:
        return self.topics.get(kind) or self.topics[SectionKind.measures]

    def ordinal(self, index: int) -> str:
        """一是, 二是 … for item ``index`` (0-based); past the list, 此外 keeps the prose going."""
        return self.ordinals[index] if index < len(self.ordinals) else "此外"


@cache
def phrase_bank() -> PhraseBank:
    return genre.load("phrase_bank.yaml", PhraseBank)
