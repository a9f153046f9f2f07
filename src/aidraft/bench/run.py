"""Benchmarks that print figures (never asserted in tests): ``python -m aidraft.bench``.

Prints a table and writes the same figures as JSON (``--out``) so runs can be compared
release to release. The checker, offline draft and offline digest figures are single process,
single thread: per core. The LLM figures (``--no-llm`` skips them) run the real client against a
local OpenAI-compatible server in a child process that answers deterministically at a fixed token
rate (aidraft.bench.fake_server): the LLM draft's wall time against its critical path, prompt
tokens per output token (and a naive one-prompt-per-report baseline's), a cached rerun's requests,
and the digest's map/reduce at several concurrency levels.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aidraft.bench import BenchRow
from aidraft.check.plant import measure
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText
from aidraft.figures.extract import extract_figures

DEFAULT_CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"


DIGEST_TARGETS = {"s": "< 60", "MB": "< 1024"}
_QUICK: list[bool] = []  # --quick: one call per measure

__all__ = ["BenchRow", "main"]


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
    utf8 = sum(len(t.encode("utf-8")) for t in texts)  # a Chinese character is 3 bytes

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
        BenchRow(name=f"check throughput ({label}, draft vs notes, UTF-8 bytes)", value=utf8 / per_check / 1e6,
                 unit="MB/s", target="> 1"),
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
    from aidraft.parse.notes import read_notes

    notes = [read_notes(p) for p in notes_files]

    def draft_all() -> None:
        for n in notes:
            result = run_draft(resolve_inputs(n, [], None, None), OfflineDrafter())
            render_docx(result.document)

    per_round = _timed(draft_all, repeats=3)
    return [BenchRow(name=f"offline draft incl. .docx ({len(notes)} samples)", value=per_round / len(notes),
                     unit="s/report", target="≤ 0.03")]


def generated_reports(texts: list[str], count: int, seed: int = 7) -> list[str]:
    """``count`` reports made from the given ones with varied figures (planted digit changes)."""
    from aidraft.check.plant import plant_changes

    rng = random.Random(seed)
    return [plant_changes(texts[i % len(texts)], rng, share=0.5)[0] for i in range(count)]


def machine() -> str:
    """CPU model, cores, OS and Python: what the README names next to the table."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"{platform.python_implementation()} {platform.python_version()}")


def draft_sample(samples: Path) -> tuple[Path, list[Path]] | None:
    """The notes the LLM draft is measured on: the first sample with last year's report beside it."""
    found = [p for p in samples.glob("*/notes*") if p.suffix in (".md", ".txt")]
    for notes in sorted(found, key=lambda p: (p.suffix != ".md", str(p))):  # tidy .md notes first
        priors = sorted(notes.parent.glob("prior*.md"))
        if priors:
            return notes, priors
    return None


def bench_llm(args: argparse.Namespace, base: list[str], samples: Path) -> tuple[list[BenchRow], dict[str, Any]]:
    """The LLM rows and the server settings they ran under (for the JSON)."""
    from aidraft.bench.timed import ServerConfig
    from aidraft.bench.server_process import ServerProcess

    config = ServerConfig(rate=args.llm_rate, latency_s=args.llm_latency, prefill_rate=args.llm_prefill,
                          slots=args.llm_slots)
    digest_config = config.model_copy(update={"rate": args.digest_llm_rate})
    levels = [int(x) for x in str(args.digest_llm_concurrency).split(",") if x.strip()]
    rows: list[BenchRow] = []
    info: dict[str, Any] = {"draft_server": config.describe(), "digest_server": digest_config.describe(),
                            "draft_concurrency": args.llm_concurrency, "digest_reports": args.digest_llm_reports,
                            "digest_concurrency": levels}
    sample = (args.llm_notes, []) if args.llm_notes else draft_sample(samples)
    with ServerProcess(config) as server:
        if sample is not None:
            from aidraft.bench.llm_draft import bench_llm_draft
            from aidraft.draft.pipeline import resolve_inputs
            from aidraft.parse.notes import read_notes
            from aidraft.parse.structure import parse_file

            notes, priors = sample
            inputs = resolve_inputs(read_notes(notes), [parse_file(p) for p in priors], None, None)
            label = f"{notes.parent.name}/{notes.name}" + (" + prior" if priors else "")
            info["draft_notes"] = label
            rows += bench_llm_draft(server, inputs, label, args.llm_concurrency)
            from aidraft.bench.startup import bench_cached_rerun

            rows += bench_cached_rerun(server.base_url, notes, repeats=1 if _QUICK else 3)
        if base and args.digest_llm_reports > 0 and levels:
            from aidraft.bench.llm_digest import bench_llm_digest

            server.reset(**digest_config.model_dump())
            rows += bench_llm_digest(server, base, args.digest_llm_reports, levels)
    return rows, info


def _value(row: BenchRow) -> str:
    return f"{row.value:.0f}" if row.unit in ("requests", "tokens", "rows", "reports") else f"{row.value:.2f}"


def print_table(rows: list[BenchRow], host: str, markdown: bool) -> None:
    width = max((len(r.name) for r in rows), default=10)
    print(f"aidraft bench on {host}")
    for r in rows:
        print(f"{r.name:<{width}}  {_value(r):>10} {r.unit:<12} {('target ' + r.target) if r.target else ''}")
    if markdown:
        print(f"\n{host}\n\n| measure | value | unit | target |\n|---|---:|---|---|")
        for r in rows:
            print(f"| {r.name} | {_value(r)} | {r.unit} | {r.target} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m aidraft.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt reports")
    parser.add_argument("--samples", type=Path, default=Path("samples"), help="folder with the sample notes")
    parser.add_argument("--generated", type=int, default=1000, help="number of generated reports")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for the README)")
    parser.add_argument("--quick", action="store_true",
                        help="one short round per measure, LLM parts tiny and fast (smoke test)")
    llm = parser.add_argument_group("LLM figures (local server; timings are slept, so they hold on any machine)")
    llm.add_argument("--no-llm", action="store_true", help="skip the LLM draft and LLM digest figures")
    llm.add_argument("--llm-rate", type=float, default=200.0, help="draft: output tokens/s per request (200)")
    llm.add_argument("--llm-latency", type=float, default=0.05, help="seconds before the first token (0.05)")
    llm.add_argument("--llm-prefill", type=float, default=50_000.0, help="prompt tokens/s per request (50000)")
    llm.add_argument("--llm-slots", type=int, default=0, help="requests the server decodes at once (0: no limit)")
    llm.add_argument("--llm-concurrency", type=int, default=4, help="draft: sections in flight (Settings default 4)")
    llm.add_argument("--llm-notes", type=Path, default=None,
                     help="notes to draft (default: the first sample with a prior report beside it)")
    llm.add_argument("--digest-llm-reports", type=int, default=200, help="digest: generated reports (200; 0 skips)")
    llm.add_argument("--digest-llm-rate", type=float, default=2000.0, help="digest: output tokens/s per request (2000)")
    llm.add_argument("--digest-llm-concurrency", default="1,8,32", help="digest: concurrency levels (1,8,32)")
    args = parser.parse_args(argv)
    if args.quick:
        _QUICK.append(True)
        args.llm_rate, args.llm_latency = max(args.llm_rate, 20_000.0), min(args.llm_latency, 0.001)
        args.digest_llm_rate, args.digest_llm_reports = max(args.digest_llm_rate, 50_000.0), min(args.digest_llm_reports, 6)

    rows: list[BenchRow] = []
    corpus = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.txt"))] if args.corpus.is_dir() else []
    own = [p.read_text(encoding="utf-8") for p in sorted(args.samples.glob("*/*.md"))] if args.samples.is_dir() else []
    base = corpus or own
    if corpus:
        rows += bench_checker(corpus, "corpus")
        rows += bench_planted(corpus)
    if base:
        rows += bench_checker(generated_reports(base, args.generated), f"{args.generated} generated reports")
        from aidraft.check.bench import checker_rows

        rows += [BenchRow(name=n, value=v, unit=u, target=t) for n, v, u, t in checker_rows(base, bool(_QUICK))]
    if base:
        from aidraft.bench.digest import bench_digest

        rows += [BenchRow(name=name, value=value, unit=unit, target=DIGEST_TARGETS.get(unit, ""))
                 for name, value, unit in bench_digest(base, args.generated)]
    sample_notes = sorted(p for p in args.samples.glob("*/notes*") if p.suffix in (".md", ".txt"))
    if sample_notes:
        rows += bench_offline_draft(sample_notes)
    from aidraft.bench.startup import bench_startup

    rows += bench_startup(repeats=1 if _QUICK else 5)
    llm_info: dict[str, Any] = {}
    if not args.no_llm:
        llm_rows, llm_info = bench_llm(args, base, args.samples)
        rows += llm_rows
    host = machine()
    print_table(rows, host, args.markdown)
    for key in ("draft_server", "digest_server"):
        if key in llm_info:
            print(f"LLM {key.split('_')[0]} server: {llm_info[key]}")
    if args.out:
        from aidraft.files import write_text_atomic

        payload = {"machine": host, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "llm": llm_info,
                   "rows": [r.model_dump() for r in rows]}
        write_text_atomic(args.out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
