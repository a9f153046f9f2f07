"""Benchmarks that print figures (never asserted in tests): ``python -m aidraft.bench``.

Prints a table and writes the same figures as JSON (``--out``) so runs can be compared
release to release. Single process, single thread: the numbers are per core.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from aidraft.check.plant import measure
from aidraft.check.run import check_text
from aidraft.check.sources import NamedText
from aidraft.figures.extract import extract_figures

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


DIGEST_TARGETS = {"s": "< 60", "MB": "< 1024"}
_QUICK: list[bool] = []  # --quick: one call per measure


class BenchRow(BaseModel):
    name: str
    value: float
    unit: str
    target: str = ""


def _timed(fn: Callable[[], object], repeats: int = 5, min_seconds: float = 0.3) -> float:
    """CPU seconds per call: the best of ``repeats`` rounds, each long enough to time reliably.

    The best round is the figure least disturbed by other processes on a shared machine.
    """
    best = float("inf")
    if _QUICK:
        repeats, min_seconds = 1, 0.0
    for _ in range(repeats):
        calls, start = 0, time.process_time()
        while True:
            fn()
            calls += 1
            elapsed = time.process_time() - start
            if elapsed >= min_seconds:
                break
        best = min(best, elapsed / calls)
    return best


def bench_checker(texts: list[str], label: str) -> list[BenchRow]:
    chars = sum(len(t) for t in texts)

    def check_all() -> None:
        for t in texts:
            check_text(NamedText(path="draft", text=t), [NamedText(path="notes", text=t)])

    def extract_all() -> None:
        for t in texts:
            extract_figures(t)

    per_check = _timed(check_all)
    per_extract = _timed(extract_all)
    return [
        BenchRow(name=f"check throughput ({label}, draft vs notes)", value=chars / per_check / 1e6,
                 unit="M chars/s", target="> 1"),
        BenchRow(name=f"extract throughput ({label})", value=chars / per_extract / 1e6, unit="M chars/s"),
    ]


def bench_planted(texts: list[str], seeds: int = 10) -> list[BenchRow]:
    planted = caught = unchanged = alarms = 0
    for text in texts:
        for seed in range(seeds):
            r = measure(text, seed)
            planted, caught = planted + r.planted, caught + r.caught
            unchanged, alarms = unchanged + r.unchanged, alarms + r.false_alarms
    return [
        BenchRow(name=f"planted changes caught ({planted} planted)", value=100 * caught / max(planted, 1),
                 unit="% recall", target="100"),
        BenchRow(name=f"false alarms ({unchanged} unchanged)", value=100 * alarms / max(unchanged, 1),
                 unit="%", target="0"),
    ]


def bench_offline_draft(notes_files: list[Path]) -> list[BenchRow]:
    """Time per report of the whole offline draft job (plan, write, check, lint, .docx render)."""
    from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
    from aidraft.export.docx_writer import render_docx
    from aidraft.ingest.notes import read_notes

    notes = [read_notes(p) for p in notes_files]

    def draft_all() -> None:
        for n in notes:
            result = run_draft(resolve_inputs(n, [], None, None), OfflineDrafter())
            render_docx(result.document)

    per_round = _timed(draft_all, repeats=3)
    return [BenchRow(name=f"offline draft incl. .docx ({len(notes)} samples)", value=per_round / len(notes),
                     unit="s/report", target="< 0.5")]


def generated_reports(texts: list[str], count: int, seed: int = 7) -> list[str]:
    """``count`` reports made from the given ones with varied figures (planted digit changes)."""
    from aidraft.check.plant import plant_changes

    rng = random.Random(seed)
    return [plant_changes(texts[i % len(texts)], rng, share=0.5)[0] for i in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m aidraft.bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt reports")
    parser.add_argument("--samples", type=Path, default=Path("samples"), help="folder with the sample notes")
    parser.add_argument("--generated", type=int, default=1000, help="number of generated reports")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    parser.add_argument("--quick", action="store_true", help="one short round per measure (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        _QUICK.append(True)

    rows: list[BenchRow] = []
    corpus = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.txt"))] if args.corpus.is_dir() else []
    own = [p.read_text(encoding="utf-8") for p in sorted(args.samples.glob("*/*.md"))] if args.samples.is_dir() else []
    base = corpus or own
    if corpus:
        rows += bench_checker(corpus, "corpus")
        rows += bench_planted(corpus)
    if base:
        rows += bench_checker(generated_reports(base, args.generated), f"{args.generated} generated reports")
    if base:
        from aidraft.digest.bench import bench_digest

        rows += [BenchRow(name=name, value=value, unit=unit, target=DIGEST_TARGETS.get(unit, ""))
                 for name, value, unit in bench_digest(base, args.generated)]
    sample_notes = sorted(p for p in args.samples.glob("*/notes*") if p.suffix in (".md", ".txt"))
    if sample_notes:
        rows += bench_offline_draft(sample_notes)
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    width = max((len(r.name) for r in rows), default=10)
    print(f"aidraft bench on {machine}")
    for r in rows:
        print(f"{r.name:<{width}}  {r.value:>10.2f} {r.unit:<12} {('target ' + r.target) if r.target else ''}")
    if args.out:
        from aidraft.files import write_text_atomic

        payload = {"machine": machine, "rows": [r.model_dump() for r in rows]}
        write_text_atomic(args.out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
