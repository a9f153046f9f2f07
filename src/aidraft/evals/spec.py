"""The metrics an eval reports, each with the direction that counts as better.

One registry, so thresholds, baseline comparison, the console table and report.html agree on
what a metric means and which way it should move. ``info`` metrics are shown, never gated.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Direction = Literal["higher", "lower", "info"]


class MetricSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    direction: Direction
    label: str  # short column header for tables
    description: str
    share: bool = False  # a value in [0, 1], shown as a percentage
    evidence: tuple[str, ...] = ()  # the case's detail lists that say what this value counted


def _m(name: str, direction: Direction, label: str, description: str, share: bool = False) -> MetricSpec:
    return MetricSpec(name=name, direction=direction, label=label, description=description, share=share,
                      evidence=EVIDENCE.get(name, ()))


# The detail lists that name what a model backend left to the offline writer (runner.py fills them).
FALLBACK_DETAIL = "sections written offline"
MAP_FAILED_DETAIL = "reports the model could not summarise"
# Metrics that say the model did not write (part of) the output: the scores are partly the offline
# writer's, so with a model backend they fail the case (threshold 0) and the report says so.
FALLBACK_METRICS = ("offline_sections", "failed_maps")

# Which detail lists (CaseResult.details keys) explain each metric: report.html links a cell to them.
EVIDENCE: dict[str, tuple[str, ...]] = {
    "figure_precision": ("unsupported figures", "stale figures"),
    "figure_recall": ("notes figures missing",),
    "expected_figures": ("expected figures missing",),
    "stale_figures": ("stale figures",),
    "unsupported_figures": ("unsupported figures",),
    "restated_figures": ("restated figures",),
    "arithmetic_errors": ("arithmetic",),
    "section_completeness": ("sections missing",),
    "section_order": ("section order",),
    "heading_numbering": ("lint",),
    "duplicate_sentences": ("duplicate sentences",),
    "repeated_ngram_share": ("repeated text",),
    "register_violations": ("register",),
    "sentence_length_fit": ("length",),
    "lint_findings": ("lint",),
    "length_fit": ("length",),
    "expected_phrases": ("phrase expectations not met",),
    "plan_coverage": ("plans answered by the notes but not reported",),
    "offline_sections": (FALLBACK_DETAIL,),
    "failed_maps": (MAP_FAILED_DETAIL,),
}


METRICS: tuple[MetricSpec, ...] = (
    _m(
        "figure_precision",
        "higher",
        "精确率",
        "share of draft figures the checker finds supported, rounded or derived",
        True,
    ),
    _m(
        "figure_recall",
        "higher",
        "召回率",
        "share of the notes' figures (distinct values) that appear in the draft",
        True,
    ),
    _m(
        "expected_figures",
        "higher",
        "应有数字",
        "share of the case's must-appear figures found in the draft",
        True,
    ),
    _m(
        "stale_figures",
        "lower",
        "旧数字",
        "figures carried over from last year's report (stale, or listed as forbidden)",
    ),
    _m("unsupported_figures", "lower", "无据数字", "figures the notes do not support or contradict"),
    _m(
        "restated_figures",
        "lower",
        "一数两写",
        "the same value and unit written in two forms (1.5万人次 and 15000人次; 百分之九十八 and 98%)",
    ),
    _m("arithmetic_errors", "lower", "算术错", "rates and sums that do not recompute"),
    _m("section_completeness", "higher", "部分齐全", "share of the required sections present", True),
    _m(
        "section_order",
        "higher",
        "部分顺序",
        "required sections in the expected order (longest common subsequence)",
        True,
    ),
    _m("heading_numbering", "higher", "标题编号", "share of headings without a numbering finding", True),
    _m("duplicate_sentences", "lower", "重复句", "later copies of a sentence of 12+ characters"),
    _m(
        "repeated_ngram_share",
        "lower",
        "重复片段",
        "share of text inside a later copy of a 20-character run",
        True,
    ),
    _m("register_violations", "lower", "语体问题", "colloquial words, first person, half-width punctuation"),
    _m(
        "sentence_length_fit",
        "higher",
        "句长",
        "share of sentences whose length is in the genre's range",
        True,
    ),
    _m("lint_findings", "lower", "校对问题", "findings of aidraft lint"),
    _m(
        "length_fit",
        "higher",
        "篇幅",
        "1 inside the case's length range, else the ratio to the nearer bound",
        True,
    ),
    _m(
        "expected_phrases",
        "higher",
        "应有表述",
        "share of must-contain / must-not-contain phrases satisfied",
        True,
    ),
    _m(
        "plan_coverage",
        "higher",
        "计划呼应",
        "share of last year's plans answered by the notes that the draft also answers",
        True,
    ),
    _m("placement_accuracy", "higher", "位置正确", "share of notes with a gold section drafted in that section", True),
    _m("plain_note_coverage", "higher", "无数字覆盖", "share of notes without figures that the draft states", True),
    _m("untraced_sentences", "lower", "无出处句", "body sentences that cite no note (fact sentences without ids)"),
    _m("misplaced_figures", "lower", "位置不当", "figures and sentences the checker finds in the wrong section"),
    _m("quoted_not_in_notes", "lower", "无据引语", "“quoted” names in the draft that no note contains"),
    _m("followup_accuracy", "higher", "去年计划", "share of last year's promises followed up with the gold status",
       True),
    _m("reference_overlap", "info", "参考重合", "character-bigram F1 against the reference report", True),
    _m("judge_register", "higher", "评审·语体", "LLM judge: official register, 1-5"),
    _m("judge_coherence", "higher", "评审·连贯", "LLM judge: coherence and structure, 1-5"),
    _m("judge_faithfulness", "higher", "评审·忠实", "LLM judge: faithfulness to the notes, 1-5"),
    _m("attribution_accuracy", "higher", "出处准确",
       "digest: share of a sentence's listed sources (office, file, line) whose report line supports it",
       True),
    _m("clustering_recall", "higher", "共性归纳",
       "digest: share of the case's expected common findings stated with enough offices", True),
    _m("file_names", "lower", "文件名", "digest: input file names printed in the text (offices must be named)"),
    _m("copied_lint_findings", "lower", "照抄错误", "digest: lint findings whose text is copied from a report"),
    _m("offline_sections", "lower", "离线代写",
       "model backend: sections the model could not write, written offline instead (a failed part sends "
       "its whole section); none with the offline backend"),
    _m("failed_maps", "lower", "概括失败",
       "digest, model backend: reports the model could not summarise (their offline practices are used)"),
    _m("checker_recall", "higher", "核查召回",
       "self-test: share of planted figure changes the checker flags", True),
    _m(
        "checker_false_alarm_rate",
        "lower",
        "核查误报",
        "self-test: share of unchanged figures the checker flags",
        True,
    ),
)

BY_NAME: dict[str, MetricSpec] = {m.name: m for m in METRICS}


def spec(name: str) -> MetricSpec:
    return BY_NAME[name]
