"""What a run cost and who produced it: one model shared by the draft, digest and eval records."""

from __future__ import annotations

from pydantic import Field, field_validator

from aidraft.strict import Strict


class RunStats(Strict):
    """Backend, model, prompt versions, tokens, calls and seconds of one run."""

    backend: str
    model: str | None = None
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_calls: int = Field(default=0, description="requests that reached the model")
    cached_calls: int = Field(default=0, description="answers that came from the cache")
    seconds: float = 0.0
    events: list[str] = Field(default_factory=list,
                              description="what the backend did besides the plain path: fallbacks, trimmed examples")

    @field_validator("events")
    @classmethod
    def _no_personal_data(cls, events: list[str]) -> list[str]:
        """Run records are shared and kept: an event quoting notes ("left out figures 3311…名")
        names the kind of a personal value, never the value (aidraft.privacy.scrub)."""
        from aidraft.privacy.mask import scrub

        return [scrub(event) for event in events]
