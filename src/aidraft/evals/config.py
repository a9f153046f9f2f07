"""evals/config.yaml: thresholds every case must meet, tolerances for baseline regressions,
the genre's sentence-length range, concurrency, self-test seeds and an optional judge model.

Thresholds are absolute gates (a model below them is not fit for use); tolerances say how much
worse than the baseline a metric may get before the change counts as a regression.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from aidraft.evals.spec import BY_NAME
from aidraft.ingest.read import read_text
from aidraft.strict import Strict
from aidraft.yamldata import load_yaml


class Bound(Strict):
    """min and/or max for a metric value; a None value (metric not applicable) meets any bound."""

    min: float | None = None
    max: float | None = None

    def text(self) -> str:
        """How a table header shows the bound: ≥ 0.8, ≤ 2."""
        return " ".join(([f"≥ {self.min:g}"] if self.min is not None else [])
                        + ([f"≤ {self.max:g}"] if self.max is not None else []))

    def violation(self, value: float | None) -> str | None:
        if value is None:
            return None
        if self.min is not None and value < self.min:
            return f"{value:g} < min {self.min:g}"
        if self.max is not None and value > self.max:
            return f"{value:g} > max {self.max:g}"
        return None


class LengthRange(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=1)


class JudgeConfig(Strict):
    """An OpenAI-compatible endpoint for the rubric judge; its key comes from the environment."""

    preset: str | None = None
    base_url: str | None = None
    model: str | None = None


def check_metric_names(names: list[str], where: str) -> None:
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        raise ValueError(f"unknown metric {', '.join(unknown)} in {where}; known: {', '.join(BY_NAME)}")


class EvalConfig(Strict):
    concurrency: int = Field(default=4, ge=1, le=64, description="cases run at once")
    seeds: int = Field(default=5, ge=0, le=100, description="planted-change rounds per self-test text")
    corpus: str | None = Field(
        default=None, description="folder of real reports for the self-test, relative to this file"
    )
    sentence_length: LengthRange = LengthRange(min=6, max=150)
    length: LengthRange = LengthRange(min=300, max=12000)
    thresholds: dict[str, Bound] = Field(default_factory=dict)
    tolerances: dict[str, float] = Field(default_factory=dict)
    default_tolerance: float = Field(default=0.0, ge=0)
    judge: JudgeConfig | None = None
    base_dir: Path = Field(default=Path("."), exclude=True)

    @field_validator("thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, Bound]) -> dict[str, Bound]:
        check_metric_names(list(value), "thresholds")
        return value

    @field_validator("tolerances")
    @classmethod
    def _known_tolerances(cls, value: dict[str, float]) -> dict[str, float]:
        check_metric_names(list(value), "tolerances")
        if any(v < 0 for v in value.values()):
            raise ValueError("tolerances must not be negative")
        return value

    def tolerance(self, metric: str) -> float:
        return self.tolerances.get(metric, self.default_tolerance)

    def corpus_dir(self) -> Path | None:
        return (self.base_dir / self.corpus).resolve() if self.corpus else None


def load_config(path: Path | None) -> EvalConfig:
    """Read the config; ``None`` gives the built-in defaults (no thresholds, zero tolerances)."""
    if path is None:
        return EvalConfig()
    config = load_yaml(read_text(path), EvalConfig, str(path), empty_ok=True)
    config.base_dir = path.parent
    return config
