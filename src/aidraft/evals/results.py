"""What an eval run writes: results.json is an ``EvalRun``.

Compared values (``metrics``) hold nothing time- or machine-dependent, so a rerun of the offline
backend reproduces the saved baseline exactly; timing sits apart in ``run.seconds``/``seconds``
and is reported, never compared.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aidraft.runstats import RunStats
from aidraft.strict import Strict

RESULTS_FORMAT = 1
Status = Literal["pass", "fail", "error", "skipped"]


class FigureMark(Strict):
    """A figure of the output text with the checker's verdict, for highlighting."""

    start: int
    end: int
    text: str
    status: str
    flagged: bool
    note: str | None = None


class OutputView(Strict):
    """The text a case produced, as report.html shows it."""

    text: str
    figures: list[FigureMark] = Field(default_factory=list)


class JudgeScore(Strict):
    criterion: str
    score: int
    reason: str


class JudgeResult(Strict):
    model: str
    prompt: str
    scores: list[JudgeScore]
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0


class CaseResult(Strict):
    id: str
    kind: str
    description: str = ""
    source: str
    fingerprint: str = Field(default="", description="hash of the case's inputs and expectations")
    status: Status
    metrics: dict[str, float | None] = Field(default_factory=dict)
    failures: list[str] = Field(default_factory=list, description="thresholds not met, one line each")
    thresholds: dict[str, str] = Field(default_factory=dict, description="this case's own bounds, e.g. ≥ 0.7")
    regressed: list[str] = Field(default_factory=list, description="metrics worse than the baseline allows")
    error: str | None = None
    details: dict[str, list[str]] = Field(default_factory=dict, description="what a metric counted, readable")
    output: OutputView | None = None
    run: RunStats | None = None
    judge: JudgeResult | None = None


class SelfTestResult(Strict):
    """The checker's planted-change self-test over one set of texts."""

    id: str
    texts: int
    fingerprint: str = Field(
        default="", description="hash of the texts: runs over other texts are not compared"
    )
    seeds: int
    planted: int
    caught: int
    unchanged: int
    false_alarms: int
    metrics: dict[str, float | None]
    status: Status = "pass"
    failures: list[str] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list, description="first few planted changes not caught")
    seconds: float = 0.0


class Delta(Strict):
    case: str
    metric: str
    old: float | None
    new: float | None
    delta: float | None
    tolerance: float
    status: Literal["regressed", "improved", "same", "new", "gone", "info"]


class Comparison(Strict):
    baseline: str
    baseline_backend: str | None = None
    baseline_model: str | None = None
    deltas: list[Delta]
    missing_cases: list[str] = Field(default_factory=list)
    new_cases: list[str] = Field(default_factory=list)
    changed_cases: list[str] = Field(default_factory=list, description="compared, but the case changed since")
    not_compared: list[str] = Field(default_factory=list, description="self-tests over different texts")
    allow_missing: bool = Field(default=False, description="--allow-missing: missing cases do not fail the run")

    @property
    def regressions(self) -> list[Delta]:
        return [d for d in self.deltas if d.status == "regressed"]

    @property
    def failing_missing(self) -> list[str]:
        """Baseline cases this run lacks that fail it (none with --allow-missing)."""
        return [] if self.allow_missing else self.missing_cases


class EvalRun(Strict):
    format: int = RESULTS_FORMAT
    suite: str
    backend: str
    model: str | None = None
    judge_model: str | None = None
    config: str | None = Field(default=None, description="the config file(s) whose thresholds gated the run")
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    cases: list[CaseResult]
    selftest: list[SelfTestResult] = Field(default_factory=list)
    summary: dict[str, float | None] = Field(
        default_factory=dict, description="mean of each metric over cases"
    )
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    comparison: Comparison | None = None

    @property
    def failed(self) -> list[str]:
        return [c.id for c in self.cases if c.status in ("fail", "error")] + [
            s.id for s in self.selftest if s.status != "pass"
        ]

    @property
    def passed(self) -> bool:
        return not self.failed and not (
            self.comparison and (self.comparison.regressions or self.comparison.failing_missing))
