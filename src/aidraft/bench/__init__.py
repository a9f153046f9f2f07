"""The benchmark, ``python -m aidraft.bench``: one package for every measure and its helpers.

Modules: run (the table, its CPU rows and the command line), startup (fresh-process CPU time of
small jobs and of a cached rerun), digest (the offline digest of generated reports), fake_server
(the ONE fake OpenAI-compatible server, with pluggable responders, used by the bench and the
tests), responders (scripted, faulty, echoing), timed (the bench's model: answers at a fixed token
rate), answers (its deterministic answers, and a careful drafter for the tests), server_process
(the fake server in a child process), llm_draft, llm_digest and naive (the LLM measures and the
one-prompt baseline).
"""

from __future__ import annotations

from pydantic import BaseModel


class BenchRow(BaseModel):
    """One line of the benchmark table (and of its JSON)."""

    name: str
    value: float
    unit: str
    target: str = ""


def main(argv: list[str] | None = None) -> None:
    """``python -m aidraft.bench`` (see aidraft.bench.run)."""
    from aidraft.bench.run import main as run_main

    run_main(argv)
