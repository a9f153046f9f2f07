"""genre/privacy.yaml as validated, compiled rules.

The patterns are data so an office can add a trigger word (a local term for 信访人) or a surname
without touching code; a malformed regex is a packaging bug and fails loudly as DataError.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aidraft import genre, regexes
from aidraft.errors import DataError

RULES_FILE = "privacy.yaml"
Check = Literal["gb11643", "luhn", "id15"]


def _compiled(regex: str) -> str:
    """``regex`` unchanged when it compiles; a bad one fails the file with its reason."""
    try:
        regexes.compile(regex)
    except re.error as exc:
        raise ValueError(f"bad regex {regex!r}: {exc}") from exc
    return regex


class PatternRule(BaseModel):
    """One regex; a group named ``value`` limits the mask to that group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regex: str
    check: Check | None = None

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _compiled(value)


class KindRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(pattern=r"^[a-z_]+$")
    label: str = Field(min_length=1)
    patterns: list[PatternRule] = Field(min_length=1)


class NameRules(BaseModel):
    """Names are found after words that introduce a person (信访人张三), not by a dictionary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    triggers: list[str] = Field(min_length=1)
    suffixes: list[str] = Field(default_factory=list)
    compound_surnames: list[str] = Field(default_factory=list)
    surnames: str
    stop: str
    stop_after_first: str = ""
    not_names: list[str] = Field(default_factory=list)
    joiners: str = "、"
    list_enders: list[str] = Field(default_factory=lambda: ["等"], min_length=1,
                                   description="words that close a list of names: 张伟、李娜等")


class AddressRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    triggers: list[str] = Field(min_length=1)
    markers: list[str] = Field(min_length=1)
    extra_chars: str = ""
    max_chars: int = Field(default=40, ge=4, le=200)
    patterns: list[str] = Field(default_factory=list, description="addresses recognised by shape, with no cue")

    @field_validator("patterns")
    @classmethod
    def _compile(cls, value: list[str]) -> list[str]:
        return [_compiled(regex) for regex in value]


class PrivacyRules(BaseModel):
    """The whole file. Kinds are listed by priority (see the file's header)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    ordinals: list[str] = Field(min_length=2)
    open: str = "〔"
    close: str = "〕"
    open_variants: str = "〔【[［"
    close_variants: str = "〕】]］"
    kinds: list[KindRule]
    names: NameRules
    addresses: AddressRules

    @field_validator("ordinals")
    @classmethod
    def _no_digits(cls, value: list[str]) -> list[str]:
        # A digit inside a placeholder would become a figure the checker reads.
        if any(not o or any(ch.isdigit() for ch in o) for o in value):
            raise ValueError("ordinals must be non-empty and contain no digits")
        if len(set(value)) != len(value):
            raise ValueError("ordinals must be distinct")
        return value

    @property
    def labels(self) -> dict[str, str]:
        """kind → label, names and addresses included."""
        out = {k.kind: k.label for k in self.kinds}
        out["name"] = self.names.label
        out["address"] = self.addresses.label
        return out

    def priority(self, kind: str) -> int:
        order = [k.kind for k in self.kinds] + ["name", "address"]
        return order.index(kind) if kind in order else len(order)


class CompiledPattern(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    kind: str
    regex: re.Pattern[str]
    check: Check | None


@cache
def privacy_rules() -> PrivacyRules:
    """The bundled rules (cached; a malformed file raises DataError naming the field)."""
    rules = genre.load(RULES_FILE, PrivacyRules)
    labels = list(rules.labels.values())
    if len(set(labels)) != len(labels):
        raise DataError(f"bundled genre file {RULES_FILE}: labels must be distinct")
    return rules


@cache
def compiled_patterns() -> tuple[CompiledPattern, ...]:
    rules = privacy_rules()
    return tuple(
        CompiledPattern(kind=k.kind, regex=regexes.compile(p.regex), check=p.check) for k in rules.kinds for p in k.patterns
    )


__all__ = ["AddressRules", "CompiledPattern", "KindRule", "NameRules", "PrivacyRules", "compiled_patterns",
           "privacy_rules"]
