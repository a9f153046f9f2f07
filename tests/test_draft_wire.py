"""`aidraft draft --backend openai` over real HTTP: the local OpenAI-compatible stub on 127.0.0.1
answers the plan and each section by content (requests arrive concurrently, in any order)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aidraft.bench.fake_server import FakeServer, Reply, chat_body
from aidraft.bench.responders import Scripted
from test_llm_drafter import INVENTED, MEASURES, PLAN, echo_body
from typer.testing import CliRunner

from aidraft.cli.app import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "qingxi"
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("AIDRAFT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AIDRAFT_CACHE_DIR", str(tmp_path / "cache"))


def last_user(body: dict[str, Any]) -> str:
    return next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")


def router(extra: dict[str, str] | None = None) -> Callable[[dict[str, Any]], Reply]:
    """Plan requests (response_format/tools) get the plan JSON; a section request gets its notes
    back as prose, plus ``extra[fragment]`` when its title contains ``fragment``; repairs echo."""

    def answer(body: dict[str, Any]) -> Reply:
        user = last_user(body)
        if "response_format" in body or "tools" in body:
            return Reply(body=chat_body(json.dumps(PLAN, ensure_ascii=False)))
        if "待修改的正文" in user:
            return Reply(body=chat_body(user.split("<<<\n")[1].split("\n>>>")[0]))
        added = next((text for key, text in (extra or {}).items() if key in user.split("\n")[0]), "")
        return Reply(body=chat_body(echo_body(user) + ("\n" + added if added else "")))

    return answer


def draft(stub: FakeServer[Scripted], out: Path, *more: str) -> Any:
    args = ["draft", str(SAMPLES / "notes-2025.md"), "--prior", str(SAMPLES / "prior-2024.md"), "-o", str(out),
            "--backend", "openai", "--base-url", stub.base_url, "--model", "m", *more]
    return runner.invoke(app, args)


def test_cli_drafts_over_the_wire_and_reruns_from_the_cache(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    openai_stub.responder.respond_with(router())
    out = tmp_path / "out" / "report.docx"
    result = draft(openai_stub, out)
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".md").exists()
    record = json.loads((tmp_path / "out" / "report.check.json").read_text(encoding="utf-8"))
    run = record["run"]
    assert (run["backend"], run["model"], run["model_calls"], run["cached_calls"]) == ("llm", "m", 5, 0)
    assert (run["prompt_tokens"], run["completion_tokens"]) == (5 * 11, 5 * 7)  # the stub's usage, summed
    assert run["prompt_versions"]["draft_section"] == "2"
    assert record["check"]["summary"]["flagged"] == 0
    assert [s["backend"] for s in record["sections"]] == ["llm"] * 4
    plan_request = next(r for r in openai_stub.requests if "response_format" in r)
    assert plan_request["response_format"]["json_schema"]["name"] == "PlanOut"
    sections = [r for r in openai_stub.requests if "response_format" not in r]
    assert len(sections) == 4 and all(r["max_tokens"] == 3000 and r["model"] == "m" for r in sections)
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "强化理论武装，筑牢法治根基" in markdown and "【待核实】" not in markdown
    assert "[4/4]" in result.output and "model calls 5 (0 cached)" in result.output

    again = draft(openai_stub, tmp_path / "again.docx")
    assert again.exit_code == 0, again.output
    assert len(openai_stub.requests) == 5  # nothing new went over the wire
    assert "model calls 0 (5 cached)" in again.output
    assert (tmp_path / "again.md").read_text(encoding="utf-8") == markdown


def test_cli_marks_an_invented_figure_the_repair_did_not_fix(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    openai_stub.responder.respond_with(router({MEASURES: INVENTED}))
    out = tmp_path / "report.docx"
    result = draft(openai_stub, out, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "9个【待核实】" in out.with_suffix(".md").read_text(encoding="utf-8")
    record = json.loads((tmp_path / "report.check.json").read_text(encoding="utf-8"))
    assert [(f["text"], f["status"]) for f in record["check"]["figures"] if f["status"] != "supported"] == [
        ("9个", "unsupported")]
    assert sum("待修改的正文" in text for text in openai_stub.user_texts()) == 1


def test_cli_stops_on_a_rejected_key_with_one_line(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    openai_stub.responder.respond_with(lambda body: Reply(status=401, body={"error": {"message": "bad key", "code": "401"}}))
    out = tmp_path / "report.docx"
    result = draft(openai_stub, out)
    assert result.exit_code == 2
    assert "rejected the API key (401)" in result.output
    assert not out.exists()
