"""The drafter a run's settings ask for: offline, or the LLM drafter over the configured model.

Every front end (the draft command, the eval command, the web page) builds its drafter here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aidraft.draft.pipeline import OfflineDrafter, SectionDrafter
from aidraft.settings import Settings

if TYPE_CHECKING:
    from aidraft.draft.llm_drafter import Progress


def make_drafter(settings: Settings, *, progress: Callable[[Progress], None] | None = None) -> SectionDrafter:
    """The offline drafter unless an endpoint is configured; then the LLM drafter over it
    (``progress`` hears about each finished step; the offline drafter is too quick to need it)."""
    model = settings.chat_model()
    if model is None:
        return OfflineDrafter()
    from aidraft.draft.llm_drafter import LLMDrafter

    return LLMDrafter(model, settings, progress=progress)
