"""Proofreading lint: numbering, repetition, punctuation, terms, typos."""
