"""The whole-report review, after every section is written and before assembly: a model pass (when
a model is configured), then code checks. Sections are verified one by one; only the whole report
shows a sentence said twice across sections, a heading that breaks its siblings' pattern, jotting
left in the prose (a/b lists, 'X：' labels, half-width punctuation) or leaked prompt text.

Model findings are advice and are kept only when the sentence they quote is really in the report
(the same rule as everything else: code decides). The one fix made here is safe by construction: a
connective sentence (it states no note) repeated in a later section is dropped there; everything
else goes to check.json and the summary for the clerk.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from aidraft.draft.leaks import leaks
from aidraft.draft.write_offline import WrittenSection
from aidraft.errors import ModelError
from aidraft.llm.base import ChatModel
from aidraft.llm.structured import complete_structured
from aidraft.parse.headings import parse_heading
from aidraft.prompts import PromptTemplate
from aidraft.strict import Strict
from aidraft.text import dice, han_bigrams, han_count, sentences

ReviewKind = Literal["repetition", "heading", "jotting", "leak"]
REPEAT_DICE = 0.85  # two sentences this alike say the same thing
MIN_HAN = 12  # shorter sentences (leads such as 主要做法如下) may repeat
HEADING_PART = re.compile(r"^[\u4e00-\u9fff“”]{3,8}$")
JOTTING = (
    (re.compile(r"[\u4e00-\u9fff][;:,()?!][\u4e00-\u9fff]"), "半角标点"),
    (re.compile(r"[\u4e00-\u9fff]\s*[/／]\s*[\u4e00-\u9fff]"), "斜杠并列（a/b）"),
    (re.compile(r"^[-*•·]\s*"), "列表符号"),
    (re.compile(r"(?:^|[。；])(?:明年|问题|备注|待办|TODO)[：:]"), "笔记标签"),
)


class ReviewFinding(Strict):
    """One thing the whole-report review found."""

    kind: ReviewKind
    section: str = Field(description="the section title")
    text: str = Field(description="the sentence or heading concerned")
    detail: str = ""
    source: Literal["model", "code"] = "code"
    fixed: bool = Field(default=False, description="removed by the review (a repeated connective sentence)")


class ModelFinding(BaseModel):
    """审读发现的一个问题：所在部分序号（从1开始）、原句（原样摘录）和问题类型。"""

    section: int
    sentence: str
    kind: ReviewKind


class ReviewOut(BaseModel):
    """全文审读结果：跨部分重复、小标题不相称、笔记痕迹、提示词残留。没有问题时 findings 为空列表。"""

    findings: list[ModelFinding] = Field(default_factory=list)


def review_sections(sections: list[WrittenSection], model: ChatModel | None = None,
                    template: PromptTemplate | None = None) -> tuple[list[WrittenSection], list[ReviewFinding]]:
    """The sections with repeated connective sentences dropped, and every finding (model, then code)."""
    found = _model_findings(sections, model, template) if model is not None and template is not None else []
    sections, repeated = _drop_repeated_connectives(sections)
    found += repeated
    for section in sections:
        found += _headings(section) + _jotting(section)
        found += [ReviewFinding(kind="leak", section=section.title, text=leak.text, detail=leak.kind)
                  for leak in leaks(section.body)]
    return sections, found


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
        parts = re.split(r"[，,]", title)
        if len(parts) != 2 or not all(HEADING_PART.match(p) for p in parts) or re.search(r"\d", title):
            found.append(ReviewFinding(kind="heading", section=section.title, text=line,
                                       detail="小标题应为两个四至六字的并列短句"))
    return found


def _jotting(section: WrittenSection) -> list[ReviewFinding]:
    found = []
    for line in section.body.split("\n"):
        for pattern, what in JOTTING:
            if match := pattern.search(line):
                found.append(ReviewFinding(kind="jotting", section=section.title, text=match.group(0).strip(),
                                           detail=f"笔记痕迹：{what}"))
    return found

