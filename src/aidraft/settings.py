"""All configuration in one object, read from ``AIDRAFT_*`` variables plus explicit CLI overrides.

This is the only module that reads the process environment: everything else receives a
``Settings`` (or the ``Endpoint`` it resolves), which keeps tests hermetic and makes "where did
this value come from" a one-file question. Keys are ``SecretStr`` so no repr, log line or JSON
dump can show them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from aidraft.errors import ConfigError
from aidraft.messages import msg
from aidraft.redact import register_secret
from aidraft.llm.base import ChatModel, StructuredMethod
from aidraft.llm.endpoint import GENERIC_KEY_ENV, Endpoint
from aidraft.llm.presets import (
    LOCAL_CONCURRENCY,
    LOCAL_TIMEOUT_S,
    Preset,
    get_preset,
    is_local_url,
    key_env_names,
    preset_names,
)

#: OpenAI-compatible local servers ignore the key, but the client refuses an empty one.
LOCAL_PLACEHOLDER_KEY = "EMPTY"


class Settings(BaseSettings):
    """aidraft configuration. Build with :meth:`from_cli` so ``None`` flags mean "not given"."""

    model_config = SettingsConfigDict(env_prefix="AIDRAFT_", extra="forbid", validate_default=True)

    backend: Literal["offline", "openai"] | None = None
    preset: str | None = None
    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    concurrency: int = Field(default=4, ge=1, le=64)
    review: bool = Field(default=True, description="the whole-report review pass after the sections (model, then code)")
    max_repair_rounds: int = Field(default=1, ge=0, le=1, description="re-asks of a section that fails the checks")
    max_output_tokens: int | None = Field(default=None, ge=16, description="cap on tokens per model answer")
    temperature: float | None = Field(default=0.3, ge=0, le=2)
    structured_methods: list[StructuredMethod] | None = None
    cache_dir: Path = Path(".aidraft-cache")
    use_cache: bool = True
    prompts_dir: Path | None = None
    mask_personal_data: bool = True
    mask: Literal["auto", "always", "never"] = Field(
        default="auto", description="auto: mask for non-local endpoints; always (--mask, AIDRAFT_MASK=always): "
                                    "for every endpoint, shared 'local' servers included; never: --no-mask")
    debug: bool = False
    lang: Literal["zh", "en"] | None = Field(default=None, description="CLI language; default from the locale")

    _env_keys: dict[str, SecretStr] = PrivateAttr(default_factory=dict)
    _locale: str = PrivateAttr(default="")

    def __init__(self, **values: Any) -> None:
        """A bad value (AIDRAFT_CONCURRENCY=abc) is one line naming the variable, not a traceback."""
        try:
            super().__init__(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            name = f"{self.model_config.get('env_prefix', '')}{field}".upper() if field not in values else f"--{field}"
            raise ConfigError(msg("settings.invalid", name=name, value=str(first.get("input", ""))[:40],
                                  reason=first["msg"]), hint=msg("settings.invalid.hint")) from None

    @classmethod
    def from_cli(cls, **overrides: Any) -> Settings:
        """Environment first, then every CLI flag that was actually given (not ``None``)."""
        return cls(**{name: value for name, value in overrides.items() if value is not None})

    @model_validator(mode="after")
    def _infer_backend(self) -> Settings:
        if self.mask == "always" and not self.mask_personal_data:
            raise ConfigError("--mask and --no-mask contradict each other", hint="give one of them")
        # Naming an endpoint is enough to mean "use it"; otherwise stay offline.
        if self.backend is None:
            self.backend = "openai" if (self.preset or self.base_url) else "offline"
        if not self.cache_dir.is_absolute():
            self.cache_dir = Path.cwd() / self.cache_dir
        self._local_defaults()
        return self

    def _local_defaults(self) -> None:
        """Concurrency and timeout the user did not set come from the preset, and for a server on
        this machine default to one request at a time with a long timeout: a one-slot llama.cpp
        server given four sections at once times out on the ones queued behind the first."""
        if self.backend != "openai":
            return
        try:
            preset = get_preset(self.preset) if self.preset else None
        except ConfigError:
            return  # resolve_endpoint reports the unknown preset
        base_url = self.base_url or (preset.base_url if preset else "")
        local = bool(base_url) and is_local_url(base_url)
        given = self.model_fields_set
        if "concurrency" not in given:
            concurrency = preset.concurrency if preset and preset.concurrency else (LOCAL_CONCURRENCY if local else None)
            if concurrency is not None:
                self.concurrency = concurrency
        if "timeout_s" not in given:
            timeout = preset.timeout_s if preset and preset.timeout_s else (LOCAL_TIMEOUT_S if local else None)
            if timeout is not None:
                self.timeout_s = timeout

    def model_post_init(self, context: Any, /) -> None:
        # Snapshot the providers' conventional key variables (DEEPSEEK_API_KEY …) now, so
        # resolve_endpoint never reads the environment later and tests stay deterministic.
        self._env_keys = {
            name: SecretStr(value) for name in key_env_names() if (value := os.environ.get(name, "").strip())
        }
        # every key this process holds is redacted from every message from now on
        for secret in [self.api_key, *self._env_keys.values()]:
            if secret is not None:
                register_secret(secret.get_secret_value())
        self._locale = next((v for n in ("LC_ALL", "LC_MESSAGES", "LANG") if (v := os.environ.get(n, ""))), "")

    @property
    def ui_lang(self) -> Literal["zh", "en"]:
        """The CLI's language: AIDRAFT_LANG, else Chinese where the locale is zh, else English."""
        from aidraft.messages import language_from_env

        return language_from_env({"AIDRAFT_LANG": self.lang or "", "LANG": self._locale})

    @property
    def uses_model(self) -> bool:
        return self.backend == "openai"

    def masks_for(self, endpoint: Endpoint) -> bool:
        """Whether personal data is masked before requests to ``endpoint`` leave this process."""
        if self.mask == "always":
            return True
        if self.mask == "never" or not self.mask_personal_data:
            return False
        return not endpoint.is_local
    def chat_model(self) -> ChatModel | None:
        """The configured endpoint as a ChatModel (masking, response cache), or None offline.

        Raises ConfigError (one line naming the fix) when the endpoint is incomplete, e.g. no key.
        """
        if not self.uses_model:
            return None
        from aidraft.llm.factory import build_chat_model

        endpoint = self.resolve_endpoint()
        return build_chat_model(
            endpoint, timeout_s=self.timeout_s, max_retries=self.max_retries,
            temperature=self.temperature, max_output_tokens=self.max_output_tokens,
            mask_personal_data=self.masks_for(endpoint), cache_dir=self.cache_dir if self.use_cache else None,
        )

    def resolve_endpoint(self) -> Endpoint:
        """The endpoint to call, or a ConfigError whose one line names the fix."""
        preset = get_preset(self.preset) if self.preset else None
        base_url = (self.base_url or (preset.base_url if preset else "")).rstrip("/")
        if self.backend == "offline" or not base_url:
            raise ConfigError(
                "no model endpoint configured",
                hint=f"pass --preset ({', '.join(preset_names())}) or --base-url",
            )
        label = preset.name if preset else base_url
        model = self.model or (preset.model if preset else "")
        if not model:
            raise ConfigError(f"no model name for {label}", hint="set AIDRAFT_MODEL or pass --model")
        local = is_local_url(base_url)
        key_env = preset.key_env if preset and preset.key_env else GENERIC_KEY_ENV
        api_key = self._api_key_for(preset)
        if api_key is None:
            if not local:
                raise ConfigError(f"no API key for {label}", hint=f"set {key_env} or pass --api-key")
            api_key = SecretStr(LOCAL_PLACEHOLDER_KEY)
        return Endpoint(
            base_url=base_url,
            model=model,
            api_key=api_key,
            structured_methods=tuple(self.structured_methods or _methods(preset)),
            is_local=local,
            preset=preset.name if preset else None,
            key_env=key_env,
            tool_choice=preset.tool_choice if preset else "named",
            token_param=preset.token_param if preset else "max_tokens",
        )

    def _api_key_for(self, preset: Preset | None) -> SecretStr | None:
        if self.api_key is not None and self.api_key.get_secret_value().strip():
            return self.api_key
        if preset is not None and preset.key_env:
            return self._env_keys.get(preset.key_env)
        return None


def _methods(preset: Preset | None) -> tuple[StructuredMethod, ...]:
    # An unknown server gets every method; structured.py falls back past the ones it rejects.
    return preset.structured_methods if preset else ("json_schema", "function_calling", "json_mode")


__all__ = ["Settings"]
