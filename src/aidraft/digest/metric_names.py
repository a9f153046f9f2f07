"""What a figure counts, worded for people: the whole clause before it (never clipped), and the
canonical metric it is one of (受理量, 群众满意率 …, a synonym list in genre/digest.yaml).

figures.metric.metric_phrase keys figures for matching and keeps only the last characters of a
clause (展理论学习中心组专题学习), which is right for a key and wrong for a ledger a clerk reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidraft import regexes
from aidraft.digest.config import MetricName, digest_genre
from aidraft.figures.metric import LEADING_FILLER, SUBJECT, TRAILING_FILLER
from aidraft.figures.model import Figure, FigureKind
from aidraft.text import HAN, clause_bounds

DATES = regexes.compile(r"^(?:\d{4}年(?:以来|来|度)?|\d{1,2}月(?:\d{1,2}日)?(?:以来)?|[，,、\s])+")
_TITLES = regexes.compile(r"(《[^》]{1,40}》)(?:[、和及与]?《[^》]{1,40}》)+")
_NUMBER_START = regexes.compile(r"[（(\d一二三四五六七八九十百千万]")
_TWO_HAN = regexes.compile(f"[{HAN}]{{2}}")
MAX_LABEL = 40
RATE_KINDS = frozenset({FigureKind.percent})
COUNT_KINDS = frozenset({FigureKind.count, FigureKind.money})


def clause_of(fig: Figure) -> tuple[str, str]:
    """The whole clause around ``fig`` in its sentence: (text before it, text after it)."""
    sentence = fig.sentence
    rel_start = fig.start - fig.sentence_start
    rel_end = fig.end - fig.sentence_start
    if not (0 <= rel_start <= rel_end <= len(sentence)) or sentence[rel_start:rel_end] != fig.text:
        return fig.before, fig.after
    left, right = clause_bounds(sentence, rel_start, rel_end)
    return sentence[left:rel_start], sentence[rel_end:right].rstrip("。！？")


def clean_before(before: str) -> str:
    """The clause before a figure without its date, its subject (县信访局) and function words."""
    text = DATES.sub("", before.strip())
    text = SUBJECT.sub("", text)
    return LEADING_FILLER.sub("", text)


def metric_label(fig: Figure) -> str:
    """开展理论学习中心组专题学习, 发放《信访工作条例》和《辅导读本》, 集中学习《宪法》等法律法规:
    the clause before the figure, whole; a run of document titles is shortened to its first."""
    before, after = clause_of(fig)
    label = TRAILING_FILLER.sub("", clean_before(before))
    tail = _NUMBER_START.split(after, maxsplit=1)[0].strip("，、 ")
    if _TWO_HAN.search(tail):  # 聘请1名律师为法律顾问: the counted noun follows
        label += tail
    if len(label) > MAX_LABEL:
        label = _TITLES.sub(lambda m: m.group(1) + "等", label).replace("等等", "等")
    return label or fig.unit


@dataclass(frozen=True, slots=True)
class CanonicalMatch:
    """A figure's canonical metric, the cue that named it and what it counts from that cue on.

    ``counted`` (受理法律援助案件, 受理信访事项) tells figures of one metric apart that a short cue
    (受理) joins: only figures counting the same thing may be added."""

    metric: MetricName
    cue: str
    counted: str


def canonical_match(fig: Figure, label: str) -> CanonicalMatch | None:
    """The canonical metric whose longest cue the figure's clause contains, of the right kind.

    A change (同比提升3.5%, 较上年增加20件) is no level of any metric: it gets none."""
    if fig.direction:
        return None
    _, after = clause_of(fig)
    context = label + fig.text + after[:4]  # 14个县市区…开展宣传活动: later words name other figures
    best: tuple[str, MetricName] | None = None
    for metric in digest_genre().metrics:
        kinds = RATE_KINDS if metric.kind == "rate" else COUNT_KINDS
        if fig.kind not in kinds or (metric.units and fig.unit not in metric.units):
            continue
        for cue in metric.cues:
            if cue in context and (best is None or len(cue) > len(best[0])):
                best = (cue, metric)
    if best is None:
        return None
    cue, metric = best
    at = label.rfind(cue)
    return CanonicalMatch(metric=metric, cue=cue, counted=label[at:] if at >= 0 else cue)


def canonical(fig: Figure, label: str) -> MetricName | None:
    """The canonical metric of a figure (:func:`canonical_match`), or None."""
    found = canonical_match(fig, label)
    return found.metric if found else None
