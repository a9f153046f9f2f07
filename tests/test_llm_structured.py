"""Structured output (fallback, re-ask, lenient JSON) and the FakeChatModel / continuation seam."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from aidraft.llm.base import (
    CONTINUE_PROMPT,
    Completion,
    ContentFilterError,
    Message,
    ModelOutputError,
    StructuredOutputUnsupported,
)
from aidraft.llm.fake import FakeChatModel, FakeQueueEmpty, FakeRequest
from aidraft.llm.structured import complete_structured, extract_json, remembered_method


class Outline(BaseModel):
    """Section outline."""

    title: str
    points: list[str]


VALID = {"title": "一、主要举措", "points": ["健全依法决策机制", "深化行政执法改革"]}
ASK = [Message.system("你是报告起草助手。"), Message.user("请给出提纲。")]



def test_garbage_then_wrong_then_valid_is_parsed_with_errors_fed_back() -> None:
    fake = FakeChatModel("这不是 JSON", {"wrong": 1}, VALID)
    result = complete_structured(fake, ASK, Outline, methods=["json_mode"])
    assert result == Outline(**VALID)
    assert len(fake.requests) == 3
    second, third = fake.requests[1], fake.requests[2]
    assert "no JSON object found" in second.user_text
    assert "这不是 JSON" in [m.content for m in second.messages if m.role == "assistant"]
    assert "title: Field required" in third.user_text and "points: Field required" in third.user_text
    assert all(r.json_schema is Outline and r.method == "json_mode" for r in fake.requests)


def test_gives_up_after_max_attempts_with_one_line() -> None:
    fake = FakeChatModel("x", "y", "z")
    with pytest.raises(ModelOutputError) as caught:
        complete_structured(fake, ASK, Outline, methods=["json_mode"], max_attempts=3)
    line = caught.value.one_line("en")
    assert line.startswith("the model returned invalid JSON 3 times for Outline")
    assert caught.value.one_line("zh").startswith("模型 3 次返回的都不是合法的 Outline JSON")
    assert "\n" not in line
    assert fake.pending == 0
    assert (caught.value.last_answer, caught.value.attempts) == ("z", 3)


@pytest.mark.parametrize(
    ("method", "needle"),
    [("json_mode", '"points"'), ("function_calling", "请调用工具 Outline"), ("json_schema", None)],
)
def test_instructions_per_method(method: str, needle: str | None) -> None:
    fake = FakeChatModel(VALID)
    complete_structured(fake, ASK, Outline, methods=[method])
    system = fake.requests[0].system_text
    assert system.startswith("你是报告起草助手。")
    if needle is None:
        assert system == "你是报告起草助手。"
    else:
        assert needle in system
    if method == "json_mode":
        assert "JSON" in system  # DeepSeek refuses json_object unless the prompt says "json"


def test_falls_back_on_rejected_method_and_remembers_it() -> None:
    fake = FakeChatModel(StructuredOutputUnsupported("json_schema not supported"), VALID, VALID)
    complete_structured(fake, ASK, Outline, methods=["json_schema", "function_calling", "json_mode"])
    assert [r.method for r in fake.requests] == ["json_schema", "function_calling"]
    assert remembered_method(fake) == "function_calling"
    complete_structured(fake, ASK, Outline, methods=["json_schema", "function_calling", "json_mode"])
    assert fake.requests[-1].method == "function_calling"  # no re-probing


def test_all_methods_rejected(english: None) -> None:
    fake = FakeChatModel(StructuredOutputUnsupported("no"), StructuredOutputUnsupported("nope"))
    with pytest.raises(StructuredOutputUnsupported, match="none of json_schema, json_mode"):
        complete_structured(fake, ASK, Outline, methods=["json_schema", "json_mode"])


def test_other_errors_are_not_swallowed() -> None:
    fake = FakeChatModel(ContentFilterError("blocked"))
    with pytest.raises(ContentFilterError):
        complete_structured(fake, ASK, Outline, methods=["json_mode"])


def test_unknown_method_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        complete_structured(FakeChatModel(), ASK, Outline, methods=["xml"])


def test_truncated_json_is_reasked_not_continued() -> None:
    fake = FakeChatModel(Completion(text='{"title": "一、', finish_reason="length"), VALID)
    assert complete_structured(fake, ASK, Outline, methods=["json_mode"]).title == "一、主要举措"
    assert "截断" in fake.requests[1].user_text
    assert CONTINUE_PROMPT not in fake.requests[1].user_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('好的，结果如下：\n```\n{"a": "}"}\n```\n以上。', {"a": "}"}),
        ('结果是 {"a": [1, 2]} ，请查收。', {"a": [1, 2]}),
        ('<think>先想想 {不是json}</think>{"a": 2}', {"a": 2}),
        ('[{"a": 1}]', [{"a": 1}]),
        ('说明 {坏的} 然后 {"a": 3}', {"a": 3}),
    ],
)
def test_extract_json_is_lenient(text: str, expected: object) -> None:
    assert extract_json(text) == expected


@pytest.mark.parametrize(("text", "message"), [("完全没有", "no JSON object"), ('{"a": ', "Expecting value")])
def test_extract_json_failures(text: str, message: str) -> None:
    with pytest.raises(json.JSONDecodeError, match=message):
        extract_json(text)


# --- FakeChatModel and the shared continuation behaviour -------------------------------------


def test_fake_records_requests_and_accepts_many_kinds() -> None:
    fake = FakeChatModel().enqueue("文本", Outline(**VALID), {"k": "值"}, lambda req: f"echo:{req.user_text}")
    texts = [fake.complete([Message.user(f"q{i}")]).text for i in range(4)]
    assert texts[0] == "文本"
    assert json.loads(texts[1]) == VALID
    assert json.loads(texts[2]) == {"k": "值"}
    assert texts[3] == "echo:q3"
    assert [r.user_text for r in fake.requests] == ["q0", "q1", "q2", "q3"]
    assert isinstance(fake.last_request, FakeRequest)


def test_fake_empty_queue_is_loud() -> None:
    fake = FakeChatModel("one")
    fake.complete([Message.user("first")])
    with pytest.raises(FakeQueueEmpty, match=r"request #2 .*'second'.*enqueue"):
        fake.complete([Message.user("second")])


@pytest.mark.parametrize("error", [ContentFilterError("blocked"), ContentFilterError])
def test_fake_raises_queued_exceptions(error: object) -> None:
    with pytest.raises(ContentFilterError):
        FakeChatModel(error).complete(ASK)


def test_length_is_continued_and_concatenated() -> None:
    fake = FakeChatModel(Completion(text="一、坚持", finish_reason="length", completion_tokens=5), "党的领导。")
    answer = fake.complete(ASK)
    assert (answer.text, answer.finish_reason, answer.completion_tokens) == ("一、坚持党的领导。", "stop", 5)
    follow_up = fake.requests[1].messages
    assert follow_up[-2] == Message.assistant("一、坚持")
    assert follow_up[-1] == Message.user(CONTINUE_PROMPT)


@pytest.mark.parametrize(("max_continuations", "calls"), [(0, 1), (1, 2), (2, 3)])
def test_continuation_is_bounded(max_continuations: int, calls: int) -> None:
    cut = Completion(text="段", finish_reason="length")
    fake = FakeChatModel(cut, cut, cut, cut, max_continuations=max_continuations)
    answer = fake.complete(ASK)
    assert answer.truncated
    assert answer.text == "段" * calls
    assert len(fake.requests) == calls


def test_max_output_tokens_caps_every_request() -> None:
    fake = FakeChatModel("一", "二")
    fake.max_output_tokens = 50
    fake.complete([Message.user("写")], max_tokens=3000)
    fake.complete([Message.user("写")])
    assert [r.max_tokens for r in fake.requests] == [50, 50]


def test_method_memory_belongs_to_each_model() -> None:
    """Two endpoints with the same identity do not share what the other accepted."""
    first = FakeChatModel(StructuredOutputUnsupported("no json_schema"), {"title": "a", "points": []},
                          structured_methods=("json_schema", "json_mode"))
    second = FakeChatModel(structured_methods=("json_schema", "json_mode"))
    complete_structured(first, ASK, Outline)
    assert remembered_method(first) == "json_mode"
    assert remembered_method(second) is None
