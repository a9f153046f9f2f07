"""The LLM drafter against scripted fake models, good and misbehaving (llm/fake_models.py): whatever
the model does, the shipped report holds no prompt text, keeps every note and figure, and each
section says who wrote it (model / model after repair / offline and why). No network anywhere."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aidraft.check.model import FLAGGED
from aidraft.draft.assemble import report_title
from aidraft.draft.leaks import MARKERS, Instructions, leaks
from aidraft.draft.llm_drafter import LLMDrafter, Progress, split_section
from aidraft.draft.llm_section import SectionDraft, SentenceOut, note_label, render_body
from aidraft.draft.llm_verify import SectionVerifier
from aidraft.draft.pipeline import DraftResult, resolve_inputs, run_draft
from aidraft.draft.plan import PlannedSection, PlannedSubsection
from aidraft.draft.review import ReviewOut, review_sections
from aidraft.draft.self_reference import party_body
from aidraft.errors import ConfigError
from aidraft.figures.extract import extract_figures
from aidraft.parse.notes import NoteItem, parse_notes, read_notes
from aidraft.llm import fake_models
from aidraft.llm.base import ChatRequest, ContentFilterError, ContextTooLongError, Message
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.fake import FakeChatModel
from aidraft.parse.document import SectionKind
from aidraft.parse.structure import parse_file
from aidraft.settings import Settings
from support import QINGXI_DIR

MEASURES, DUTY, PROBLEMS, PLANS = "主要举措", "第一责任人", "不足", "工作安排"
OTHER_NOTES = """---
office: 河西区司法局
year: 2025
---
# 主要举措和成效
- 组织全局干部参加学法考试，参考率100%
- 办理行政复议案件46件，纠错率8.7%
- 开展“法律明白人”培训12期，培训2300余人次
# 第一责任人
- 局长带头讲法治课2次
# 存在的不足
- 基层法律服务力量不足
# 明年
- 推进行政执法协调监督
"""

Answer = Any


def by_title(table: dict[str, list[Answer]], default: Callable[[ChatRequest], Any] = fake_models.faithful
             ) -> Callable[[ChatRequest], Any]:
    """Answers by the section named in the request, so concurrent sections get the right ones in
    any order; each list is consumed in turn (its last answer repeats)."""
    lock = threading.Lock()

    def respond(request: ChatRequest) -> Any:
        first_user = next(m.content for m in request.messages if m.role == "user")
        title = re.search(r"本部分标题：(.+)", first_user).group(1)  # type: ignore[union-attr]
        answers = next((a for key, a in table.items() if key in title), None)
        if not answers:
            return default(request)
        with lock:
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, BaseException) or (isinstance(answer, type) and issubclass(answer, BaseException)):
            raise answer if isinstance(answer, BaseException) else answer("scripted")
        return answer(request) if callable(answer) else answer

    return respond


def fake(respond: Callable[[ChatRequest], Any], calls: int = 60) -> FakeChatModel:
    return FakeChatModel(*[respond] * calls)


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, english: None) -> None:
    """No AIDRAFT_* setting from the environment; section notes in English, as the CLI writes them."""
    for name in [n for n in __import__("os").environ if n.startswith("AIDRAFT_")]:
        monkeypatch.delenv(name)


def draft(model: Any, *, concurrency: int = 4, notes: Path | str = QINGXI_DIR / "notes-2025.md", prior: bool = True,
          progress: Callable[[Progress], None] | None = None, repair: int = 1, review: bool = False) -> DraftResult:
    parsed = parse_notes(notes, "notes.md") if isinstance(notes, str) else read_notes(notes)
    priors = [parse_file(QINGXI_DIR / "prior-2024.md")] if prior else []
    inputs = resolve_inputs(parsed, priors, None, None)
    settings = Settings(concurrency=concurrency, max_repair_rounds=repair, review=review)
    return run_draft(inputs, LLMDrafter(model, settings, progress=progress), path="draft")


def parts(result: DraftResult) -> int:
    """Requests a draft needs when every answer is accepted: one per part of each section."""
    return sum(len(split_section(s)) for s in result.plan.sections)


def section(result: DraftResult, fragment: str) -> Any:
    return next(s for s in result.sections if fragment in s.title)


def prompt_text_in(result: DraftResult, model: FakeChatModel) -> list[str]:
    """Prompt text of any kind in the shipped report: markers, labels, or a run copied from the
    instructions of any request the run sent."""
    text = result.document.text
    found = [leak.text for leak in leaks(text)]
    material = [report_title(result.plan), result.plan.office, *(s.title for s in result.plan.sections),
                *(sub.title for s in result.plan.sections for sub in s.subsections)]
    for request in model.requests:
        if request.json_schema is ReviewOut:  # the review request carries the report itself as material
            continue
        lines = [m for m in request.messages if m.role in ("system", "user")]
        instructions = Instructions([Message.user(re.sub(r"(?m)^N\d+：.*$|<<<.*?>>>|【范例.*?(?=【范例|\Z)", "",
                                                         "\n".join(m.content for m in lines), flags=re.S))], material)
        if copied := instructions.copied(text):
            found.append(copied)
    return found


def notes_kept(result: DraftResult, notes_text: str) -> list[str]:
    """Figures of the notes that the report does not state (as text)."""
    missing = Counter(f.text for f in extract_figures(notes_text)) - Counter(
        f.text for f in extract_figures(result.document.text))
    return sorted(missing.elements())


# --- the three promises, for every misbehaving model ------------------------------------------------


@pytest.mark.parametrize("behaviour", sorted(fake_models.MISBEHAVING))
@pytest.mark.parametrize("notes", [QINGXI_DIR / "notes-2025.md", OTHER_NOTES], ids=["qingxi", "hexi"])
def test_misbehaving_model_ships_no_prompt_text_keeps_every_note_says_offline(behaviour: str, notes: Any) -> None:
    model = fake(fake_models.MISBEHAVING[behaviour])
    result = draft(model, notes=notes, prior=isinstance(notes, Path), review=True)
    notes_text = notes if isinstance(notes, str) else notes.read_text(encoding="utf-8")
    assert prompt_text_in(result, model) == []
    assert notes_kept(result, notes_text) == []
    items = {note_label(i): item for i, item in enumerate(parse_notes(notes_text, "n").items)}
    harmless = behaviour == "drop_figures"  # a section whose notes hold no figure loses nothing
    expect = [s.title for s, planned in zip(result.sections, result.plan.sections) if planned.item_ids and not (
        harmless and not any(extract_figures(items[note_label(i)].text) for i in planned.item_ids))]
    offline = [s.title for s in result.sections if s.provenance == "offline" and s.fallback and "written offline" in s.note]
    assert expect and offline == expect, [(s.title, s.provenance, s.note) for s in result.sections]
    written = [s for s in result.sections if s.title in expect]
    assert [f.text for f in result.check.figures if f.status in FLAGGED] == []
    # one first answer and one re-ask per part, and the review when a model wrote anything: never more
    assert len(model.requests) <= 2 * parts(result) + 1


@pytest.mark.parametrize("notes", [QINGXI_DIR / "notes-2025.md", OTHER_NOTES], ids=["qingxi", "hexi"])
def test_faithful_model_is_accepted_first_time(notes: Any) -> None:
    model = fake(fake_models.faithful)
    result = draft(model, notes=notes, prior=isinstance(notes, Path))
    notes_text = notes if isinstance(notes, str) else notes.read_text(encoding="utf-8")
    with_notes = [s for s in result.sections if "【待补充】" not in s.body]
    assert {s.provenance for s in with_notes} == {"model"} and not any(s.fallback for s in result.sections)
    assert len(model.requests) == parts(result) >= len(with_notes)
    assert prompt_text_in(result, model) == [] and notes_kept(result, notes_text) == []


@pytest.mark.parametrize("first", ["echo_prompt", "echo_prompt_json", "bogus_ids", "drop_figures", "invented_figure",
                                   "looping", "english"])
def test_one_reask_with_the_reason_then_model_after_repair(first: str) -> None:
    model = fake(by_title({DUTY: [fake_models.MISBEHAVING[first], fake_models.faithful]}))
    result = draft(model)
    duty = section(result, DUTY)
    assert (duty.provenance, duty.fallback) == ("repaired", False) and duty.note.startswith("repaired: ")
    reask = [r for r in model.requests if DUTY in r.messages[1].content and len(r.messages) > 2]
    assert len(reask) == 1 and "没有通过核对" in reask[0].user_text
    assert reask[0].messages[-2].role == "assistant"
    assert {s.provenance for s in result.sections if DUTY not in s.title and "【待补充】" not in s.body} == {"model"}


@pytest.mark.parametrize(("scripted", "why"), [
    (ContentFilterError("refused by the filter"), "refused by the filter"),  # the answer, not the endpoint
])
def test_endpoint_errors_fall_back_for_that_section_alone(scripted: Exception, why: str) -> None:
    """A refusal of one section's content sends that section alone offline; a dead endpoint trips the
    run's breaker instead (tests/test_llm_breaker.py)."""
    result = draft(fake(by_title({PROBLEMS: [scripted]})))
    problems = section(result, PROBLEMS)
    assert problems.provenance == "offline" and problems.fallback and why in problems.note
    assert all(s.provenance == "model" for s in result.sections if s is not problems)


def test_reask_reasons_name_what_was_wrong() -> None:
    model = fake(by_title({MEASURES: [fake_models.bogus_ids, fake_models.faithful]}))
    draft(model)
    reasks = [r.user_text for r in model.requests if MEASURES in r.messages[1].content and len(r.messages) > 2]
    assert reasks and all("引用了本部分没有的笔记编号：N900" in text for text in reasks)
    assert all(re.search(r"遗漏了笔记 N\d+(、N\d+)*，每一条都必须写到", text) for text in reasks)


def test_config_error_stops_the_run_and_a_rerun_resumes_from_the_cache(tmp_path: Path) -> None:
    first = fake(by_title({PLANS: [ConfigError("endpoint rejected the API key (401)")]}))
    with pytest.raises(ConfigError, match="401"):
        draft(CachedChatModel(first, tmp_path), concurrency=1)
    asked = parts(draft(FakeChatModel(*[fake_models.faithful] * 20)))
    assert len(first.requests) == asked  # every part once, the last one refused: no plan request
    second = fake(fake_models.faithful)
    result = draft(CachedChatModel(second, tmp_path), concurrency=1)
    assert [PLANS in r.user_text for r in second.requests] == [True]
    assert (result.run.model_calls, result.run.cached_calls) == (1, asked - 1)
    third = FakeChatModel()  # empty queue: any call would fail the test
    again = draft(CachedChatModel(third, tmp_path))
    assert third.requests == [] and (again.run.model_calls, again.run.cached_calls) == (0, asked)
    assert again.document.text == result.document.text


def test_a_rejected_cached_answer_is_asked_again_past_the_cache(tmp_path: Path) -> None:
    """A rerun after the model (or the checker) changed must not replay a rejection from the cache."""
    bad = fake(by_title({DUTY: [fake_models.MISBEHAVING["invented_figure"]] * 2}))
    first = draft(CachedChatModel(bad, tmp_path), concurrency=1)
    assert section(first, DUTY).fallback
    good = fake(fake_models.faithful)
    second = draft(CachedChatModel(good, tmp_path), concurrency=1)
    duty = section(second, DUTY)
    assert (duty.provenance, duty.fallback) == ("model", False)
    assert [DUTY in r.messages[1].content for r in good.requests] == [True]  # only the rejected part, fresh
    assert any("a cached answer was rejected" in e for e in second.run.events)
    third = FakeChatModel()  # the fresh answer replaced the cached one: nothing left to ask
    again = draft(CachedChatModel(third, tmp_path), concurrency=1)
    assert third.requests == [] and not section(again, DUTY).fallback


def test_long_example_is_left_out_when_the_prompt_is_too_long() -> None:
    model = fake(by_title({DUTY: [ContextTooLongError("too long"), fake_models.faithful]}))
    result = draft(model)
    duty = [r.user_text for r in model.requests if DUTY in r.user_text]
    assert ["参考范文" in text for text in duty] == [True, False]
    assert section(result, DUTY).provenance == "model"
    assert any("left out, the prompt was too long" in e for e in result.run.events)


def test_sections_run_in_parallel_within_the_bound() -> None:
    active, peak, lock = [0], [0], threading.Lock()

    def slow(request: ChatRequest) -> Any:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return fake_models.faithful(request)

    seen: list[Progress] = []
    result = draft(fake(slow), concurrency=2, progress=seen.append)
    assert peak[0] == 2 and [s.provenance for s in result.sections] == ["model"] * 4
    assert sorted(p.done for p in seen) == [1, 2, 3, 4] and {p.stage for p in seen} == {"section"}


# --- the verifier and the renderer, table-driven ------------------------------------------------------

ITEMS = {0: NoteItem(id=0, text="开展宣讲12场，发放资料3000份", line=1),
         1: NoteItem(id=1, text="化解信访积案5件", line=2),
         2: NoteItem(id=2, text="网上信访质效有待提升", line=3)}
SECTION = PlannedSection(kind=SectionKind.measures, title="主要举措和成效", subsections=[
    PlannedSubsection(topic="a", title="深化普法宣传，营造法治氛围", item_ids=[0]),
    PlannedSubsection(topic="b", title="攻坚信访积案，推动案结事了", item_ids=[1, 2])])
PROMPT = [Message.system("你是公文写作人员。每句话都要在 notes 中列出它所写的笔记编号，不得编造。"),
          Message.user("写法：每个小标题下写一段。\n【工作笔记开始】\nN1：开展宣讲12场，发放资料3000份\n【工作笔记结束】\n"
                       "请直接输出本部分的正文，不要任何说明。")]


def answer(*paragraphs: list[tuple[str, list[str]]]) -> SectionDraft:
    return SectionDraft.model_validate({"paragraphs": [
        {"sentences": [{"text": t, "notes": n} for t, n in p]} for p in paragraphs]})


GOOD = [("坚持普法与化解并重。", []), ("开展宣讲12场，发放资料3000份。", ["N1"]),
        ("化解信访积案5件。", ["N2"]), ("网上信访质效有待提升。", ["N3"])]


@pytest.mark.parametrize(("sentences", "found"), [
    (GOOD, []),
    ([("开展宣讲10余场，发放资料3000份。", ["N1"]), *GOOD[2:]], []),  # a faithful rounding is kept
    ([("开展宣讲15场，发放资料3000份。", ["N1"]), *GOOD[2:]], ["figures 15场", "N1: left out figures 12场"]),
    ([("开展宣讲12场。", ["N1"]), *GOOD[2:]], ["N1: left out figures 3000份"]),
    ([GOOD[1], GOOD[2]], ["left out notes N3"]),
    ([*GOOD, ("另有调解室9个。", [])], ["uncited sentence states facts (9个)"]),
    ([*GOOD, ("推广“三访合一”工作法。", [])], ["uncited sentence states facts (“三访合一”)"]),
    ([*GOOD[:3], ("网上信访质效有待提升。", ["N3", "N7"])], ["not this section's: N7"]),
    # a cited sentence says no more than its notes: no new practice, title or claim, never another note
    ([GOOD[0], ("开展宣讲12场，发放资料3000份，在全省率先建立“法治体检”制度。", ["N1"]), *GOOD[2:]],
     ["do not: “法治体检”、率先"]),
    ([GOOD[0], ("开展宣讲12场，发放资料3000份，宣传《信访工作条例》。", ["N1"]), *GOOD[2:]], ["《信访工作条例》"]),
    ([*GOOD[:2], ("化解信访积案5件。", ["N2"]), ("推进公共法律服务平台建设。", ["N3"])], ["shares nothing with the cited notes N3"]),
    ([*GOOD[:3], ("网上信访办理质量和效率仍有待进一步提升。", ["N3"])], []),  # a paraphrase keeps its words
    ([*GOOD, ("请直接输出本部分的正文。", [])], ["prompt text in the answer: instruction"]),
    ([*GOOD, ("详见笔记3。", [])], ["prompt text in the answer: label"]),
    ([*GOOD, ("写法：坚持依法办事。", [])], ["prompt text in the answer: instruction '写法：'"]),
    ([*GOOD, ("【工作笔记结束】", [])], ["prompt text in the answer: marker"]),
    ([*GOOD, ("每句话都要在notes中列出它所写的笔记编号。", [])], ["instruction"]),
    ([("The office held 12 sessions.", ["N1"])], ["no Chinese"]),
    ([*GOOD, *[("持续推进法治建设工作。", [])] * 3], ["repeated 3 times"]),
])
def test_verifier(sentences: list[tuple[str, list[str]]], found: list[str]) -> None:
    verifier = SectionVerifier(SECTION, ITEMS, Instructions(PROMPT, [i.text for i in ITEMS.values()]))
    problems = [p.en for p in verifier.verify(answer(sentences)) if p.hard]
    assert len(problems) == len(found), problems
    for problem, expected in zip(problems, found):
        assert expected in problem


def test_render_body_places_paragraphs_under_the_headings_they_cite() -> None:
    body, traced = render_body(answer(GOOD[2:], GOOD[:2]), SECTION)
    assert [(t.kind, t.note_ids) for t in traced] == [("fact", ["N2"]), ("fact", ["N3"]), ("connective", []),
                                                      ("fact", ["N1"])]
    assert body.split("\n") == ["（一）深化普法宣传，营造法治氛围", "坚持普法与化解并重。开展宣讲12场，发放资料3000份。",
                                "（二）攻坚信访积案，推动案结事了", "化解信访积案5件。网上信访质效有待提升。"]


@pytest.mark.parametrize(("office", "party"), [
    ("青溪县信访局", "局党组"), ("城南区信访办", "办党组"), ("临江市人民政府信访办公室", "办党组"),
    ("西岭市信访事项服务中心", "中心党委"), ("东山县市场监督管理局", "局党组"), ("某县发展和改革委员会", "委党组"),
])
def test_self_reference_follows_the_office(office: str, party: str) -> None:
    assert party_body(office) == party


def test_section_prompt_names_the_office_body_and_labels_notes() -> None:
    model = fake(fake_models.faithful)
    draft(model, notes=OTHER_NOTES.replace("河西区司法局", "河西区信访办"), prior=False)
    system = model.requests[0].system_text
    assert "“办党组”" in system and "局党组" not in system.split("范例")[0]
    assert any(re.search(r"(?m)^N1：", r.user_text) for r in model.requests) and note_label(0) == "N1"


@pytest.mark.parametrize(("sizes", "most", "groups"), [
    ([2, 3, 1], 5, [[2, 3], [1]]),
    ([6, 1], 5, [[6], [1]]),
    ([1, 1, 1], 5, [[1, 1, 1]]),
    ([2, 0, 2], 3, [[2], [2]]),
    ([], 5, []),
])
def test_split_section_groups_whole_subsections(sizes: list[int], most: int, groups: list[list[int]]) -> None:
    ids = iter(range(100))
    subs = [PlannedSubsection(topic="t", title=f"小标题{n}", item_ids=[next(ids) for _ in range(size)])
            for n, size in enumerate(sizes)]
    found = split_section(PlannedSection(kind=SectionKind.measures, title="t", subsections=subs), most)
    assert [[len(sub.item_ids) for sub in part.subsections] for part in found] == groups


def test_review_drops_a_repeated_connective_and_keeps_only_quoted_model_findings() -> None:
    repeated = "坚持以人民为中心，推动信访工作法治化取得新成效。"

    def with_lead(request: ChatRequest) -> Any:
        if request.json_schema is ReviewOut:
            return {"findings": [{"section": 1, "sentence": "开展矛盾纠纷排查4轮", "kind": "jotting"},
                                 {"section": 2, "sentence": "这句话不在报告里", "kind": "repetition"}]}
        answer = fake_models.faithful(request)
        answer["paragraphs"][0]["sentences"].insert(0, {"text": repeated, "notes": []})
        return answer

    result = draft(fake(with_lead), review=True, concurrency=1)
    assert result.document.text.count(repeated) == 1  # kept where it first stood, dropped after
    review = result.run.review
    repeats = [(f.source, f.fixed) for f in review if f.kind == "repetition"]
    assert repeats == [("code", True)] * (parts(result) - 1)  # one copy per section part, the first kept
    assert [(f.text, f.source) for f in review if f.source == "model"] == [("开展矛盾纠纷排查4轮", "model")]


@pytest.mark.parametrize(("body", "kinds"), [
    ("（一）强化理论武装，筑牢法治根基\n开展宣讲12场。", []),
    ("（一）学习\n开展宣讲12场。", ["heading"]),
    ("（一）强化理论武装，筑牢法治根基\n明年：开展宣讲12场。", ["jotting"]),
    ("（一）强化理论武装，筑牢法治根基\n宣讲/培训12场。", ["jotting"]),
    ("（一）强化理论武装，筑牢法治根基\n详见笔记3。", ["leak"]),
])
def test_review_code_checks(body: str, kinds: list[str]) -> None:
    from aidraft.draft.write_offline import WrittenSection

    _, found = review_sections([WrittenSection(kind=SectionKind.measures, title="主要举措", body=body)])
    assert [f.kind for f in found] == kinds


def test_heading_echoes_are_dropped_not_shipped_twice() -> None:
    result = draft(fake(fake_models.heading_echo))
    measures = section(result, MEASURES)
    assert measures.provenance == "model"
    lines = measures.body.split("\n")
    headings = [line for line in lines if line.startswith("（")]
    assert len(headings) == len(set(headings)) and all(h.count("，") == 1 for h in headings)
    assert not any(line.startswith("（一）") and line.endswith("。") for line in lines)


@pytest.mark.parametrize(("given", "read"), [
    (["N3"], ["N3"]), ([3], ["N3"]), (["笔记3"], ["N3"]), (["n4"], ["N4"]), ("N5、N6", ["N5", "N6"]),
    (["X1"], ["X1"]), ([], []),
])
def test_cited_ids_are_read_leniently_but_never_invented(given: Any, read: list[str]) -> None:
    assert SentenceOut(text="句。", notes=given).notes == read
