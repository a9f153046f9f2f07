"""The whole-report review, after every section is written and before assembly: a model pass (when
a model is configured), then code checks. Sections are verified one by one; only the whole report
shows a sentence said twice across sections, a heading that breaks its siblings' pattern, jotting
left in the prose (a/b lists, 'X：' labels, half-width punctuation) or leaked prompt text.

Model findings are advice and are kept only when the sentence they quote is really in the report
(the same rule as everything else: code decides). The fixes made here are safe by construction,
offline and from the ledger only: a connective sentence (it states no note) repeated in a later
section is dropped there; a sentence with jotting residue or leaked prompt text is rewritten from
the notes it cites (as the offline writer states them), dropped when it states no note and no
figure, or (jotting in a sentence without notes) cleaned of the residue. What cannot be fixed
that way (a heading, an untraced sentence with figures) goes to check.json and the summary.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from aidraft import regexes
from aidraft.draft.leaks import leaks
from aidraft.draft.write_offline import DraftSentence, WrittenSection, note_sentence, prose
from aidraft.errors import ModelError
from aidraft.llm.base import ChatModel
from aidraft.llm.structured import complete_structured
from aidraft.parse.document import SectionKind
from aidraft.parse.headings import parse_heading
from aidraft.parse.notes import NoteItem
from aidraft.prompts import PromptTemplate
from aidraft.strict import Strict
from aidraft.text import dice, han_bigrams, han_count, sentences

ReviewKind = Literal["repetition", "heading", "jotting", "leak"]
REPEAT_DICE = 0.85  # two sentences this alike say the same thing
MIN_HAN = 12  # shorter sentences (leads such as 主要做法如下) may repeat
HEADING_PART = regexes.compile(r"^[\u4e00-\u9fff“”]{3,8}$")
JOTTING = (
    (regexes.compile(r"[\u4e00-\u9fff][;:,()?!][\u4e00-\u9fff]"), "半角标点"),
    (regexes.compile(r"[\u4e00-\u9fff]\s*[/／]\s*[\u4e00-\u9fff]"), "斜杠并列（a/b）"),
    (regexes.compile(r"^[-*•·]\s*"), "列表符号"),
    (regexes.compile(r"(?:^|[。；])(?:明年|问题|备注|待办|TODO)[：:]"), "笔记标签"),
)
ORDINAL = regexes.compile(r"^[一二三四五六七八九十]+是")
BULLET = regexes.compile(r"^[-*•·]\s*")
LEAD_LABEL = regexes.compile(r"^(?:明年|问题|备注|待办|TODO)[：:]\s*")
_COMMA = regexes.compile(r"[，,]")
_DIGIT = regexes.compile(r"\d")


class ReviewFinding(Strict):
    """One thing the whole-report review found."""

    kind: ReviewKind
    section: str = Field(description="the section title")
    text: str = Field(description="the sentence or heading concerned")
    detail: str = ""
    source: Literal["model", "code"] = "code"
    fixed: bool = Field(default=False, description="fixed by the review: a repeated connective dropped, residue "
                                                    "or prompt text rewritten from the notes or dropped")


class ModelFinding(BaseModel):
    """审读发现的一个问题：所在部分序号（从1开始）、原句（原样摘录）和问题类型。"""

    section: int
    sentence: str
    kind: ReviewKind


class ReviewOut(BaseModel):
    """全文审读结果：跨部分重复、小标题不相称、笔记痕迹、提示词残留。没有问题时 findings 为空列表。"""

    findings: list[ModelFinding] = Field(default_factory=list)


def review_sections(sections: list[WrittenSection], model: ChatModel | None = None,
                    template: PromptTemplate | None = None, items: dict[int, NoteItem] | None = None,
                    ) -> tuple[list[WrittenSection], list[ReviewFinding]]:
    """The sections repaired (repeated connectives dropped; residue and prompt text rewritten from
    ``items``, the notes by index, or dropped) and every finding (model, then code)."""
    found = _model_findings(sections, model, template) if model is not None and template is not None else []
    sections, repeated = _drop_repeated_connectives(sections)
    found += repeated
    repaired = []
    for section in sections:
        section, residue = _repair_residue(section, items or {})
        found += _headings(section) + residue
        repaired.append(section)
    return repaired, found


def _model_findings(sections: list[WrittenSection], model: ChatModel, template: PromptTemplate) -> list[ReviewFinding]:
    numbered = [{"number": n, "title": s.title, "body": s.body} for n, s in enumerate(sections, start=1)]
    try:
        out = complete_structured(model, template.render(sections=numbered), ReviewOut, max_attempts=2,
                                  max_tokens=1500)
    except ModelError:
        return []  # the review is advice: a model that cannot give it changes nothing
    kept = []
    for item in out.findings:
        if 1 <= item.section <= len(sections) and len(item.sentence) >= 4 and item.sentence in sections[item.section - 1].body:
            kept.append(ReviewFinding(kind=item.kind, section=sections[item.section - 1].title, text=item.sentence,
                                      source="model"))
    return kept


def _drop_repeated_connectives(sections: list[WrittenSection]) -> tuple[list[WrittenSection], list[ReviewFinding]]:
    seen: list[tuple[str, frozenset[str]]] = []
    findings: list[ReviewFinding] = []
    out = []
    for section in sections:
        connective = {t.text for t in section.sentences if t.kind == "connective" and not t.note_ids}
        body, traced = section.body, list(section.sentences)
        for sentence in sentences(section.body):
            if han_count(sentence) < MIN_HAN:
                continue
            grams = han_bigrams(sentence)
            twin = next((title for title, other in seen if dice(grams, other) >= REPEAT_DICE), None)
            seen.append((section.title, grams))
            if twin is None:
                continue
            drop = sentence in connective and body.count(sentence) >= 1
            if drop:  # the later copy goes: the text before it stays as written
                at = body.rfind(sentence)
                body = body[:at] + body[at + len(sentence):]
                index = max(i for i, t in enumerate(traced) if t.text == sentence) if any(
                    t.text == sentence for t in traced) else -1
                traced = [t for i, t in enumerate(traced) if i != index]
            where = "本部分前文" if twin == section.title else f"“{twin}”部分"
            findings.append(ReviewFinding(kind="repetition", section=section.title, text=sentence,
                                          detail=f"与{where}重复", fixed=drop))
        lines = [line for line in body.split("\n") if line.strip()]
        out.append(section.model_copy(update={"body": "\n".join(lines), "sentences": traced}))
    return out, findings


def _headings(section: WrittenSection) -> list[ReviewFinding]:
    """Sub-headings are two parallel clauses of four to six characters (强化理论武装，筑牢法治根基)."""
    found = []
    for line in section.body.split("\n"):
        head = parse_heading(line)
        if head is None or not line.startswith("（"):
            continue
        title = line[head.title_start :].strip().rstrip("。")
        parts = _COMMA.split(title)
        if len(parts) != 2 or not all(HEADING_PART.match(p) for p in parts) or _DIGIT.search(title):
            found.append(ReviewFinding(kind="heading", section=section.title, text=line,
                                       detail="小标题应为两个四至六字的并列短句"))
    return found


def _problems(text: str) -> list[tuple[ReviewKind, str, str]]:
    """(kind, the offending text, detail) for each kind of jotting residue and prompt text in ``text``."""
    found: list[tuple[ReviewKind, str, str]] = []
    for pattern, what in JOTTING:
        if match := pattern.search(text):
            found.append(("jotting", match.group(0).strip(), f"笔记痕迹：{what}"))
    return found + [("leak", leak.text, leak.kind) for leak in leaks(text)]


def _is_heading(line: str) -> bool:
    return line.startswith("（") and parse_heading(line) is not None


def _repair_residue(section: WrittenSection, items: dict[int, NoteItem]) -> tuple[WrittenSection, list[ReviewFinding]]:
    """Each sentence with jotting or prompt text, fixed where :func:`_fix` can do it safely."""
    traced = {t.text: t for t in section.sentences}
    body, kept = section.body, list(section.sentences)
    found: list[ReviewFinding] = []
    for line in section.body.split("\n"):
        pieces = [line.strip()] if _is_heading(line) else sentences(line)
        for sentence in pieces:
            problems = _problems(sentence)
            if not problems:
                continue
            trace = traced.get(sentence)
            fix = None if _is_heading(sentence) else _fix(sentence, trace, section.kind, items, problems)
            fixed = fix is not None and not _problems(fix) and sentence in body
            if fixed:
                assert fix is not None
                at = body.find(sentence)
                body = body[:at] + fix + body[at + len(sentence):]
                if trace is not None:
                    kept = [t.model_copy(update={"text": fix}) if t is trace else t for t in kept if t is not trace or fix]
            found += [ReviewFinding(kind=kind, section=section.title, text=text, detail=detail, fixed=fixed)
                      for kind, text, detail in problems]
    if body == section.body:
        return section, found
    lines = [line for line in body.split("\n") if line.strip()]
    return section.model_copy(update={"body": "\n".join(lines), "sentences": kept}), found


def _fix(sentence: str, trace: DraftSentence | None, kind: SectionKind, items: dict[int, NoteItem],
         problems: list[tuple[ReviewKind, str, str]]) -> str | None:
    """The sentence's replacement ("" to drop it), or None when no safe fix exists.

    A sentence that states notes is rewritten from those notes, keeping its 一是/二是; one that
    states none (a connective, or untraced with no figure) and carries prompt text is dropped;
    jotting in a sentence that states no note is cleaned in place (labels, bullets, a/b, half-width
    punctuation), which changes no fact. An untraced sentence with figures is left for the clerk."""
    if trace is not None and trace.note_ids:
        cited = [items.get(_index(i)) for i in trace.note_ids]
        if not cited or any(item is None for item in cited):
            return None
        prefix = match.group(0) if (match := ORDINAL.match(sentence)) else ""
        return prefix + "".join(note_sentence(item, kind) for item in cited if item is not None)
    rest = sentence
    for _, text, _ in problems:  # a note label's number (笔记3) is prompt text, not a figure
        rest = rest.replace(text, "")
    figures = _DIGIT.search(rest) is not None
    if any(k == "leak" for k, _, _ in problems):
        return "" if not figures else None
    end = sentence[-1] if sentence[-1] in "。！？；" else ""
    cleaned = prose(LEAD_LABEL.sub("", BULLET.sub("", sentence)).rstrip("。！？；"))
    return cleaned + end if cleaned else ""


def _index(note: str) -> int:
    """N3 → 2, the notes' own index (the inverse of ledger.model.note_id); -1 for anything else."""
    return int(note[1:]) - 1 if note[:1] == "N" and note[1:].isascii() and note[1:].isdigit() else -1

