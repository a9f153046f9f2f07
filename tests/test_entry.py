"""The process entry point ends a process quickly without losing what an ordinary exit keeps: the
exit status, exit handlers, and output written to a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aidraft.cli.entry import exit_status

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (130, 130), ("message", 1)])
def test_exit_status_is_what_sys_exit_gives(code: object, status: int) -> None:
    assert exit_status(code) == status


def run_entry(prelude: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = f"import atexit, sys, threading\n{prelude}\nfrom aidraft.cli.entry import run\nrun()\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTHONUNBUFFERED", None)  # output sits in buffers until flushed, as in a real pipe
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120,
                          check=False)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text("某县司法局2025年法治政府建设情况报告\n一、主要举措\n全年办理行政复议案件十二件。\n", encoding="utf-8")
    return path


def test_output_exit_handlers_and_status_survive_the_quick_exit(report: Path) -> None:
    proc = run_entry("atexit.register(lambda: print('HANDLER RAN', file=sys.stderr))", "lint", str(report))
    assert proc.returncode == 0, proc.stderr
    assert str(report) in proc.stdout  # buffered output reached the pipe
    assert "HANDLER RAN" in proc.stderr


def test_an_error_keeps_its_status_and_line(tmp_path: Path) -> None:
    proc = run_entry("", "lint", str(tmp_path / "missing.md"))
    assert proc.returncode == 2
    assert "aidraft:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_running_thread_gets_the_ordinary_exit(report: Path) -> None:
    """A non-daemon thread still working is waited for, as Python's own exit would."""
    prelude = ("import time\n"
               "def late():\n    time.sleep(0.3)\n    print('THREAD DONE', flush=True)\n"
               "threading.Thread(target=late).start()")
    proc = run_entry(prelude, "lint", str(report))
    assert proc.returncode == 0, proc.stderr
    assert "THREAD DONE" in proc.stdout


def test_the_named_command_loads_with_the_collector_off(report: Path) -> None:
    """The command's modules are imported before parsing, inside the collector-off window (so they
    are frozen with the rest), and a command module that fails to import still ends in the usual
    handled error, not a traceback from the entry point."""
    prelude = ("import gc, sys\n"
               "seen = []\n"
               "class Spy:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name == 'aidraft.cli.lint_cmd': seen.append(gc.isenabled())\n"
               "        return None\n"
               "sys.meta_path.insert(0, Spy())\n"
               "atexit.register(lambda: print('LOADED WITH GC', seen, file=sys.stderr))")
    proc = run_entry(prelude, "lint", str(report))
    assert proc.returncode == 0, proc.stderr
    assert "LOADED WITH GC [False]" in proc.stderr
    broken = ("import sys, types\n"
              "class Broken:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name == 'aidraft.cli.lint_cmd': raise ImportError('simulated')\n"
              "        return None\n"
              "sys.meta_path.insert(0, Broken())")
    proc = run_entry(broken, "lint", str(report))
    assert proc.returncode == 1 and "simulated" in proc.stderr and "run()" not in proc.stderr
