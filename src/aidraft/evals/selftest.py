"""The checker's self-test inside the evals: plant changed figures into reports and count what
the checker catches and what it flags wrongly.

Every eval run repeats it, so a change that weakens the checker shows up as a regression of the
suite even when no draft changed. It uses check/plant.measure, the same routine as the tests and
the benchmark, so all three report the same numbers.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from aidraft.check.plant import measure
from aidraft.evals.cases import Case
from aidraft.evals.results import SelfTestResult
from aidraft.figures.extract import extract_figures
from aidraft.ingest.read import read_text

MISSED_SHOWN = 10


def case_texts(cases: list[Case]) -> list[str]:
    """Report-like texts of the suite with figures: priors, references, digest inputs, notes."""
    texts: list[str] = []
    for case in cases:
        for item in (case.notes, case.prior, case.reference, *case.reports):
            if item is not None and item.text not in texts and extract_figures(item.text):
                texts.append(item.text)
    return texts


def corpus_texts(folder: Path | None) -> list[str]:
    if folder is None or not folder.is_dir():
        return []
    return [read_text(p) for p in sorted(folder.glob("*.txt"))]


def fingerprint(texts: list[str]) -> str:
    return hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:12]


def run_selftest(name: str, texts: list[str], seeds: int) -> SelfTestResult:
    """Plant changes into each text with seeds 0..seeds-1 and add up the checker's results."""
    started = time.perf_counter()
    planted = caught = unchanged = alarms = 0
    missed: list[str] = []
    for text in texts:
        for seed in range(seeds):
            r = measure(text, seed)
            planted, caught = planted + r.planted, caught + r.caught
            unchanged, alarms = unchanged + r.unchanged, alarms + r.false_alarms
            missed += [f"seed {seed}: {m}" for m in r.missed][: MISSED_SHOWN - len(missed)]
    return SelfTestResult(
        id=name,
        texts=len(texts),
        fingerprint=fingerprint(texts),
        seeds=seeds,
        planted=planted,
        caught=caught,
        unchanged=unchanged,
        false_alarms=alarms,
        missed=missed,
        seconds=round(time.perf_counter() - started, 3),
        metrics={
            "checker_recall": round(caught / planted, 4) if planted else None,
            "checker_false_alarm_rate": round(alarms / unchanged, 4) if unchanged else None,
        },
    )
