"""Code decides what the model may ship: every structured section answer is verified here before it
is accepted.

Hard problems (the answer is rejected): a note of the section not cited; a cited id that is not one
of the section's notes; a sentence whose figures are not in the notes it cites (the project's figure
checker decides, so 10余次 for 12次 passes and 15次 does not); a note whose figures no sentence citing
it states, or that names a “practice”, a 《title》 or a claim (率先, 全覆盖) those notes do not, or
shares nothing with them (a citation moved to another note); an uncited sentence that is more than
connective prose (a figure, a 《title》 or “named practice”, a claim word or honour, a zero claim, plan
wording outside the plans section, or long): citing nothing, it has nothing to back a claim; prompt
text of any kind (draft/leaks.py); no Chinese; one sentence, or one clause, over and over (a claim
appended to every sentence is padding even where its words are the notes'). Soft problems
(register slips) are sent back with the re-ask but never cause a fallback.
"""

from __future__ import annotations

import threading
from collections import Counter

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.check.model import FLAGGED
from aidraft.check.run import BACKED, check_text
from aidraft.draft.leaks import Instructions, leaks
from aidraft.draft.llm_section import SectionDraft, SentenceOut, note_label
from aidraft.draft.plan import PlannedSection
from aidraft.figures.extract import extract_figures
from aidraft.figures.zero import zero_claims
from aidraft.genre.register import register_rules
from aidraft.ingest.read import NamedText
from aidraft.parse.notes import NoteItem
from aidraft.text import CLAUSE_EDGE, NAMED, han_bigrams, han_count

_WHITESPACE = regexes.compile(r"\s")
_NON_DIGIT = regexes.compile(r"\D")
CONNECTIVE_MAX = 60  # characters: an uncited sentence longer than this is reporting something
MIN_SHARED_GRAMS = 3  # Han bigrams a cited sentence shares at least with the notes it cites
REPEATS = 3  # the same sentence, or the same clause in this many sentences, is padding
CLAUSE_MIN = 6  # characters: shorter clauses (一是, 同时) repeat in any prose
PLANS_KIND = "plans"  # the section whose sentences may promise
LEAK_EN = "prompt text in the answer"
MIN_CJK_SHARE = 0.5


class Problem(BaseModel):
    """Why an answer cannot ship as it is: ``en`` for the run log, ``zh`` for the re-ask."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    zh: str
    hard: bool = True


def _short(text: str, size: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "…"


class SectionVerifier:
    """Verifies one section's answers against that section's notes. Checks are serialised: the
    checker's indexes are built lazily and threads must not race on them."""

    _lock = threading.Lock()

    def __init__(self, section: PlannedSection, items: dict[int, NoteItem], instructions: Instructions) -> None:
        self.notes = {note_label(i): items[i] for i in section.item_ids}
        self.instructions = instructions
        self.plans = section.kind.value == PLANS_KIND

    def verify(self, draft: SectionDraft) -> list[Problem]:
        sentences = [s for s in draft.sentences() if s.text.strip()]
        text = "".join(s.text for s in sentences)
        problems = self._garbage(text, [s.text for s in sentences])
        if problems:
            return problems
        problems += [Problem(en=f"{LEAK_EN}: {leak.kind} {leak.text!r}",
                             zh=f"正文中出现了{leak.zh()}") for leak in leaks(text, self.instructions)]
        cited = [n for s in sentences for n in s.notes]
        if unknown := sorted(set(cited) - set(self.notes), key=_label_order):
            problems.append(Problem(en=f"cites notes that are not this section's: {', '.join(unknown)}",
                                    zh=f"引用了本部分没有的笔记编号：{'、'.join(unknown)}"))
        if uncited := [n for n in self.notes if n not in cited]:
            problems.append(Problem(en=f"left out notes {', '.join(uncited)}",
                                    zh=f"遗漏了笔记 {'、'.join(uncited)}，每一条都必须写到并注明编号"))
        with self._lock:
            for sentence in sentences:
                problems += self._sentence(sentence.text, [n for n in sentence.notes if n in self.notes])
            problems += self._kept(sentences)
        problems += [Problem(en=f"register: {line}", zh=line, hard=False) for line in register_rules().findings(text)]
        return problems

    def _garbage(self, text: str, sentences: list[str]) -> list[Problem]:
        visible = _WHITESPACE.sub("", text)
        cjk = han_count(visible)
        if not visible:
            return [Problem(en="empty answer", zh="回答中没有正文")]
        if cjk < MIN_CJK_SHARE * len(visible):
            return [Problem(en="no Chinese body text in the answer", zh="回答不是中文正文，请用中文写作")]
        counts = Counter(s.strip() for s in sentences if len(s.strip()) >= 6)
        if counts and (top := counts.most_common(1)[0])[1] >= REPEATS:
            return [Problem(en=f"one sentence repeated {top[1]} times", zh=f"同一句话重复了{top[1]}次：“{_short(top[0])}”")]
        return self._padding(sentences)

    def _padding(self, sentences: list[str]) -> list[Problem]:
        """A clause found in ``REPEATS`` sentences or more, more often than the notes say it: the same
        outcome (群众满意度显著提升) tacked onto every sentence passes each sentence's check alone."""
        notes = [c for item in self.notes.values() for c in _clauses(item.text)]
        counts = Counter(c for s in sentences for c in set(_clauses(s)))
        padded = [(c, n) for c, n in counts.most_common() if n >= REPEATS and n > notes.count(c)]
        if not padded:
            return []
        clause, times = padded[0]
        return [Problem(en=f"one clause repeated in {times} sentences: {_short(clause)!r}",
                        zh=f"“{_short(clause)}”在{times}句话中重复出现，请删去重复的套话")]

    def _sentence(self, text: str, labels: list[str]) -> list[Problem]:
        if not labels:
            return self._connective(text)
        sources = [NamedText(path=label, text=self.notes[label].text) for label in labels]
        report = check_text(NamedText(path="sentence", text=text), sources)
        bad = [f.text for f in report.figures if f.status in FLAGGED] + [a.text for a in report.arithmetic]
        problems = self._unbacked(text, labels)
        if bad:
            problems.append(Problem(en=f"figures {', '.join(bad)} not in the cited notes {', '.join(labels)}",
                                    zh=f"“{_short(text)}”中的数字{'、'.join(bad)}不在它注明的笔记{'、'.join(labels)}中"))
        return problems

    def _unbacked(self, text: str, labels: list[str]) -> list[Problem]:
        """What a cited sentence says beyond its notes: a “named practice” or 《title》 they do not
        name, a claim of distinction (率先, 全覆盖: genre/register.yaml ``claims``) they do not make,
        or nothing of the cited notes at all (a citation moved to the wrong note)."""
        notes = "".join(self.notes[label].text for label in labels)
        extra = [m.group(0) for m in NAMED.finditer(text) if m.group(0)[1:-1] not in notes]
        extra += [word for word in register_rules().claims_in(text) if word not in notes]
        if extra:
            what = "、".join(extra)
            return [Problem(en=f"states what the cited notes {', '.join(labels)} do not: {what}",
                            zh=f"“{_short(text)}”写了{what}，它注明的笔记{'、'.join(labels)}中没有")]
        wanted = han_bigrams(notes)
        if wanted and len(wanted & han_bigrams(text)) < min(MIN_SHARED_GRAMS, len(wanted)):
            return [Problem(en=f"shares nothing with the cited notes {', '.join(labels)}: {_short(text)!r}",
                            zh=f"“{_short(text)}”与它注明的笔记{'、'.join(labels)}内容不符，请注明正确的笔记编号")]
        return []

    def _connective(self, text: str) -> list[Problem]:
        """A sentence citing no note is connective prose only: it may state, claim or promise
        nothing, since nothing backs it (the checker has no source to judge it by)."""
        figures = [f.text for f in extract_figures(text)]
        named = NAMED.search(text)
        if figures or named or len(text) > CONNECTIVE_MAX:
            what = "、".join(figures) if figures else (named.group(0) if named else "具体内容")
            return [Problem(en=f"uncited sentence states facts ({what}): {_short(text)!r}",
                            zh=f"“{_short(text)}”写了{what}，却没有注明笔记编号")]
        rules = register_rules()
        claims = [*rules.claims_in(text), *(f.text for f in zero_claims(text))]
        if claims:
            what = "、".join(dict.fromkeys(claims))
            return [Problem(en=f"uncited sentence makes a claim ({what}): {_short(text)!r}",
                            zh=f"“{_short(text)}”写了“{what}”这样的成效或荣誉，却没有注明笔记编号；"
                               f"笔记没有写的不得写，过渡句只作概括")]
        if not self.plans and (promised := rules.promises_in(text)):
            what = "、".join(promised)
            return [Problem(en=f"uncited sentence promises ({what}) outside the plans section: {_short(text)!r}",
                            zh=f"“{_short(text)}”写了“{what}”这样的打算，本部分只写已做的工作，"
                               f"今后的打算不写在这里")]
        return []

    def _kept(self, sentences: list[SentenceOut]) -> list[Problem]:
        """Each note's figures must be stated by the sentences that cite it (exactly or faithfully)."""
        problems = []
        for label, item in self.notes.items():
            citing = "".join(s.text for s in sentences if label in s.notes)
            if not citing:
                continue  # reported as left out
            wanted = extract_figures(item.text)
            if not wanted:
                continue
            forward = check_text(NamedText(path="citing", text=citing), [NamedText(path=label, text=item.text)])
            stated = {f.source.text for f in forward.figures if f.status in BACKED and f.source is not None}
            reverse = check_text(NamedText(path=label, text=item.text), [NamedText(path="citing", text=citing)])
            backed = {f.start for f in reverse.figures if f.status in BACKED}
            missing = [f.text for f in wanted if f.text not in stated and f.start not in backed]
            if missing:
                problems.append(Problem(en=f"{label}: left out figures {', '.join(missing)}",
                                        zh=f"笔记{label}中的数字{'、'.join(missing)}没有写进正文"))
        return problems


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in CLAUSE_EDGE.split(text) if len(c.strip()) >= CLAUSE_MIN]


def _label_order(label: str) -> tuple[int, str]:
    digits = _NON_DIGIT.sub("", label)
    return (int(digits) if digits else 0, label)


def hard(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.hard]
