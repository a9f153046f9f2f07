"""One figure of a source text (notes, last year's report, a digest's reports) as the checker holds it.

Its own module so that the index (``sources.py``) and what is derived from it (``derived.py``)
both name it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidraft.check.kinship import Kin
from aidraft.figures.model import Figure


@dataclass
class SourceFigure:
    file: str
    figure: Figure
    key: frozenset[str]
    unit_class: str
    _kin: Kin | None = None
    last_year: bool = False  # a last-year column or an earlier-year figure of its sentence (check/dating.py)

    @property
    def kin(self) -> Kin:
        """Its metric's marks beyond its words (``kinship.py``), worked out on first use."""
        if self._kin is None:
            self._kin = Kin.of(self.figure)
        return self._kin
