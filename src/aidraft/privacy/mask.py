"""Replace personal data with stable placeholders before text leaves the machine, and put it back.

One ``Masker`` lives for one run: the same value always gets the same placeholder (〔人名甲〕 in the
plan request is 〔人名甲〕 in every section request), so the model can refer to a person
consistently and every placeholder it echoes can be restored. The mapping never leaves the
process; ``summary()`` reports kinds and counts only, never values.

Placeholders hold no digits (Heavenly Stems as ordinals), so a masked text states exactly the
figures of the original. Text that already looks like a placeholder is itself masked as a value,
so ``unmask(mask(x)) == x`` for every ``x``.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from pydantic import Field

from aidraft import regexes
from aidraft.privacy.detect import Span, detect
from aidraft.privacy.rules import PrivacyRules, privacy_rules
from aidraft.strict import Strict


class MaskSummary(Strict):
    """What was masked in a run, for the run log: kinds and counts, never the values."""

    enabled: bool = True
    values: dict[str, int] = Field(default_factory=dict, description="distinct values masked, by kind")
    occurrences: dict[str, int] = Field(default_factory=dict, description="replacements in outgoing text")
    texts_masked: int = Field(default=0, description="outgoing texts that contained personal data")
    restored: int = Field(default=0, description="placeholders put back into model answers")
    unknown_placeholders: int = Field(default=0, description="placeholder-like text in answers matching nothing")

    @property
    def total(self) -> int:
        return sum(self.values.values())

    def line(self) -> str:
        """One line for the CLI: 'masked 3 personal data values (name 2, mobile 1)'."""
        if not self.enabled:
            return "personal data NOT masked"
        if not self.values:
            return "no personal data found to mask"
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.values.items()))
        return f"masked {self.total} personal data value(s) ({kinds}); restored {self.restored} in answers"


def ordinal(index: int, ordinals: list[str]) -> str:
    """0 → 甲, 9 → 癸, 10 → 甲甲, 11 → 甲乙 … (bijective base-N, so every index has one name)."""
    base, out = len(ordinals), ""
    index += 1
    while index:
        index, rest = divmod(index - 1, base)
        out = ordinals[rest] + out
    return out


class Masker:
    """Masks and unmasks text for one run. Thread-safe: sections are drafted in parallel."""

    def __init__(self, rules: PrivacyRules | None = None) -> None:
        self.rules = rules or privacy_rules()
        self._labels = self.rules.labels
        self._kind_of_label = {label: kind for kind, label in self._labels.items()}
        self._by_value: dict[str, str] = {}  # value → placeholder
        self._by_key: dict[tuple[str, str], str] = {}  # (label, ordinal) → value
        self._kind_of_value: dict[str, str] = {}
        self._next: Counter[str] = Counter()
        self._literals: set[str] = set()  # placeholder-looking text found in the input itself
        self._occurrences: Counter[str] = Counter()
        self._texts_masked = self._restored = self._unknown = 0
        self._lock = threading.Lock()
        r = self.rules
        labels = regexes.alternation(self._labels.values())
        ordinals = "".join(map(re.escape, dict.fromkeys("".join(r.ordinals))))
        self._placeholder = regexes.compile(
            rf"[{re.escape(r.open_variants)}]\s*({labels})\s*([{ordinals}]+)\s*[{re.escape(r.close_variants)}]"
        )

    def __repr__(self) -> str:  # never the mapping: it holds the personal data
        return f"Masker(values={len(self._by_value)})"

    def mask(self, text: str) -> str:
        """``text`` with every personal-data value (found now or earlier in the run) replaced."""
        if not text:
            return text
        with self._lock:
            spans = self._spans(text)
            if not spans:
                return text
            out, last = [], 0
            for span in spans:
                out.append(text[last : span.start])
                out.append(self._placeholder_for(span))
                self._occurrences[span.kind] += 1
                last = span.end
            out.append(text[last:])
            self._texts_masked += 1
            return "".join(out)

    def unmask(self, text: str) -> str:
        """``text`` with every placeholder this run issued replaced by its value (bracket variants too)."""
        if not text:
            return text
        with self._lock:
            return self._placeholder.sub(self._restore, text)

    def prime(self, text: str) -> None:
        """Assign placeholders in the order values appear in ``text`` (the notes), not in the order
        requests happen to run in, so a rerun sends the same masked requests."""
        self.mask(text)
        with self._lock:
            self._occurrences.clear()
            self._texts_masked = 0

    def summary(self) -> MaskSummary:
        with self._lock:
            values = Counter(k for v, k in self._kind_of_value.items() if v not in self._literals)
            return MaskSummary(
                values=dict(sorted(values.items())), occurrences=dict(sorted(self._occurrences.items())),
                texts_masked=self._texts_masked, restored=self._restored, unknown_placeholders=self._unknown,
            )

    # --- internals (called with the lock held) -----------------------------------------------

    def _spans(self, text: str) -> list[Span]:
        """Placeholder-looking text, detected spans, and every other occurrence of a value already
        masked in this run. Masking literal placeholders too is what makes unmask an exact inverse."""
        spans: list[Span] = []
        taken = bytearray(len(text))
        for m in self._placeholder.finditer(text):
            self._literals.add(m.group(0))
            spans.append(Span(kind=self._kind_of_label[m.group(1)], start=m.start(), end=m.end(), value=m.group(0)))
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for span in detect(text):
            if 1 not in taken[span.start : span.end]:
                spans.append(span)
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
        known = {**{s.value: s.kind for s in spans}, **self._kind_of_value}
        for value in sorted(known, key=len, reverse=True):
            start = text.find(value)
            while start >= 0:
                end = start + len(value)
                if 1 not in taken[start:end]:
                    spans.append(Span(kind=known[value], start=start, end=end, value=value))
                    taken[start:end] = b"\x01" * len(value)
                start = text.find(value, end)
        return sorted(spans, key=lambda s: s.start)

    def _placeholder_for(self, span: Span) -> str:
        found = self._by_value.get(span.value)
        if found is not None:
            return found
        label = self._labels[span.kind]
        name = ordinal(self._next[label], self.rules.ordinals)
        self._next[label] += 1
        placeholder = f"{self.rules.open}{label}{name}{self.rules.close}"
        self._by_value[span.value] = placeholder
        self._by_key[(label, name)] = span.value
        self._kind_of_value[span.value] = span.kind
        return placeholder

    def _restore(self, m: re.Match[str]) -> str:
        value = self._by_key.get((m.group(1), m.group(2)))
        if value is None:
            self._unknown += 1
            return m.group(0)
        self._restored += 1
        return value


def scrub(text: str, rules: PrivacyRules | None = None) -> str:
    """``text`` with every personal-data value replaced by its kind's bare label (〔身份证号〕):
    for records that are kept (run logs), where nothing is ever restored."""
    spans = detect(text) if text else []
    if not spans:
        return text
    r = rules or privacy_rules()
    out, last = [], 0
    for span in spans:
        out += [text[last : span.start], f"{r.open}{r.labels[span.kind]}{r.close}"]
        last = span.end
    return "".join(out) + text[last:]


__all__ = ["MaskSummary", "Masker", "ordinal", "scrub"]
