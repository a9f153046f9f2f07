"""Group sentences that state the same practice across offices, in time linear in the input.

Leader clustering over character-bigram Dice (the similarity the checker uses for contexts):
each sentence joins the most similar existing group whose leader it matches at the threshold,
else it leads a new group. Candidates come from an inverted index bigram → groups, so a
sentence is compared exactly with a handful of groups, never with every earlier sentence. A
bigram found in more than ``posting_cap`` groups (信访, 工作) stops being indexed: it says
nothing about which practice a sentence states, and it would make lookups quadratic.
Identical sentences (boilerplate, or the same template filled in by many offices) short-cut to
their group. Everything is ordered by input position, so equal input gives equal groups.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from aidraft.text import dice, han_bigrams

MIN_BIGRAMS = 3


@dataclass(slots=True)
class Member:
    report: int
    label: str
    text: str
    keys: frozenset[str]
    line: int = 0


@dataclass
class Group:
    """A practice: its leader's bigrams, every office that states it (with the report it is in),
    and the first sentence of up to ``sample`` offices. Later sentences are counted, not kept:
    a thousand offices repeating one boilerplate sentence must not cost a thousand copies."""

    gid: int
    leader: frozenset[str]
    sample: int = 16
    members: list[Member] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)  # office label → report index
    size: int = 0

    @property
    def offices(self) -> list[str]:
        return list(self.labels)

    @property
    def reports(self) -> list[int]:
        return sorted(set(self.labels.values()))

    def add(self, member: Member) -> None:
        self.size += 1
        if member.label in self.labels:
            return
        self.labels[member.label] = member.report
        if len(self.members) < self.sample:
            self.members.append(member)

    def ranked(self) -> list[Member]:
        """Kept members by closeness to the group's centre (sum of Dice to the others), best
        first; ties keep input order."""
        firsts = self.members
        if len(firsts) < 2:
            return list(firsts)
        scores = [sum(dice(m.keys, o.keys) for o in firsts if o is not m) for m in firsts]
        order = sorted(range(len(firsts)), key=lambda i: (-scores[i], i))
        return [firsts[i] for i in order]


class SentenceGrouper:
    """Feed sentences with ``add`` in input order; read ``groups`` at the end."""

    def __init__(self, threshold: float, posting_cap: int = 48, candidates: int = 6, sample: int = 16) -> None:
        self.threshold = threshold
        self.sample = sample
        self.posting_cap = posting_cap
        self.candidates = candidates
        self.groups: list[Group] = []
        self._index: dict[str, list[int]] = {}
        self._exact: dict[str, int] = {}

    def add(self, report: int, label: str, text: str, line: int = 0,
            keys: frozenset[str] | None = None) -> Group | None:
        keys = han_bigrams(text) if keys is None else keys
        if len(keys) < MIN_BIGRAMS:
            return None
        member = Member(report, label, text, keys, line)
        signature = "".join(sorted(keys))
        gid = self._exact.get(signature)
        if gid is None:
            gid = self._best(keys)
        if gid is None:
            gid = self._new_group(keys)
        self._exact.setdefault(signature, gid)
        group = self.groups[gid]
        group.add(member)
        return group

    def _best(self, keys: frozenset[str]) -> int | None:
        counts: dict[int, int] = {}
        for key in keys:
            for gid in self._index.get(key, ()):
                counts[gid] = counts.get(gid, 0) + 1
        if not counts:
            return None
        top = heapq.nsmallest(self.candidates, counts.items(), key=lambda kv: (-kv[1], kv[0]))
        best: tuple[float, int] | None = None
        for gid, _ in top:
            score = dice(keys, self.groups[gid].leader)
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, gid)
        return best[1] if best else None

    def _new_group(self, keys: frozenset[str]) -> int:
        gid = len(self.groups)
        self.groups.append(Group(gid, keys, self.sample))
        for key in keys:
            posting = self._index.setdefault(key, [])
            if len(posting) < self.posting_cap:
                posting.append(gid)
        return gid
