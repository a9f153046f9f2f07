"""The benchmark script runs and writes its table as JSON (figures are printed, never asserted:
only the table's structure and the cache's zero-request rerun are)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SAMPLES

from aidraft import bench

pytestmark = pytest.mark.slow  # whole benchmark runs



def run_bench(tmp_path: Path, *more: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "bench.json"
    bench.main(["--corpus", str(tmp_path / "none"), "--samples", str(SAMPLES), "--generated", "3",
                "--out", str(out), "--quick", *more])
    return json.loads(out.read_text(encoding="utf-8"))


def test_bench_runs_and_writes_json(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    payload = run_bench(tmp_path, "--markdown")
    rows = payload["rows"]
    names = [r["name"] for r in rows]
    assert any(n.startswith("check throughput") for n in names)
    assert any(n.startswith("check throughput") and r["unit"] == "MB/s" for n, r in zip(names, rows, strict=True))
    assert any(n.startswith("offline draft") for n in names)
    assert all(r["value"] > 0 for r in rows if r["unit"] in ("M chars/s", "MB/s", "s/report", "s", "MB"))
    assert any(n.startswith("digest of") and n.endswith("CPU time") for n in names)
    startup = [r for r in rows if r["name"].startswith("start-up: aidraft ")]
    assert len(startup) == 2 and all(r["value"] > 0 and r["target"] == "≤ 0.35" for r in startup)
    assert "cores" in payload["machine"]
    printed = capsys.readouterr().out
    assert "aidraft bench" in printed and "| measure | value | unit | target |" in printed


def test_bench_measures_the_llm_paths_against_the_local_server(tmp_path: Path) -> None:
    payload = run_bench(tmp_path)
    rows = {r["name"]: r for r in payload["rows"]}
    assert "tokens/s per request" in payload["llm"]["draft_server"]
    for name in ("LLM draft sections: write phase / longest section alone",
                 "LLM draft whole run: wall / critical path",
                 "LLM draft prompt tokens per output token",
                 "naive one-prompt draft: prompt tokens per output token"):
        assert rows[name]["value"] > 0, name
    requests = next(r for n, r in rows.items() if n.startswith("LLM draft requests"))
    assert "(0 re-asks)" in requests["name"]  # the server's sections pass verification
    assert rows["LLM draft vs naive one-prompt draft: naive wall / LLM draft wall"]["value"] > 0
    rerun = next(r for n, r in rows.items() if n.startswith("LLM draft rerun with the cache: requests"))
    assert rerun["value"] == 0 and "(first run 0)" not in rerun["name"]
    assert rows["cached LLM draft rerun: model-client packages imported (openai, langchain…)"]["value"] == 0
    for level in (1, 8, 32):
        assert any(n.startswith(f"LLM digest, 6 reports, concurrency {level}: wall") for n in rows)
    assert any(n.startswith("LLM digest speedup, concurrency 32 over 1: map phase") for n in rows)


def test_bench_without_the_llm_parts(tmp_path: Path) -> None:
    payload = run_bench(tmp_path, "--no-llm")
    assert not any("LLM" in r["name"] or "naive" in r["name"] for r in payload["rows"])
    assert payload["llm"] == {}
