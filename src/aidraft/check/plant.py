"""Plant changed figures into a text and measure whether the checker finds them.

Used by the test suite, the eval self-test and the benchmark, so the three report the same
numbers. A change replaces one digit of a figure's numeral with another digit, so offsets stay
put and the changed figure is still a well-formed figure of the same form (3万余册 → 5万余册).
"""

from __future__ import annotations

import random

from pydantic import BaseModel, ConfigDict

from aidraft.check.model import FLAGGED
from aidraft.check.run import check_text
from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Figure
from aidraft.ingest.read import NamedText

ARABIC = "0123456789"
CHINESE = "一二三四五六七八九"


class PlantResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    planted: int
    caught: int
    unchanged: int
    false_alarms: int
    missed: list[str]
    false_alarm_texts: list[str]

    @property
    def recall(self) -> float:
        return self.caught / self.planted if self.planted else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.unchanged if self.unchanged else 0.0


def _digit_positions(fig: Figure) -> list[int]:
    """Offsets of the digits in a figure that may be changed (never a leading 1 of 十, nor 两)."""
    alphabet = CHINESE if fig.chinese else ARABIC
    positions = []
    for i, ch in enumerate(fig.text):
        if ch in alphabet:
            leading = i == 0 or fig.text[i - 1] not in alphabet
            if ch == "0" and leading:
                continue
            positions.append(fig.start + i)
    return positions


def plant_changes(text: str, rng: random.Random, share: float = 0.3) -> tuple[str, set[int]]:
    """Change about ``share`` of the figures; return the new text and the starts of changed figures."""
    figures = extract_figures(text)
    chars = list(text)
    changed: set[int] = set()
    for fig in figures:
        positions = _digit_positions(fig)
        if not positions or rng.random() >= share:
            continue
        pos = rng.choice(positions)
        alphabet = CHINESE if fig.chinese else ARABIC
        leading = pos == fig.start or text[pos - 1] not in alphabet
        choices = [d for d in alphabet if d != text[pos] and not (leading and d == "0")]
        chars[pos] = rng.choice(choices)
        changed.add(fig.start)
    return "".join(chars), changed


def measure(text: str, seed: int, share: float = 0.3) -> PlantResult:
    """Check a copy of ``text`` with planted changes against ``text`` itself as the notes."""
    rng = random.Random(seed)
    draft, changed = plant_changes(text, rng, share)
    report = check_text(NamedText(path="draft", text=draft), [NamedText(path="notes", text=text)])
    flagged_at = {f.start for f in report.figures if f.status in FLAGGED}
    flagged_at |= {a.start for a in report.arithmetic}
    starts = {f.start: f.text for f in report.figures}
    missed = [starts.get(s, f"@{s}") for s in sorted(changed - flagged_at)]
    false_alarms = [f.text for f in report.figures if f.start not in changed and f.status in FLAGGED]
    return PlantResult(
        planted=len(changed), caught=len(changed & flagged_at), unchanged=len(starts) - len(changed),
        false_alarms=len(false_alarms), missed=missed, false_alarm_texts=false_alarms,
    )
