"""Digest stage: many offices' reports → one overview report and a ledger of every figure.

Public API::

    from aidraft.digest.pipeline import run_digest, digest_paths   # → DigestResult
    from aidraft.digest.output import output_paths, write_outputs  # .docx / .md / .json

Modules, one job each: inputs (which files), offices (short names), ledger (every figure,
streamed), sentences and group (practices shared across offices), aggregate and phrasing
(totals and rates, verified to read back), practices and compose (what the digest says and
its text), llm_map and llm_reduce (the model backend), pipeline (the job), output (files).
"""
