"""The digest's LLM path (map each report, reduce per section) against the benchmark's local server
at several concurrency levels (Settings.concurrency), to show whether it scales with the server.

The server decodes every request at the same rate however many are in flight (unless started with
``slots``), so an ideal client finishes the map phase ``concurrency`` times faster. Phases are
timed from the digest's own progress callback: *map* from the last report read to the last map
answer, *reduce* from there to the last section reduced; the rest of the wall time is the offline
work both paths share (reading, ledger, grouping, composing, the self-check). The client's CPU
time per map request (this process, all threads; the server runs in its own process) bounds the
useful concurrency: one interpreter issues at most 1 / (CPU per request) requests a second.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from aidraft.bench import BenchRow
from aidraft.bench.llm_draft import bench_model, warm_up
from aidraft.bench.server_process import ServerProcess
from aidraft.bench.digest import generated_reports
from aidraft.digest.pipeline import run_digest
from aidraft.settings import Settings


class PhaseClock:
    """The digest's progress callback: wall and process CPU time when each stage finished."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done >= total:
            self.wall[stage], self.cpu[stage] = time.perf_counter(), time.process_time()


def bench_llm_digest(server: ServerProcess, texts: list[str], count: int, levels: list[int]) -> list[BenchRow]:
    reports = generated_reports(texts, count)
    model = bench_model(server.base_url)
    warm_up(model, server)
    rows: list[BenchRow] = []
    walls: dict[int, tuple[float, float]] = {}
    rate = f"{server.config.rate:g} tok/s"
    for level in levels:
        clock = PhaseClock()
        with tempfile.TemporaryDirectory(prefix="aidraft-bench-") as tmp:
            settings = Settings.from_cli(backend="offline", concurrency=level, use_cache=False, cache_dir=Path(tmp))
            started = time.perf_counter()
            result = run_digest(list(reports), settings=settings, model=model, progress=clock)
            wall = time.perf_counter() - started
        seen = server.reset()
        read_end = clock.wall.get("read", started)
        map_end = clock.wall.get("map", read_end)
        map_s, reduce_s = map_end - read_end, clock.wall.get("reduce", map_end) - map_end
        maps = seen.kinds.get("map", 0)
        map_cpu = clock.cpu.get("map", 0.0) - clock.cpu.get("read", 0.0)
        walls[level] = (wall, map_s)
        head = f"LLM digest, {count} reports, concurrency {level}"
        rows += [
            BenchRow(name=f"{head}: wall ({rate})", value=wall, unit="s"),
            BenchRow(name=f"{head}: map phase ({maps} requests)", value=map_s, unit="s"),
            BenchRow(name=f"{head}: client CPU per map request (all threads)", value=1000 * map_cpu / max(maps, 1),
                     unit="ms"),
            BenchRow(name=f"{head}: reduce phase ({seen.kinds.get('reduce', 0)} requests)", value=reduce_s, unit="s"),
            BenchRow(name=f"{head}: most requests in flight at the server", value=seen.max_in_flight,
                     unit="requests"),
        ]
        rows.append(BenchRow(name=f"{head}: reports whose map failed", value=result.run.failed_maps, unit="reports",
                             target="0"))
    first = levels[0]
    for level in levels[1:]:
        if first in walls and walls[level][0] and walls[level][1]:
            ideal = f"ideal {level / first:g}"
            rows += [
                BenchRow(name=f"LLM digest speedup, concurrency {level} over {first}: whole run",
                         value=walls[first][0] / walls[level][0], unit="x"),
                BenchRow(name=f"LLM digest speedup, concurrency {level} over {first}: map phase",
                         value=walls[first][1] / walls[level][1], unit="x", target=ideal),
            ]
    return rows
