"""Digest stage: many offices' reports → one overview report and a ledger of every figure.

Public API::

    from aidraft.digest.pipeline import run_digest, digest_paths   # → DigestResult
    from aidraft.digest.output import output_paths, write_outputs  # .docx / .md / .json

Modules, one job each: inputs (which files, named relative to the inputs), offices (who wrote
each report, via aidraft.parse.office), years (one year), ledger and metric_names (every figure,
streamed, with whole labels and canonical metrics), sentences, group and clusters (findings
shared across offices, counted), quotes (quotations that lint clean), aggregate, phrasing and
table (totals, rates, the office × metric table), practices and compose (what the digest says,
its text and each sentence's sources), llm_map and llm_reduce (the model backend), pipeline (the
job), output (files).
"""
