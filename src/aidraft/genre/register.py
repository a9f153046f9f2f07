"""The register rules of the genre (genre/register.yaml): the drafter's prompts state them, the
repair step checks them, and the evals score drafts by them, so all three read this one model."""

from __future__ import annotations

import re
from functools import cache

from pydantic import Field

from aidraft import genre, regexes
from aidraft.strict import Strict


class Colloquial(Strict):
    word: str
    use: str | None = None


class RegisterRules(Strict):
    """genre/register.yaml: what the prompts ask for and what :meth:`findings` checks afterwards."""

    version: str
    first_person: list[str]
    first_person_pattern: str
    colloquial: list[Colloquial]
    required: list[str]
    claims: list[str] = Field(default_factory=list, description="distinctions a sentence may claim only "
                              "where the notes it cites do")

    def first_person_re(self) -> re.Pattern[str]:
        return regexes.compile(self.first_person_pattern)

    def findings(self, text: str) -> list[str]:
        """Register problems in ``text``, one line each (in Chinese: they go back to the model)."""
        found: list[tuple[int, str]] = []
        for match in self.first_person_re().finditer(text):
            found.append((match.start(), f"使用了第一人称“{match.group(0)}”，应改用单位名称"))
        for rule in self.colloquial:
            start = text.find(rule.word)
            if start >= 0:
                fix = f"，改用“{rule.use}”" if rule.use else "，改用书面语"
                found.append((start, f"使用了口语词“{rule.word}”{fix}"))
        return list(dict.fromkeys(line for _, line in sorted(found)))


@cache
def register_rules() -> RegisterRules:
    return genre.load("register.yaml", RegisterRules)
