"""The LLM drafter against a scripted fake model: invented figures are caught, repaired or marked;
malformed plans are re-asked or replaced by the offline plan; truncated, garbage and refused
answers never stop the run; a cached rerun makes no calls. No network anywhere."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aidraft.check.model import FLAGGED
from aidraft.draft.llm_drafter import LLMDrafter, Progress
from aidraft.draft.llm_plan import PlanOut, plan_problems, plan_schema
from aidraft.draft.llm_write import clean_body, register_rules, unusable
from aidraft.draft.pipeline import DraftResult, resolve_inputs, run_draft
from aidraft.errors import ConfigError
from aidraft.ingest.notes import read_notes
from aidraft.llm.base import (
    CONTINUE_PROMPT,
    Completion,
    ContentFilterError,
    ContextTooLongError,
    ModelServerError,
)
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.fake import FakeChatModel, FakeRequest
from aidraft.parse.document import SectionKind
from aidraft.parse.structure import parse_file
from aidraft.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "qingxi"
ORDINALS = "一二三四五六七八九十"
MEASURES, DUTY, PROBLEMS, PLANS = "主要举措", "第一责任人", "不足", "工作安排"
PLAN = {"sections": [
    {"kind": "measures", "subsections": [
        {"title": "（一）强化理论武装，筑牢法治根基", "item_ids": [0, 1]},
        {"title": "畅通信访渠道，规范受理办理", "item_ids": [4, 6, 2]},
        {"title": "攻坚矛盾化解，维护信访秩序", "item_ids": [5, 7, 8, 3]}]},
    {"kind": "duty", "subsections": [{"title": "扛牢第一责任，带头履职尽责", "item_ids": [9, 10, 11]}]},
    {"kind": "problems", "subsections": [{"title": "", "item_ids": [12, 13]}]},
    {"kind": "plans", "subsections": [{"title": "深化法治建设，提升工作质效", "item_ids": [14, 15, 16]}]},
]}
INVENTED = "新建调解室9个，实现乡镇全覆盖。"
STALE = "全年受理群众信访事项1580件。"


def echo_body(prompt: str) -> str:
    """A faithful section: each heading of the prompt, then its notes items as 一是…二是…."""
    lines: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            lines.append("".join(f"{ORDINALS[i]}是{text}。" for i, text in enumerate(items)))
            items.clear()

    for line in prompt.split("参考范文")[0].splitlines():
        if line.startswith("（"):
            flush()
            lines.append(line)
        elif found := re.match(r"- 笔记\d+：(.+)", line):
            items.append(found.group(1))
    flush()
    return "\n".join(lines)


def repaired_body(prompt: str) -> str:
    """The body under repair with every sentence the checker complained about removed."""
    body = prompt.split("<<<\n")[1].split("\n>>>")[0]
    for sentence in re.findall(r"（所在句：(.+?)）：", prompt):
        body = body.replace(sentence, "")
    return body


Answer = Any  # str, Completion, exception, or a callable of the request


@dataclass
class Script:
    """Answers by content, so concurrent section requests get the right reply in any order."""

    plan: list[Answer] = field(default_factory=lambda: [PLAN])
    sections: dict[str, list[Answer]] = field(default_factory=dict)  # title fragment → answers in turn
    repairs: dict[str, list[Answer]] = field(default_factory=dict)
    continuations: dict[str, list[Answer]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: FakeRequest) -> Answer:
        if request.json_schema is not None:
            return self._next(self.plan, request)
        first_user = next(m.content for m in request.messages if m.role == "user")
        title = re.search(r"本部分标题：(.+)", first_user).group(1)  # type: ignore[union-attr]
        if request.user_text == CONTINUE_PROMPT:
            table, default = self.continuations, None
        elif "待修改的正文" in request.user_text:
            table, default = self.repairs, lambda r: r.user_text.split("<<<\n")[1].split("\n>>>")[0]
        else:
            table, default = self.sections, lambda r: echo_body(r.user_text)
        answers = next((a for key, a in table.items() if key in title), None)
        return self._next(answers, request) if answers else default(request)  # type: ignore[misc]

    def _next(self, answers: list[Answer], request: FakeRequest) -> Answer:
        with self.lock:
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return answer(request) if callable(answer) and not isinstance(answer, type) else answer


def fake_for(script: Script, calls: int = 80) -> FakeChatModel:
    return FakeChatModel(*[script] * calls)


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in [n for n in __import__("os").environ if n.startswith("AIDRAFT_")]:
        monkeypatch.delenv(name)
    yield


def draft(model: Any, *, repair_rounds: int = 2, concurrency: int = 4,
          progress: Callable[[Progress], None] | None = None, notes: Path = SAMPLES / "notes-2025.md") -> DraftResult:
    inputs = resolve_inputs(read_notes(notes), [parse_file(SAMPLES / "prior-2024.md")], None, None)
    settings = Settings(concurrency=concurrency, max_repair_rounds=repair_rounds)
    return run_draft(inputs, LLMDrafter(model, settings, progress=progress), path="draft")


def section(result: DraftResult, fragment: str) -> Any:
    return next(s for s in result.sections if fragment in s.title)


def flagged(result: DraftResult) -> list[str]:
    return [f.text for f in result.check.figures if f.status in FLAGGED]


def test_happy_path_uses_the_plan_and_ships_no_flag() -> None:
    steps: list[Progress] = []
    fake = fake_for(Script())
    result = draft(fake, progress=steps.append)
    assert flagged(result) == [] and result.check.summary.flagged == 0
    assert "【待核实】" not in result.document.text
    assert {s.backend for s in result.sections} == {"llm"}
    titles = [sub.title for sub in result.document.section_of_kind(SectionKind.measures).walk()[1:]]  # type: ignore[union-attr]
    assert titles == ["强化理论武装，筑牢法治根基", "畅通信访渠道，规范受理办理", "攻坚矛盾化解，维护信访秩序"]
    run = result.run
    assert (run.backend, run.model, run.model_calls, run.cached_calls) == ("llm", "fake-model", 5, 0)
    assert run.prompt_tokens > 0 and run.completion_tokens > 0
    assert run.prompt_versions == {"draft_plan": "2", "draft_section": "2", "draft_repair": "2", "register": "1"}
    assert (steps[0].stage, steps[0].done) == ("plan", 1) and sorted(s.done for s in steps[1:]) == [1, 2, 3, 4]
    measures = next(r for r in fake.requests if r.json_schema is None and MEASURES in r.user_text)
    assert "局党组会议专题研究法治建设工作6次" in measures.user_text  # the section's notes
    assert "抓理论学习，筑牢法治思想根基" in measures.user_text  # last year's section as the example
    assert "一律不得照搬" in measures.user_text and "不使用第一人称" in measures.system_text
    assert all(m.prompt == "draft_section@2" for m in measures.messages)


@pytest.mark.parametrize(
    ("added", "repair", "rounds", "marked"),
    [
        (INVENTED, "same", 2, True),
        (INVENTED, "fixed", 2, False),
        (INVENTED, None, 0, True),
        (INVENTED, "gutted", 2, True),
        (STALE, "same", 2, True),
        (STALE, "fixed", 2, False),
    ],
    ids=["invented-unrepaired", "invented-repaired", "no-repair-rounds", "repair-deletes-facts", "stale-unrepaired", "stale-repaired"],
)
def test_unsupported_figures_are_repaired_or_marked(added: str, repair: str | None, rounds: int, marked: bool) -> None:
    figure = re.search(r"\d+[个件]", added).group(0)  # type: ignore[union-attr]
    script = Script(sections={MEASURES: [lambda r: echo_body(r.user_text) + "\n" + added]})
    if repair == "fixed":
        script.repairs[MEASURES] = [lambda r: repaired_body(r.user_text)]
    elif repair == "gutted":  # drops the invented figure and every real one with it: not accepted
        script.repairs[MEASURES] = [lambda r: "（一）强化理论武装，筑牢法治根基\n坚持学法用法。"]
    fake = fake_for(script)
    result = draft(fake, repair_rounds=rounds)
    repairs = [r for r in fake.requests if "待修改的正文" in r.user_text]
    assert len(repairs) == (1 if rounds else 0)  # the same answer twice would change nothing: one round
    if repairs:
        assert f"“{figure}”" in repairs[0].user_text and "局党组会议专题研究法治建设工作6次" in repairs[0].user_text
        assert ("去年报告" if added == STALE else "工作笔记中没有这个数字") in repairs[0].user_text
    assert (f"{figure}【待核实】" in result.document.text) is marked
    assert (figure in flagged(result)) is marked
    measures = section(result, MEASURES)
    assert measures.backend == "llm" and "1642件" in measures.body
    assert (measures.note or "").startswith("1 figure(s) unverified" if marked else "repaired in 1 round")
    assert [f for f in flagged(result) if f != figure] == []


@pytest.mark.parametrize(
    ("answers", "uses_model_plan", "second_request_says"),
    [
        (['{"sections": [{"kind": "measures"', PLAN], True, "不是合法的 JSON"),
        ([{"sections": PLAN["sections"][:3]}, PLAN], True, "遗漏的笔记编号（每条都必须分配）：[14, 15, 16]"),
        ([{"sections": [*PLAN["sections"], {"kind": "plans", "subsections": [{"title": "再写一遍，重复分配", "item_ids": [0]}]}]},
          PLAN], True, "重复分配的笔记编号"),
        (["好的，提纲如下：一、主要举措", "```json\n{oops}\n```", {"sections": []}], False, "不是合法的 JSON"),
    ],
    ids=["truncated-json", "missing-ids", "duplicate-kind-and-id", "garbage-three-times"],
)
def test_plan_is_validated_re_asked_or_replaced(answers: list[Any], uses_model_plan: bool, second_request_says: str) -> None:
    fake = fake_for(Script(plan=answers))
    result = draft(fake)
    plan_requests = [r for r in fake.requests if r.json_schema is not None]
    assert len(plan_requests) == (2 if uses_model_plan else 3)
    assert second_request_says in plan_requests[1].user_text
    headings = [sub.title for s in result.plan.sections for sub in s.subsections]
    assert ("强化理论武装，筑牢法治根基" in headings and "攻坚矛盾化解，维护信访秩序" in headings) is uses_model_plan
    assert any("used the offline plan" in e for e in result.run.events) is not uses_model_plan
    assert {s.backend for s in result.sections} == {"llm"} and flagged(result) == []
    assert sorted(i for s in result.plan.sections for i in s.item_ids) == list(range(17))


def split_answer(request: FakeRequest) -> Completion:
    body = echo_body(request.user_text)
    return Completion(text=body[:40], finish_reason="length")


@pytest.mark.parametrize(
    ("continuations", "reasked"),
    [
        ([lambda r: echo_body(r.messages[1].content)[40:]], False),
        ([Completion(text="……", finish_reason="length")], True),  # still cut off after 2 continuations
    ],
    ids=["continued", "cut-off-twice-then-reasked"],
)
def test_truncated_answer_is_continued_or_reasked(continuations: list[Any], reasked: bool) -> None:
    script = Script(sections={DUTY: [split_answer, lambda r: echo_body(r.user_text)]}, continuations={DUTY: continuations})
    fake = fake_for(script)
    result = draft(fake)
    follow_ups = [r for r in fake.requests if r.user_text == CONTINUE_PROMPT]
    assert len(follow_ups) == (2 if reasked else 1)
    duty = section(result, DUTY)
    assert duty.backend == "llm" and "局长林晓峰全年主持召开法治建设专题会议3次" in duty.body
    assert duty.body == echo_body(next(r.user_text for r in fake.requests if r.json_schema is None and DUTY in r.user_text))
    retries = [r for r in fake.requests if "上一次的回答不能使用" in r.user_text]
    assert len(retries) == (1 if reasked else 0)
    assert flagged(result) == []


@pytest.mark.parametrize(
    ("answers", "backend", "note"),
    [
        ([ContentFilterError("refused the content")], "offline", "ContentFilterError: refused the content"),
        ([ModelServerError("HTTP 503")], "offline", "ModelServerError"),
        (["hello world", "hello world"], "offline", "unusable twice (no Chinese body text"),
        (["依法办理信访事项。" * 5, "依法办理信访事项。" * 5], "offline", "repeated 5 times"),
        (["", lambda r: echo_body(r.user_text)], "llm", None),
        (["```markdown\n## 一、存在的不足和原因\n**一是**部分乡镇信访干部运用法律政策化解矛盾的能力不足。二是网上信访办理质效有待提升，个别事项答复不够规范。\n```"],
         "llm", None),
    ],
    ids=["content-filter", "server-error", "not-chinese", "repetition", "empty-then-good", "markdown-cleaned"],
)
def test_failing_section_falls_back_alone(answers: list[Any], backend: str, note: str | None) -> None:
    fake = fake_for(Script(sections={PROBLEMS: answers}))
    result = draft(fake)
    problems = section(result, PROBLEMS)
    assert problems.backend == backend
    assert (note is None and problems.note is None) or (note is not None and note in (problems.note or ""))
    assert "部分乡镇信访干部运用法律政策化解矛盾的能力不足" in problems.body
    assert not re.search(r"[#*`]|一、存在", problems.body)
    assert [s.backend for s in result.sections if s is not problems] == ["llm"] * 3
    assert flagged(result) == [] and result.check.summary.flagged == 0
    if backend == "offline":
        assert any(PROBLEMS in e and "written offline" in e for e in result.run.events)


def test_config_error_stops_the_run_and_a_rerun_resumes_from_the_cache(tmp_path: Path) -> None:
    first = FakeChatModel(*[Script(sections={PLANS: [ConfigError("endpoint rejected the API key (401)")]})] * 20)
    with pytest.raises(ConfigError, match="401"):
        draft(CachedChatModel(first, tmp_path), concurrency=1)
    assert len(first.requests) == 5  # plan + the four sections, the last one refused
    second = fake_for(Script())
    result = draft(CachedChatModel(second, tmp_path), concurrency=1)
    assert [PLANS in r.user_text for r in second.requests] == [True]  # only the missing section is asked
    assert (result.run.model_calls, result.run.cached_calls) == (1, 4)
    third = FakeChatModel()  # empty queue: any call would fail the test
    again = draft(CachedChatModel(third, tmp_path))
    assert third.requests == [] and (again.run.model_calls, again.run.cached_calls) == (0, 5)
    assert (again.run.prompt_tokens, again.run.completion_tokens) == (0, 0)
    assert again.document.text == result.document.text


def test_long_example_is_trimmed_at_sentences_or_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("aidraft.draft.llm_drafter.EXAMPLE_BUDGET", 70)
    script = Script(sections={DUTY: [ContextTooLongError("too long"), lambda r: echo_body(r.user_text)]})
    fake = fake_for(script)
    result = draft(fake)
    measures = next(r.user_text for r in fake.requests if r.json_schema is None and MEASURES in r.user_text)
    example = measures.split("<<<\n")[1].split("\n>>>")[0]
    assert example.endswith("。") and "抓理论学习" in example and "1580件" not in example
    duty = [r.user_text for r in fake.requests if r.json_schema is None and DUTY in r.user_text]
    assert ["参考范文" in text for text in duty] == [True, False]
    assert section(result, DUTY).backend == "llm"
    events = "\n".join(result.run.events)
    assert "style example for 2025年推进法治政府建设的主要举措和成效: dropped" in events
    assert "style example for 党政主要负责人履行推进法治建设第一责任人职责情况: left out" in events


def test_sections_without_notes_are_marked_not_invented(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("---\noffice: 示例县信访局\nyear: 2025\n---\n- 开展宣讲12场\n- 发放资料3000份\n", encoding="utf-8")
    plan = {"sections": [{"kind": "measures", "subsections": [{"title": "深化普法宣传，营造法治氛围", "item_ids": [0, 1]}]}]}
    fake = fake_for(Script(plan=[plan]))
    result = draft(fake, notes=notes)
    assert len(fake.requests) == 2  # the plan and the one section with notes
    for written in result.sections[1:]:
        assert written.backend == "offline" and written.body.startswith("【待补充】")
    assert "一是开展宣讲12场。二是发放资料3000份。" in result.document.text and flagged(result) == []


def test_sections_run_in_parallel_within_the_bound() -> None:
    active, peak, lock = [0], [0], threading.Lock()

    def slow(request: FakeRequest) -> str:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return echo_body(request.user_text)

    script = Script(sections={k: [slow] for k in (MEASURES, DUTY, PROBLEMS, PLANS)})
    result = draft(fake_for(script), concurrency=2)
    assert peak[0] == 2 and [s.backend for s in result.sections] == ["llm"] * 4


@pytest.mark.parametrize(
    ("answer", "body"),
    [
        ("```\n一、2025年推进法治政府建设的主要举措和成效\n(一) 强化学习\n正文一。\n### (二)畅通渠道\n正文二\n```",
         "（一）强化学习\n正文一。\n（二）畅通渠道\n正文二"),
        ("<think>先想想</think>主要举措和成效\n一、强化学习\n- 一是学习;二是考试", "（一）强化学习\n一是学习；二是考试"),
        ("（三）强化学习，筑牢根基\n**一是**学习。", "（一）强化学习，筑牢根基\n一是学习。"),
    ],
    ids=["fence-and-echoed-title", "think-bullets-level1", "renumbered-bold"],
)
def test_clean_body(answer: str, body: str) -> None:
    assert clean_body(answer, "2025年推进法治政府建设的主要举措和成效") == body


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("县信访局坚持自我革命，我局、我县持续推进。", []),
        ("我们认真开展学习，我觉得效果好。", ["第一人称“我们”", "第一人称“我”"]),
        ("老百姓满意度提升，搞了宣传。", ["口语词“搞”，改用“开展”", "口语词“老百姓”，改用“群众”"]),
    ],
)
def test_register_findings(text: str, found: list[str]) -> None:
    lines = register_rules().findings(text)
    assert len(lines) == len(found) and all(f in line for f, line in zip(sorted(found), sorted(lines)))


def test_unusable_and_plan_problems() -> None:
    assert unusable("正文" * 10, Completion(text="x", finish_reason="length")).en.startswith("answer cut off")  # type: ignore[union-attr]
    assert unusable("（一）强化学习\n一是组织学习6次，二是开展考试。", Completion(text="x")) is None
    schema = plan_schema([0, 1, 2], ["measures", "problems"])
    assert schema.__name__ == "PlanOut" and schema.model_json_schema() == plan_schema([7], ["duty"]).model_json_schema()
    bad = PlanOut.model_validate({"sections": [
        {"kind": "duty", "subsections": [{"title": "", "item_ids": [0, 0, 9]}]},
        {"kind": "measures", "subsections": [{"title": "第1条，太长太长太长太长太长太长太长太长", "item_ids": []}]}]})
    problems = "\n".join(plan_problems(bad, [0, 1, 2], ["measures", "problems"]))
    for expected in ("不存在的笔记编号：[9]", "重复分配", "遗漏的笔记编号（每条都必须分配）：[1, 2]", "部分 duty 不在本报告中",
                     "没有笔记", "小标题不能为空", "不含数字"):
        assert expected in problems
    assert json.loads(schema.model_validate(PLAN | {"sections": [
        {"kind": "measures", "subsections": [{"title": "（二）抓学习，强基础。", "item_ids": [0, 1]}]},
        {"kind": "problems", "subsections": [{"title": "", "item_ids": [2]}]}]}).model_dump_json())["sections"][0][
        "subsections"][0]["title"] == "抓学习，强基础"
