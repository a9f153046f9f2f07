"""The whole-report review repairs what it safely can, offline and from the ledger: a sentence
with jotting residue or leaked prompt text is rewritten from the notes it cites, dropped when it
states no note and no figure, or cleaned when it is jotting in a sentence without notes; what
cannot be fixed that way stays in the report and is reported unfixed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aidraft.draft.llm_drafter import LLMDrafter
from aidraft.draft.pipeline import resolve_inputs, run_draft
from aidraft.draft.review import review_sections
from aidraft.draft.write_offline import DraftSentence, WrittenSection
from aidraft.llm import fake_models
from aidraft.llm.base import ChatRequest
from aidraft.llm.fake import FakeChatModel
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import NoteItem, parse_notes
from aidraft.settings import Settings

ITEMS = {0: NoteItem(id=0, text="开展法治宣讲/培训12场", line=1),
         1: NoteItem(id=1, text="我局聘请法律顾问2名:参与重大决策合法性审查", line=2),
         2: NoteItem(id=2, text="明年：修订行政执法案卷评查办法", line=3)}
HEAD = "（一）强化理论武装，筑牢法治根基"


def fact(text: str, *ids: str) -> DraftSentence:
    return DraftSentence(text=text, note_ids=list(ids), kind="fact")


def connective(text: str) -> DraftSentence:
    return DraftSentence(text=text, kind="connective")


@pytest.mark.parametrize(("kind", "sentence", "trace", "expected", "fixed"), [
    # a sentence stating notes is rewritten from them (the ordinal kept)
    (SectionKind.measures, "宣讲/培训12场。", fact("宣讲/培训12场。", "N1"), "开展法治宣讲、培训12场。", True),
    (SectionKind.measures, "一是宣讲/培训12场。", fact("一是宣讲/培训12场。", "N1"), "一是开展法治宣讲、培训12场。", True),
    (SectionKind.measures, "聘请法律顾问2名（笔记2）。", fact("聘请法律顾问2名（笔记2）。", "N2"),
     "聘请法律顾问2名，参与重大决策合法性审查。", True),
    (SectionKind.measures, "开展宣讲12场,培训8场;N1。", fact("开展宣讲12场,培训8场;N1。", "N1", "N2"),
     "开展法治宣讲、培训12场。聘请法律顾问2名，参与重大决策合法性审查。", True),
    (SectionKind.plans, "明年：修订评查办法。", fact("明年：修订评查办法。", "N3"), "修订行政执法案卷评查办法。", True),
    # a sentence stating no note: prompt text dropped, jotting cleaned in place
    (SectionKind.measures, "以下按【工作笔记结束】前的材料撰写。", connective("以下按【工作笔记结束】前的材料撰写。"), "", True),
    (SectionKind.measures, "详见笔记3。", None, "", True),
    (SectionKind.measures, "- 坚持依法行政;规范执法行为。", None, "坚持依法行政；规范执法行为。", True),
    (SectionKind.measures, "备注：坚持学用结合/以学促用。", connective("备注：坚持学用结合/以学促用。"), "坚持学用结合、以学促用。", True),
    # no safe fix: left as written, reported unfixed
    (SectionKind.measures, "另办理案件37件（笔记9）。", None, "另办理案件37件（笔记9）。", False),
    (SectionKind.measures, "宣讲/培训12场。", fact("宣讲/培训12场。", "N7"), "宣讲/培训12场。", False),
])
def test_residue_and_prompt_text_are_repaired_from_the_ledger(kind: SectionKind, sentence: str,
                                                              trace: DraftSentence | None, expected: str,
                                                              fixed: bool) -> None:
    keep = fact("全年受理信访事项1642件。", "N4")
    body = f"{HEAD}\n{sentence}{keep.text}"
    written = WrittenSection(kind=kind, title="主要举措", body=body,
                             sentences=[t for t in (trace, keep) if t is not None])
    [out], found = review_sections([written], items=ITEMS)
    assert out.body == f"{HEAD}\n{expected}{keep.text}"
    residue = [f for f in found if f.kind in ("jotting", "leak")]
    assert residue and all(f.fixed is fixed for f in residue)
    assert keep in out.sentences  # the other sentences are untouched
    for t in out.sentences:  # the trace follows the text: the checker reads each sentence's notes
        assert t.text in out.body
    if trace is not None and trace.note_ids and fixed:
        assert [t.note_ids for t in out.sentences if t.text == expected] == [trace.note_ids]


def test_a_heading_with_residue_is_reported_not_rewritten() -> None:
    body = "（一）学法/用法\n全年受理信访事项1642件。"
    [out], found = review_sections([WrittenSection(kind=SectionKind.measures, title="主要举措", body=body)],
                                   items=ITEMS)
    assert out.body == body
    assert [(f.kind, f.fixed) for f in found if f.kind == "jotting"] == [("jotting", False)]


NOTES = """---
office: 河西区司法局
year: 2025
---
# 主要举措和成效
- 组织全局干部参加学法考试，参考率100%
- 办理行政复议案件37件，纠错率8.1%
- 开展普法宣传活动45场，发放资料3200份
# 存在的问题
- 基层执法人员法律素养有待提高
# 明年打算
- 修订行政执法案卷评查办法
"""


def jotter(request: ChatRequest) -> Any:
    """A model that cites its notes faithfully but writes like a note-taker: a bullet in front,
    half-width punctuation between Chinese words."""
    answer = fake_models.faithful(request)
    for paragraph in answer["paragraphs"]:
        for sentence in paragraph["sentences"]:
            sentence["text"] = "- " + re.sub(r"(?<=[\u4e00-\u9fff])，(?=[\u4e00-\u9fff])", ",", sentence["text"])
    return answer


def test_a_jotting_model_ships_clean_prose_with_every_figure() -> None:
    inputs = resolve_inputs(parse_notes(NOTES, "notes.md"), [], None, None)
    model = FakeChatModel(*[jotter] * 40)
    result = run_draft(inputs, LLMDrafter(model, Settings(concurrency=1, review=True)), path="draft")
    text = result.document.text
    assert not re.search(r"[\u4e00-\u9fff][,;:][\u4e00-\u9fff]", text) and not re.search(r"(?m)^- ", text)
    for figure in ("100%", "37件", "8.1%", "45场", "3200份"):
        assert figure in text
    residue = [f for f in result.run.review if f.kind == "jotting"]
    assert residue and all(f.fixed for f in residue)
