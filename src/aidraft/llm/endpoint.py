"""A resolved model endpoint: what the OpenAI-compatible client needs, and nothing else.

Settings resolves it (flags, environment, presets); the llm package only ever receives one, so
the model layer never depends on how aidraft is configured.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from aidraft.llm.base import StructuredMethod

#: The key variable for an endpoint that no preset names.
GENERIC_KEY_ENV = "AIDRAFT_API_KEY"


class Endpoint(BaseModel):
    """A fully resolved model endpoint: everything the OpenAI-compatible client needs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    model: str
    api_key: SecretStr
    structured_methods: tuple[StructuredMethod, ...]
    is_local: bool
    preset: str | None = None
    key_env: str = GENERIC_KEY_ENV
    tool_choice: Literal["named", "auto"] = "named"
    token_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"

    @property
    def label(self) -> str:
        """How messages name this endpoint: the preset, else the URL."""
        return self.preset or self.base_url


def endpoint_identity(endpoint: Endpoint) -> dict[str, str]:
    """What cache keys name an endpoint by (never its key): the same for the client and its stand-in."""
    return {"base_url": endpoint.base_url, "model": endpoint.model}
