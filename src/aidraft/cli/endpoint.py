"""The model-endpoint options every command that can use a model shares, declared once.

``@endpoint_options(...)`` adds --backend, --preset, --base-url, --model, --api-key, --timeout,
--concurrency, --no-cache, --no-mask and --mask to a command and hands it one ``EndpointOptions``; the
preset list in the help comes from llm/presets.yaml, so a new preset shows up everywhere.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ConfigDict, SecretStr

from aidraft.llm.presets import LOCAL_CONCURRENCY, LOCAL_TIMEOUT_S, is_local_url, load_presets, preset_names
from aidraft.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


class EndpointOptions(BaseModel):
    """What the endpoint flags said (None: not given, so the environment or the default holds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: str | None = None
    preset: str | None = None
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    timeout: float | None = None
    concurrency: int | None = None
    no_cache: bool = False
    no_mask: bool = False
    mask: bool = False

    def settings(self, **overrides: Any) -> Settings:
        """Settings from the environment, then these flags, then ``overrides`` (None: leave be)."""
        given: dict[str, Any] = dict(
            backend=self.backend, preset=self.preset, base_url=self.base_url, model=self.model,
            api_key=SecretStr(self.api_key) if self.api_key else None, timeout_s=self.timeout,
            concurrency=self.concurrency, use_cache=False if self.no_cache else None,
            mask_personal_data=False if self.no_mask else None, mask="always" if self.mask else None,
        )
        given.update(overrides)
        return Settings.from_cli(**given)


def local_preset_names() -> list[str]:
    return [name for name, preset in sorted(load_presets().items()) if is_local_url(preset.base_url)]


def preset_help(prefix: str = "Endpoint preset") -> str:
    return f"{prefix}: {', '.join(preset_names())}."


def _options(concurrency_help: str) -> list[inspect.Parameter]:
    def option(name: str, annotation: Any, default: Any, flag: str, help: str, **extra: Any) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                 default=typer.Option(default, flag, help=help, **extra))

    return [
        option("backend", str | None, None, "--backend", "offline (default) or openai."),
        option("preset", str | None, None, "--preset", preset_help()),
        option("base_url", str | None, None, "--base-url", "OpenAI-compatible endpoint URL."),
        option("model", str | None, None, "--model", "Model name at the endpoint."),
        option("api_key", str | None, None, "--api-key", "API key (prefer the environment variable)."),
        option("timeout", float | None, None, "--timeout", "Seconds to wait for one model answer "
               f"(default {Settings.model_fields['timeout_s'].default:g}; {LOCAL_TIMEOUT_S:g} for a server on "
               f"this machine or the {', '.join(local_preset_names())} presets).", min=1),
        option("concurrency", int | None, None, "--concurrency",
               f"{concurrency_help} (default {Settings.model_fields['concurrency'].default}; "
               f"{LOCAL_CONCURRENCY} for a server on this machine: one slot).", min=1, max=64),
        option("no_cache", bool, False, "--no-cache", "Do not read or write the response cache."),
        option("no_mask", bool, False, "--no-mask", "Send personal data (names, ID and phone numbers) "
               "to a remote endpoint unmasked. Not recommended."),
        option("mask", bool, False, "--mask", "Mask personal data (names, ID/phone/card numbers, addresses…) "
               "for ANY endpoint, local and shared servers included (also AIDRAFT_MASK=always). "
               "Remote endpoints are masked by default."),
    ]


def endpoint_options(*, concurrency_help: str) -> Callable[[F], F]:
    """Give the command the shared endpoint flags; it receives them as ``endpoint: EndpointOptions``.

    ``concurrency_help`` says what runs at once for this command (sections, reports, cases)."""

    def decorate(command: F) -> F:
        extra = _options(concurrency_help)
        names = [p.name for p in extra]
        own = [p for p in inspect.signature(command).parameters.values() if p.name != "endpoint"]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            endpoint = EndpointOptions(**{name: kwargs.pop(name) for name in names})
            return command(endpoint=endpoint, **kwargs)

        wrapper.__signature__ = inspect.Signature([*own, *extra])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {**command.__annotations__, **{p.name: p.annotation for p in extra}}
        wrapper.__annotations__.pop("endpoint", None)
        return wrapper  # type: ignore[return-value]

    return decorate
