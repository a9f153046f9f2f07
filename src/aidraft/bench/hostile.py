"""Hostile-input figures: every command on 1 MB inputs of many shapes, time and peak memory.

``python -m aidraft.bench.hostile`` prints one row per (shape, command): wall seconds, the
child's peak resident memory (MB) and how it ended (exit code, first line of its error). The
targets (< 20 s, < 300 MB for any 1 MB input) are printed beside the figures, never asserted in
tests: timings depend on the machine. Each run is a fresh ``python -m aidraft`` process, so its
peak memory is its own (``os.wait4``).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aidraft.ingest.read import MAX_LINE_CHARS, MAX_TEXT_CHARS
from aidraft.strict import Strict

SIZE = 1024 * 1024
TARGET_S = 20.0
TARGET_MB = 300.0


class HostileRow(Strict):
    shape: str
    command: str
    seconds: float
    peak_mb: float
    exit_code: int
    message: str

    @property
    def within(self) -> bool:
        return self.seconds < TARGET_S and self.peak_mb < TARGET_MB


def _fill(unit: str, size: int = SIZE) -> str:
    """``unit`` repeated to about ``size`` UTF-8 bytes."""
    return unit * max(1, size // len(unit.encode("utf-8")))


def _lines(make: Callable[[int], str], size: int = SIZE) -> str:
    out: list[str] = []
    total = 0
    i = 0
    while total < size:
        line = make(i)
        out.append(line)
        total += len(line.encode("utf-8")) + 1
        i += 1
    return "\n".join(out) + "\n"


def shapes(seed: int = 0) -> dict[str, bytes]:
    """1 MB inputs an adversary (or an accident) might hand any command."""
    rng = random.Random(seed)
    figures = "交办信访事项12件，化解11件，化解率91.7%，同比增长3.5个百分点"
    return {
        "one-line-figures": _fill("交办12件化解3件办结率25%").encode(),
        "one-line-no-break": _fill("信访工作法治化").encode(),
        "one-line-digits": _fill("1234567890").encode(),
        "long-lines-figures": _lines(lambda i: _fill(figures + "，", 9_000)).encode(),
        "short-lines-figures": _lines(lambda i: f"- {figures}，第{i}批").encode(),
        "headings-only": _lines(lambda i: f"{'一二三四五六七八九十'[i % 10]}、第{i}部分").encode(),
        "bullets-nested": _lines(lambda i: "  " * (i % 40) + f"- 事项{i}：受理{i % 97}件").encode(),
        "personal-data": _lines(lambda i: f"信访人张{'伟芳军'[i % 3]}（电话138{i % 10**8:08d}）、王某某、李女士家住东山村{i % 9}组{i % 50}号").encode(),
        "punctuation-storm": _fill("，。；！？、（）《》“”").encode(),
        "random-bytes": rng.randbytes(SIZE),
        "gbk-prose": _lines(lambda i: f"全年共受理群众来信来访{i}件次，按期办结率达到百分之九十以上。", SIZE).encode("gb18030"),
        # the largest inputs the caps let through: just under MAX_TEXT_CHARS, lines just under MAX_LINE_CHARS
        "at-cap-long-lines": _capped(lambda i: (figures + "，") * ((MAX_LINE_CHARS - 100) // (len(figures) + 1))),
        "at-cap-short-lines": _capped(lambda i: f"- {figures}，第{i}批"),
        # figures found apart from the main scan (ranks, fractions, table cells) beside ordinary ones
        "at-cap-ranks-fractions": _capped(lambda i: f"全市排名第{i % 9 + 1}，办理{i}件，完成三成，百分之{'一二三四五'[i % 5]}十"),
        "at-cap-table-rows": _capped(lambda i: f"| 第{i}项 | {i % 97}件 | {i % 89}件 | {i % 13}.5% |"),
        "at-cap-prose": _capped(lambda i: f"全年共受理群众来信来访{i}件次，按期办结率达到百分之九十以上。"),
    }


def _capped(make: Callable[[int], str]) -> bytes:
    """Lines from ``make`` up to just under MAX_TEXT_CHARS characters."""
    out: list[str] = ["---", "office: 青溪县信访局", "year: 2025", "---"]  # so draft gets past the office
    total = sum(len(line) + 1 for line in out)
    i = 0
    while total + len(line := make(i)) + 1 < MAX_TEXT_CHARS - 1000:
        out.append(line)
        total += len(line) + 1
        i += 1
    return ("\n".join(out) + "\n").encode("utf-8")


def _run(args: list[str], cwd: Path, timeout: float) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, first stderr line) of one child process."""
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "aidraft", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=err)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    lines = [line for line in err.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, child.returncode, (lines[-1] if lines else "")[:100]


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    return {
        "parse": ["parse", str(path), "--json"],
        "lint": ["lint", str(path), "--json"],
        "check": ["check", str(path), "--notes", str(path), "--json"],
        "draft": ["draft", str(path), "-o", str(out / "report.docx")],
        "digest": ["digest", str(path), "-o", str(out / "digest.docx")],
    }


def measure(timeout: float = 60.0, only: set[str] | None = None, only_commands: set[str] | None = None) -> list[HostileRow]:
    rows: list[HostileRow] = []
    with tempfile.TemporaryDirectory(prefix="aidraft-hostile-") as tmp:
        root = Path(tmp)
        for shape, data in shapes().items():
            if only and shape not in only:
                continue
            path = root / f"{shape}.txt"
            path.write_bytes(data)
            for command, args in commands(path, root / "out").items():
                if only_commands and command not in only_commands:
                    continue
                seconds, peak, code, message = _run(args, root, timeout)
                rows.append(HostileRow(shape=shape, command=command, seconds=round(seconds, 2),
                                       peak_mb=round(peak, 1), exit_code=code, message=message))
                print(_format(rows[-1]), flush=True)
    return rows


def _format(row: HostileRow) -> str:
    flag = "ok  " if row.within else "OVER"
    return (f"{flag} {row.shape:<22} {row.command:<7} {row.seconds:7.2f} s {row.peak_mb:8.1f} MB "
            f"exit {row.exit_code:<3} {row.message}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="kill a run after this many seconds")
    parser.add_argument("--shape", action="append", help="only these shapes (repeatable)")
    parser.add_argument("--command", action="append", help="only these commands (repeatable)")
    args = parser.parse_args(argv)
    print(f"targets: < {TARGET_S:.0f} s and < {TARGET_MB:.0f} MB for any 1 MB input")
    rows = measure(args.timeout, set(args.shape) if args.shape else None,
                   set(args.command) if args.command else None)
    over = [r for r in rows if not r.within]
    print(f"{len(rows) - len(over)}/{len(rows)} runs within the targets; worst "
          f"{max(r.seconds for r in rows):.1f} s, {max(r.peak_mb for r in rows):.0f} MB")


if __name__ == "__main__":
    main()
