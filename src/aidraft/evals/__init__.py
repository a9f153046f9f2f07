"""The eval job: draft (or digest) every case of a suite, score it, compare with a baseline.

Teams use it to choose a model and to change prompts without making reports worse, so every
metric is deterministic (the optional LLM judge aside) and every result is reproducible.
"""
