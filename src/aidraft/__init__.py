"""aidraft: draft, check and digest Chinese annual rule-of-law government reports."""

__version__ = "0.1.0"
