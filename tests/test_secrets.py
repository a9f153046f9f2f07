"""Secrets never appear in any message, debug or not; configuration errors exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aidraft.bench.responders import scripted_server
from aidraft.errors import ModelError
from aidraft.redact import redact, register_secret

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "qingxi"
KEY = "sk-live-" + "Zq7" * 12


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDRAFT_") and not k.endswith("_API_KEY")}
    return {**env, "AIDRAFT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": os.pathsep.join(sys.path)}


@pytest.mark.parametrize(("debug", "how"), [([], "flag"), (["--debug"], "env")], ids=["plain-flag", "debug-env"])
def test_a_401_body_echoing_the_key_is_redacted_and_exits_2(tmp_path: Path, debug: list[str], how: str) -> None:
    with scripted_server() as stub:
        for _ in range(4):
            stub.responder.error(401, code="invalid_api_key", message=f"Incorrect API key provided: {KEY}. Bearer {KEY}")
        env = _env(tmp_path)
        args = [sys.executable, "-m", "aidraft", *debug, "draft", str(SAMPLES / "notes-2025.md"), "-o",
                str(tmp_path / "r.docx"), "--base-url", stub.base_url, "--model", "m"]
        if how == "flag":
            args += ["--api-key", KEY]
        else:
            env["AIDRAFT_API_KEY"] = KEY
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output[-800:]
    assert KEY not in output and KEY[8:20] not in output
    assert "401" in output
    if debug:
        assert "Traceback" in output  # the traceback is still there, only without the key
    else:
        assert "Traceback" not in output
    assert not any(KEY in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "text",
    [
        f"Incorrect API key provided: {KEY}",
        f"headers: {{'Authorization': 'Bearer {KEY}'}}",
        f"api_key={KEY}&model=m",
        f'"api-key": "{KEY}"',
    ],
)
def test_redact_removes_registered_and_credential_shaped_secrets(text: str) -> None:
    register_secret(KEY)
    assert KEY not in redact(text) and "***" in redact(text)


def test_unregistered_credential_shapes_are_redacted_too() -> None:
    other = "sk-" + "A1b2" * 8
    assert other not in redact(f"key {other} refused")
    assert redact("全年受理信访事项1642件") == "全年受理信访事项1642件"


def test_every_one_line_error_is_redacted() -> None:
    register_secret("zz-secret-value-123")
    assert "zz-secret-value-123" not in ModelError("server said zz-secret-value-123").one_line()
