"""The naive baseline the LLM drafter is measured against: one prompt per report that holds every
notes item and the whole of last year's report, asking for the whole report in one answer.

The rules are the drafter's own (the draft_section system prompt, register rules included), so the
two differ only in how the work is cut: the drafter sends a plan request and one request per
section, each with that section's notes and last year's matching section trimmed to a budget.
"""

from __future__ import annotations

import time

from aidraft.draft.llm_section import load_examples, note_label, section_messages
from aidraft.draft.pipeline import DraftInputs
from aidraft.draft.plan import DraftPlan, plan_offline
from aidraft.draft.prior import skeleton
from aidraft.draft.write_offline import full_width, paren_number
from aidraft.llm.base import ChatModel, Completion, Message
from aidraft.parse.kinds import catalogue
from aidraft.prompts import load_prompt
from aidraft.settings import Settings

NAIVE_MAX_TOKENS = 8000
LEVEL1 = "一二三四五六七八九十"
FENCE = ("【工作笔记开始】", "【工作笔记结束】")
OUTPUT = ("输出格式：输出报告全文。各部分标题独占一行，写成“一、……”；部分下有小标题时，小标题独占一行，写成"
          "“（一）……”，其后是段落。不要使用 Markdown 符号、代码块或列表符号，不要任何说明或解释。")


def base_plan(inputs: DraftInputs) -> DraftPlan:
    """The offline plan run_draft starts from (last year's skeleton when there is a prior report)."""
    order, titles = skeleton(inputs.priors[0], inputs.year) if inputs.priors else (None, None)
    return plan_offline(inputs.notes, office=inputs.office, year=inputs.year, level=inputs.level,
                        order=order, titles=titles)


def naive_messages(inputs: DraftInputs, settings: Settings | None = None) -> list[Message]:
    """System: the drafter's rules (its output-format line rewritten), asking for the whole report.
    User: every section title and sub-section heading with its notes items (as the offline planner
    sorts them, so the answer is the same report the drafter writes), fenced as the section prompt
    fences them, then last year's whole report as the example."""
    plan = base_plan(inputs)
    template = load_prompt("draft_section", settings=settings or Settings.from_cli(backend="offline"))
    first = section_messages(template, plan, plan.sections[0], inputs.items, load_examples(settings), "")
    rules = first[0].content.split("\n范例")[0]  # the rules without the structured-output examples
    system = "\n".join(OUTPUT if line.startswith("输出格式：") else line for line in rules.splitlines()
                       if not line.lstrip().startswith(("3. 每句话都要在 notes", "4. 编号只写在 notes")))
    fenced = FENCE[0] in first[-1].content  # the notes are fenced as the section prompt fences them
    items = inputs.items
    lines = ["报告的各部分、小标题及其工作笔记：", *([FENCE[0]] if fenced else [])]
    for index, section in enumerate(plan.sections):
        lines.append(f"{LEVEL1[index]}、{section.title}（{catalogue().summary(section.kind)}）")
        for number, sub in enumerate(section.subsections):
            lines += [paren_number(number) + sub.title] if sub.title else []
            lines += [f"- {note_label(i)}：{full_width(items[i].text)}" for i in sub.item_ids]
    lines += [FENCE[1]] if fenced else []
    if inputs.priors:
        lines += ["", "参考范文：去年的报告全文，只学习它的结构和文风；其中的数字和具体事实都是去年的，一律不得照搬。",
                  "<<<", inputs.priors[0].text.strip(), ">>>"]
    lines += ["", "请直接输出报告全文。"]
    return [Message.system(system.replace("中的一个部分", "全文")), Message.user("\n".join(lines))]


def run_naive(model: ChatModel, inputs: DraftInputs, settings: Settings | None = None) -> tuple[Completion, float]:
    """The whole report in one request; returns the answer and its wall time in seconds."""
    messages = naive_messages(inputs, settings)
    started = time.perf_counter()
    answer = model.complete(messages, max_tokens=NAIVE_MAX_TOKENS)
    return answer, time.perf_counter() - started
