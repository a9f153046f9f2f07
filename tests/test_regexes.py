"""Compiled patterns kept between runs: a kept pattern is the object re.compile gives (same code,
flags and groups), for every pattern the package compiles; damage, edits and refused writes only
mean compiling afresh; and a second run compiles nothing."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import aidraft
from aidraft import pycache, regexes

TRICKY = [
    ("", 0),
    ("plain", 0),
    (r"(?P<whole>\d+(?:\.\d+)?)(?P<unit>万|亿)?", 0),
    (r"^\s*(?P<ord>[一二三四五六七八九十]+)、", re.MULTILINE),
    (r"(?i)abc(?=x)|(?<=y)def", 0),
    (r"(a)?(?(1)b|c)", 0),
    (r"(\w)\1", re.UNICODE),
    (r"[\u3400-\u9fff\uf900-\ufaff]+", 0),
    (r"[^，。；\n]{0,8}?", re.DOTALL),
    (r"  a  b  # comment", re.VERBOSE),
    (r"(?:万|亿|千)*$", 0),
    (r"[{starts}](?<=(?=(?P<whole>ab|cd)).)", 0),
    (r"\bword\b", re.ASCII | re.IGNORECASE),
    ("|".join(f"短语{i}" for i in range(300)), 0),
]


def same(kept: re.Pattern[str], fresh: re.Pattern[str]) -> None:
    assert kept == fresh  # CPython compares pattern, flags and the compiled code
    assert (kept.flags, kept.groups, kept.groupindex) == (fresh.flags, fresh.groups, fresh.groupindex)


@pytest.fixture
def kept_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return kept_in_tmp(tmp_path, monkeypatch)


def kept_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Kept files under ``tmp_path``, this process's patterns forgotten, nothing saved at exit."""
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(regexes, "_kept", None)
    monkeypatch.setattr(regexes, "_used", {})
    monkeypatch.setattr(regexes, "_save_registered", True)
    return tmp_path


def next_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: only the file."""
    monkeypatch.setattr(regexes, "_kept", None)
    monkeypatch.setattr(regexes, "_used", {})


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pattern: str, flags: int) -> regexes.Parts:
        raise AssertionError(f"compiled afresh: {pattern!r}")

    monkeypatch.setattr(regexes, "_compile_parts", refuse)


@pytest.mark.parametrize(("pattern", "flags"), TRICKY)
def test_kept_pattern_is_what_re_compile_gives(pattern: str, flags: int, kept_in: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    same(regexes.compile(pattern, flags), re.compile(pattern, flags))  # compiled, kept
    regexes.save()
    next_process(monkeypatch)
    no_compiling(monkeypatch)
    same(regexes.compile(pattern, flags), re.compile(pattern, flags))  # from the file


def package_patterns() -> list[regexes.Key]:
    """The patterns the package compiles: at import, and on first use in the figure lexicon, lint,
    privacy masking and parsing."""
    for module in pkgutil.walk_packages(aidraft.__path__, "aidraft."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    from aidraft.figures.lexicon import lexicon
    from aidraft.lint.run import lint_text
    from aidraft.parse.notes import parse_notes
    from aidraft.parse.structure import parse_text
    from aidraft.privacy.mask import scrub

    sample = "一、主要举措\n全年受理信访事项120件，同比增长3.5%；张某某（电话13800138000）来访。\n二、存在的问题\n"
    lint_text(sample)
    parse_text(sample)
    parse_notes("# 某县信访局2025年工作要点\n- 计划：明年开展专项治理。\n")
    scrub(sample)
    _ = lexicon().figure_re, lexicon().fixed_re
    return list(regexes._used)


def test_every_pattern_of_the_package_is_kept_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = package_patterns()  # in this process's own state, then kept under tmp
    assert len(keys) > 100
    kept_in_tmp(tmp_path, monkeypatch)
    for pattern, flags in keys:
        same(regexes.compile(pattern, flags), re.compile(pattern, flags))
    regexes.save()
    next_process(monkeypatch)
    no_compiling(monkeypatch)
    for pattern, flags in keys:
        same(regexes.compile(pattern, flags), re.compile(pattern, flags))


@pytest.mark.parametrize("pattern", ["(unclosed", "[z-a]", r"(?P<x>a)(?P<x>b)", "a{2,1}", "*"])
def test_a_bad_pattern_fails_as_re_compile_does(pattern: str, kept_in: Path) -> None:
    with pytest.raises(re.error) as fresh:
        re.compile(pattern)
    with pytest.raises(re.error) as kept:
        regexes.compile(pattern)
    assert str(kept.value) == str(fresh.value)
    assert regexes._kept == {}


def damaged_file(target: Path) -> None:
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\x00not marshal")


def damaged_entry(target: Path) -> None:
    pycache.write(target, regexes.NAME, {("a+b", 0): (32, [999, 1, 2], 0, {}, ())})


@pytest.mark.parametrize("damage", [damaged_file, damaged_entry])
def test_damage_is_compiled_over(damage: Callable[[Path], None], kept_in: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = regexes.kept_file()
    assert target is not None
    damage(target)
    same(regexes.compile("a+b"), re.compile("a+b"))
    regexes.save()
    next_process(monkeypatch)
    no_compiling(monkeypatch)
    same(regexes.compile("a+b"), re.compile("a+b"))


def test_changed_compiler_internals_fall_back_to_re_compile(kept_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexes, "_compile_parts", lambda pattern, flags: (_ for _ in ()).throw(AttributeError("_code")))
    same(regexes.compile(r"(?P<n>\d+)件"), re.compile(r"(?P<n>\d+)件"))
    assert regexes._kept == {}


def test_no_file_where_bytecode_is_not_written(kept_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    regexes.compile("x+")
    regexes.save()
    assert list(kept_in.rglob(f"*{pycache.SUFFIX}")) == []


def test_another_interpreter_keeps_its_own_file(kept_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = regexes.kept_file()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert regexes.kept_file() not in (None, mine)


def test_a_run_merges_with_the_file_and_the_cap_keeps_what_it_used(kept_in: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    regexes.compile("one")
    regexes.save()
    next_process(monkeypatch)
    regexes.compile("two")
    regexes.save()
    target = regexes.kept_file()
    assert target is not None
    assert set(pycache.read(target)) == {("one", 0), ("two", 0)}  # type: ignore[arg-type]
    next_process(monkeypatch)
    monkeypatch.setattr(regexes, "MAX_KEPT", 2)
    regexes.compile("three")
    regexes.save()
    assert set(pycache.read(target)) == {("three", 0)}  # type: ignore[arg-type]


#: re.compile anywhere, or a module-level re function handed a fixed pattern (re.sub(r"\s+", …)
#: compiles it through re's in-process cache, afresh in every process).
AROUND_THE_KEPT = re.compile(r"\bre\.compile\(|\bre\.(?:sub|subn|match|search|fullmatch|findall|finditer|split)\((?:[rbu]|rb|br)?[\"']")


def test_no_module_compiles_around_the_kept_patterns() -> None:
    """One home: a module that compiled a fixed pattern itself would compile it at every start."""
    src = Path(aidraft.__file__).parent
    offenders = [f"{path.relative_to(src)}:{number}"
                 for path in sorted(src.rglob("*.py")) if path.name != "regexes.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if AROUND_THE_KEPT.search(line) and not line.lstrip().startswith(("#", '"', "``"))]
    assert offenders == []


@pytest.mark.parametrize("line", ['x = re.compile("a")', 'return re.sub(r"\\s+", "", t)', "re.search('b', t)",
                                  'for m in re.finditer(r"《", t):', 'parts = re.split(rb"/", name)'])
def test_the_one_home_rule_sees_fixed_patterns(line: str) -> None:
    assert AROUND_THE_KEPT.search(line)


@pytest.mark.parametrize("line", ['re.search(f"《{re.escape(w)}》", t)', "re.escape(word)", "TITLE.sub('', t)",
                                  "re.finditer(pattern, t)"])
def test_the_one_home_rule_leaves_patterns_built_from_input(line: str) -> None:
    assert not AROUND_THE_KEPT.search(line)


RUN_AND_REPORT = (
    "import atexit, sys\n"
    "sys.dont_write_bytecode = False\n"
    "def report():\n"
    "    from aidraft import regexes\n"
    "    sys.stderr.write(f'\\nKEPT {len(regexes._used)} {regexes._save_registered}')\n"
    "atexit.register(report)\n"
    "from aidraft.cli.entry import run\n"
    "run()\n"
)


@pytest.mark.parametrize("command", [["check", "{n}", "--notes", "{n}"], ["lint", "{n}"],
                                     ["draft", "{n}", "-o", "{out}"]])
def test_a_second_run_compiles_nothing(command: list[str], tmp_path: Path) -> None:
    """Every pattern a command needs is kept by its first run: the patterns a run builds from the
    genre files come out the same in every process (hash order would spell them differently)."""
    notes = tmp_path / "notes.md"
    notes.write_text("# 某县信访局2025年工作要点\n- 全年受理信访事项1,234件，同比下降5.1%。\n"
                     "- 按期办结率达到98%\n# 存在的问题\n- 基层调解力量不足\n", encoding="utf-8")
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
           "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    args = [arg.format(n=notes, out=tmp_path / "draft.docx") for arg in command]
    runs = [subprocess.run([sys.executable, "-c", RUN_AND_REPORT, *args], capture_output=True, text=True,
                           env={**env, "PYTHONHASHSEED": str(seed)}, timeout=120, check=False) for seed in (1, 2)]
    (first_kept, first_new), (second_kept, second_new) = (run.stderr.rpartition("\nKEPT ")[2].split() for run in runs)
    seconds = re.compile(r"[0-9]+\.[0-9]+s\b")  # the run's own timing may differ by a tick
    assert seconds.sub("…s", runs[0].stdout) == seconds.sub("…s", runs[1].stdout)
    assert first_new == "True"  # the first run compiled and kept
    assert second_new == "False"  # the second compiled nothing afresh
    assert int(second_kept) == int(first_kept) > 10
