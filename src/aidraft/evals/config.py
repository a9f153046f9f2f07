"""The eval configuration: thresholds every case must meet, tolerances for baseline regressions,
the genre's sentence-length range, concurrency, self-test seeds and an optional judge model.

Thresholds are absolute gates (a model below them is not fit for use); tolerances say how much
worse than the baseline a metric may get before the change counts as a regression. Their values
have one home, the shipped ``defaults.yaml``: a suite's own config.yaml overrides it key by key
(metric by metric under thresholds and tolerances), and a suite without one is still gated by
it, so a missing file can never drop every threshold unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from aidraft.evals.spec import BY_NAME
from aidraft.ingest.read import read_text
from aidraft.strict import Strict
from aidraft.yamldata import mapping, read_yaml, validate

DEFAULTS = Path(__file__).with_name("defaults.yaml")
DEFAULTS_LABEL = "aidraft/evals/defaults.yaml"
MERGED_PER_METRIC = ("thresholds", "tolerances")
JUDGE_MAX = 5.0  # judge_* scores are 1–5


class Bound(Strict):
    """min and/or max for a metric value; a None value (metric not applicable) meets any bound."""

    min: float | None = None
    max: float | None = None

    def text(self) -> str:
        """How a table header shows the bound: ≥ 0.8, ≤ 2."""
        return " ".join(([f"≥ {self.min:g}"] if self.min is not None else [])
                        + ([f"≤ {self.max:g}"] if self.max is not None else []))

    @model_validator(mode="after")
    def _ordered(self) -> Bound:
        """min above max would fail every output: a typo, refused rather than gating everything."""
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}: no value can meet it")
        return self

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

    @model_validator(mode="after")
    def _ordered(self) -> LengthRange:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}: no text can fit")
        return self


class JudgeConfig(Strict):
    """An OpenAI-compatible endpoint for the rubric judge; its key comes from the environment."""

    preset: str | None = None
    base_url: str | None = None
    model: str | None = None


def check_metric_names(names: list[str], where: str) -> None:
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        raise ValueError(f"unknown metric {', '.join(unknown)} in {where}; known: {', '.join(BY_NAME)}")


def check_bounds(bounds: dict[str, Bound]) -> None:
    """Refuse a bound no value of its metric can meet: every metric is ≥ 0, a share ≤ 1 and a
    judge score ≤ 5, so ``max: -1`` or ``min: 1.5`` on a share would fail every case."""
    for name, bound in bounds.items():
        spec = BY_NAME.get(name)
        if spec is None:
            continue
        ceiling = 1.0 if spec.share else JUDGE_MAX if name.startswith("judge_") else None
        if bound.max is not None and bound.max < 0:
            raise ValueError(f"{name}: max {bound.max:g} is below 0, the least any value can be")
        if ceiling is not None and bound.min is not None and bound.min > ceiling:
            raise ValueError(f"{name}: min {bound.min:g} is above {ceiling:g}, the most the metric can be")


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
    source: str = Field(default=DEFAULTS_LABEL, exclude=True, description="the file(s) it was read from")

    @field_validator("thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, Bound]) -> dict[str, Bound]:
        check_metric_names(list(value), "thresholds")
        check_bounds(value)
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


def _merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` over ``defaults``: whole keys, except thresholds and tolerances, merged per metric
    (a suite that tightens one threshold keeps every other)."""
    merged = {**defaults, **own}
    for key in MERGED_PER_METRIC:
        if isinstance(defaults.get(key), dict) and isinstance(own.get(key), dict):
            merged[key] = {**defaults[key], **own[key]}
    return merged


def default_data() -> dict[str, Any]:
    """The shipped defaults as plain data."""
    return mapping(read_yaml(read_text(DEFAULTS), DEFAULTS_LABEL, trusted=True), DEFAULTS_LABEL)


def load_config(path: Path | None) -> EvalConfig:
    """The shipped defaults, overridden by ``path`` when given. A bound no output can meet is a
    one-line InputError naming the file and the field."""
    defaults = default_data()
    if path is None:
        config = validate(EvalConfig, defaults, DEFAULTS_LABEL)
        config.base_dir = DEFAULTS.parent
        return config
    own = mapping(read_yaml(read_text(path), str(path)), str(path), empty_ok=True)
    config = validate(EvalConfig, _merge(defaults, own), str(path))
    config.base_dir = path.parent
    config.source = f"{path} + {DEFAULTS_LABEL}"
    return config
