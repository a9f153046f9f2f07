"""A figure is a stated quantity: an exact Decimal interval plus how it was stated.

Values are never floats: "97.41%" is Decimal('97.41') with precision 0.01, "3万余册" is the
open interval (30000, 40000) with precision 10000. Comparisons are interval comparisons.
"""

from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from aidraft.figures.numerals import last_nonzero_place

_M = TypeVar("_M", bound=BaseModel)
SENTENCE_WINDOW = 80
LABEL_REACH = 120  # characters back from a figure its line's label (目标：…) may start
_FIELDS_SET: dict[type, set[str]] = {}
_new, _set = object.__new__, object.__setattr__  # what BaseModel's own construction calls
# BaseModel's slots, set through their descriptors: a third cheaper than object.__setattr__
_set_fields_set = vars(BaseModel)["__pydantic_fields_set__"].__set__
_set_extra = vars(BaseModel)["__pydantic_extra__"].__set__
_set_private = vars(BaseModel)["__pydantic_private__"].__set__


def trusted(cls: type[_M], values: dict[str, Any], private: dict[str, Any] | None = None) -> _M:
    """Build a model from values the extractor computed itself, skipping validation.

    This is ``model_construct`` without its per-field default lookups: the checker builds tens of
    thousands of figures per megabyte, and ``values`` must name every field. Only the extractor and
    the checker's report use it, for values of their own making.
    """
    return trusted_all(cls, [values], private)[0]


def trusted_all(cls: type[_M], rows: list[dict[str, Any]], private: dict[str, Any] | None = None) -> list[_M]:
    """``trusted`` for each of ``rows``, in one loop rather than a call per model."""
    fields_set = _fields_set(cls)
    size = len(fields_set)
    out: list[_M] = []
    for values in rows:
        if len(values) != size:  # a field left out or misspelt would pass silently otherwise
            raise TypeError(f"{cls.__name__}: values must name exactly its fields, got {sorted(values)}")
        obj = _new(cls)
        _set(obj, "__dict__", values)
        _set_fields_set(obj, fields_set)
        _set_extra(obj, None)
        _set_private(obj, private)
        out.append(obj)
    return out


def _fields_set(cls: type[BaseModel]) -> set[str]:
    """One fields-set per class, not one per model: every field is set, so sharing changes nothing."""
    fields_set = _FIELDS_SET.get(cls)
    if fields_set is None:
        fields_set = _FIELDS_SET[cls] = set(cls.model_fields)
    return fields_set


class Approx(str, Enum):
    """How a figure qualifies its number."""

    exact = "exact"  # 149件
    over = "over"  # 10余次, 40多场, 超100人 (open), 100人以上, 不低于95% (closed)
    under = "under"  # 不足10人 (open), 10人以下, 不超过5个工作日 (closed)
    near = "near"  # 近百次
    about = "about"  # 约3万人, 三分之二


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

    def within(self, other: "Quantity") -> bool:
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


def quantity(low: Decimal, high: Decimal | None, precision: Decimal, *, low_open: bool = False,
             high_open: bool = False) -> Quantity:
    """A Quantity from values the extractor computed itself: ``trusted``, inlined (one per figure)."""
    obj = _new(Quantity)
    _set(obj, "__dict__", {"low": low, "high": high, "low_open": low_open, "high_open": high_open,
                           "precision": precision})
    _set_fields_set(obj, _QUANTITY_FIELDS)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


_QUANTITY_FIELDS = _fields_set(Quantity)


def interval(value: Decimal, precision: Decimal, approx: Approx, step: Decimal, closed: bool) -> Quantity:
    """The interval a stated number stands for; ``closed`` bounds include the number (以上, 不超过)."""
    if approx is Approx.exact:
        return quantity(value, value, precision)
    if approx is Approx.over:
        if step > 0:  # 3万余: (30000, 40000)
            return quantity(value, value + step, step, low_open=True, high_open=True)
        return quantity(value, None, precision, low_open=not closed)  # 超100 (open), 100以上 (closed)
    if approx is Approx.under:  # 不足10 [0, 10), 10以下 [0, 10]
        return quantity(Decimal(0), value, precision, high_open=not closed)
    place = last_nonzero_place(value)
    if approx is Approx.near:  # 近百: [90, 100)
        return quantity(value - value / 10, value, place, high_open=True)
    return quantity(value - place / 2, value + place / 2, place)  # 约3万: [25000, 35000]


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
    def of(cls, q: Quantity) -> "Interval":
        # from a Quantity's own typed values: nothing to validate (a report has thousands)
        return trusted(cls, {"low": json_number(q.low), "high": None if q.high is None else json_number(q.high),
                             "low_open": q.low_open, "high_open": q.high_open})


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
    direction: str = Field(default="", description="'up' or 'down' when the figure states a change "
                           "(同比下降7.5%, 较上年减少23件); '' for a level")
    wordlike: bool = Field(default=False, description="a one-character Chinese numeral, counter and noun "
                           "(两个责任, 三项制度): a figure only where a source states it")
    sentence_start: int = Field(default=0, ge=0)
    sentence_end: int = Field(default=0, ge=0)
    _text: str = PrivateAttr(default="")

    @property
    def _whole(self) -> str:
        """The text the figure was extracted from, read from the private-attribute dict directly:
        the plain attribute goes through pydantic's ``__getattr__``, 30 times slower."""
        return self.__pydantic_private__["_text"]  # type: ignore[index]

    @property
    def sentence(self) -> str:
        """The sentence the figure stands in, sliced on demand from the text it was extracted from
        (figures keep offsets, never copies: one long line of figures must not cost its square)."""
        return self._whole[self.sentence_start : self.sentence_end]

    def preceding(self, width: int) -> str:
        """Up to ``width`` characters of its sentence before the figure (past clause breaks)."""
        return self._whole[max(self.sentence_start, self.start - width) : self.start]

    def line_text(self) -> tuple[str, str]:
        """Its line before the figure, and the rest of the line after it."""
        whole = self._whole
        end = whole.find("\n", self.end)
        return whole[whole.rfind("\n", 0, self.start) + 1 : self.start], whole[self.end : end if end >= 0 else len(whole)]

    def line_label(self) -> str:
        """Its line's text before a colon that stands before the figure (目标：参保率…97% → 目标),
        '' when none: found in place, as most lines have no label."""
        whole = self._whole
        reach = max(0, self.start - LABEL_REACH)
        start = whole.rfind("\n", reach, self.start) + 1
        if start == 0 and reach > 0:
            return ""  # its line starts farther back than any label runs: no label (and no long scan)
        cut = max(whole.rfind("：", start, self.start), whole.rfind(":", start, self.start))
        return whole[start:cut] if cut > start else ""

    def around(self, width: int) -> tuple[str, str]:
        """Up to ``width`` characters of its text before it and after it (past any break)."""
        whole = self._whole
        return whole[max(0, self.start - width) : self.start], whole[self.end : self.end + width]

    def next_line(self) -> str:
        """The line after its own ('' after the last)."""
        whole = self._whole
        end = whole.find("\n", self.end)
        if end < 0:
            return ""
        following = whole.find("\n", end + 1)
        return whole[end + 1 : following if following >= 0 else len(whole)]

    def sentence_window(self, width: int = SENTENCE_WINDOW) -> str:
        """The sentence, clipped to ``width`` characters each side of the figure, for reports."""
        start = max(self.sentence_start, self.start - width)
        end = min(self.sentence_end, self.end + width)
        text = self._whole[start:end]
        return ("…" if start > self.sentence_start else "") + text + ("…" if end < self.sentence_end else "")

    @property
    def metric(self) -> str:
        """A short phrase naming what is counted, for ledgers and contradiction matching."""
        return (self.before[-10:] + "…" + self.after[:6]).strip("…")
