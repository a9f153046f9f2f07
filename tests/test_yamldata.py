"""The one YAML-into-pydantic loader: one error format, and hostile YAML as one line (never a
traceback, a hang or an object built from a python tag)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from aidraft.errors import InputError
from aidraft.evals.cases import load_case
from aidraft.parse.notes import parse_notes
from aidraft.yamldata import load_yaml
from aidraft.yamlparse import MAX_DEPTH

# Spread over short lines: the input cap refuses any line over 3,000 characters before YAML sees it.
DEEP = "a: " + ("[" * 100 + "\n  ") * 50 + ("]" * 100 + "\n  ") * 50 + "\n"
DEEP_MAP = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
PYTHON_TAG = "a: !!python/object/apply:os.system ['echo hacked']\n"
CUSTOM_TAG = "a: !secret value\n"
RECURSIVE = "a: &a [*a]\n"

HOSTILE = [
    pytest.param(DEEP, f"nested deeper than {MAX_DEPTH} levels", id="deep-flow"),
    pytest.param(DEEP_MAP, f"nested deeper than {MAX_DEPTH} levels", id="deep-block"),
    pytest.param(BOMB, "aliases expand to more than", id="billion-laughs"),
    pytest.param(PYTHON_TAG, "could not determine a constructor", id="python-tag"),
    pytest.param(CUSTOM_TAG, "could not determine a constructor", id="unknown-tag"),
]


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int
    office: str = ""


@pytest.mark.parametrize(("text", "problem"), HOSTILE)
def test_hostile_yaml_is_one_line(text: str, problem: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_yaml(text, Loose, "x.yaml")
    message = caught.value.one_line()
    assert message.startswith("x.yaml: ") and problem in message and "\n" not in message
    assert time.perf_counter() - started < 5  # refused, not expanded


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year: [1\n", "x.yaml: not valid YAML at line 2"),
        ("- a list\n", "x.yaml: must be a YAML mapping"),
        ("year: 二〇二五\n", "x.yaml: field 'year': Input should be a valid integer"),
        ("year: 2025\nofice: 青溪县信访局\n", "x.yaml: field 'ofice': Extra inputs are not permitted"),
        ("office: x\n", "x.yaml: field 'year': Field required"),
    ],
)
def test_one_error_format(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(text, Strict, "x.yaml")
    assert caught.value.one_line().startswith(message)


def test_a_recursive_alias_is_refused_by_the_model_not_a_crash() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(RECURSIVE, Strict, "x.yaml")
    assert caught.value.one_line().startswith("x.yaml: ")


def test_ordinary_anchors_still_load() -> None:
    got = load_yaml("base: &b {office: 青溪县信访局}\nyear: 2025\noffice: x\n", Loose, "x.yaml")
    assert got.model_dump()["base"] == {"office": "青溪县信访局"}


@pytest.mark.parametrize(("text", "problem"), HOSTILE)
def test_hostile_front_matter_in_notes(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_notes(f"---\n{text}---\n- 开展宣讲12场\n", "notes.md")


@pytest.mark.parametrize(("text", "problem"), HOSTILE)
def test_hostile_eval_case(tmp_path: Path, text: str, problem: str) -> None:
    case = tmp_path / "bad.yaml"
    case.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_case(case, tmp_path)
