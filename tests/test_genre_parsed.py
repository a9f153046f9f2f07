"""Parsed genre files kept beside the bytecode: served only for the very bytes they were parsed
from, rewritten when damaged, and never needed (a folder that refuses writes only means parsing)."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from aidraft.genre import parsed
from aidraft.yamldata import read_yaml

DATA = {"counters": ["件", "次"], "nested": {"a": 1, "b": [1.5, None, True]}, 3: "int key"}


@pytest.fixture(autouse=True)
def _writes_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)


def counting(value: object) -> tuple[Callable[[str], object], list[str]]:
    calls: list[str] = []

    def parse(text: str) -> object:
        calls.append(text)
        return value

    return parse, calls


def source(tmp_path: Path, text: str = "a: 1\n") -> Path:
    path = tmp_path / "pkg" / "figures.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cached(path: Path) -> list[Path]:
    return sorted((path.parent / "__pycache__").glob(f"{path.name}.*{parsed.SUFFIX}"))


def test_second_load_comes_from_the_cache(tmp_path: Path) -> None:
    path = source(tmp_path)
    parse, calls = counting(DATA)
    assert parsed.load(path, path.read_bytes(), parse) == DATA
    assert parsed.load(path, path.read_bytes(), parse) == DATA
    assert len(calls) == 1
    assert len(cached(path)) == 1


def test_an_edited_file_is_parsed_again_and_replaces_the_old_version(tmp_path: Path) -> None:
    path = source(tmp_path, "a: 1\n")
    parse, calls = counting({"a": 1})
    parsed.load(path, path.read_bytes(), parse)
    assert calls == ["a: 1\n"]
    first = cached(path)
    path.write_text("a: 2\n", encoding="utf-8")
    parse2, calls2 = counting({"a": 2})
    assert parsed.load(path, path.read_bytes(), parse2) == {"a": 2}
    assert calls2 == ["a: 2\n"]
    assert cached(path) != first
    assert len(cached(path)) == 1


def test_another_interpreters_parsed_file_is_left_alone(tmp_path: Path) -> None:
    """A source tree run by two Pythons keeps one parsed file for each (as __pycache__ keeps a
    .pyc for each): neither deletes the other's."""
    path = source(tmp_path, "a: 1\n")
    other = path.parent / "__pycache__" / f"{path.name}.cpython-399.0123456789abcdef0123{parsed.SUFFIX}"
    other.parent.mkdir()
    other.write_bytes(b"kept by another interpreter")
    parsed.load(path, path.read_bytes(), counting(DATA)[0])
    path.write_text("a: 2\n", encoding="utf-8")
    parsed.load(path, path.read_bytes(), counting(DATA)[0])  # replaces this interpreter's version
    assert other.read_bytes() == b"kept by another interpreter"
    assert len(cached(path)) == 2


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xff" * 40], ids=["empty", "garbage", "bad-type"])
def test_a_damaged_cache_file_is_parsed_over(tmp_path: Path, damage: bytes) -> None:
    path = source(tmp_path)
    parsed.load(path, path.read_bytes(), counting(DATA)[0])
    (target,) = cached(path)
    target.write_bytes(damage)
    parse, calls = counting(DATA)
    assert parsed.load(path, path.read_bytes(), parse) == DATA
    assert len(calls) == 1
    assert parsed.load(path, path.read_bytes(), counting(None)[0]) == DATA  # rewritten whole


def test_no_writes_where_python_writes_no_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = source(tmp_path)
    parse, calls = counting(DATA)
    parsed.load(path, path.read_bytes(), parse)
    parsed.load(path, path.read_bytes(), parse)
    assert len(calls) == 2
    assert not (path.parent / "__pycache__").exists()


def test_a_folder_that_refuses_writes_only_means_parsing(tmp_path: Path) -> None:
    path = source(tmp_path)
    (path.parent / "__pycache__").write_text("a file where the folder would be", encoding="utf-8")
    parse, calls = counting(DATA)
    assert parsed.load(path, path.read_bytes(), parse) == DATA
    assert parsed.load(path, path.read_bytes(), parse) == DATA
    assert len(calls) == 2


def test_data_marshal_cannot_hold_is_not_cached(tmp_path: Path) -> None:
    path = source(tmp_path)
    value = {"since": datetime.date(2025, 1, 1)}  # YAML reads 2025-01-01 as a date
    parse, calls = counting(value)
    assert parsed.load(path, path.read_bytes(), parse) == value
    assert parsed.load(path, path.read_bytes(), parse) == value
    assert cached(path) == []
    assert len(calls) == 2


def test_the_cache_follows_pycache_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "prefix"
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    path = source(tmp_path)
    parsed.load(path, path.read_bytes(), counting(DATA)[0])
    assert not (path.parent / "__pycache__").exists()
    assert len(list(prefix.rglob(f"*{parsed.SUFFIX}"))) == 1


def bundled() -> list[str]:
    return sorted(p.name for p in resources.files("aidraft.genre").iterdir() if p.name.endswith(".yaml"))


@pytest.mark.parametrize("name", bundled())
def test_every_bundled_file_reads_the_same_from_the_cache(name: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    path = Path(str(resources.files("aidraft.genre").joinpath(name)))
    data = path.read_bytes()
    fresh = read_yaml(data.decode("utf-8"), name, trusted=True)

    def parse(text: str) -> object:
        return read_yaml(text, name, trusted=True)

    assert parsed.load(path, data, parse) == fresh
    assert parsed.load(path, data, counting(None)[0]) == fresh  # the second from the cache
