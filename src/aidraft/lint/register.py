"""Register: the spoken words and first person a report must not use (genre/register.yaml).

The same list the drafters write by and the evals score with: colloquial words (搞, 老百姓),
first person (我们, 咱们; 我局 is the genre's own usage and passes) and the exclamation mark.
Quotations and titles (“我们的节日”, 《…》) are others' words and pass, and so does a word inside
one of its official phrases (不搞“一言堂”).
"""

from __future__ import annotations

from collections.abc import Iterator

from aidraft.genre.register import Hit, register_rules
from aidraft.lint.base import make, paragraphs, prose_bounds, rule
from aidraft.lint.model import LintFinding
from aidraft.messages import DOC_LANG, text
from aidraft.parse.document import Document


def _message(hit: Hit) -> str:
    if hit.kind == "first_person":
        return text("lint.register.first_person", DOC_LANG, word=hit.word)
    if hit.kind == "mark":
        return text("lint.register.mark", DOC_LANG, word=hit.word, use=hit.use or "。")
    if hit.use is None:
        return text("lint.register.colloquial_plain", DOC_LANG, word=hit.word)
    key = "lint.register.colloquial" if hit.use else "lint.register.colloquial_drop"
    return text(key, DOC_LANG, word=hit.word, use=hit.use)


@rule("register-first-person", "register-colloquial", "register-mark")
def register(doc: Document) -> Iterator[LintFinding]:
    """Each register hit in the report's prose (title and signature lines are names, not prose)."""
    start, end = prose_bounds(doc)
    rules = register_rules()
    for para in paragraphs(doc):
        if para.end <= start or para.start >= end:
            continue
        for hit in rules.hits(para.text):
            rule_id = {"first_person": "register-first-person", "mark": "register-mark"}.get(hit.kind,
                                                                                           "register-colloquial")
            yield make(doc, rule_id, para.start + hit.start, para.start + hit.end, _message(hit),
                       suggestion=hit.use)
