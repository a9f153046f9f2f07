"""kill -9 in the middle of an LLM draft, then the same command with --resume: only the missing
sections are requested again, and the earlier good report is never replaced by a partial one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import json

import pytest

from aidraft.bench.fake_server import FakeServer, Reply, chat_body
from aidraft.bench.responders import Scripted

from aidraft.llm import fake_models
from aidraft.llm.base import ChatRequest, Message
from support import QINGXI_DIR

REQUESTS = 5  # notes-2025.md: measures in two parts, duty, problems, plans; no plan request


def faithful(body: dict[str, Any]) -> Reply:
    request = ChatRequest(messages=tuple(Message(role=m["role"], content=m["content"]) for m in body["messages"]))
    return Reply(body=chat_body(json.dumps(fake_models.faithful(request), ensure_ascii=False)))


def command(stub: FakeServer[Scripted], out: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "aidraft", "draft", str(QINGXI_DIR / "notes-2025.md"), "--prior",
            str(QINGXI_DIR / "prior-2024.md"), "-o", str(out), "--backend", "openai", "--base-url", stub.base_url,
            "--model", "m", "--concurrency", "1", "--no-review", *more]


@pytest.mark.slow
def test_kill_9_then_resume(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    def slow_sections(body: dict[str, Any]) -> Reply:
        reply = faithful(body)
        reply.delay_s = 1.0  # time to kill the run between sections
        return reply

    openai_stub.responder.respond_with(slow_sections)
    out = tmp_path / "out" / "report.docx"
    out.parent.mkdir()
    out.write_bytes(b"last week's good draft")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDRAFT_")}
    env["AIDRAFT_CACHE_DIR"] = str(tmp_path / "cache")

    run = subprocess.Popen(command(openai_stub, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(openai_stub.requests) < 2 and time.monotonic() < deadline:  # section 1, section 2
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    assert out.read_bytes() == b"last week's good draft"  # no partial file replaced it
    assert [p.name for p in out.parent.iterdir()] == ["report.docx"]
    sent_before = len(openai_stub.requests)  # 2: section 1 was answered and cached

    again = subprocess.run(command(openai_stub, out, "--resume"), env=env, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    new = len(openai_stub.requests) - sent_before
    assert new == REQUESTS - 1  # part 2 (killed in flight) and the rest; part 1 comes cached
    assert out.read_bytes()[:2] == b"PK" and out.with_suffix(".md").exists()
