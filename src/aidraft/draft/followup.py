"""Last year's promises followed up: each plan item of last year's report is done (with the notes
that show it), partly (a target not met: promised 90%以上, reached 88.2%), repeated (promised
again in this year's plans, nothing done) or unanswered.

Matching is conservative and explainable: common words are dropped, a done note must share
several content bigrams with the promise and cover a good part of it, and a stated target is
compared with the actual figure of the same metric. The evidence is kept for the clerk.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field

from aidraft import regexes
from aidraft.draft.prior import plan_items
from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Figure
from aidraft.ledger.model import Ledger, LedgerItem, Status
from aidraft.ledger.targets import metric_stem, same_metric, target_verdict
from aidraft.parse.document import Document
from aidraft.parse.notes_cues import FollowupCues, note_cues
from aidraft.strict import Strict
from aidraft.text import han_bigrams

_CLAUSE_END = regexes.compile(r"[：:。；，]")
COMMON_SHARE = 0.25  # notes sharing a bigram, of all, above which it names the office's field
COMMON_MIN = 3

FollowupStatus = Literal["done", "partly", "repeated", "unanswered"]


class Evidence(Strict):
    note_id: str
    line: int
    text: str
    shared: list[str] = Field(description="the content bigrams the note shares with the promise")


class PlanFollowup(Strict):
    """One promise of last year's plans and what this year's notes say about it."""

    prior_file: str
    line: int
    promise: str
    status: FollowupStatus
    evidence: list[Evidence] = Field(default_factory=list)
    target: str | None = Field(default=None, description="the promised figure, e.g. 90%以上")
    actual: str | None = Field(default=None, description="this year's figure of the same metric")
    reason: str = Field(description="why, in Chinese, for the clerk")


def content_bigrams(text: str, cues: FollowupCues) -> frozenset[str]:
    """CJK bigrams of a text after the words too common to tell promises apart are removed."""
    for word in sorted(cues.generic, key=len, reverse=True):
        text = text.replace(word, "|")
    return han_bigrams(text, within_runs=True)


def _matches(key: frozenset[str], items: list[LedgerItem], cues: FollowupCues, min_shared: int) -> list[Evidence]:
    """Notes that share enough of the promise's content words to count as answering it."""
    found: list[Evidence] = []
    for item in items:
        other = content_bigrams(item.text, cues)
        shared = key & other
        cover = len(shared) / max(1, min(len(key), len(other)))
        if len(shared) >= min_shared and cover >= cues.min_cover:
            found.append(Evidence(note_id=item.id, line=item.line, text=item.text, shared=sorted(shared)))
    return found


def _office_words(items: list[LedgerItem], cues: FollowupCues) -> frozenset[str]:
    """Bigrams in a good share of this year's notes (行政执法 for a 司法局): the office's own field,
    which tells one promise from another no better than 工作 does."""
    counts = Counter(g for item in items for g in content_bigrams(item.text, cues))
    floor = max(COMMON_MIN, len(items) * COMMON_SHARE)
    return frozenset(g for g, n in counts.items() if n >= floor)


def _cover(found: list[Evidence], key: frozenset[str]) -> float:
    return max(len(e.shared) for e in found) / max(1, len(key))


def _target_check(promise: str, done: list[LedgerItem]) -> tuple[Figure, Figure, LedgerItem, bool] | None:
    """The promise's first target that this year's notes measure, the actual that decides it, and
    whether it was met (an actual that neither meets nor misses it, 97%以上 for 98%以上, decides nothing)."""
    for target in extract_figures(promise):
        for item in done:
            for actual in extract_figures(item.text):
                if same_metric(target, actual) and (met := target_verdict(target, actual)) is not None:
                    return target, actual, item, met
    return None


def follow_up(prior: Document, ledger: Ledger) -> list[PlanFollowup]:
    """Every promise of ``prior``'s plans section, followed up in this year's ledger."""
    cues = note_cues().followup
    done = [i for i in ledger.items if i.status in (Status.done, Status.duty)]
    planned = ledger.with_status(Status.planned)
    common = _office_words(ledger.items, cues)
    out: list[PlanFollowup] = []
    for line, promise in plan_items(prior):
        key = content_bigrams(promise, cues) - common
        base = {"prior_file": prior.path or "prior", "line": line, "promise": promise}
        checked = _target_check(promise, done)
        if checked is not None:
            target, actual, item, met = checked
            evidence = [Evidence(note_id=item.id, line=item.line, text=item.text, shared=[metric_stem(actual)])]
            status: FollowupStatus = "done" if met else "partly"
            reason = (f"目标{target.text}，今年{metric_stem(actual)}{actual.text}，" + ("已完成" if met else "未达到目标"))
            out.append(PlanFollowup(**base, status=status, evidence=evidence, target=target.text,
                                    actual=actual.text, reason=reason))
            continue
        evidence = _matches(key, done, cues, cues.min_shared)
        again = _matches(key, planned, cues, cues.repeat_shared)
        if again and evidence and _cover(again, key) >= _cover(evidence, key):
            evidence = []  # promised again in the same words as it was: the plans answer it, not the work
        # a promise with a figure (纠错率控制在5%以内, 培养500名以上) is kept only by that figure:
        # related work without it (办理行政复议案件128件) leaves the clerk to say how it went
        targets = [f.text for f in extract_figures(promise) if not f.wordlike]
        if evidence and not targets:
            out.append(PlanFollowup(**base, status="done", evidence=evidence,
                                    reason="笔记记载了相应工作：" + "、".join(e.note_id for e in evidence)))
            continue
        unmeasured = (f"笔记有相关工作（{'、'.join(e.note_id for e in evidence)}），但没有给出{'、'.join(targets)}"
                      "这一目标的完成数") if evidence else ""
        if again:
            out.append(PlanFollowup(**base, status="repeated", evidence=evidence + again, target=targets[0] if targets else None,
                                    reason=(unmeasured + "；" if unmeasured else "") + "今年的工作安排再次提出，笔记未记载完成情况"))
            continue
        out.append(PlanFollowup(**base, status="unanswered", evidence=evidence, target=targets[0] if targets else None,
                                reason=unmeasured or "笔记未提及"))
    return out


def silent(followups: list[PlanFollowup]) -> list[PlanFollowup]:
    """Promises whose completion the notes do not state: the draft asks the clerk once for each."""
    return [f for f in followups if f.status in ("repeated", "unanswered")]


def short_promise(promise: str, limit: int = 24) -> str:
    """The promise as quoted in a placeholder: its heading part, or its first clause, cut short."""
    head = _CLAUSE_END.split(promise, maxsplit=1)[0]
    return head if len(head) <= limit else head[:limit] + "…"


