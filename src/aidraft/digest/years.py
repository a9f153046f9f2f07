"""Which year a digest covers, and which reports belong to it.

A digest is about one year: a 2025 report merged silently into a 2023 overview misleads whoever
reads it. The year is the one asked for (``--year``) or the one most reports cover (the latest
on a tie); a report of another year is left out with a warning naming it, or, with
``--mixed-years``, kept and labelled in the text. A report that states no year is assumed to be
of the digest's year (and said so in the run's notes).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from aidraft.digest.model import LeftOut, ReportRef
from aidraft.messages import both, text


def digest_year(reports: Sequence[ReportRef], wanted: int | None = None) -> int:
    """``wanted``, else the year most reports cover (the latest on a tie), else last year."""
    if wanted is not None:
        return wanted
    years = Counter(r.year for r in reports if r.year)
    if not years:
        return time.localtime().tm_year - 1
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


def other_year(ref: ReportRef, year: int) -> bool:
    return ref.year is not None and ref.year != year


def left_out(reports: Sequence[ReportRef], year: int) -> list[LeftOut]:
    """The reports of another year, each with the one-line reason the CLI prints."""
    return [LeftOut(file=r.file, label=r.label, year=r.year,
                    reason=both("digest.left_out", file=r.file, label=r.label, year=r.year, chosen=year))
            for r in reports if other_year(r, year)]


def no_year_event(ref: ReportRef, year: int) -> str:
    """The run-log line for a report that states no year and is digested as ``year``."""
    return text("digest.event.no_year", file=ref.file, label=ref.label, year=year)
