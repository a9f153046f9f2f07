"""The term-variant rule finds every variant with one regex pass: it must find exactly what a
search per variant per paragraph found (longer variants hiding shorter ones they contain)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aidraft.lint import terms
from aidraft.parse.structure import parse_text

HEAD = "某市人社局2025年法治政府建设情况报告\n"
VARIANTS = sorted({v for g in terms.lexicon().groups for v in g.variants})


def per_variant_search(doc, variants: list[str]) -> list[tuple[int, int, str]]:
    """The rule's former search: each paragraph, each variant longest first, re.finditer."""
    found: list[tuple[int, int, str]] = []
    for para in terms.paragraphs(doc):
        for variant in sorted(variants, key=len, reverse=True):
            for match in re.finditer(re.escape(variant), para.text):
                s, e = para.start + match.start(), para.start + match.end()
                if not any(s < fe and fs < e for fs, fe, _ in found):
                    found.append((s, e, variant))
    return sorted(found)


pieces = st.one_of(st.sampled_from(VARIANTS), st.sampled_from(["，", "。", "\n", "推进", "工作", "、", "法", "治", "化"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=40))
def test_one_pass_finds_what_per_variant_search_found(parts: list[str]) -> None:
    doc = parse_text(HEAD + "一、主要举措\n" + "".join(parts))
    starts = terms._starts(doc)
    for group in terms.lexicon().groups:
        assert terms._occurrences(starts, group.variants) == per_variant_search(doc, group.variants)


def test_overlapping_forms_of_one_group() -> None:
    doc = parse_text(HEAD + "一、主要举措\n推进法制化、法治化，法治化法制化。\n二、下步工作\n做好下一步工作。")
    findings = [(f.rule, doc.text[f.start : f.end]) for f in terms.term_variant(doc)]
    assert ("term-variant", "法制化") in findings
    assert findings.count(("term-variant", "法制化")) == 2
    assert any(text in ("下步工作", "下一步工作") for _, text in findings)
