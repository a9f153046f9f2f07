"""Benchmark of the offline digest: ``count`` generated reports → ledger, digest, self-check, .docx.

Reports are generated from the given texts with varied figures (check.plant.plant_changes, the
same generator the checker bench uses) and varied office names (a title line per report), so
the run exercises the ledger, the groupers, the totals over hundreds of offices and the
checker's cross-report totals. Peak memory is the process's ru_maxrss (an upper bound: it
includes the generated texts and whatever ran before in the same process).
"""

from __future__ import annotations

import gc
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from aidraft.check.plant import plant_changes
from aidraft.ingest.read import NamedText
from aidraft.digest.pipeline import run_digest
from aidraft.export.docx_writer import render_docx

FIRST = "青清河云山江临安平东西南北新长永宁兴华德阳明丰泰和福金石龙凤白桃梅松竹柳湖海溪"
SECOND = "溪阳川水林原宁安城江州平乐昌丰定远兴华德泰和峰桥台庄湾塘岭坪坝口关"
LEVELS = "县区市"


def office_names(count: int, seed: int = 11) -> list[str]:
    """``count`` distinct, plausible office place names (青溪县, 河阳区 …), reproducibly."""
    names = [a + b + c for a in FIRST for b in SECOND for c in LEVELS if a != b]
    random.Random(seed).shuffle(names)
    if count > len(names):
        names += [f"{n}{i}" for i, n in enumerate(names)][: count - len(names)]
    return names[:count]


def generated_reports(texts: list[str], count: int, seed: int = 7) -> list[NamedText]:
    """``count`` reports: the given texts in turn, with planted figure changes and a new office."""
    rng = random.Random(seed)
    out = []
    for i, name in enumerate(office_names(count)):
        text, _ = plant_changes(texts[i % len(texts)], rng, share=0.5)
        title = f"{name}信访局关于2023年度法治政府建设情况的报告"
        out.append(NamedText(path=f"generated/{i:04d}.txt", text=f"{title}\n\n{text}"))
    return out


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def bench_digest(texts: list[str], count: int) -> list[tuple[str, float, str]]:
    """Time and peak memory of the offline digest of ``count`` generated reports."""
    reports = generated_reports(texts, count)
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.process_time()  # CPU time, as every CPU row of the bench
        result = run_digest(list(reports), ledger=Path(tmp) / "ledger.csv")
        docx = render_docx(result.document)
        elapsed = time.process_time() - started
    flagged = result.check.summary.flagged
    return [
        (f"digest of {count} generated reports (offline: ledger, digest, self-check, docx), CPU time", elapsed, "s"),
        (f"digest throughput ({count} reports)", count / elapsed if elapsed else 0.0, "reports/s"),
        (f"digest peak memory ({count} reports, process ru_maxrss)", _peak_mb(), "MB"),
        (f"digest ledger rows ({count} reports)", float(result.run.ledger_rows), "rows"),
        (f"digest totals across reports ({count} reports)", float(len(result.totals)), "totals"),
        (f"digest figures flagged by check ({count} reports)", float(flagged), "figures"),
        (f"digest items left out because check flagged them ({count} reports)", float(len(result.dropped)), "items"),
        (f"digest .docx size ({count} reports)", len(docx) / 1024, "KiB"),
    ]


if __name__ == "__main__":
    corpus = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
    base = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for name, value, unit in bench_digest(base, n):
        print(f"{name:<75} {value:>10.2f} {unit}")
