"""What a small job costs in a fresh process: the CPU time of ``aidraft lint`` and ``aidraft check``
on a tiny file (all start-up: imports, genre data, regexes), and of an LLM draft rerun that the
response cache answers entirely (which must import neither langchain nor openai).

Each figure is the child's CPU time (user + system, from the parent's RUSAGE_CHILDREN), the best
of ``repeats`` runs after one warm-up run that leaves the bytecode cache (and the parsed genre
files and compiled patterns beside it) written, as an installed package has them from its second
run on.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from aidraft.bench import BenchRow

STARTUP_TARGET = "≤ 0.35"
TINY_REPORT = "某县司法局2025年法治政府建设情况报告\n一、主要举措\n全年办理行政复议案件十二件，化解率98.5%。\n"
#: What a rerun answered from the cache must not load.
MODEL_CLIENT_MODULES = ("openai", "langchain_core", "langchain_openai", "langsmith")
RUN_AND_REPORT = (
    "import atexit, json, sys\n"
    "sys.dont_write_bytecode = False\n"  # measure what an installed package costs: bytecode cached
    "sys.path.insert(0, %r)\n"
    "def report():\n"
    "    heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(%r)))\n"
    "    sys.stderr.write('\\nLOADED ' + json.dumps(heavy))\n"
    "atexit.register(report)\n"
    "sys.argv[0] = 'aidraft'\n"
    "from aidraft.cli.entry import run\n"  # what the console script runs
    "run()\n"
)


SRC = str(Path(__file__).resolve().parents[2])


def child_cpu(args: list[str], cwd: Path) -> tuple[float, list[str]]:
    """Run ``aidraft ARGS`` in a fresh interpreter in ``cwd`` (where its response cache lives):
    its CPU seconds and the model-client packages it loaded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = RUN_AND_REPORT % (SRC, json.dumps(MODEL_CLIENT_MODULES))
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    _, _, loaded = proc.stderr.rpartition("\nLOADED ")
    if not loaded:
        raise RuntimeError(f"aidraft {' '.join(args)} failed: {proc.stderr[-500:]}")
    return cpu, json.loads(loaded)


def best_cpu(args: list[str], repeats: int, cwd: Path) -> tuple[float, list[str]]:
    child_cpu(args, cwd)  # warm-up: bytecode cache written, files in the page cache
    runs = [child_cpu(args, cwd) for _ in range(max(1, repeats))]
    return min(cpu for cpu, _ in runs), sorted({m for _, loaded in runs for m in loaded})


def bench_startup(repeats: int = 5) -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="aidraft-bench-") as tmp:
        report = Path(tmp) / "report.md"
        report.write_text(TINY_REPORT, encoding="utf-8")
        lint_s, _ = best_cpu(["lint", str(report)], repeats, Path(tmp))
        check_s, _ = best_cpu(["check", str(report), "--notes", str(report)], repeats, Path(tmp))
    return [
        BenchRow(name="start-up: aidraft lint on a tiny file, CPU time in a fresh process", value=lint_s, unit="s",
                 target=STARTUP_TARGET),
        BenchRow(name="start-up: aidraft check on a tiny file, CPU time in a fresh process", value=check_s, unit="s",
                 target=STARTUP_TARGET),
    ]


def bench_cached_rerun(base_url: str, notes: Path, repeats: int = 3) -> list[BenchRow]:
    """``aidraft draft`` against the server once (filling the cache), then the identical command
    again in fresh processes: every answer comes from the cache, so no model client is built."""
    with tempfile.TemporaryDirectory(prefix="aidraft-bench-") as tmp:
        args = ["draft", str(notes.resolve()), "-o", str(Path(tmp) / "out" / "report.docx"), "--base-url", base_url,
                "--model", "bench"]
        child_cpu(args, Path(tmp))  # the first run: every answer from the server, into ./.aidraft-cache
        cpu, loaded = best_cpu(args, repeats, Path(tmp))
    return [
        BenchRow(name="cached LLM draft rerun: CPU time in a fresh process", value=cpu, unit="s"),
        BenchRow(name="cached LLM draft rerun: model-client packages imported (openai, langchain…)",
                 value=len(loaded), unit="packages", target="0"),
    ]
