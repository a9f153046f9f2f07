"""The one fake OpenAI-compatible server: its own contract (request log, bounds, 404, dropped
connections) and the echoing responder, a model that repeats its prompt."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from aidraft.bench.fake_server import FakeServer, Reply, Request, chat_body
from aidraft.bench.responders import Echoing
from aidraft.errors import AidraftError
from aidraft.llm.base import Message, ModelConnectionError
from aidraft.llm.openai_chat import OpenAIChatModel
from aidraft.settings import Endpoint


def client(server: FakeServer, **options: object) -> OpenAIChatModel:
    endpoint = Endpoint(base_url=server.base_url, model="m", api_key=SecretStr("sk-fake"),
                        structured_methods=("json_mode",), is_local=True)
    return OpenAIChatModel(endpoint, timeout_s=5, max_retries=0, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("repeat", "max_tokens", "text", "finish"), [
    (1, None, "统计全年信访数据。", "stop"),
    (3, None, "统计全年信访数据。" * 3, "stop"),
    (3, 12, ("统计全年信访数据。" * 3)[:12], "length"),
])
def test_echoing_model_repeats_its_prompt(repeat: int, max_tokens: int | None, text: str, finish: str) -> None:
    with FakeServer(Echoing(repeat)) as server:
        model = client(server)
        model.max_continuations = 0
        answer = model.complete([Message.system("规则"), Message.user("统计全年信访数据。")], max_tokens=max_tokens)
    assert (answer.text, answer.finish_reason) == (text, finish)
    assert server.user_texts() == ["统计全年信访数据。"] and server.auth == ["Bearer sk-fake"]


def test_requests_past_the_bound_are_refused_and_logged() -> None:
    with FakeServer(lambda request: Reply(body=chat_body("好")), max_requests=2) as server:
        model = client(server)
        assert [model.complete([Message.user(str(i))]).text for i in range(2)] == ["好", "好"]
        with pytest.raises(AidraftError, match="418"):
            model.complete([Message.user("3")])
    assert len(server.requests) == 3 and server.paths == ["/v1/chat/completions"] * 3


def test_unknown_path_and_dropped_connection() -> None:
    def respond(request: Request) -> Reply | None:
        return Reply(drop=True) if request.is_chat else None

    with FakeServer(respond) as server:
        import urllib.error
        import urllib.request

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as missing:
            opener.open(server.base_url + "/models", timeout=5)
        assert missing.value.code == 404
        with pytest.raises(ModelConnectionError):
            client(server).complete([Message.user("你好")])
