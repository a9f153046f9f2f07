"""Response cache (hits make no calls, keys ignore the API key) and the model factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from aidraft.errors import ConfigError
from aidraft.llm.base import Completion, Message
from aidraft.llm.cache import CachedChatModel, cache_key
from aidraft.llm.factory import LazyChatModel
from aidraft.llm.fake import FakeChatModel
from aidraft.llm.openai_chat import OpenAIChatModel
from aidraft.llm.presets import key_env_names
from aidraft.llm.endpoint import Endpoint
from aidraft.settings import Settings

SECRET = "sk-test-SECRET123"
ASK = [Message(role="user", content="写一段总结。", prompt="draft_section@1")]


class Section(BaseModel):
    text: str


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("AIDRAFT_") or name in key_env_names():
            monkeypatch.delenv(name)


def test_hit_makes_zero_calls(tmp_path: Path) -> None:
    fake = FakeChatModel("第一次的回答")
    cached = CachedChatModel(fake, tmp_path)
    first = cached.complete(ASK)
    second = cached.complete(ASK)
    assert (first.cached, second.cached) == (False, True)
    assert second.text == "第一次的回答"
    assert len(fake.requests) == 1
    assert (cached.hits, cached.misses) == (1, 1)


def test_resume_after_crash_reads_what_the_last_run_stored(tmp_path: Path) -> None:
    CachedChatModel(FakeChatModel("已完成的章节"), tmp_path).complete(ASK)
    fresh = FakeChatModel()  # an empty queue would raise if the cache missed
    assert CachedChatModel(fresh, tmp_path).complete(ASK).text == "已完成的章节"
    assert fresh.requests == []


def _endpoint(key: str, **changes: Any) -> Endpoint:
    fields: dict[str, Any] = {
        "base_url": "https://api.deepseek.com/v1",
        "model": "deepseek-chat",
        "api_key": SecretStr(key),
        "structured_methods": ("json_mode",),
        "is_local": False,
    }
    return Endpoint(**{**fields, **changes})


def test_key_ignores_the_api_key(tmp_path: Path) -> None:
    models = [OpenAIChatModel(_endpoint(key)) for key in (SECRET, "sk-other-key")]
    keys = {cache_key(m.identity, ASK, temperature=m.temperature) for m in models}
    assert len(keys) == 1
    assert SECRET not in repr(models[0]) and SECRET not in str(models[0].identity)


def test_stored_entry_holds_no_secret(tmp_path: Path) -> None:
    inner = FakeChatModel("答", base_url="https://api.deepseek.com/v1")
    CachedChatModel(inner, tmp_path).complete(ASK)
    (entry,) = tmp_path.rglob("*.json")
    assert SECRET not in entry.read_text(encoding="utf-8")


BASE: dict[str, Any] = {"identity": {"base_url": "u", "model": "m"}, "messages": ASK}
VARIANTS: list[dict[str, Any]] = [
    {"identity": {"base_url": "u2", "model": "m"}},
    {"identity": {"base_url": "u", "model": "m2"}},
    {"messages": [Message(role="user", content="写两段总结。", prompt="draft_section@1")]},
    {"messages": [Message(role="user", content="写一段总结。", prompt="draft_section@2")]},
    {"json_schema": Section, "method": "json_mode"},
    {"temperature": 0.7},
    {"max_tokens": 512},
]


@pytest.mark.parametrize("change", VARIANTS)
def test_key_changes_with_everything_that_shapes_the_answer(change: dict[str, Any]) -> None:
    base = cache_key(BASE["identity"], BASE["messages"])
    merged = {**BASE, **change}
    assert cache_key(merged.pop("identity"), merged.pop("messages"), **merged) != base


def test_truncated_answers_are_not_stored(tmp_path: Path) -> None:
    fake = FakeChatModel(Completion(text="半", finish_reason="length"), "又一次", max_continuations=0)
    cached = CachedChatModel(fake, tmp_path)
    assert cached.complete(ASK).truncated
    assert cached.complete(ASK).text == "又一次"
    assert len(fake.requests) == 2


def test_corrupt_entry_is_a_miss_and_gets_replaced(tmp_path: Path) -> None:
    cached = CachedChatModel(FakeChatModel("新答案"), tmp_path)
    key = cache_key(cached.identity, ASK, temperature=cached.temperature)
    path = cached.path_for(key)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert cached.complete(ASK).text == "新答案"
    assert cached.complete(ASK).cached


def test_structured_calls_are_cached_per_schema(tmp_path: Path) -> None:
    fake = FakeChatModel('{"text": "a"}', '{"text": "b"}')
    cached = CachedChatModel(fake, tmp_path)
    assert cached.complete(ASK, json_schema=Section).text == '{"text": "a"}'
    assert cached.complete(ASK).text == '{"text": "b"}'  # plain call: different key
    assert cached.complete(ASK, json_schema=Section).cached


# --- factory ---------------------------------------------------------------------------------


def test_factory_offline_is_none() -> None:
    assert Settings().chat_model() is None


@pytest.mark.parametrize(("use_cache", "kind"), [(True, CachedChatModel), (False, LazyChatModel)])
def test_factory_builds_cached_endpoint(use_cache: bool, kind: type, tmp_path: Path) -> None:
    settings = Settings.from_cli(preset="deepseek", api_key=SECRET, use_cache=use_cache, cache_dir=tmp_path,
                                 mask_personal_data=False)  # masking wraps remote endpoints: see test_privacy
    model = settings.chat_model()
    assert isinstance(model, kind)
    assert model.identity == {"base_url": "https://api.deepseek.com/v1", "model": "deepseek-chat"}
    assert model.structured_methods == ("json_mode", "function_calling")
    assert SECRET not in repr(model)


def test_factory_missing_key() -> None:
    with pytest.raises(ConfigError, match="no API key for deepseek"):
        Settings.from_cli(preset="deepseek").chat_model()


# --- a cached rerun needs no client ------------------------------------------------------------

RERUN = """
import json, sys
from pydantic import SecretStr
from aidraft.llm.base import Message
from aidraft.settings import Settings
args = json.loads(sys.argv[1])
settings = Settings(base_url=args["base_url"], model="m", api_key=SecretStr("sk-x"), cache_dir=args["cache"])
model = settings.chat_model()
answer = model.complete([Message(**m) for m in args["messages"]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("openai", "langchain_core", "langchain_openai",
                                                              "langsmith", "tiktoken", "httpx"))
print(json.dumps({"text": answer.text, "cached": answer.cached, "heavy": heavy}))
"""


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9/v1", "https://api.example.com/v1"])  # local; masked
def test_cached_rerun_builds_no_client_and_imports_no_langchain(base_url: str, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    settings = Settings(base_url=base_url, model="m", api_key=SecretStr("sk-x"), cache_dir=tmp_path)
    endpoint = settings.resolve_endpoint()
    first = FakeChatModel("上一次的回答", base_url=base_url, model="m", temperature=settings.temperature,
                          structured_methods=endpoint.structured_methods)
    CachedChatModel(first, tmp_path / "").complete(ASK)  # what the first run stored
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    args = json.dumps({"base_url": base_url, "cache": str(tmp_path),
                       "messages": [m.model_dump(mode="json") for m in ASK]})
    proc = subprocess.run([sys.executable, "-c", RERUN, args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"text": "上一次的回答", "cached": True, "heavy": []}


def test_a_cache_miss_builds_the_real_client_once(tmp_path: Path) -> None:
    settings = Settings(base_url="http://127.0.0.1:9/v1", model="m", cache_dir=tmp_path, temperature=0.3)
    model: Any = settings.chat_model()
    lazy = model.inner
    assert isinstance(lazy, LazyChatModel) and not lazy.built
    client = lazy.model()
    assert isinstance(client, OpenAIChatModel) and lazy.model() is client
    assert (client.identity, client.structured_methods, client.temperature) == (
        lazy.identity, lazy.structured_methods, lazy.temperature)
    assert client.max_output_tokens == settings.max_output_tokens
