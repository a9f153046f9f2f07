"""The LLM planner: the model assigns notes items to sections and sub-sections and writes the
sub-section headings; the program keeps section titles and order from the offline (``base``) plan.

The model answers a small schema (PlanOut). The checks that need this run's notes — every item
exactly once, only known ids, only this report's section kinds — are pydantic validators, so
complete_structured sends their messages back to the model like any other validation error.
When the model cannot produce a valid plan, the offline plan is used and the run log says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aidraft.draft.bank import phrase_bank
from aidraft.draft.pipeline import DraftInputs
from aidraft.draft.plan import DraftPlan, PlannedSubsection, item_topic
from aidraft.draft.write_offline import full_width
from aidraft.errors import ModelError
from aidraft.llm.base import ChatModel, Message
from aidraft.llm.structured import complete_structured
from aidraft.parse.document import SectionKind
from aidraft.parse.headings import parse_heading
from aidraft.parse.kinds import catalogue, standard_kinds
from aidraft.prompts import PromptTemplate

PLAN_MAX_TOKENS = 2000
MAX_TITLE_CHARS = 24

#: The kinds the model may assign notes to: the catalogue's standard sections.
StandardKind = Literal[tuple(k.value for k in standard_kinds())]  # type: ignore[valid-type]
KIND_HELP = "报告的部分：" + ", ".join(f"{k.value} {catalogue().label(k)}" for k in standard_kinds())


def _unnumbered(title: str) -> str:
    """A heading the model numbered itself ((一) …, 1. …), without its number."""
    head = parse_heading(title)
    return title[head.title_start :] if head is not None else title


class SubsectionOut(BaseModel):
    title: str = Field(description="两个四至六字的并列短句，如“强化理论武装，筑牢法治根基”；problems 部分为空字符串")
    item_ids: list[int] = Field(description="归入该小标题的笔记编号")

    @field_validator("title", mode="before")
    @classmethod
    def _bare_title(cls, value: object) -> object:
        """Models like to number headings ("（一）…") or end them with 。: strip both."""
        return _unnumbered(full_width(value)).strip().rstrip("。；;.") if isinstance(value, str) else value


class SectionOut(BaseModel):
    kind: StandardKind = Field(description=KIND_HELP)
    subsections: list[SubsectionOut]


class PlanOut(BaseModel):
    """报告提纲：把每一条工作笔记（按编号）分配到报告的部分和小标题下。"""

    sections: list[SectionOut]


def plan_problems(plan: PlanOut, ids: Collection[int], kinds: Collection[str]) -> list[str]:
    """What is wrong with ``plan`` for these notes, in words the model can act on."""
    problems: list[str] = []
    seen = Counter(i for section in plan.sections for sub in section.subsections for i in sub.item_ids)
    if unknown := sorted(set(seen) - set(ids)):
        problems.append(f"不存在的笔记编号：{unknown}")
    if repeated := sorted(i for i, n in seen.items() if n > 1):
        problems.append(f"重复分配的笔记编号（每条只能出现一次）：{repeated}")
    if missing := sorted(set(ids) - set(seen)):
        problems.append(f"遗漏的笔记编号（每条都必须分配）：{missing}")
    kind_counts = Counter(section.kind for section in plan.sections)
    for kind, times in kind_counts.items():
        if kind not in kinds:
            problems.append(f"部分 {kind} 不在本报告中，只能用：{'、'.join(kinds)}")
        elif times > 1:
            problems.append(f"部分 {kind} 出现了{times}次，每个部分只能出现一次")
    for section in plan.sections:
        for sub in section.subsections:
            if not sub.item_ids:
                problems.append(f"小标题“{sub.title}”下没有笔记")
            if not sub.title and section.kind != "problems":
                problems.append(f"部分 {section.kind} 的小标题不能为空")
            if len(sub.title) > MAX_TITLE_CHARS or re.search(r"\d", sub.title):
                problems.append(f"小标题“{sub.title}”应为两个四至六字的短句，且不含数字")
    return problems


def plan_schema(ids: Collection[int], kinds: Collection[str]) -> type[PlanOut]:
    """PlanOut plus this run's checks; same name and JSON schema every run (cache keys stay stable)."""

    class CheckedPlanOut(PlanOut):
        """报告提纲：把每一条工作笔记（按编号）分配到报告的部分和小标题下。"""

        model_config = ConfigDict(title="PlanOut")

        @model_validator(mode="after")
        def _fits_notes(self) -> CheckedPlanOut:
            if problems := plan_problems(self, ids, kinds):
                raise ValueError("；".join(problems))
            return self

    CheckedPlanOut.__name__ = CheckedPlanOut.__qualname__ = "PlanOut"
    return CheckedPlanOut


def to_draft_plan(out: PlanOut, base: DraftPlan, inputs: DraftInputs) -> DraftPlan:
    """The model's assignment under the base plan's sections; topics (and so the offline fallback's
    leads) are the phrase-bank topics the sub-section's notes fit best."""
    bank, items = phrase_bank(), inputs.items
    chosen = {section.kind: section for section in out.sections}
    sections = []
    for section in base.sections:
        topics = bank.topic_list(section.kind)
        subsections = []
        for sub in chosen[section.kind.value].subsections if section.kind.value in chosen else []:
            topic = item_topic(" ".join([sub.title, *(items[i].text for i in sub.item_ids)]), topics)
            lead = base.fill(topic.lead) if sub.title else ""
            subsections.append(PlannedSubsection(topic=topic.id, title=sub.title, lead=lead, item_ids=sub.item_ids))
        sections.append(section.model_copy(update={"subsections": subsections}))
    return base.model_copy(update={"sections": sections})


def plan_messages(template: PromptTemplate, inputs: DraftInputs, base: DraftPlan) -> list[Message]:
    sections = [{"kind": s.kind.value, "title": s.title, "label": catalogue().summary(s.kind)}
                for s in base.sections if s.kind is not SectionKind.other]
    items = [{"id": item.id, "text": full_width(item.text), "heading": item.heading or ""}
             for item in inputs.notes.items]
    return template.render(office=base.office, year=base.year, sections=sections, items=items)


def llm_plan(model: ChatModel, template: PromptTemplate, inputs: DraftInputs, base: DraftPlan
             ) -> tuple[DraftPlan, str | None]:
    """The model's plan, or ``base`` and the reason when it failed (ConfigError still propagates)."""
    ids = [item.id for item in inputs.notes.items]
    kinds = [s.kind.value for s in base.sections if s.kind is not SectionKind.other]
    if not ids:
        return base, None
    try:
        out = complete_structured(model, plan_messages(template, inputs, base), plan_schema(ids, kinds),
                                  max_tokens=PLAN_MAX_TOKENS)
    except ModelError as exc:
        return base, f"plan: {exc.one_line()}; used the offline plan"
    return to_draft_plan(out, base, inputs), None
