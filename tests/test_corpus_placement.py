"""Placement against the five published reports: notes written from each report's facts
(evals/corpus/), drafted offline; each fact must land in the section family the real report puts
it in. Skips where ../shared/corpus is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.evals.corpus_placement import SPEC, load_spec, score_report
from aidraft.parse.notes import read_notes

pytestmark = pytest.mark.corpus
REPORTS = load_spec().reports
MIN_SCORE = 0.9  # per report; the README gives the measured score


def test_every_fact_names_a_note_of_its_notes_file() -> None:
    for item in REPORTS:
        notes = read_notes(SPEC.parent / item.notes)
        for fact in item.facts:
            assert any(fact.note in i.text for i in notes.items), (item.notes, fact.note)


@pytest.mark.parametrize("index", range(len(REPORTS)), ids=[r.report[:3] for r in REPORTS])
def test_facts_land_where_the_real_report_puts_them(corpus_dir: Path, index: int) -> None:
    item = REPORTS[index]
    assert all(fact.note not in (corpus_dir / item.report).read_text(encoding="utf-8") or len(fact.note) < 12
               for fact in item.facts), "notes are jottings in own words, not report sentences"
    result = score_report(item, corpus_dir, SPEC.parent)
    wrong = [f for f in result.facts if not f.right]
    assert result.score >= MIN_SCORE, wrong


@pytest.mark.parametrize("index", range(len(REPORTS)), ids=[r.report[:3] for r in REPORTS])
def test_a_report_checked_against_itself_has_nothing_misplaced(corpus_dir: Path, index: int) -> None:
    from aidraft.check.placement import check_placement
    from aidraft.check.run import check_text
    from aidraft.ingest.read import NamedText
    from aidraft.parse.notes import parse_notes
    from aidraft.ledger import build_ledger
    from aidraft.parse.structure import parse_text

    path = corpus_dir / REPORTS[index].report
    text = NamedText(path=str(path), text=path.read_text(encoding="utf-8"))
    report = check_placement(check_text(text, [text]), parse_text(text.text, text.path),
                             build_ledger(parse_notes(text.text, text.path)))
    assert [f.text for f in report.figures if f.status.value == "misplaced"] == []
    assert report.misplaced_sentences == []
