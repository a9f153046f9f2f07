"""Small jobs pay only for their own imports: the CLI loads a command's module when it runs, and
``check``/``lint``/``parse`` never load python-docx, Jinja2, cn2an, pydantic-settings, click or the
model client, nor PyYAML once the genre files' parsed forms are kept. (The CPU-time target itself
lives in the bench, not in a timed test.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("docx", "jinja2", "cn2an", "pydantic_settings", "openai", "langchain_core", "langchain_openai",
         "tiktoken", "openpyxl", "fastapi", "click", "yaml", "aidraft.digest", "aidraft.draft",
         "aidraft.cli.draft_cmd")
# the console script's own path (aidraft.cli.entry), listing the modules from an exit handler
RUN_AND_LIST = (
    "import atexit, sys\n"
    "sys.dont_write_bytecode = False\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules)))\n"
    "from aidraft.cli.entry import run\n"
    "run()\n"
)


def loaded_modules(args: list[str], cache: Path) -> set[str]:
    """The modules ``aidraft ARGS`` loaded, run twice with bytecode (and parsed genre files) kept
    under ``cache``: what an installed package loads from its second run on."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
           "PYTHONPYCACHEPREFIX": str(cache)}
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *args], capture_output=True, text=True,
                              env=env, timeout=120, check=False)
    _, _, listed = proc.stderr.rpartition("\nMODULES ")
    assert listed, proc.stderr
    return set(listed.split())


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "report.md"
    path.write_text("# 某区司法局2025年法治政府建设情况报告\n一、主要举措\n全年办理行政复议案件十二件，同比增长3.5%。\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["lint", "{r}"], ["check", "{r}", "--notes", "{r}"], ["parse", "{r}"],
                                     ["check", "{r}", "--json"]])
def test_small_commands_skip_heavy_imports(command: list[str], report: Path, tmp_path: Path) -> None:
    modules = loaded_modules([arg.format(r=report) for arg in command], tmp_path / "pycache")
    assert f"aidraft.cli.{command[0]}_cmd" in modules  # the command really ran
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or any(m.startswith(h + ".") or m == h
                                                                         for h in HEAVY))
    assert heavy == []


def test_help_lists_every_command() -> None:
    from typer.testing import CliRunner

    from aidraft.cli.app import COMMANDS, app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_unknown_command_is_refused() -> None:
    from typer.testing import CliRunner

    from aidraft.cli.app import app

    result = CliRunner().invoke(app, ["nosuch"])
    assert result.exit_code == 2
