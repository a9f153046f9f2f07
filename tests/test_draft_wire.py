"""`aidraft draft --base-url …` over real HTTP: the local OpenAI-compatible stub on 127.0.0.1 answers
each section by content (llm/fake_models.py behaviours); the summary, check.json and the exit status
say which sections the model wrote and which it could not."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aidraft.bench.fake_server import FakeServer, Reply, chat_body
from aidraft.bench.responders import Scripted
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.draft.leaks import leaks
from aidraft.llm import fake_models
from aidraft.llm.base import ChatRequest, Completion, Message
from aidraft.settings import Settings
from support import QINGXI_DIR

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("AIDRAFT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AIDRAFT_CACHE_DIR", str(tmp_path / "cache"))


def behaving(default: Callable[[ChatRequest], Any], **by_title: Callable[[ChatRequest], Any]) -> Callable[[dict[str, Any]], Reply]:
    """A stub answer from a fake_models behaviour; ``by_title`` picks another one by section title."""

    def answer(body: dict[str, Any]) -> Reply:
        request = ChatRequest(messages=tuple(Message(role=m["role"], content=m["content"]) for m in body["messages"]))
        first_user = next(m.content for m in request.messages if m.role == "user")
        chosen = next((fn for key, fn in by_title.items() if key in first_user.split("\n")[0]), default)
        out = chosen(request)
        if isinstance(out, Completion):
            return Reply(body=chat_body(out.text, finish_reason=out.finish_reason or "stop"))
        return Reply(body=chat_body(out if isinstance(out, str) else json.dumps(out, ensure_ascii=False)))

    return answer


def draft(stub: FakeServer[Scripted], out: Path, *more: str) -> Any:
    args = ["draft", str(QINGXI_DIR / "notes-2025.md"), "--prior", str(QINGXI_DIR / "prior-2024.md"), "-o", str(out),
            "--base-url", stub.base_url, "--model", "m", "--no-review", *more]
    return runner.invoke(app, args)


def test_cli_drafts_over_the_wire_and_reruns_from_the_cache(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    openai_stub.responder.respond_with(behaving(fake_models.faithful))
    out = tmp_path / "out" / "report.docx"
    result = draft(openai_stub, out)
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "report.check.json").read_text(encoding="utf-8"))
    run = record["run"]
    assert (run["backend"], run["model"], run["model_calls"], run["cached_calls"]) == ("llm", "m", 5, 0)  # measures in 2 parts
    assert run["prompt_versions"]["draft_section"] == "4" and "draft_plan" not in run["prompt_versions"]
    assert [(s["provenance"], s["fallback"]) for s in record["sections"]] == [("model", False)] * 4
    assert record["check"]["summary"]["flagged"] == 0
    assert {n for s in record["sentences"] for n in s["note_ids"]} == {f"N{i}" for i in range(1, 18)}
    assert all(r["max_tokens"] == 3000 and r["model"] == "m" for r in openai_stub.requests)
    assert "model calls 5 (0 cached)" in result.output and result.output.count("— model") == 8  # progress + summary

    again = draft(openai_stub, tmp_path / "again.docx")
    assert again.exit_code == 0, again.output
    assert len(openai_stub.requests) == 5  # nothing new went over the wire
    assert (tmp_path / "again.md").read_text(encoding="utf-8") == out.with_suffix(".md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("flags", "concurrency", "timeout"), [
    ({"base_url": "http://127.0.0.1:8080/v1"}, 1, 600.0),
    ({"preset": "llamacpp"}, 1, 600.0),
    ({"preset": "ollama"}, 1, 600.0),
    ({"preset": "vllm"}, 4, 600.0),
    ({"preset": "deepseek"}, 4, 120.0),
    ({"base_url": "https://llm.example.cn/v1"}, 4, 120.0),
    ({"preset": "llamacpp", "concurrency": 3, "timeout_s": 30.0}, 3, 30.0),
])
def test_local_servers_default_to_one_request_and_a_long_timeout(flags: dict[str, Any], concurrency: int,
                                                                   timeout: float) -> None:
    settings = Settings.from_cli(**flags)
    assert (settings.concurrency, settings.timeout_s) == (concurrency, timeout)


@pytest.mark.parametrize("behaviour", ["echo_prompt", "retry_notice", "looping", "bogus_ids"])
def test_cli_says_which_sections_the_model_could_not_write_and_exits_1(
        openai_stub: FakeServer[Scripted], tmp_path: Path, behaviour: str) -> None:
    openai_stub.responder.respond_with(behaving(fake_models.faithful, 第一责任人=fake_models.MISBEHAVING[behaviour]))
    out = tmp_path / "report.docx"
    result = draft(openai_stub, out, "--no-cache")
    assert result.exit_code == 1, result.output
    assert "the model could not write 1 of 4 section(s)" in result.output
    record = json.loads((tmp_path / "report.check.json").read_text(encoding="utf-8"))
    duty = next(s for s in record["sections"] if "第一责任人" in s["title"])
    assert (duty["provenance"], duty["fallback"]) == ("offline", True) and "written offline" in duty["note"]
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert leaks(markdown) == []
    for phrase in ("上一次的回答", "没有通过核对", "请直接输出", "请输出", "请重写", "本部分标题", "写法："):
        assert phrase not in markdown
    for figure in ("3次", "5件", "3件"):  # the duty notes' figures, all kept
        assert figure in markdown


def test_timeout_hint_names_a_flag_draft_has(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", "--help"])
    assert "--timeout" in result.output and "--concurrency" in result.output and "--plan" in result.output


def test_cli_stops_on_a_rejected_key_with_one_line(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    openai_stub.responder.respond_with(lambda body: Reply(status=401, body={"error": {"message": "bad key", "code": "401"}}))
    out = tmp_path / "report.docx"
    result = draft(openai_stub, out)
    assert result.exit_code == 2
    assert "rejected the API key (401)" in result.output
    assert not out.exists()
