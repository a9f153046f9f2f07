"""What a figure counts, worded for people: the whole clause before it (never clipped), and the
canonical metric it is one of (受理量, 群众满意率 …, a synonym list in genre/digest.yaml).

figures.metric.metric_phrase keys figures for matching and keeps only the last characters of a
clause (展理论学习中心组专题学习), which is right for a key and wrong for a ledger a clerk reads.

A figure's own words are the clause before it from the figure of its kind before it in that
clause on (受理信访事项1260件中局长亲自接待50件: 50件 is 局长亲自接待, not 受理): a cue another figure's
words hold names none of this one. One thing counted in two measures shares its words (交办7批信访
案件1190件). A figure whose own words name nothing but a change (达到97% after
群众满意率较上年提高2个百分点; 由95%提高到97%) is the level the change reaches, of the metric
named before the change. A change, last year's value or the value a change starts from (由95%) is
no level of any metric, however it is worded (较上年减少受理信访事项100件), and a change's label says
so and which way (受理信访事项（较上年减少）), lest a ledger reader add it to levels. A bare rate word
(化解率) is the metric of the object its sentence counts (矛盾纠纷 → 矛盾纠纷化解率), or of none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from aidraft import regexes
from aidraft.digest.config import BareRate, MetricName, digest_genre
from aidraft.digest.sentences import strip_ordinals
from aidraft.figures.lexicon import lexicon
from aidraft.figures.metric import LEADING_FILLER, SUBJECT, TRAILING_FILLER
from aidraft.figures.model import Figure, FigureKind
from aidraft.text import HAN, clause_bounds

DATES = regexes.compile(r"^(?:\d{4}年(?:以来|来|度)?|\d{1,2}月(?:\d{1,2}日)?(?:以来)?|[，,、\s])+")
_TITLES = regexes.compile(r"(《[^》]{1,40}》)(?:[、和及与]?《[^》]{1,40}》)+")
_NUMBER_START = regexes.compile(r"[（(\d一二三四五六七八九十百千万]")
_TWO_HAN = regexes.compile(f"[{HAN}]{{2}}")
MAX_LABEL = 40
OBJECT_WINDOW = 60  # characters of its sentence before a bare rate searched for what it counts
RATE_KINDS = frozenset({FigureKind.percent})
COUNT_KINDS = frozenset({FigureKind.count, FigureKind.money})


@dataclass(frozen=True, slots=True)
class MetricWords:
    """What a figure counts (``label``, the ledger's 指标) and whether it may be this year's level
    of a metric (``level``: False for a change, last year's value, the value a change starts from).

    A change's label says that it is one and which way it went (受理信访事项（较上年减少）): a ledger
    row reading 受理信访事项 300 would be summed as a level. ``name``: its words as written,
    before that (较上年减少受理信访事项), which the level a change reaches is named from."""

    label: str
    level: bool
    name: str = ""


class _ChangeWords:
    """Patterns over the change words of genre/figures.yaml (comparisons, directions, last year's
    markers) and the links of genre/digest.yaml ``change_links`` (由, 到, 至 …)."""

    def __init__(self) -> None:
        ch = lexicon().lex.changes
        links = digest_genre().change_links
        long = [*ch.up, *ch.down]
        self.not_level = regexes.compile(
            regexes.alternation([*ch.comparisons, *lexicon().lex.last_year_markers])
            + f"|(?:{regexes.alternation(links.start)})$")
        self.start = regexes.compile(f"(?:{regexes.alternation(links.start)})+$")
        self.direction = regexes.compile(regexes.alternation(long + ch.up_short + ch.down_short))
        self.cut = regexes.compile(regexes.alternation([*ch.comparisons, *long, *links.start]))
        self.all = regexes.compile(regexes.alternation([*ch.comparisons, *long]))
        self.comparison = regexes.compile(regexes.alternation(ch.comparisons))
        self.long = regexes.compile(regexes.alternation(long))
        self.fillers = regexes.compile(f"^(?:{regexes.alternation(ch.fillers)})+|(?:{regexes.alternation(ch.fillers)})+$")
        words = [*ch.comparisons, *long, *ch.up_short, *ch.down_short, *ch.fillers, *links.start, *links.reach]
        self.only = regexes.compile(f"(?:{regexes.alternation(words)}|[，,、\\s])*")
        self.joiners = regexes.compile(f"^(?:{regexes.alternation(links.joiners)})")


@cache
def _changes() -> _ChangeWords:
    return _ChangeWords()


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
    """The clause before a figure without its list ordinal (1. , 一是), its date, its subject
    (县信访局) and function words."""
    text = DATES.sub("", strip_ordinals(before.strip()))
    text = SUBJECT.sub("", text)
    return LEADING_FILLER.sub("", text)


def _near(fig: Figure, other: Figure | None) -> Figure | None:
    """``other`` when it stands in the sentence of ``fig`` (and does not overlap it), else None."""
    if other is None or other.sentence_start != fig.sentence_start or (other.end > fig.start and other.start < fig.end):
        return None
    return other


def _kin(a: Figure, b: Figure) -> bool:
    """Two counts of one kind (1260件 … 50件, 93.2% … 95.8%), not one thing in two measures
    (交办7批信访案件1190件, 接待来访120批次350人次), which share their words."""
    lex = lexicon()
    return lex.unit_class(a.unit) == lex.unit_class(b.unit)


def _own(before: str, fig: Figure, previous: Figure | None) -> str:
    """The clause before ``fig`` from the end of a figure of its kind before it in that clause on
    (受理信访事项1260件中|局长亲自接待50件); without the text of one of another kind (交办7批信访案件)."""
    gap = fig.start - previous.end if previous is not None else len(before)
    if previous is None or gap >= len(before):
        return before
    if _kin(previous, fig):
        return _changes().joiners.sub("", before[len(before) - gap:].strip())
    at = len(before) - gap - len(previous.text)
    return before[:at] + before[len(before) - gap:] if at >= 0 else before


def _named_before_change(label: str) -> str:
    """群众满意率较上年提高 → 群众满意率; 按期办结率由 → 按期办结率; 较上年减少受理信访事项 → 受理信访事项."""
    words = _changes()
    m = words.cut.search(label)
    if m is None:
        return label
    head = label[: m.start()]
    return head if _TWO_HAN.search(head) else words.all.sub("", label)


def _label(own: str, after: str, fig: Figure, following: Figure | None) -> str:
    label = _changes().start.sub("", TRAILING_FILLER.sub("", clean_before(own)))
    tail = _NUMBER_START.split(after, maxsplit=1)[0].strip("，、 ")
    # 聘请1名律师为法律顾问: the counted noun follows; but words that run on to a figure of its
    # kind (受理信访事项1260件中局长亲自接待50件) are that figure's, unless nothing else names this one
    runs_on = following is not None and following.start - fig.end <= len(after) and _kin(fig, following)
    if _TWO_HAN.search(tail) and (not runs_on or not _TWO_HAN.search(label)):
        label += tail
    if len(label) > MAX_LABEL:
        label = _TITLES.sub(lambda m: m.group(1) + "等", label).replace("等等", "等")
    return label


def metric_words(fig: Figure, previous: Figure | None = None, following: Figure | None = None) -> MetricWords:
    """What ``fig`` counts and whether it is a level; ``previous`` and ``following``: the figures
    before and after it in the text, whose words bound this one's (module docstring)."""
    words = _changes()
    previous, following = _near(fig, previous), _near(fig, following)
    before, after = clause_of(fig)
    own = _own(before, fig, previous)
    level = not fig.direction and not words.not_level.search(own)
    label = _label(own, after, fig, following)
    if previous is not None and words.only.fullmatch(clean_before(own)):
        earlier = metric_words(previous)
        if not earlier.level or words.direction.search(own):  # the level a change reaches
            label = _named_before_change(earlier.name) or label
    change = _change(clean_before(own), fig)
    if not change:
        return MetricWords(label=label, level=level, name=label)
    metric = _named_before_change(label)
    shown = digest_genre().change_label.format(metric=metric, change=change) if metric else change
    return MetricWords(label=shown, level=False, name=label)


def _change(own: str, fig: Figure) -> str:
    """The change a figure states, as its words say it (较上年减少, 同比下降); empty for no change.

    A figure is a change when the extractor gave it a direction, or its words compare with last
    year and say which way (较上年减少受理信访事项100件). Where its sign turns its word round
    (同比增长−3.5%) or no word of its own says the way (分别提高1.5个和2.1个百分点), the direction is
    worded from genre/digest.yaml ``change_links.directions``."""
    words = _changes()
    compared = words.comparison.search(own)
    stated = words.long.search(own)
    if not fig.direction and not (compared and stated):
        return ""
    said = stated.group(0) if stated else ""
    written = lexicon().direction_of.get(said, "")
    direction = fig.direction or written
    if written != direction:
        said = digest_genre().change_links.directions.get(direction, said)  # type: ignore[call-overload]
    return (compared.group(0) if compared else "") + words.fillers.sub("", said)


def metric_label(fig: Figure, previous: Figure | None = None, following: Figure | None = None) -> str:
    """开展理论学习中心组专题学习, 发放《信访工作条例》和《辅导读本》, 集中学习《宪法》等法律法规:
    the clause before the figure, whole; a run of document titles is shortened to its first.
    Empty where nothing names the figure (a bare 达到97%)."""
    return metric_words(fig, previous, following).label


@dataclass(frozen=True, slots=True)
class CanonicalMatch:
    """A figure's canonical metric, the cue that named it and what it counts from that cue on.

    ``counted`` (受理法律援助案件, 受理信访事项) tells figures of one metric apart that a short cue
    (受理) joins: only figures counting the same thing may be added."""

    metric: MetricName
    cue: str
    counted: str


def canonical_match(fig: Figure, named: MetricWords) -> CanonicalMatch | None:
    """The canonical metric whose longest cue the figure's own words (``named.label``) contain,
    of the right kind.

    A change (同比提升3.5%, 较上年增加20件), last year's value or a starting value is no level
    of any metric: it gets none."""
    if fig.direction or not named.level:
        return None
    label = named.label
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
    bare = next((b for b in digest_genre().bare_rates if b.cue == cue), None)
    if bare is not None:  # 化解率 of what: the object counted before it decides, or no metric
        found = _object_metric(fig, bare)
        if found is None:
            return None
        metric = found
    at = label.rfind(cue)
    return CanonicalMatch(metric=metric, cue=cue, counted=label[at:] if at >= 0 else cue)


def _object_metric(fig: Figure, bare: BareRate) -> MetricName | None:
    """The metric of a bare rate word (化解率): the object nearest before the figure in its sentence
    (调解矛盾纠纷45起，化解率100% → 矛盾纠纷化解率), the longer word where two end together; None
    when the sentence names none of them, so no rate of an unknown object joins another office's."""
    before = fig.preceding(OBJECT_WINDOW)
    best: tuple[tuple[int, int], str] | None = None
    for word, name in bare.objects.items():
        at = before.rfind(word)
        if at >= 0 and (best is None or (at + len(word), len(word)) > best[0]):
            best = ((at + len(word), len(word)), name)
    if best is None:
        return None
    return next(m for m in digest_genre().metrics if m.name == best[1])


def canonical(fig: Figure, previous: Figure | None = None, following: Figure | None = None) -> MetricName | None:
    """The canonical metric of a figure (:func:`canonical_match`), or None."""
    found = canonical_match(fig, metric_words(fig, previous, following))
    return found.metric if found else None
