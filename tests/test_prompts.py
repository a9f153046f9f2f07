"""Prompt files: strict schema, strict rendering, predictable lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.errors import DataError
from aidraft.prompts import PromptTemplate, list_prompts, load_prompt, prompts_dir
from aidraft.settings import Settings

VARS = {"unit": "某市人民政府", "year": 2024, "text": "全面推进依法行政。"}


def test_example_loads_and_renders() -> None:
    template = load_prompt("example_echo")
    assert (template.name, template.version, template.prompt_id) == ("example_echo", "1", "example_echo@1")
    system, user = template.render(**VARS)
    assert (system.role, user.role) == ("system", "user")
    assert system.content == "你是某市人民政府2024年度法治政府建设情况报告的起草助手。"
    assert user.content.endswith("全面推进依法行政。")
    assert {system.prompt, user.prompt} == {"example_echo@1"}


@pytest.mark.parametrize("missing", sorted(VARS))
def test_missing_variable_names_template_and_variable(missing: str) -> None:
    variables = {k: v for k, v in VARS.items() if k != missing}
    with pytest.raises(DataError) as caught:
        load_prompt("example_echo").render(**variables)
    line = caught.value.one_line()
    assert "example_echo" in line and repr(missing) in line


def write(folder: Path, name: str, body: str) -> Settings:
    (folder / f"{name}.yaml").write_text(body, encoding="utf-8")
    return Settings(prompts_dir=folder)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("name: p\nversion: 1\nuser: hi\ntemperature: 0.2\n", "field 'temperature': Extra inputs are not permitted"),
        ("name: p\nuser: hi\n", "field 'version': Field required"),
        ("name: other\nversion: 1\nuser: hi\n", "must match the file name"),
        ("name: p\nversion: 1\nuser: '{{ a }'\n", "Jinja syntax error"),
        ("name: p\nversion: 1\nvariables: [a]\nuser: '{{ a }} {{ b }}'\n", "undeclared variables: b"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("name: p\nversion: 1\nuser: [unclosed\n", "not valid YAML at line 4"),
    ],
)
def test_malformed_files_are_data_errors(tmp_path: Path, body: str, problem: str) -> None:
    settings = write(tmp_path, "p", body)
    with pytest.raises(DataError) as caught:
        load_prompt("p", settings=settings)
    assert problem in caught.value.one_line()


@pytest.mark.parametrize("name", ["nope", "../etc/passwd", "a b"])
def test_unknown_or_unsafe_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataError):
        load_prompt(name, settings=Settings(prompts_dir=tmp_path))


def test_version_may_be_a_number_and_system_is_optional(tmp_path: Path) -> None:
    settings = write(tmp_path, "p", "name: p\nversion: 2.1\nuser: '{% if x %}有{% else %}无{% endif %}'\n")
    template = load_prompt("p", settings=settings)
    assert template.version == "2.1"
    (only,) = template.render(x=True)
    assert (only.role, only.content) == ("user", "有")


def test_lookup_order(tmp_path: Path) -> None:
    assert (prompts_dir() / "example_echo.yaml").is_file()
    assert prompts_dir(Settings(prompts_dir=tmp_path)) == tmp_path
    assert "example_echo" in list_prompts()
    write(tmp_path, "mine", "name: mine\nversion: 1\nuser: hi\n")
    assert list_prompts(Settings(prompts_dir=tmp_path)) == ["mine"]


def test_template_model_is_strict() -> None:
    with pytest.raises(ValueError):
        PromptTemplate.model_validate({"name": "x", "version": "1", "user": "u", "extra": 1})
