"""The benchmark script runs and writes its table as JSON (figures are printed, never asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from aidraft import bench

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_bench_runs_and_writes_json(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bench.json"
    bench.main(["--corpus", str(tmp_path / "none"), "--samples", str(SAMPLES), "--generated", "3",
                "--out", str(out), "--quick"])
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    names = [r["name"] for r in rows]
    assert any(n.startswith("check throughput") for n in names)
    assert any(n.startswith("offline draft") for n in names)
    assert all(r["value"] > 0 for r in rows if r["unit"] in ("M chars/s", "s/report", "s", "MB"))
    assert any(n.startswith("digest of") for n in names)
    assert "aidraft bench" in capsys.readouterr().out
