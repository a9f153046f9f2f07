"""Settings and endpoint resolution: secrets never leak, errors name the fix, presets are sane."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from aidraft.errors import ConfigError
from aidraft.llm.presets import key_env_names, load_presets
from aidraft.llm.endpoint import Endpoint
from aidraft.settings import Settings

SECRET = "sk-test-SECRET123"
SRC = Path(__file__).resolve().parents[1] / "src" / "aidraft"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests must not see the developer's real keys or AIDRAFT_* settings."""
    import os

    for name in list(os.environ):
        if name.startswith("AIDRAFT_") or name in key_env_names():
            monkeypatch.delenv(name)


RENDERERS: list[Callable[[object], str]] = [
    repr,
    str,
    lambda obj: obj.model_dump_json(),  # type: ignore[attr-defined]
    lambda obj: str(obj.model_dump()),  # type: ignore[attr-defined]
]


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("source", ["cli", "aidraft_env", "provider_env"])
def test_key_never_shown(render: Callable[[object], str], source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if source == "aidraft_env":
        monkeypatch.setenv("AIDRAFT_API_KEY", SECRET)
    elif source == "provider_env":
        monkeypatch.setenv("DEEPSEEK_API_KEY", SECRET)
    settings = Settings.from_cli(preset="deepseek", api_key=SECRET if source == "cli" else None)
    endpoint = settings.resolve_endpoint()
    assert endpoint.api_key.get_secret_value() == SECRET
    for obj in (settings, endpoint):
        assert SECRET not in render(obj)


@pytest.mark.parametrize(
    ("preset", "env"),
    [
        ("deepseek", "DEEPSEEK_API_KEY"),
        ("qwen", "DASHSCOPE_API_KEY"),
        ("glm", "ZHIPUAI_API_KEY"),
        ("moonshot", "MOONSHOT_API_KEY"),
        ("openai", "OPENAI_API_KEY"),
    ],
)
def test_missing_key_names_the_variable(preset: str, env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_cli(preset=preset).resolve_endpoint()
    line = caught.value.one_line()
    assert f"set {env} or pass --api-key" in line
    assert "\n" not in line
    monkeypatch.setenv(env, SECRET)
    assert Settings.from_cli(preset=preset).resolve_endpoint().key_env == env


@pytest.mark.parametrize(
    ("overrides", "base_url"),
    [
        ({"preset": "ollama", "model": "qwen2.5:7b"}, "http://127.0.0.1:11434/v1"),
        ({"preset": "vllm", "model": "Qwen/Qwen2.5-7B-Instruct"}, "http://127.0.0.1:8000/v1"),
        ({"preset": "llamacpp"}, "http://127.0.0.1:8080/v1"),
        ({"base_url": "http://localhost:1234/v1/", "model": "m"}, "http://localhost:1234/v1"),
    ],
)
def test_local_endpoints_need_no_key(overrides: dict[str, str], base_url: str) -> None:
    endpoint = Settings.from_cli(**overrides).resolve_endpoint()
    assert endpoint.is_local
    assert endpoint.base_url == base_url
    assert endpoint.api_key.get_secret_value()  # a placeholder: the client refuses empty keys


@pytest.mark.parametrize(
    ("overrides", "fix"),
    [
        ({}, "--preset"),
        ({"backend": "openai"}, "--base-url"),
        ({"base_url": "https://llm.example.gov.cn/v1", "model": "m"}, "set AIDRAFT_API_KEY or pass --api-key"),
        ({"base_url": "https://llm.example.gov.cn/v1"}, "--model"),
        ({"preset": "vllm"}, "--model"),
        ({"preset": "no-such"}, "deepseek"),
    ],
)
def test_config_errors_name_the_fix(overrides: dict[str, str], fix: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_cli(**overrides).resolve_endpoint()
    assert fix in caught.value.one_line()


@pytest.mark.parametrize(
    ("overrides", "backend"),
    [({}, "offline"), ({"preset": "qwen"}, "openai"), ({"base_url": "http://127.0.0.1:9/v1"}, "openai")],
)
def test_backend_inferred_from_endpoint(overrides: dict[str, str], backend: str) -> None:
    assert Settings.from_cli(**overrides).backend == backend


def test_env_is_read_and_cli_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIDRAFT_PRESET", "qwen")
    monkeypatch.setenv("AIDRAFT_MODEL", "qwen-max")
    monkeypatch.setenv("AIDRAFT_CONCURRENCY", "8")
    monkeypatch.setenv("DASHSCOPE_API_KEY", SECRET)
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_cli(model="qwen-turbo", concurrency=None)
    assert (settings.preset, settings.model, settings.concurrency) == ("qwen", "qwen-turbo", 8)
    assert settings.cache_dir == tmp_path / ".aidraft-cache"
    assert settings.resolve_endpoint().model == "qwen-turbo"


def test_defaults() -> None:
    settings = Settings()
    assert (settings.concurrency, settings.max_repair_rounds, settings.mask_personal_data) == (4, 1, True)
    assert settings.backend == "offline" and settings.debug is False


def test_unknown_override_is_rejected() -> None:
    with pytest.raises(ConfigError, match="--concurency=3"):
        Settings.from_cli(concurency=3)


@pytest.mark.parametrize(
    ("preset", "first_method"),
    [("deepseek", "json_mode"), ("qwen", "function_calling"), ("openai", "json_schema"), ("ollama", "json_mode")],
)
def test_preset_structured_methods(preset: str, first_method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDRAFT_API_KEY", SECRET)
    endpoint: Endpoint = Settings.from_cli(preset=preset, model="m").resolve_endpoint()
    assert endpoint.structured_methods[0] == first_method
    assert "json_schema" not in Settings.from_cli(preset="deepseek", model="m").resolve_endpoint().structured_methods


def test_every_preset_is_complete() -> None:
    presets = load_presets()
    assert {"deepseek", "qwen", "glm", "moonshot", "openai", "vllm", "ollama", "llamacpp"} <= set(presets)
    for preset in presets.values():
        assert preset.base_url.startswith(("https://", "http://127.0.0.1"))
        assert preset.base_url.startswith("http://") or preset.key_env, preset.name


def _python_sources() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts]


#: Pre-existing readers to migrate onto Settings (cli/app.py passes --debug via AIDRAFT_DEBUG).
KNOWN_ENV_READERS = {"cli/app.py"}


def test_only_settings_reads_the_environment() -> None:
    offenders = {
        str(p.relative_to(SRC))
        for p in _python_sources()
        if p.name != "settings.py" and re.search(r"os\.environ|os\.getenv|getenv\(", p.read_text(encoding="utf-8"))
    }
    assert offenders <= KNOWN_ENV_READERS, "read configuration through aidraft.settings.Settings"


def test_only_llm_package_imports_model_sdks() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(openai|langchain\w*)\b", re.MULTILINE)
    offenders = [
        str(p.relative_to(SRC))
        for p in _python_sources()
        if "llm" not in p.relative_to(SRC).parts[:1] and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AIDRAFT_CONCURRENCY", "abc"), ("AIDRAFT_CONCURRENCY", "0"), ("AIDRAFT_MASK", "sometimes"),
     ("AIDRAFT_TIMEOUT_S", "soon")],
)
def test_a_bad_environment_value_is_one_line_naming_it(variable: str, value: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        Settings()
    line = caught.value.one_line()
    assert line.startswith(f"{variable}={value}") and "\n" not in line and "pydantic" not in line
