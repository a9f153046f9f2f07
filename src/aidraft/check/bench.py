"""The checker's rows of ``python -m aidraft.bench``: throughput at 5 MB × 5 MB, figure-dense
text, peak memory on one long line, and the planted-change figures on our own reports.

Rows are (name, value, unit, target) tuples so that the bench table owns its row model.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aidraft.check.plant import measure, plant_changes
from aidraft.lint.run import lint_text

Row = tuple[str, float, str, str]
OWN_REPORTS = Path(__file__).resolve().parents[3] / "tests" / "data" / "checker"
METRICS = ["受理信访事项", "交办信访积案", "化解矛盾纠纷", "开展法治宣传", "培训执法人员", "检查市场主体",
           "办理行政复议", "调解劳动争议", "接待群众来访", "发放宣传资料", "排查风险隐患", "走访企业"]
UNITS = ["件", "起", "场", "人次", "家次", "份", "处", "次"]
ONE_LINE = """
import resource, sys, time
from aidraft.check.bench import dense
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText
text = dense(int(sys.argv[1]), 3, sentence_breaks=False)
start = time.process_time()
check_text(NamedText(path="d", text=text), [NamedText(path="n", text=text)])
print(len(text.encode()), time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
# one check in a fresh process: the checker's memos (contexts, directions, numerals) start empty,
# as they do for a user's `aidraft check`
ONE_CHECK = """
import sys, time
from pathlib import Path
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText
draft, notes = (Path(p).read_text(encoding="utf-8") for p in sys.argv[1:3])
check_text(NamedText(path="d", text="受理1件。"), [NamedText(path="n", text="受理1件。")])  # lexicons loaded
start = time.process_time()
check_text(NamedText(path="d", text=draft), [NamedText(path="n", text=notes)])
print(time.process_time() - start)
"""


def dense(figures: int, seed: int, sentence_breaks: bool = True) -> str:
    """Figure-dense text: one figure every dozen characters, metrics and counters drawn at random."""
    rng = random.Random(seed)
    parts = []
    for _ in range(figures):
        parts.append(f"{rng.choice(METRICS)}{rng.choice(['', '工作', '事项'])}{rng.randint(1, 99999)}{rng.choice(UNITS)}")
        parts.append("。" if sentence_breaks and rng.random() < 0.2 else "，")
    return "".join(parts)


def _cpu(fn: Callable[[], object]) -> float:
    """CPU seconds of one call (a ceiling row: seconds against a 20 s limit)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def _fresh_check_cpu(draft: str, notes: str, rounds: int) -> float:
    """CPU seconds of checking ``draft`` against ``notes``, each round in a fresh process: the best
    of ``rounds`` (the least disturbed by other processes on a shared machine, as every CPU row of
    the bench)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp, "draft.txt"), Path(tmp, "notes.txt")]
        for path, text in zip(paths, (draft, notes), strict=True):
            path.write_text(text, encoding="utf-8")
        return min(float(subprocess.run([sys.executable, "-c", ONE_CHECK, *map(str, paths)], capture_output=True,
                                        text=True, check=True).stdout) for _ in range(rounds))


def checker_rows(base: list[str], quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    rng = random.Random(11)
    target = 500_000 if quick else 5_000_000
    reports: list[str] = []
    size = 0
    while size < target:
        report = plant_changes(base[len(reports) % len(base)], rng, share=0.5)[0]
        reports.append(report)
        size += len(report.encode("utf-8"))
    draft, notes = "\n".join(reports), "\n".join(reversed(reports))
    rounds = 1 if quick else 3
    seconds = _fresh_check_cpu(draft, notes, rounds)
    mb = len(draft.encode("utf-8")) / 1e6
    rows.append((f"check {mb:.1f} MB draft × {mb:.1f} MB notes (UTF-8)", mb / seconds, "MB/s", "≥ 5"))
    n = 1000 if quick else 10_000
    a, b = dense(n, 1), dense(n, 2)
    rows.append((f"check {n // 1000}k × {n // 1000}k figures (figure-dense)",
                 _fresh_check_cpu(a, b, rounds), "s", "< 1"))
    line_figures = 3_000 if quick else 31_000  # about 1 MB of UTF-8 on one line
    out = subprocess.run([sys.executable, "-c", ONE_LINE, str(line_figures)], capture_output=True, text=True,
                         check=True)
    nbytes, cpu, rss_kb = out.stdout.split()
    rows.append((f"check one {int(nbytes) / 1e6:.1f} MB line of figures, no sentence break: peak memory",
                 int(rss_kb) / 1024, "MB", "< 300"))
    rows.append((f"check one {int(nbytes) / 1e6:.1f} MB line of figures: time", float(cpu), "s", "< 20"))
    line = dense(line_figures, 3, sentence_breaks=False)
    rows.append((f"lint one {len(line.encode()) / 1e6:.1f} MB line of figures: time", _cpu(lambda: lint_text(line)),
                 "s", "< 20"))
    rows += own_report_rows(seeds=2 if quick else 10)
    return rows


def own_report_rows(seeds: int) -> list[Row]:
    """Planted changes in our own reports (tests/data/checker), when the folder is there."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(OWN_REPORTS.glob("*-2025.txt"))]
    if not texts:
        return []
    planted = caught = alarms = runs = 0
    for text in texts:
        for seed in range(seeds):
            result = measure(text, seed)
            planted, caught, alarms, runs = planted + result.planted, caught + result.caught, \
                alarms + result.false_alarms, runs + 1
    return [
        (f"own reports ({len(texts)} layouts): planted changes caught ({planted} planted)",
         100 * caught / max(planted, 1), "% recall", "≥ 99"),
        ("own reports: false alarms per checked report", alarms / max(runs, 1), "per report", "≤ 0.2"),
    ]
