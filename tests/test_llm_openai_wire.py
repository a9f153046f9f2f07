"""OpenAIChatModel against a real HTTP server (aidraft.bench.fake_server, Scripted responder) on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest
from aidraft.bench.fake_server import FakeServer
from aidraft.bench.responders import Scripted
from pydantic import BaseModel, SecretStr

from aidraft.errors import ConfigError
from aidraft.llm.base import (
    CONTINUE_PROMPT,
    ContentFilterError,
    Message,
    ModelConnectionError,
    ModelServerError,
    ModelTimeoutError,
    RateLimitedError,
    RequestRejectedError,
)
from aidraft.llm.openai_chat import OpenAIChatModel
from aidraft.llm.endpoint import Endpoint
from aidraft.llm.structured import complete_structured

SECRET = "sk-test-SECRET123"
ASK = [Message.system("你是起草助手。"), Message.user("写一句话。")]


class Verdict(BaseModel):
    """Whether a paragraph is usable."""

    ok: bool
    reason: str



def make_model(base_url: str, **options: Any) -> OpenAIChatModel:
    endpoint_fields: dict[str, Any] = {
        "base_url": base_url,
        "model": "stub-model",
        "api_key": SecretStr(SECRET),
        "structured_methods": ("json_schema", "function_calling", "json_mode"),
        "is_local": True,
        "preset": "qwen",
        "key_env": "DASHSCOPE_API_KEY",
    }
    endpoint_fields.update(options.pop("endpoint", {}))
    settings: dict[str, Any] = {"max_retries": 2, "backoff_initial_s": 0.01, "backoff_max_s": 0.05, "timeout_s": 5}
    return OpenAIChatModel(Endpoint(**endpoint_fields), **{**settings, **options})


def test_completes(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.reply("依法行政取得新进展。")
    answer = make_model(openai_stub.base_url, temperature=0.2).complete(ASK, max_tokens=300)
    assert (answer.text, answer.finish_reason, answer.model) == ("依法行政取得新进展。", "stop", "stub-model")
    assert (answer.prompt_tokens, answer.completion_tokens, answer.cached) == (11, 7, False)
    sent = openai_stub.last_request
    assert sent["model"] == "stub-model" and sent["temperature"] == 0.2
    assert sent["messages"] == [{"role": "system", "content": "你是起草助手。"}, {"role": "user", "content": "写一句话。"}]
    assert sent["max_tokens"] == 300 and "max_completion_tokens" not in sent


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_errors_are_retried(openai_stub: FakeServer[Scripted], status: int) -> None:
    openai_stub.responder.error(status, retry_after=0)
    openai_stub.responder.reply("好")
    assert make_model(openai_stub.base_url).complete(ASK).text == "好"
    assert len(openai_stub.requests) == 2


def test_retry_after_beats_backoff(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.error(429, retry_after=0)
    openai_stub.responder.reply("好")
    started = time.monotonic()
    make_model(openai_stub.base_url, backoff_initial_s=30, backoff_max_s=30).complete(ASK)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("status", "error"), [(429, RateLimitedError), (500, ModelServerError)])
def test_retries_are_bounded(openai_stub: FakeServer[Scripted], status: int, error: type[Exception]) -> None:
    for _ in range(3):
        openai_stub.responder.error(status, retry_after=0)
    with pytest.raises(error) as caught:
        make_model(openai_stub.base_url, max_retries=2).complete(ASK)
    assert len(openai_stub.requests) == 3
    assert "\n" not in caught.value.one_line()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("data_inspection_failed", "Input data may contain inappropriate content."),
        ("data_inspection_failed", "Output data may contain inappropriate content."),
        ("1301", "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语。"),
        ("invalid_request_error", "Content Exists Risk"),
    ],
)
def test_content_filter_is_not_retried(openai_stub: FakeServer[Scripted], code: str, message: str) -> None:
    openai_stub.responder.error(400, code=code, message=message)
    with pytest.raises(ContentFilterError) as caught:
        make_model(openai_stub.base_url).complete(ASK)
    assert len(openai_stub.requests) == 1
    assert message[:20] in caught.value.one_line()


def test_content_filter_fixture_shortcut(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.content_filter()
    with pytest.raises(ContentFilterError):
        make_model(openai_stub.base_url).complete(ASK)


def test_filtered_finish_reason(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.reply("", finish_reason="sensitive")  # GLM flags its own output this way
    with pytest.raises(ContentFilterError):
        make_model(openai_stub.base_url).complete(ASK)


def test_bad_key_names_the_variable_and_is_not_retried(openai_stub: FakeServer[Scripted], english: None) -> None:
    openai_stub.responder.error(401, code="invalid_api_key", message="Incorrect API key provided")
    with pytest.raises(ConfigError, match="rejected the API key") as caught:
        make_model(openai_stub.base_url).complete(ASK)
    assert "check DASHSCOPE_API_KEY or pass --api-key" in caught.value.one_line()
    assert SECRET not in caught.value.one_line()
    assert len(openai_stub.requests) == 1


def test_other_400_is_rejected_without_retry(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.error(400, code="invalid_parameter", message="temperature out of range")
    with pytest.raises(RequestRejectedError, match="temperature out of range"):
        make_model(openai_stub.base_url).complete(ASK)
    assert len(openai_stub.requests) == 1


def test_length_is_continued(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.reply("一、坚持党对法治政府建设的", finish_reason="length")
    openai_stub.responder.reply("全面领导。")
    answer = make_model(openai_stub.base_url).complete(ASK)
    assert answer.text == "一、坚持党对法治政府建设的全面领导。"
    assert answer.finish_reason == "stop" and answer.completion_tokens == 14
    follow_up = openai_stub.requests[1]["messages"]
    assert follow_up[-2:] == [
        {"role": "assistant", "content": "一、坚持党对法治政府建设的"},
        {"role": "user", "content": CONTINUE_PROMPT},
    ]


def test_continuation_is_bounded_on_the_wire(openai_stub: FakeServer[Scripted]) -> None:
    for _ in range(4):
        openai_stub.responder.reply("段", finish_reason="length")
    answer = make_model(openai_stub.base_url, max_continuations=2).complete(ASK)
    assert answer.text == "段段段" and answer.truncated
    assert len(openai_stub.requests) == 3


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("json_mode", {"response_format": {"type": "json_object"}}),
        ("json_schema", {"response_format": {"type": "json_schema"}}),
        ("function_calling", {"tool_choice": {"type": "function", "function": {"name": "Verdict"}}}),
    ],
)
def test_structured_request_shapes(openai_stub: FakeServer[Scripted], method: str, expected: dict[str, Any]) -> None:
    if method == "function_calling":
        openai_stub.responder.reply_tool_call("Verdict", {"ok": True, "reason": "符合要求"})
    else:
        openai_stub.responder.reply_json({"ok": True, "reason": "符合要求"})
    verdict = complete_structured(make_model(openai_stub.base_url), ASK, Verdict, methods=[method])
    assert verdict == Verdict(ok=True, reason="符合要求")
    sent = openai_stub.last_request
    for key, value in expected.items():
        assert {k: sent[key][k] for k in value} == value
    if method == "json_schema":
        assert sent["response_format"]["json_schema"]["schema"]["required"] == ["ok", "reason"]


def test_auto_tool_choice_for_glm(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.reply_tool_call("Verdict", {"ok": False, "reason": "缺数据"})
    model = make_model(openai_stub.base_url, endpoint={"tool_choice": "auto"})
    assert complete_structured(model, ASK, Verdict, methods=["function_calling"]).ok is False
    assert openai_stub.last_request["tool_choice"] == "auto"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "response_format json_schema is unavailable"),
        # llama.cpp's server: a request-validation failure comes back as a 500, once, not worth retrying
        (500, "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or 'json_object'"),
    ],
)
def test_rejected_method_falls_back_over_the_wire(openai_stub: FakeServer[Scripted], status: int, message: str) -> None:
    openai_stub.responder.error(status, code="invalid_request_error", message=message)
    openai_stub.responder.reply_json({"ok": True, "reason": "好"})
    model = make_model(openai_stub.base_url)
    assert complete_structured(model, ASK, Verdict, methods=["json_schema", "json_mode"]).ok
    assert [r.get("response_format", {}).get("type") for r in openai_stub.requests] == ["json_schema", "json_object"]


def test_truncated_json_mode_answer_is_returned_not_raised(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.reply('{"ok": true, "rea', finish_reason="length")
    openai_stub.responder.reply_json({"ok": True, "reason": "短一点"})
    verdict = complete_structured(make_model(openai_stub.base_url), ASK, Verdict, methods=["json_mode"])
    assert verdict.reason == "短一点"
    assert "截断" in openai_stub.requests[1]["messages"][-1]["content"]


def test_timeout(openai_stub: FakeServer[Scripted]) -> None:
    openai_stub.responder.reply("太慢", delay_s=1.0)
    with pytest.raises(ModelTimeoutError):
        make_model(openai_stub.base_url, timeout_s=0.2, max_retries=0).complete(ASK)


def test_connection_refused(english: None) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ModelConnectionError, match="cannot reach") as caught:
        make_model(f"http://127.0.0.1:{port}/v1", max_retries=1).complete(ASK)
    assert "local server running" in caught.value.one_line()


def test_langsmith_tracing_stays_off(openai_stub: FakeServer[Scripted], monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_core.tracers import langchain as lc_tracer

    monkeypatch.setenv("LANGSMITH_TRACING", "true")
    monkeypatch.setenv("LANGCHAIN_TRACING_V2", "true")
    created: list[object] = []
    original = lc_tracer.LangChainTracer.__init__

    def spy(self: object, *args: Any, **kwargs: Any) -> None:
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(lc_tracer.LangChainTracer, "__init__", spy)
    openai_stub.responder.reply("好")
    assert make_model(openai_stub.base_url).complete(ASK).text == "好"
    assert created == []


def test_repr_hides_the_key(openai_stub: FakeServer[Scripted]) -> None:
    model = make_model(openai_stub.base_url)
    assert SECRET not in repr(model)
    assert SECRET not in repr(model._llm)  # langchain keeps it as SecretStr too


def test_stub_fails_loudly_when_unscripted(openai_stub: FakeServer[Scripted]) -> None:
    with pytest.raises(RequestRejectedError, match="nothing scripted"):
        make_model(openai_stub.base_url).complete(ASK)


def test_stub_respond_with_callable(openai_stub: FakeServer[Scripted]) -> None:
    from aidraft.bench.fake_server import Reply, chat_body

    openai_stub.responder.respond_with(lambda body: Reply(body=chat_body("回声:" + body["messages"][-1]["content"])))
    assert make_model(openai_stub.base_url).complete(ASK).text == "回声:写一句话。"
    assert json.loads(json.dumps(openai_stub.user_texts())) == ["写一句话。"]


class _FakeHTTPError(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("x")
        self.response = type("R", (), {"headers": headers})()


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past: go now
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], seconds: float | None) -> None:
    from aidraft.llm.openai_chat import retry_after_seconds

    assert retry_after_seconds(_FakeHTTPError(headers)) == seconds
