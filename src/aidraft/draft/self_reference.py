"""How the report names its own office's leadership (局党组, 办党组, 中心党委 …), derived from the
office name with the suffix table in genre/self_reference.yaml, never a hard-coded 局党组."""

from __future__ import annotations

from functools import cache

from aidraft import genre
from aidraft.strict import Strict


class SuffixRule(Strict):
    suffix: str
    party: str


class SelfReference(Strict):
    """genre/self_reference.yaml."""

    version: str
    leadership: str
    default: str
    kinds: list[SuffixRule]

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
