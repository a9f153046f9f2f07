"""What the benchmark's model server answers: deterministic text built from the request itself, so
each pipeline takes its plain path and the timings measure orchestration, not model quality.

- draft plan (schema PlanOut): every notes item id listed in the prompt, assigned as the offline
  planner would assign it (same keywords, same phrase-bank sub-section headings), so the plan
  validates on the first try;
- draft section (schema SectionDraft): each note of the prompt as a sentence citing its id
  (llm/fake_models.faithful), so verification passes and no re-ask fires; the naive whole-report
  prompt: each heading line, then its notes items as 一是…。二是…。;
- digest map (ReportSummary): a few figure-free practices, some shared across offices, one per
  office; digest reduce (Reduction): a collapse round merges its part into one practice, the
  final round merges equal texts — offices are always the union of the input's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aidraft import regexes
from aidraft.draft.plan import plan_offline
from aidraft.llm.base import ChatRequest, Message
from aidraft.llm.fake_models import faithful
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import classify_title
from aidraft.parse.notes import NoteItem, Notes, NotesMeta

SCHEMAS = ("SectionDraft", "PlanOut", "ReportSummary", "Reduction")
ORDINALS = "一二三四五六七八九十"
FALLBACK_TITLE = "统筹推进工作，提升工作质效"
_PLAN_ITEM = regexes.compile(r"^- (\d+)：(?:【([^】]*)】)?(.*)$", re.MULTILINE)
_PLAN_KIND = regexes.compile(r"^- (measures|duty|problems|plans)：", re.MULTILINE)
_NOTE = regexes.compile(r"^- (?:笔记\d+|N\d+)：(.+)$")
_HEADING = regexes.compile(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)")
_REDUCE_ITEM = regexes.compile(r"^- (?P<text>.+)【(?P<offices>[^】]*)】$", re.MULTILINE)
SHARED_PRACTICES = (
    "坚持把学习贯彻习近平法治思想作为首要政治任务，纳入党组理论学习中心组学习内容",
    "全面贯彻实施《信访工作条例》，推进信访工作法治化",
    "深入开展矛盾纠纷排查化解，推动信访积案化解",
    "落实律师参与接访制度，引入法治力量化解信访矛盾",
    "开展信访法治宣传进乡镇、进社区活动，引导群众依法理性表达诉求",
    "规范信访事项受理、办理和答复，提升按期办结水平",
)
DUTY = "主要负责人认真履行推进法治建设第一责任人职责，带头研究部署法治建设工作"
PROBLEMS = ("基层信访干部运用法治思维和法治方式化解矛盾的能力有待提升", "网上信访办理质效有待进一步提升")
PLANS = ("持续深化信访工作法治化建设，落实信访工作法治化“路线图”", "加强基层信访干部法律知识培训")


@dataclass(frozen=True)
class Answer:
    kind: str  # plan, section, repair, map, reduce, json, text: what the stats count
    text: str  # the message content, or the tool call's arguments
    tool: str | None = None  # the function name when the request asked for a tool call


def answer(body: dict[str, Any]) -> Answer:
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    system = next((str(m.get("content") or "") for m in messages if m.get("role") == "system"), "")
    users = [str(m.get("content") or "") for m in messages if m.get("role") == "user"] or [""]
    schema = schema_name(body, messages)
    tool = schema if body.get("tools") else None
    if schema == "SectionDraft":  # the drafter's section: each note as a sentence citing its id
        request = ChatRequest(messages=tuple(Message(role=m.get("role", "user"), content=str(m.get("content") or ""))
                                             for m in messages if m.get("role") in ("system", "user", "assistant")))
        return Answer("section", _json(faithful(request)), tool)
    if schema == "PlanOut":
        return Answer("plan", _json(plan_answer(system, users[0])), tool)
    if schema == "ReportSummary":
        return Answer("map", _json(map_answer(users[0])), tool)
    if schema == "Reduction":
        return Answer("reduce", _json(reduce_answer(users[0])), tool)
    if schema is not None:
        return Answer("json", "{}", tool)
    if "待修改的正文" in users[-1] and "<<<\n" in users[-1]:
        return Answer("repair", users[-1].split("<<<\n", 1)[1].split("\n>>>", 1)[0])
    return Answer("section" if "本部分标题" in users[-1] else "text", prose_answer(users[-1]))


def schema_name(body: dict[str, Any], messages: list[dict[str, Any]]) -> str | None:
    """The schema a structured request asks for (json_schema name, tool name, or named in json_mode)."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str((fmt.get("json_schema") or {}).get("name") or "json")
    if body.get("tools"):
        return str(body["tools"][0].get("function", {}).get("name") or "json")
    if fmt.get("type") == "json_object":
        text = "\n".join(str(m.get("content") or "") for m in messages)
        return next((name for name in SCHEMAS if name in text), "json")
    return None


def plan_answer(system: str, user: str) -> dict[str, Any]:
    """PlanOut for the items listed in the plan prompt, as the offline planner assigns them."""
    kinds = [SectionKind(k) for k in _PLAN_KIND.findall(user)] or [SectionKind.measures]
    items = [NoteItem(id=int(i), text=text.strip(), line=1, heading=heading or None,
                      kind=classify_title(heading) if heading else None)
             for i, heading, text in _PLAN_ITEM.findall(user)]
    office = _OFFICE_IN_SYSTEM.search(system)
    year = _YEAR_IN_SYSTEM.search(system)
    notes = Notes(path="bench", text="", meta=NotesMeta(), items=items)
    plan = plan_offline(notes, office=office.group(1) if office else "某县信访局",
                        year=int(year.group(1)) if year else 2025, level="县", order=kinds)
    sections: list[dict[str, Any]] = []
    for section in plan.sections:
        subs = [{"title": sub.title or FALLBACK_TITLE, "item_ids": sub.item_ids}
                for sub in section.subsections if sub.item_ids]
        if section.kind is SectionKind.problems and subs:
            subs = [{"title": "", "item_ids": [i for sub in subs for i in sub["item_ids"]]}]
        if subs:
            sections.append({"kind": section.kind.value, "subsections": subs})
    placed = {i for s in sections for sub in s["subsections"] for i in sub["item_ids"]}
    left = [item.id for item in items if item.id not in placed]  # kinds this report has no section for
    if left and not sections:
        title = "" if kinds[0] is SectionKind.problems else FALLBACK_TITLE
        sections.append({"kind": kinds[0].value, "subsections": [{"title": title, "item_ids": left}]})
    elif left and sections[0]["kind"] == SectionKind.problems.value:
        sections[0]["subsections"][0]["item_ids"] += left
    elif left:
        sections[0]["subsections"].append({"title": FALLBACK_TITLE, "item_ids": left})
    return {"sections": sections}


def prose_answer(user: str) -> str:
    """Each heading line of the prompt, then its notes items as 一是…。二是…。 (the style example,
    after 参考范文, is not echoed)."""
    out: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            out.append("".join(f"{ordinal(i + 1)}是{text}。" for i, text in enumerate(items)))
            items.clear()

    for raw in user.split("参考范文")[0].splitlines():
        line = raw.strip()
        if found := _NOTE.match(line):
            items.append(found.group(1).rstrip("。；;，, "))
        elif _HEADING.match(line):
            flush()
            out.append(line)
    flush()
    return "\n".join(out) or "本部分暂无工作笔记。"


def ordinal(n: int) -> str:
    if n <= 10:
        return ORDINALS[n - 1]
    return f"十{ORDINALS[n - 11]}" if n < 20 else str(n)


def map_answer(user: str) -> dict[str, list[str]]:
    """Two of a few shared practices (chosen by the office) and one of the office's own."""
    found = _OFFICE_IN_USER.search(user)
    office = found.group(1) if found else "某地"
    pick = int(hashlib.sha256(office.encode("utf-8")).hexdigest(), 16)
    shared = [SHARED_PRACTICES[pick % len(SHARED_PRACTICES)], SHARED_PRACTICES[(pick // 7 + 1) % len(SHARED_PRACTICES)]]
    own = f"结合{office}实际，探索建立信访事项“一站式”调处工作机制"
    return {"measures": [*dict.fromkeys(shared), own], "duty": [DUTY],
            "problems": [PROBLEMS[pick % 2]], "plans": [PLANS[pick % 2]]}


def reduce_answer(user: str) -> dict[str, Any]:
    """Final round: equal texts merged; collapse round: the whole part merged into one practice."""
    merged: dict[str, list[str]] = {}
    for m in _REDUCE_ITEM.finditer(user):
        offices = [o for o in m.group("offices").split("、") if o]
        merged.setdefault(m.group("text"), []).extend(offices)
    if "整理出不超过" not in user and merged:
        offices = [o for names in merged.values() for o in names]
        merged = {next(iter(merged)): offices}
    return {"practices": [{"text": t, "offices": list(dict.fromkeys(o))} for t, o in merged.items()]}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


# --- a careful model for the tests: answers the LLM drafter from the request alone ------------------

_NOTE_LINE = regexes.compile(r"^-\s*笔记(\d+)：(.*)$")
_SUB_LINE = regexes.compile(r"^（[一二三四五六七八九十]+）\S")
_OFFERED_KIND = regexes.compile(r"^-\s*(measures|duty|problems|plans)：")
_PLAN_NOTE_LINE = regexes.compile(r"^-\s*(\d+)：")
_FENCED_BODY = regexes.compile(r"<<<\n(.*?)\n>>>", re.DOTALL)
_OFFICE_IN_SYSTEM = regexes.compile(r"你是(.+?)负责起草")
_YEAR_IN_SYSTEM = regexes.compile(r"关于(\d{4})年度")
_OFFICE_IN_USER = regexes.compile(r"下面是(.+?)报送的")


def first_user(body: dict[str, Any]) -> str:
    return next((str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user"), "")


def section_from_request(user: str) -> str:
    """A section body written only from the notes lines the request carries, in their own words."""
    notes_part = user.split("小标题与工作笔记：", 1)[-1].split("参考范文", 1)[0]
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            parts = [f"{ORDINALS[i] if i < 10 else '同时'}是{t.rstrip('。；;，')}" for i, t in enumerate(current)]
            lines.append("；".join(parts) + "。")
            current.clear()

    for raw in notes_part.splitlines():
        line = raw.strip()
        if _SUB_LINE.match(line):
            flush()
            lines.append(line)
        elif m := _NOTE_LINE.match(line):
            current.append(m.group(2))
    flush()
    return "\n".join(lines)


def plan_from_request(user: str) -> dict[str, Any]:
    """A valid PlanOut for the request: every item once, under the first section kind offered."""
    kinds = [m.group(1) for line in user.splitlines() if (m := _OFFERED_KIND.match(line.strip()))]
    ids = [int(m.group(1)) for line in user.splitlines() if (m := _PLAN_NOTE_LINE.match(line.strip()))]
    kind = kinds[0] if kinds else "measures"
    title = "" if kind == "problems" else "强化法治建设，提升工作质效"
    return {"sections": [{"kind": kind, "subsections": [{"title": title, "item_ids": ids}]}]}


def drafter_responder(plan: dict[str, Any] | None = None) -> Callable[[dict[str, Any]], Any]:
    """Answers the LLM drafter like a careful model: ``plan`` (or one derived from the request) for
    the planning call, the notes' own sentences for a section, the body unchanged for a repair."""

    def respond(body: dict[str, Any]) -> Any:
        user = first_user(body)
        if "本部分标题" in user:  # a structured section request (SectionDraft): each note, citing its id
            from aidraft.llm.base import ChatRequest, Message
            from aidraft.llm.fake_models import faithful

            return faithful(ChatRequest(messages=tuple(
                Message(role=m["role"], content=str(m.get("content") or "")) for m in body.get("messages", []))))
        if "response_format" in body or "tools" in body:
            return plan if plan is not None else plan_from_request(user)
        if "待修改的正文" in user and (fenced := _FENCED_BODY.search(user)):
            return fenced.group(1)
        return section_from_request(user)

    return respond
