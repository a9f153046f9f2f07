"""Choose what a section of the digest says besides its common findings (digest.clusters).

- Notable practice: a sentence only one office wrote (a sentence group of one office), quoted
  verbatim with its figures and attributed to that office, with its file and line. Offices not
  yet named anywhere in the digest go first, so with a handful of reports every office is
  attributed at least once; sentences already counted in a common finding are not quoted again.
- Key figures: the office × metric table (digest.table) in the measures section, then the
  cross-report totals and rates of each section; single figures stay in the sentences that
  state them (a list of unrelated counts tells a reader nothing).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from aidraft.digest.config import digest_genre
from aidraft.digest.group import Group, Member
from aidraft.digest.model import Member as AggMember
from aidraft.digest.model import Practice, RateSummary, Source, Total
from aidraft.digest.sentences import has_figures, name_office
from aidraft.parse.document import SectionKind
from aidraft.text import han_count

IDEAL_CHARS = 60


def _score(member: Member) -> tuple[int, int]:
    """Concrete sentences (with figures) first, then those of a readable length."""
    return (0 if has_figures(member.text) else 1, abs(han_count(member.text) - IDEAL_CHARS))


def notable_practices(groups: list[Group], attributed: Counter[str], order: list[str], paths: list[str],
                      excluded: set[str], used: frozenset[str] = frozenset()) -> list[Practice]:
    """One single-office sentence per office per round, least-attributed offices first; sentences
    already counted in a common finding (``used``) are not quoted again."""
    limit = digest_genre().limits.max_notable
    by_office: dict[str, list[Member]] = defaultdict(list)
    for group in groups:
        if len(group.labels) == 1:
            member = group.members[0]
            if member.text not in used:
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
            out.append(Practice(text=text, labels=[label], files=[paths[member.report]],
                                sources=[Source(office=label, file=paths[member.report], line=max(member.line, 1))]))
            attributed[label] += 1
    return out


def key_figures(kind: SectionKind, totals: list[Total], rates: list[RateSummary], excluded: set[str],
                table: Sequence[Practice] = ()) -> list[Practice]:
    """The office × metric lines (in the measures section), then totals and rates of this section
    that the checker can recompute; single figures stay in the sentences that state them."""
    limit = digest_genre().limits.max_figures
    out: list[Practice] = [p for p in table if p.text not in excluded]
    hidden = {c for r in rates if r.mode == "recomputed" for c in r.counts}
    for total in totals:
        if total.kind is kind and total.text not in excluded and total.metric not in hidden:
            out.append(Practice(text=total.text, labels=[m.label for m in total.members],
                                files=[m.file for m in total.members], sources=_sources(total.members)))
    for rate in rates:
        if rate.kind is kind and rate.text not in excluded:
            labels = [m.label for m in rate.members] if rate.mode == "recomputed" else []
            out.append(Practice(text=rate.text, labels=labels, files=[m.file for m in rate.members],
                                sources=_sources(rate.members)))
    return out[: len(table) + limit]


def _sources(members: list[AggMember]) -> list[Source]:
    return [Source(office=m.label, file=m.file, line=m.line) for m in members]
