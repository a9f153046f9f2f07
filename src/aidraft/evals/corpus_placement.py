"""Placement against real reports: clerk-style notes written from the facts of each published
report (evals/corpus/), drafted offline, and each fact's section compared with the section the
real report puts it in.

``python -m aidraft.evals.corpus_placement [--corpus ../shared/corpus]`` prints the score per
report; tests/test_corpus_placement.py runs it where the corpus is present.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml
from pydantic import Field

from aidraft.check.placement import FAMILY, section_at
from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
from aidraft.errors import InputError
from aidraft.evals.placement import STATES, note_bigrams
from aidraft.parse.document import Document
from aidraft.parse.notes import read_notes
from aidraft.parse.structure import parse_file
from aidraft.strict import Strict
from aidraft.text import sentences

SPEC = Path(__file__).resolve().parents[3] / "evals" / "corpus" / "placement.yaml"


class Fact(Strict):
    note: str = Field(description="words of the note that states the fact")
    report: str = Field(description="words that find the same fact in the real report (once)")


class ReportFacts(Strict):
    report: str
    notes: str
    facts: list[Fact]


class CorpusSpec(Strict):
    reports: list[ReportFacts]


class FactResult(Strict):
    note: str
    real: str
    drafted: list[str]
    right: bool


class ReportResult(Strict):
    report: str
    facts: list[FactResult]

    @property
    def score(self) -> float:
        return sum(f.right for f in self.facts) / len(self.facts)


def load_spec(path: Path = SPEC) -> CorpusSpec:
    return CorpusSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _family(kind: object) -> str:
    return FAMILY.get(kind, "other")  # type: ignore[arg-type]


def _real_family(real: Document, words: str) -> str:
    at = real.text.find(words)
    if at < 0 or real.text.find(words, at + 1) >= 0:
        raise InputError(f"{real.path}: '{words}' must occur exactly once in the real report")
    return _family(section_at(real, at))


def _drafted_families(draft: Document, note_text: str) -> list[str]:
    key = note_bigrams(note_text)
    found: list[str] = []
    offset = 0
    for line in draft.text.split("\n"):
        for sentence in sentences(line, semicolons=True):
            kind = section_at(draft, offset + max(0, line.find(sentence)))
            if kind is not None and key and len(key & note_bigrams(sentence)) >= STATES * len(key):
                found.append(_family(kind))
        offset += len(line) + 1
    return found


def score_report(item: ReportFacts, corpus: Path, folder: Path) -> ReportResult:
    real = parse_file(corpus / item.report)
    notes = read_notes(folder / item.notes)
    result = run_draft(resolve_inputs(notes, [], None, None), OfflineDrafter(), path="draft")
    by_words = {f.note: next((i for i in notes.items if f.note in i.text), None) for f in item.facts}
    facts = []
    for fact in item.facts:
        note = by_words[fact.note]
        if note is None:
            raise InputError(f"{item.notes}: no note contains '{fact.note}'")
        real_family = _real_family(real, fact.report)
        drafted = _drafted_families(result.document, note.text)
        facts.append(FactResult(note=fact.note, real=real_family, drafted=drafted,
                                right=bool(drafted) and all(d == real_family for d in drafted)))
    return ReportResult(report=item.report, facts=facts)


def score_corpus(corpus: Path, spec_path: Path = SPEC) -> list[ReportResult]:
    spec = load_spec(spec_path)
    return [score_report(item, corpus, spec_path.parent) for item in spec.reports]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=SPEC.parents[2].parent / "shared" / "corpus")
    args = parser.parse_args(argv)
    results = score_corpus(args.corpus)
    total = [f for r in results for f in r.facts]
    for r in results:
        wrong = [f"{f.note} (real {f.real}, drafted {'/'.join(f.drafted) or 'nowhere'})" for f in r.facts if not f.right]
        print(f"{r.report}: {sum(f.right for f in r.facts)}/{len(r.facts)}" + (f"; wrong: {'; '.join(wrong)}" if wrong else ""))
    print(f"placement: {sum(f.right for f in total)}/{len(total)} = {sum(f.right for f in total) / len(total):.1%}")


if __name__ == "__main__":
    main()
