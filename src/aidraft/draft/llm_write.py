"""What the LLM writer sends and how it reads the answer: section prompts, last year's section as a
trimmed style example, the register rules (genre/register.yaml), the clean-up that turns a
model's answer into the plain body lines the assembler expects (or rejects it as unusable), and
the per-section check whose findings the repair prompt sends back.

Everything here is a pure function of its inputs, so identical runs render identical requests:
that is what lets the response cache resume an interrupted run.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict

from aidraft.check.model import FLAGGED, CheckReport, FigureStatus
from aidraft.check.run import check_text
from aidraft.check.sources import NamedText, SourceIndex
from aidraft.draft.bank import phrase_bank
from aidraft.draft.pipeline import DraftInputs
from aidraft.draft.plan import DraftPlan, PlannedSection
from aidraft.draft.register import register_rules
from aidraft.draft.write_offline import full_width, paren_number
from aidraft.figures.extract import extract_figures
from aidraft.ingest.notes import NoteItem
from aidraft.llm.base import Completion, Message
from aidraft.llm.budget import fit_to_budget
from aidraft.parse.document import NumberStyle, SectionKind
from aidraft.parse.headings import Heading, parse_heading
from aidraft.parse.kinds import catalogue
from aidraft.prompts import PromptTemplate
from aidraft.text import bigrams, dice, han_count, sentence_re


_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_BULLET = re.compile(r"^(?:[-*•·]\s+)")
_MARKDOWN = re.compile(r"^#{1,6}\s*")
_NOT_TITLE = re.compile(r"[\s，。：:、（）()“”\"]")
MIN_CJK = 10
REPEATS = 3
TITLE_ECHO = 0.6  # bigram overlap above which a first line is the section title again


class Unusable(BaseModel):
    """Why an answer cannot be used: ``en`` for the run log, ``zh`` for the re-ask."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    zh: str


def _numbered(line: str, *styles: NumberStyle) -> Heading | None:
    """The heading ``line`` starts with, read by the parser, when it is numbered in one of ``styles``."""
    head = parse_heading(line)
    return head if head is not None and head.style in styles else None


def clean_body(text: str, title: str) -> str:
    """The answer as body lines: no fences, Markdown or echoed title; headings numbered （一）（二）."""
    lines: list[str] = []
    for raw in _THINK.sub("", text).splitlines():
        line = raw.strip(" \t\u3000\u00a0")
        if line.startswith("```") or line in ("<<<", ">>>"):
            continue
        line = _BULLET.sub("", _MARKDOWN.sub("", line)).replace("**", "").replace("__", "").strip()
        if line:
            lines.append(line)
    if lines and is_title_echo(lines[0], title):
        lines = lines[1:]
    out: list[str] = []
    headings = 0
    for line in lines:
        head = _numbered(line, NumberStyle.cn_paren, NumberStyle.cn_dun)
        if head:  # a level-1 number inside a section can only mean a sub-section
            line = paren_number(headings) + line[head.title_start :].lstrip()
            headings += 1
        out.append(full_width(line))
    return "\n".join(out)


def is_title_echo(line: str, title: str) -> bool:
    """The section title repeated by the model (numbered or not), not a sub-section heading."""
    head = _numbered(line, NumberStyle.cn_dun)
    bare, whole = _NOT_TITLE.sub("", line[head.title_start :] if head else line), _NOT_TITLE.sub("", title)
    return (len(bare) >= 4 and bare in whole) or dice(bigrams(bare), bigrams(whole)) >= TITLE_ECHO


def unusable(body: str, answer: Completion) -> Unusable | None:
    """Garbage that no repair can save: empty, not Chinese, cut off, or one sentence over and over."""
    if answer.truncated:
        return Unusable(en="answer cut off at the length limit", zh="回答在长度上限处被截断，请写得更紧凑")
    if not body.strip():
        return Unusable(en="empty answer", zh="回答为空")
    visible = re.sub(r"\s", "", body)
    cjk = han_count(visible)
    if cjk < MIN_CJK or cjk < 0.3 * len(visible):
        return Unusable(en="no Chinese body text in the answer", zh="回答中没有中文正文")
    sentences = Counter(s.strip() for s in sentence_re(semicolons=True, keep_end=False).findall(body) if len(s.strip()) >= 6)
    if sentences:
        sentence, times = sentences.most_common(1)[0]
        if times >= REPEATS:
            return Unusable(en=f"one sentence repeated {times} times", zh=f"同一句话重复了{times}次：“{sentence[:20]}”")
    return None


JSON_DEBRIS = re.compile(r'[{\[]\s*["“]|["”]\s*:\s*[\[{"“]')


def incomplete(body: str, section: PlannedSection, items: dict[int, NoteItem]) -> Unusable | None:
    """An answer that leaves out figures of its own notes, or carries JSON debris (a continuation
    that went astray): usable text must say everything the section's notes say, and only prose."""
    if JSON_DEBRIS.search(body):
        return Unusable(en="JSON debris in the section text", zh="正文中混入了 JSON 内容")
    stated = Counter(f.text for f in extract_figures(body))
    wanted = Counter(f.text for i in section.item_ids for f in extract_figures(items[i].text))
    missing = list((wanted - stated).elements())
    if missing:
        shown = "、".join(missing[:8])
        return Unusable(en=f"left out notes figures: {', '.join(missing[:8])}", zh=f"遗漏了笔记中的数字：{shown}")
    return None


def prior_example(inputs: DraftInputs, kind: SectionKind, budget: int) -> tuple[str, str | None]:
    """Last year's section of this kind without its title line, cut at whole sentences to ``budget``
    tokens; the second value says what was dropped (for the run log), None when nothing was."""
    text = inputs.prior_section(kind)
    if not text:
        return "", None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and _numbered(lines[0], NumberStyle.cn_dun):
        lines = lines[1:]
    fit = fit_to_budget(lines, budget)
    return "\n".join(fit), (fit.summary if fit.truncated else None)


def sentence_at(text: str, start: int) -> str:
    """The sentence of ``text`` around offset ``start`` (the repair prompt quotes it)."""
    begin = max(text.rfind(ch, 0, start) for ch in "。！？；\n") + 1
    ends = [i for ch in "。！？；\n" if (i := text.find(ch, start)) >= 0]
    return text[begin : min(ends) + 1 if ends else len(text)].strip()


def figure_problems(report: CheckReport, body: str) -> list[dict[str, str]]:
    """Each flagged figure (and failed arithmetic) with its sentence and why, for draft_repair."""
    problems: list[dict[str, str]] = []
    for fig in report.figures:
        if fig.status not in FLAGGED:
            continue
        if fig.status is FigureStatus.contradicted and fig.source is not None:
            reason = f"与工作笔记不符，笔记中写作“{fig.source.text}”（{fig.source.sentence}）"
        elif fig.status is FigureStatus.stale:
            reason = "这是去年报告中的数字，今年的工作笔记中没有"
        else:
            reason = "工作笔记中没有这个数字"
        problems.append({"text": fig.text, "sentence": sentence_at(body, fig.start), "reason": reason})
    for finding in report.arithmetic:
        problems.append({"text": finding.text, "sentence": finding.sentence, "reason": finding.message})
    return problems


def item_lines(ids: list[int], items: dict[int, NoteItem]) -> list[dict[str, Any]]:
    return [{"id": i, "text": full_width(items[i].text)} for i in ids]


def section_messages(
    template: PromptTemplate,
    plan: DraftPlan,
    section: PlannedSection,
    items: dict[int, NoteItem],
    example: str,
    retry_reason: str = "",
) -> list[Message]:
    """The draft_section request for one planned section (deterministic: no clock, stable order)."""
    subsections = [
        {"heading": paren_number(index) + sub.title if sub.title else "", "items": item_lines(sub.item_ids, items)}
        for index, sub in enumerate(section.subsections)
    ]
    return template.render(
        office=plan.office, short=plan.short, year=plan.year, next_year=plan.next_year,
        section_title=section.title, kind=section.kind.value, kind_label=catalogue().summary(section.kind),
        subsections=subsections, example=example, register=register_rules().model_dump(),
        missing=phrase_bank().placeholders.missing, retry_reason=retry_reason,
    )


class SectionChecker:
    """Checks one section's body against the notes (and last year's report, to name stale figures).
    Serialised: SourceIndex derives its rates and sums lazily, which threads must not race."""

    def __init__(self, inputs: DraftInputs) -> None:
        self.notes = NamedText(path=inputs.notes.path, text=inputs.notes.text)
        self.priors = [NamedText(path=d.path or "prior", text=d.text) for d in inputs.priors]
        self.index = SourceIndex.build([self.notes])
        self._lock = threading.Lock()

    def check(self, body: str) -> CheckReport:
        with self._lock:
            return check_text(NamedText(path="section", text=body), [self.notes], self.priors or None,
                              notes_index=self.index)
