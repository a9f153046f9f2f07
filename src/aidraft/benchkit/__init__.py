"""Parts of the benchmark (``python -m aidraft.bench``): the local rate-limited model server, its
deterministic answers, the LLM draft and digest measurements and the naive one-prompt baseline."""

from __future__ import annotations

from pydantic import BaseModel


class BenchRow(BaseModel):
    """One line of the benchmark table (and of its JSON)."""

    name: str
    value: float
    unit: str
    target: str = ""
