"""Choose what a section of the digest says: common practices, notable ones, key figures.

- Common practice: a sentence group covering ≥2 offices, the most widely shared first. Its
  representative is the member closest to the group centre, with figure clauses removed (a
  figure belongs to one office, the practice to several).
- Notable practice: a sentence only one office wrote, quoted verbatim with its figures and
  attributed to that office. Offices not yet named anywhere in the digest go first, so with a
  handful of reports every office is attributed at least once.
- Key figures: cross-report totals and rates of the section, then single figures quoted in
  their own clause, one office at a time in turn.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from aidraft.digest.config import digest_genre
from aidraft.digest.group import Group, Member
from aidraft.digest.ledger import LedgerFigure
from aidraft.digest.model import Practice, RateSummary, Total
from aidraft.digest.phrasing import quote_figure
from aidraft.digest.sentences import has_figures, name_office, strip_figures
from aidraft.figures.model import FigureKind
from aidraft.parse.document import SectionKind
from aidraft.text import han_count

KEY_KINDS = frozenset({FigureKind.count, FigureKind.percent, FigureKind.money, FigureKind.rank})
MIN_KEY_METRIC = 4
IDEAL_CHARS = 60


def common_practices(groups: list[Group], paths: list[str], excluded: set[str]) -> list[Practice]:
    limits = digest_genre().limits
    shared = sorted((g for g in groups if len(g.labels) >= 2), key=lambda g: (-len(g.labels), g.gid))
    out: list[Practice] = []
    for group in shared:
        if len(out) >= limits.max_common:
            break
        for member in group.ranked():
            text = name_office(member.text, None)
            if has_figures(text):
                text = strip_figures(text, limits.min_chars) or ""
            if text and text not in excluded:
                out.append(Practice(text=text, labels=group.offices,
                                    files=[paths[i] for i in group.reports]))
                break
    return out


def _score(member: Member) -> tuple[int, int]:
    """Concrete sentences (with figures) first, then those of a readable length."""
    return (0 if has_figures(member.text) else 1, abs(han_count(member.text) - IDEAL_CHARS))


def notable_practices(groups: list[Group], attributed: Counter[str], order: list[str], paths: list[str],
                      excluded: set[str]) -> list[Practice]:
    """One single-office sentence per office per round, least-attributed offices first."""
    limit = digest_genre().limits.max_notable
    by_office: dict[str, list[Member]] = defaultdict(list)
    for group in groups:
        if len(group.labels) == 1:
            member = group.members[0]
            by_office[member.label].append(member)
    for members in by_office.values():
        members.sort(key=_score)
    rank = {label: i for i, label in enumerate(order)}
    out: list[Practice] = []
    while len(out) < limit and any(by_office.values()):
        for label in sorted((lb for lb in by_office if by_office[lb]), key=lambda lb: (attributed[lb], rank[lb])):
            if len(out) >= limit:
                break
            member = by_office[label].pop(0)
            text = name_office(member.text, label)
            if text in excluded:
                continue
            out.append(Practice(text=text, labels=[label], files=[paths[member.report]]))
            attributed[label] += 1
    return out


def _covered(lf: LedgerFigure, printed: Iterable[Practice]) -> bool:
    quote = quote_figure(lf)
    return any(lf.label in p.labels and quote in p.text for p in printed)


def key_figures(kind: SectionKind, figures: list[LedgerFigure], totals: list[Total], rates: list[RateSummary],
                printed: list[Practice], excluded: set[str]) -> list[Practice]:
    """Totals and rates of this section, then single figures in turn across offices."""
    # summed: figures a total or rate already stands for (printed in any section, or not)
    genre = digest_genre()
    limit = genre.limits.max_figures
    out: list[Practice] = []
    summed: set[tuple[str, int, str]] = set()
    hidden = {c for r in rates if r.mode == "recomputed" for c in r.counts}
    for total in totals:
        for m in total.members:
            summed.add((m.file, m.line, m.figure))
        if total.kind is kind and total.text not in excluded and total.metric not in hidden:
            out.append(Practice(text=total.text, labels=[m.label for m in total.members],
                                files=[m.file for m in total.members]))
    for rate in rates:
        for m in rate.members:
            summed.add((m.file, m.line, m.figure))
        if rate.kind is kind and rate.text not in excluded:
            labels = [m.label for m in rate.members] if rate.mode == "recomputed" else []
            out.append(Practice(text=rate.text, labels=labels, files=[m.file for m in rate.members]))
    out = out[:limit]
    queues: dict[str, list[LedgerFigure]] = defaultdict(list)
    for lf in figures:
        if (lf.kind == kind.value and lf.figure.kind in KEY_KINDS and len(lf.metric) >= MIN_KEY_METRIC
                and (lf.file, lf.figure.line, lf.figure.text) not in summed and not _covered(lf, printed)):
            queues[lf.label].append(lf)
    seen = {p.text for p in out}
    while len(out) < limit and any(queues.values()):
        for label in [lb for lb in queues if queues[lb]]:
            if len(out) >= limit:
                break
            quote = quote_figure(queues[label].pop(0))
            if quote not in seen and quote not in excluded:
                seen.add(quote)
                out.append(Practice(text=quote, labels=[label]))
    return out
