"""How the report names its own office's leadership (局党组, 办党组, 中心党委 …), derived from the
office name with the suffix table in genre/self_reference.yaml, never a hard-coded 局党组."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from aidraft import genre
from aidraft.strict import Strict
from aidraft.text import find_all


class SuffixRule(Strict):
    suffix: str
    party: str


class Abbreviation(Strict):
    name: str
    short: str


class SelfReference(Strict):
    """genre/self_reference.yaml."""

    version: str
    leadership: str
    default: str
    kinds: list[SuffixRule]
    levels: list[str] = Field(min_length=1)
    level_words: list[str] = Field(default_factory=list, description="words whose 市/区 is no level: 城市, 市场")
    abbreviations: list[Abbreviation] = Field(default_factory=list)
    spoken: list[str] = Field(default_factory=list, description="the office's spoken self-reference: 咱们局, 我们")
    unnamed: str = Field(default="本单位", description="the self-reference where no office name is known")

    def short_name(self, office: str) -> str:
        """县信访局 for 青溪县信访局, 市城市管理局 for 云溪市城市管理局, 市市场监管局 for
        云溪市市场监督管理局: how the report names its own office after the first time."""
        name = office.strip()
        inside = {at + k for word in self.level_words for at in find_all(name, word) for k in range(len(word))}
        at = next((i for i in range(len(name) - 2, -1, -1) if name[i] in self.levels and i not in inside), None)
        if at is None:
            return name
        tail = name[at:]
        for rule in self.abbreviations:
            if tail.endswith(rule.name):
                return tail[: len(tail) - len(rule.name)] + rule.short
        return tail

    def party_body(self, office: str) -> str:
        """局党组 for 青溪县信访局, 办党组 for 城南区信访办, 中心党委 for …信访事项服务中心."""
        name = office.strip()
        for rule in self.kinds:
            if name.endswith(rule.suffix):
                return rule.party
        return self.default


@cache
def self_reference() -> SelfReference:
    return genre.load("self_reference.yaml", SelfReference)


def party_body(office: str) -> str:
    return self_reference().party_body(office)
