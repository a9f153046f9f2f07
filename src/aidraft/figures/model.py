"""A figure is a stated quantity: an exact Decimal interval plus how it was stated.

Values are never floats: "97.41%" is Decimal('97.41') with precision 0.01, "3万余册" is the
open interval (30000, 40000) with precision 10000. Comparisons are interval comparisons.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

_M = TypeVar("_M", bound=BaseModel)


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """Build a model from values the extractor computed itself, skipping validation.

    This is ``model_construct`` without its per-field default lookups: the checker builds tens of
    thousands of figures per megabyte, and ``values`` must name every field. Only extract.py uses it.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class Approx(str, Enum):
    """How a figure qualifies its number."""

    exact = "exact"  # 149件
    over = "over"  # 10余次, 40多场, 超100人, 100人以上
    near = "near"  # 近百次
    about = "about"  # 约3万人


class FigureKind(str, Enum):
    count = "count"  # number + counter: 次, 件, 人次 …
    percent = "percent"  # % or 百分之…
    points = "points"  # 个百分点
    multiple = "multiple"  # 倍
    money = "money"  # 元 (with 万/亿)
    rank = "rank"  # 全省第七


class Quantity(BaseModel):
    """A number as an interval; exact figures have low == high."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: Decimal
    high: Decimal | None = Field(description="None when unbounded above (超100人, 100人以上)")
    low_open: bool = False
    high_open: bool = False
    precision: Decimal = Field(description="place value of the last stated digit: 1, 0.01, 10000 …")

    def key(self) -> tuple[Decimal, Decimal | None, bool, bool]:
        """Identity of the interval (Decimal('97.4') and Decimal('97.40') are the same value)."""
        return (self.low, self.high, self.low_open, self.high_open)

    @property
    def exact(self) -> bool:
        return self.high is not None and self.low == self.high and not self.low_open

    def contains(self, value: Decimal) -> bool:
        if value < self.low or (self.low_open and value == self.low):
            return False
        if self.high is None:
            return True
        return value < self.high or (not self.high_open and value == self.high)

    def within(self, other: Quantity) -> bool:
        """True when every value of self lies in other (self is at least as precise)."""
        if self.low < other.low or (other.low_open and not self.low_open and self.low == other.low):
            return False
        if other.high is None:
            return True
        if self.high is None:
            return False
        if self.high > other.high:
            return False
        return not (other.high_open and not self.high_open and self.high == other.high)

    def display(self) -> str:
        if self.exact:
            return format(self.low.normalize(), "f")
        lo = ("(" if self.low_open else "[") + format(self.low.normalize(), "f")
        hi = "∞)" if self.high is None else format(self.high.normalize(), "f") + (")" if self.high_open else "]")
        return f"{lo}, {hi}"


def add_quantities(values: list[Quantity]) -> Quantity:
    """The interval of a sum: lows add, highs add (unbounded if any is), openness is kept."""
    highs = [v.high for v in values]
    return Quantity.model_construct(
        low=sum((v.low for v in values), Decimal(0)),
        high=None if any(h is None for h in highs) else sum(highs, Decimal(0)),  # type: ignore[arg-type]
        low_open=any(v.low_open for v in values),
        high_open=any(v.high_open for v in values),
        precision=min(v.precision for v in values),
    )


def json_number(value: Decimal) -> int | float:
    """Decimals leave the checker as JSON numbers: ints when integral, else the shortest float."""
    return int(value) if value == value.to_integral_value() else float(str(value))


class Interval(BaseModel):
    """A Quantity as JSON: plain numbers and its open ends (what reports and ledgers print)."""

    model_config = ConfigDict(extra="forbid")

    low: int | float
    high: int | float | None
    low_open: bool
    high_open: bool

    @classmethod
    def of(cls, q: Quantity) -> Interval:
        return cls(low=json_number(q.low), high=None if q.high is None else json_number(q.high),
                   low_open=q.low_open, high_open=q.high_open)


class Figure(BaseModel):
    """One figure as it stands in a text."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the figure as written, e.g. '3万余册'")
    start: int = Field(ge=0, description="offset in the text it was extracted from")
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    value: Quantity
    approx: Approx
    kind: FigureKind
    unit: str = Field(description="canonical unit: 次, 件, %, 个百分点, 倍, 元, 名次 …")
    numeral: str = Field(description="the numeral core as written: '3万', '九十七点四一', '207'")
    chinese: bool = Field(description="True when the numeral is written in Chinese characters")
    before: str = Field(default="", description="clause text before the figure (the metric, usually)")
    after: str = Field(default="", description="clause text after the figure (the counted noun, often)")
    sentence: str = Field(default="", description="the sentence the figure stands in")
    sentence_start: int = Field(default=0, ge=0)

    @property
    def metric(self) -> str:
        """A short phrase naming what is counted, for ledgers and contradiction matching."""
        return (self.before[-10:] + "…" + self.after[:6]).strip("…")
