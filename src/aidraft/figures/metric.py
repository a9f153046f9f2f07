"""What a figure counts, as a short normalised phrase: 交办突出信访问题, 发放宣传资料, 化解率.

One function shared by the checker (contradictions, cross-report sums), the digest ledger and
its aggregates, so "the same metric" means the same thing everywhere.
"""

from __future__ import annotations

from aidraft import regexes
from aidraft.figures.model import Figure

YEARISH = regexes.compile(r"\d{4}年(?:以来|来|度)?|\d{1,2}月(?:\d{1,2}日)?|[（(].*?[)）]|[“”\"《》]")
LEADING_FILLER = regexes.compile(r"^(?:以来|全年|今年|去年|同时|此外|其中|目前|截至目前|先后|分别|并|对|向|为|在|已|均|共计|共|累计|合计|总计|将)+")
TOTAL_PREFIX = regexes.compile(r"^.*(?:合计|总计|共计)")  # 各地合计发放… → 发放…
SUBJECT = regexes.compile(r"^.*?(?:信访局|信访办公室|信访办|我局|我办|本局|本办|[县区市]委|[县区市]政府)")
TRAILING_FILLER = regexes.compile(r"(?:达到|达|为|了|共计|共|累计|合计|计|均|已经|已|约|近|超过|超)+$")
MIN_BEFORE = 4
MAX_BEFORE = 12
MAX_AFTER = 8


def metric_phrase(fig: Figure) -> str:
    """The metric of ``fig``: its clause context without dates, quotes and function words.

    Counted nouns often follow the figure (组织19名干部职工参加考试): when the words before it are
    too few to name the metric, the words after it are added.
    """
    before = SUBJECT.sub("", TOTAL_PREFIX.sub("", YEARISH.sub("", fig.before)))
    before = TRAILING_FILLER.sub("", before)[-MAX_BEFORE:]
    before = LEADING_FILLER.sub("", before)
    if len(before) >= MIN_BEFORE:
        return before
    after = YEARISH.sub("", fig.after.split("（")[0].split("(")[0])[:MAX_AFTER]  # not the （attribution
    return (before + after) or fig.unit
