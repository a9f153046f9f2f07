"""A model's practice is credited only to the offices whose own report says it.

The reduce step merges the practices the map step read out of each report, and names the offices
that share each one. A model may word a practice beyond what any report says (律师参与接访 where no
report names 律师), or credit an office that said something else. So every office a practice
credits must hold one sentence that contains most of the practice's words (``GROUNDED`` of its
Han bigrams), and every “named practice”, 《title》 or claim of distinction (率先, 全覆盖) in it
must stand in that office's report. An office that fails is taken off the practice, a practice
left with none is dropped, and the sentence that grounds it is the practice's source line.
"""

from __future__ import annotations

from aidraft.digest.clusters import Item
from aidraft.digest.model import Source
from aidraft.genre.register import register_rules
from aidraft.text import NAMED, han_bigrams

GROUNDED = 0.5  # share of a practice's Han bigrams one sentence of an office's report must hold


def best_sentence(text: str, sentences: list[Item]) -> Item | None:
    """The office's sentence that holds the most of ``text``'s words, if it holds enough of them
    and the report names every title, named practice and claim ``text`` makes."""
    wanted = han_bigrams(text)
    if not wanted or not sentences:
        return None
    report = "".join(s.text for s in sentences)
    named = [m.group(0)[1:-1] for m in NAMED.finditer(text)]
    claims = [w for w in register_rules().claims if w in text]
    if any(n not in report for n in named) or any(w not in report for w in claims):
        return None
    best = max(sentences, key=lambda s: len(wanted & (s.keys or han_bigrams(s.text))))
    held = len(wanted & (best.keys or han_bigrams(best.text)))
    return best if held >= GROUNDED * len(wanted) else None


def grounded_offices(text: str, offices: list[str], sentences: dict[str, list[Item]]
                     ) -> tuple[list[str], dict[str, Source]]:
    """The offices of ``offices`` whose report says ``text``, and the line where each says it."""
    kept: list[str] = []
    where: dict[str, Source] = {}
    for office in offices:
        found = best_sentence(text, sentences.get(office, []))
        if found is not None:
            kept.append(office)
            where[office] = Source(office=office, file=found.file, line=found.line)
    return kept, where
