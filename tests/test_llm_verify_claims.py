"""What a model may not ship however it words it: an uncited sentence is connective prose only (no
claim, honour, zero claim, plan or named practice), a cited one claims only what its notes say, a
clause tacked onto many sentences is padding, and a wrong-shaped answer is re-asked with what was wrong."""

from __future__ import annotations

from typing import Any

import pytest

from aidraft.draft.leaks import Instructions
from aidraft.draft.llm_section import SectionDraft
from aidraft.draft.llm_verify import SectionVerifier
from aidraft.draft.plan import PlannedSection, PlannedSubsection
from aidraft.genre.register import register_rules
from aidraft.llm import fake_models
from aidraft.llm.base import Message
from aidraft.parse.document import SectionKind
from aidraft.parse.notes import NoteItem

ITEMS = {0: NoteItem(id=0, text="开展宣讲12场，发放资料3000份", line=1),
         1: NoteItem(id=1, text="化解信访积案5件，群众满意度显著提升", line=2),
         2: NoteItem(id=2, text="网上信访质效有待提升", line=3)}
CITED = [("开展宣讲12场，发放资料3000份。", ["N1"]), ("化解信访积案5件。", ["N2"]), ("网上信访质效有待提升。", ["N3"])]


def verifier(kind: str = "measures") -> SectionVerifier:
    section = PlannedSection(kind=SectionKind[kind], title="主要举措和成效", subsections=[
        PlannedSubsection(topic="a", title="深化普法宣传，营造法治氛围", item_ids=[0, 1, 2])])
    return SectionVerifier(section, ITEMS, Instructions([Message.user("写正文。")], [i.text for i in ITEMS.values()]))


def hard(sentences: list[tuple[str, list[str]]], kind: str = "measures") -> list[str]:
    draft = SectionDraft.model_validate({"paragraphs": [{"sentences": [{"text": t, "notes": n} for t, n in sentences]}]})
    return [p.en for p in verifier(kind).verify(draft) if p.hard]


UNCITED = [  # an uncited sentence, the section kind, what the rejection names ("" : it passes)
    ("在全省率先实现信访积案清零。", "measures", "claim (率先、清零)"),
    ("获评全省信访工作先进集体。", "measures", "claim (获评、先进集体)"),
    ("荣获省级表彰。", "measures", "claim (荣获、表彰)"),
    ("成功创建全国信访工作示范县。", "measures", "claim (创建、示范)"),
    ("群众满意度显著提升。", "measures", "claim (显著提升)"),
    ("全年实现进京非访零发生。", "measures", "claim (零发生)"),
    ("全年未发生重大群体性事件。", "measures", "claim (未发生)"),
    ("下一步将建立信访听证制度并推广至全市。", "measures", "promises (下一步、将建立、推广至)"),
    ("今后力争各项工作走在前列。", "duty", "promises (今后、力争)"),
    ("推广“三访合一”工作法。", "measures", "states facts (“三访合一”)"),
    # connective prose of real reports passes
    ("下一步，将持续推进信访工作法治化。", "plans", ""),
    ("坚持把学习贯彻习近平法治思想作为首要政治任务。", "measures", ""),
    ("主要负责人率先垂范，充分发挥示范带头作用。", "duty", ""),
    ("对照法治政府建设要求，工作中还存在一些不足：", "problems", ""),
    ("机构设置未发生变化。", "measures", ""),
]


@pytest.mark.parametrize(("sentence", "kind", "names"), UNCITED, ids=[s for s, _, _ in UNCITED])
def test_an_uncited_sentence_is_connective_only(sentence: str, kind: str, names: str) -> None:
    found = hard([*CITED, (sentence, [])], kind)
    assert (found == []) if not names else (len(found) == 1 and names in found[0]), found


CITED_CLAIMS = [  # a cited sentence and what the rejection names ("" : its notes say it)
    ("化解信访积案5件，群众满意度显著提升。", ""),
    ("化解信访积案5件，获评全省先进集体。", "do not: 获评、先进集体"),
    ("化解信访积案5件，在全市率先实现积案清零。", "do not: 率先、清零"),
    ("化解信访积案5件，创建信访工作示范点。", "do not: 创建、示范"),
]


@pytest.mark.parametrize(("sentence", "names"), CITED_CLAIMS, ids=[s for s, _ in CITED_CLAIMS])
def test_a_cited_sentence_claims_only_what_its_notes_say(sentence: str, names: str) -> None:
    found = hard([CITED[0], (sentence, ["N2"]), CITED[2]])
    assert (found == []) if not names else (len(found) == 1 and names in found[0]), found


PAD = "，群众满意度显著提升，实现零越级上访。"
LEADS = ["", "坚持", "深化", "强化", "扎实", "持续"]
PADDING = [  # the answer's sentences, whether it is padding
    ([(lead + t.rstrip("。") + PAD, n) for lead in LEADS for t, n in CITED], True),  # 18 sentences, one tail
    ([(t.rstrip("。") + "，切实维护群众合法权益。", n) for t, n in CITED], True),  # 3 times is already padding
    ([(CITED[0][0].rstrip("。") + "，切实维护群众合法权益。", ["N1"]), *CITED[1:],
      ("切实维护群众合法权益。", [])], False),  # twice is prose
    ([*CITED, ("群众满意度显著提升。", ["N2"]), ("群众满意度显著提升，积案化解。", ["N2"])], False),  # the notes say it
]


@pytest.mark.parametrize(("sentences", "padded"), PADDING, ids=["appended-18", "appended-3", "twice", "in-notes"])
def test_a_clause_repeated_across_sentences_is_padding(sentences: list[tuple[str, list[str]]], padded: bool) -> None:
    found = [p for p in hard(sentences) if "clause repeated" in p]
    assert bool(found) is padded, hard(sentences)


def test_claim_words_are_data_and_set_phrases_claim_nothing() -> None:
    rules = register_rules()
    assert {"获评", "荣获", "先进集体", "示范", "创建", "清零", "显著提升", "明显提升", "大幅提升"} <= set(rules.claims)
    assert rules.claims_in("率先垂范，发挥示范带头作用，学习《示范条例》") == []
    assert rules.claims_in("被评为省级示范单位") == ["被评为", "示范单位"]


# --- a wrong-shaped answer is re-asked with what was wrong -------------------------------------------------------

SHAPES = [  # the first answer, what the re-ask must say
    ('{"paragraphs": "none"}', "paragraphs: Input should be a valid list"),
    ('{"paragraphs": [{"sentences": [{"text": "坚持依法', "不是合法的 JSON"),
    ('{"paragraphs": [{"sentences": [{"notes": ["N1"]}]}]}', "paragraphs.0.sentences.0.text: Field required"),
]


@pytest.mark.parametrize(("first", "says"), SHAPES, ids=["wrong-type", "cut-off", "missing-field"])
def test_the_reask_carries_the_validation_error(first: str, says: str) -> None:
    from test_llm_drafter import DUTY, by_title, draft, fake, section

    model = fake(by_title({DUTY: [first, fake_models.faithful]}))
    result = draft(model)
    reasks = [r.user_text for r in model.requests if DUTY in r.messages[1].content and len(r.messages) > 2]
    assert len(reasks) == 1 and says in reasks[0], reasks
    assert first not in reasks[0]  # the detail, never the answer itself, goes into the request's instructions
    assert section(result, DUTY).provenance == "repaired"


def test_an_invalid_answer_states_its_detail_in_the_fallback_note(english: Any) -> None:
    from test_llm_drafter import DUTY, by_title, draft, fake, section

    result = draft(fake(by_title({DUTY: ['{"paragraphs": "none"}']})))
    note = section(result, DUTY).note or ""
    assert note.count("answer is not the JSON asked for: paragraphs: Input should be a valid list") == 1, note
