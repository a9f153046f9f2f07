"""Named OpenAI-compatible endpoints, read from ``presets.yaml`` next to this file.

The facts about each provider (URL, default model, key variable, which structured-output
methods it accepts) live in data, so fixing a provider quirk is a one-line YAML change.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from aidraft.errors import ConfigError, DataError
from aidraft.llm.base import STRUCTURED_METHODS, StructuredMethod
from aidraft.yamldata import mapping, read_yaml, validate

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"})
#: A server on this machine usually has one slot and a small GPU (or none): one request at a time,
#: and time for a long answer. Used for a local --base-url without a preset; presets say their own.
LOCAL_CONCURRENCY = 1
LOCAL_TIMEOUT_S = 600.0


class Preset(BaseModel):
    """One named endpoint."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    base_url: str
    model: str = ""
    key_env: str | None = None
    structured_methods: tuple[StructuredMethod, ...] = Field(default=STRUCTURED_METHODS, min_length=1)
    tool_choice: Literal["named", "auto"] = "named"
    token_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    concurrency: int | None = Field(default=None, ge=1, description="requests in flight unless --concurrency says")
    timeout_s: float | None = Field(default=None, gt=0, description="seconds per request unless --timeout says")


@lru_cache(maxsize=1)
def load_presets() -> dict[str, Preset]:
    """All presets by name (read once; a malformed file is a packaging bug → DataError)."""
    where = "aidraft/llm/presets.yaml"
    try:
        text = resources.files("aidraft.llm").joinpath("presets.yaml").read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read {where}: {exc}") from exc
    raw = mapping(read_yaml(text, where, error=DataError), where, error=DataError)
    return {
        name: validate(Preset, {**mapping(body, f"{where} {name}", error=DataError, empty_ok=True), "name": name},
                       f"{where} {name}", error=DataError)
        for name, body in raw.items()
    }


def preset_names() -> list[str]:
    return sorted(load_presets())


def get_preset(name: str) -> Preset:
    """The preset called ``name`` or a ConfigError listing the known ones."""
    presets = load_presets()
    try:
        return presets[name.strip().lower()]
    except KeyError:
        raise ConfigError(
            f"unknown preset {name!r}", hint=f"use one of {', '.join(preset_names())} or pass --base-url"
        ) from None


def key_env_names() -> list[str]:
    """Every conventional key variable the presets mention (Settings snapshots these)."""
    return sorted({p.key_env for p in load_presets().values() if p.key_env})


def is_local_url(base_url: str) -> bool:
    """Local servers (vLLM, Ollama, llama.cpp on this machine) need no API key."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")
