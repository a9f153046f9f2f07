"""`aidraft eval` through the CLI: the shipped baseline passes on this tree, a planted regression
and a worse backend exit 1, report.html carries the table and the highlights (and renders in
headless Chromium when it is installed), and the LLM backend runs over HTTP and reruns cached."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from aidraft.bench.fake_server import FakeServer, Reply, chat_body
from aidraft.bench.responders import Scripted
from typer.testing import CliRunner

from aidraft.cli import eval_cmd
from aidraft.cli.app import app
from aidraft.llm import fake_models
from aidraft.llm.base import ChatRequest, Message
from aidraft.llm.fake import FakeChatModel
from support import InventingDrafter, inventing_answer

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "cases"
BASELINE = REPO / "evals" / "runs" / "baseline"
CHROMIUM = Path("/usr/bin/chromium")
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("AIDRAFT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AIDRAFT_CACHE_DIR", str(tmp_path / "cache"))


def run_eval(*args: str) -> Any:
    return runner.invoke(app, ["eval", *args])


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """One run of the shipped suite against the shipped baseline, shared by the report tests."""
    out = tmp_path_factory.mktemp("run")
    return run_eval(str(SUITE), "--out", str(out), "--baseline", str(BASELINE)), out


@pytest.mark.slow
def test_shipped_baseline_passes(shipped: tuple[Any, Path]) -> None:
    result, out = shipped
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["backend"] == "offline" and data["comparison"]["baseline"].endswith("baseline")
    assert [d for d in data["comparison"]["deltas"] if d["status"] == "regressed"] == []
    assert all(c["status"] in ("pass", "skipped") for c in data["cases"])
    assert "PASS" in result.output


def test_baseline_is_deterministic_and_portable() -> None:
    """No absolute path or clock in what is compared; the suite ran offline."""
    text = (BASELINE / "results.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["backend"] == "offline" and data["suite"] == "evals/cases"
    assert str(REPO) not in text and "/tmp/" not in text
    for case in data["cases"]:
        assert not Path(case["source"]).is_absolute()
        assert not re.search(r"20\d\d-\d\d-\d\dT", json.dumps(case["metrics"]))


def test_planted_regression_exits_1(tmp_path: Path) -> None:
    data = json.loads((BASELINE / "results.json").read_text(encoding="utf-8"))
    case = next(c for c in data["cases"] if c["id"] == "songling-county-2025-tidy")
    case["metrics"]["duplicate_sentences"] = -1.0  # a baseline better than anything: today's 0 regresses
    case["metrics"]["figure_recall"] = 1.5
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "results.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = run_eval(str(SUITE), "--out", str(out), "--baseline", str(planted), "--no-selftest")
    assert result.exit_code == 1, result.output
    assert "regressed songling-county-2025-tidy duplicate_sentences" in result.output
    assert "regressed songling-county-2025-tidy figure_recall" in result.output
    assert "2 regressions" in result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="delta regressed"') == 2 and 'id="regressions"' in html
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len([d for d in results["comparison"]["deltas"] if d["status"] == "regressed"]) == 2
    # the self-test was skipped this time: not compared, neither a regression nor a missing case
    assert "selftest:cases" in results["comparison"]["not_compared"]
    assert results["comparison"]["missing_cases"] == []


def test_worse_backend_regresses_against_the_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prompt change that makes the model invent and repeat: thresholds fail, metrics regress."""
    monkeypatch.setattr(
        eval_cmd, "make_drafter", lambda settings: InventingDrafter(FakeChatModel(*[inventing_answer] * 8))
    )
    out = tmp_path / "out"
    result = run_eval(
        str(SUITE), "--out", str(out), "--baseline", str(BASELINE), "--case", "songling-county-2025-tidy"
    )
    assert result.exit_code == 1, result.output
    regressed = {
        line.split()[2].rstrip(":") for line in result.output.splitlines() if line.startswith("regressed ")
    }
    assert {
        "figure_precision",
        "unsupported_figures",
        "duplicate_sentences",
        "repeated_ngram_share",
    } <= regressed
    assert "songling-county-2025-tidy: figure_precision" in result.output and "FAIL" in result.output


def test_bad_inputs_are_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("notes: x\nexpect: {figure: []}\n", encoding="utf-8")
    result = run_eval(str(tmp_path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "bad.yaml: field 'expect.figure'" in result.output
    result = run_eval(str(SUITE), "--baseline", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "no results.json there" in result.output
    result = run_eval(str(SUITE), "--model", "qwen-max", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--model qwen-max names no endpoint" in result.output
    assert not (tmp_path / "o").exists()


def test_report_html_has_table_and_highlights(shipped: tuple[Any, Path], tmp_path: Path) -> None:
    _, out = shipped
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<table class="metrics" id="metrics">' in html and 'id="selftest"' in html
    assert html.count("<tr") >= 10 and "figure_precision" in html and "≥ 0.95" in html
    assert 'class="fig ok st-supported"' in html
    assert not re.search(r"<(link|script)\b|https?://|@import|url\(", html), "self-contained"
    # a run with invented figures shows them highlighted as flagged
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "case.yaml").write_text(
        "notes: |\n  ---\n  office: 示例县信访局\n  year: 2025\n  ---\n  - 开展宣讲12场\n", encoding="utf-8"
    )
    from aidraft.evals.cases import load_cases
    from aidraft.evals.config import EvalConfig
    from aidraft.evals.report_html import render_report
    from aidraft.evals.runner import Backend, run_suite
    from aidraft.settings import Settings

    backend = Backend(
        name="fake-llm",
        model="fake-model",
        settings=Settings.from_cli(backend="offline"),
        make_drafter=lambda: InventingDrafter(FakeChatModel(*[inventing_answer] * 4)),
    )  # type: ignore[arg-type,return-value]
    page = render_report(run_suite(load_cases(bad), EvalConfig(seeds=0), backend, suite="s"), EvalConfig())
    assert re.search(r'<mark class="fig flag st-unsupported" title="unsupported[^"]*">87场</mark>', page)
    assert "<script" not in page and "&lt;" not in page.split("<body>")[0]


def png_pixels(path: Path) -> tuple[int, int, set[tuple[int, int, int]]]:
    """Width, height and the set of RGB colours of an 8-bit RGB/RGBA PNG (stdlib only: the
    screenshot test must not need Pillow)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev, colours = bytearray(stride), set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a, b = line[i - bpp] if i >= bpp else 0, prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(tuple(line[x : x + 3]) for x in range(0, stride, bpp * 2))  # type: ignore[misc]
        prev = line
    return width, height, colours  # type: ignore[return-value]


def screenshot(page: Path, png: Path, profile: Path) -> tuple[int, int, set[tuple[int, int, int]]]:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        page.as_uri(),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120, cwd=profile.parent)
    return png_pixels(png)


@pytest.mark.integration
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium not installed (/usr/bin/chromium; apt-get install chromium fonts-noto-cjk)",
)
def test_report_renders_in_headless_chromium(
    shipped: tuple[Any, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Screenshot check: the passing run paints its table (green cells, PASS badge) and the green
    underlines of checked figures; a failing run paints red cells, the FAIL badge and the yellow
    highlight of invented figures. A broken template or stylesheet would paint none of these."""
    _, out = shipped
    width, height, colours = screenshot(out / "report.html", tmp_path / "pass.png", tmp_path / "p1")
    assert (width, height) == (1280, 2000)
    assert {(240, 255, 244), (26, 127, 55), (45, 164, 78)} <= colours  # td.good, PASS, .fig.ok underline

    monkeypatch.setattr(
        eval_cmd, "make_drafter", lambda settings: InventingDrafter(FakeChatModel(*[inventing_answer] * 8))
    )
    bad = tmp_path / "bad"
    run_eval(str(SUITE), "--out", str(bad), "--case", "songling-county-2025-tidy", "--no-selftest")
    _, _, colours = screenshot(bad / "report.html", tmp_path / "fail.png", tmp_path / "p2")
    assert {(255, 235, 233), (207, 34, 46), (255, 211, 61)} <= colours  # td.bad, FAIL, flagged figure


def test_llm_backend_over_http_records_model_tokens_and_reruns_cached(
    openai_stub: FakeServer[Scripted], tmp_path: Path
) -> None:
    def answer(body: dict[str, Any]) -> Reply:
        request = ChatRequest(messages=tuple(Message(role=m["role"], content=m["content"]) for m in body["messages"]))
        return Reply(body=chat_body(json.dumps(fake_models.faithful(request), ensure_ascii=False)))

    openai_stub.responder.respond_with(answer)
    args = [
        str(SUITE),
        "--case",
        "songling-county-2023-sparse",
        "--backend",
        "openai",
        "--base-url",
        openai_stub.base_url,
        "--model",
        "m",
        "--no-selftest",
    ]
    first = run_eval(*args, "--out", str(tmp_path / "first"))
    assert first.exit_code in (0, 1), first.output
    data = json.loads((tmp_path / "first" / "results.json").read_text(encoding="utf-8"))
    run = data["cases"][0]["run"]
    assert data["model"] == "m" and run["backend"] == "llm" and run["model_calls"] >= 2
    assert run["prompt_tokens"] > 0 and data["prompt_tokens"] == run["prompt_tokens"]
    assert {"draft_section", "draft_repair"} <= set(data["prompt_versions"])
    assert data["cases"][0]["metrics"]["figure_precision"] == 1.0
    sent = len(openai_stub.requests)
    again = run_eval(*args, "--out", str(tmp_path / "again"), "--baseline", str(tmp_path / "first"))
    assert len(openai_stub.requests) == sent, "the rerun is answered from the cache"
    rerun = json.loads((tmp_path / "again" / "results.json").read_text(encoding="utf-8"))
    assert rerun["cases"][0]["run"]["cached_calls"] == run["model_calls"]
    assert not [d for d in rerun["comparison"]["deltas"] if d["status"] == "regressed"]
    assert again.exit_code == first.exit_code


def test_shipped_baseline_is_current_and_the_table_is_whole(shipped: tuple[Any, Path]) -> None:
    """Fingerprints of unchanged cases match the baseline's; no cell is cut at 80 columns."""
    result, out = shipped
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["comparison"]["changed_cases"] == []
    rows = [line for line in result.output.splitlines() if line.startswith("│")]
    assert rows and not any("…" in line for line in rows)
    for case in data["cases"]:
        assert any(case["id"] in line for line in rows), case["id"]
