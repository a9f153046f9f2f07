"""Personal data never leaves for a remote endpoint, and API keys never land in logs, caches,
outputs or error messages. Every server here is on 127.0.0.1 (aidraft.bench.fake_server).
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from aidraft.bench.answers import drafter_responder
from aidraft.bench.fake_server import FakeServer, Reply, chat_body
from aidraft.bench.responders import Scripted, faulty_server
from pydantic import BaseModel, SecretStr
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.errors import AidraftError, ConfigError
from aidraft.figures.extract import extract_figures
from aidraft.parse.notes import parse_notes
from aidraft.llm.base import Completion, Message, ModelServerError, RateLimitedError
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.factory import LazyChatModel
from aidraft.llm.masking import MaskingChatModel, find_masking, mask_summary
from aidraft.llm.openai_chat import OpenAIChatModel
from aidraft.llm.structured import complete_structured
from aidraft.privacy import NO_MASK_WARNING, Masker, detect, gb11643_valid, luhn_valid, ordinal
from aidraft.llm.endpoint import Endpoint
from aidraft.settings import Settings
from support import SAMPLES

KEY = "sk-test-SECRET-9f3a"
PII = {
    "name": "张伟明",
    "name2": "欧阳春燕",
    "id": "330102198507154326",
    "mobile": "13812345678",
    "landline": "0571-88881234",
    "email": "zhang.weiming@example.com",
    "bank": "6222021234567890128",
    "address": "青溪县城关镇解放路88号3单元502室",
}
PII_LINES = (
    "- 信访人张伟明（身份证号330102198507154326，手机13812345678）反映征地补偿问题，已交办乡镇化解\n"
    "- 来访人欧阳春燕家住青溪县城关镇解放路88号3单元502室，联系电话0571-88881234，邮箱zhang.weiming@example.com\n"
    "- 为申请人张伟明发放救助金3000元，银行卡号6222021234567890128\n"
)
NOTES = (SAMPLES / "qingxi" / "notes-2025.md").read_text(encoding="utf-8") + PII_LINES


def leaked(text: str) -> list[str]:
    """Planted values present in ``text`` (also with separators dropped, as a model might)."""
    flat = re.sub(r"[\s\-]", "", text)
    return [v for v in PII.values() if v in text or re.sub(r"[\s\-]", "", v) in flat]


# --- detection ---------------------------------------------------------------------------------

DETECTS = [
    ("信访人张伟明反映问题", [("name", "张伟明")]),
    ("当事人：李娜称", [("name", "李娜")]),
    ("来访人欧阳春燕、王强和赵敏到局", [("name", "欧阳春燕"), ("name", "王强"), ("name", "赵敏")]),
    ("申请人王家豪住址：青溪县城关镇解放路88号", [("name", "王家豪"), ("address", "青溪县城关镇解放路88号")]),
    ("信访人张三家住东山村反映", [("name", "张三"), ("address", "东山村")]),
    ("王女士来电", [("name", "王女士")]),
    ("身份证330102198507154326", [("id_card", "330102198507154326")]),
    ("证号11010519491231002X。", [("id_card", "11010519491231002X")]),
    ("身份证号330102198507154321", [("id_card", "330102198507154321")]),  # introduced: masked despite checksum
    ("电话13812345678，", [("mobile", "13812345678")]),
    ("+86 138 1234 5678", [("mobile", "+86 138 1234 5678")]),
    ("座机（0571）88881234转12", [("landline", "（0571）88881234转12")]),
    ("联系电话057188881234", [("landline", "057188881234")]),
    ("邮箱 a.b-c@mail.example.cn", [("email", "a.b-c@mail.example.cn")]),
    ("卡号6222 0212 3456 7890 128", [("bank_card", "6222 0212 3456 7890 128")]),
    ("账号6222021234567890", [("bank_card", "6222021234567890")]),  # introduced: masked despite Luhn
    ("案号（2024）浙0102民初1234号", [("case_number", "（2024）浙0102民初1234号")]),
    ("信访件编号XF2024-0153", [("case_number", "XF2024-0153")]),
]


@pytest.mark.parametrize(("text", "expected"), DETECTS, ids=[t for t, _ in DETECTS])
def test_detects_each_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.kind, s.value) for s in detect(text)] == expected
    assert all(text[s.start : s.end] == s.value for s in detect(text))


NOT_PERSONAL = [
    "全年受理群众信访事项1642件，按期办结率98.6%", "当事人陈述", "申请人民法院强制执行", "信访人员",
    "来访人次同比下降12%", "村民小组", "群众高度评价", "当事人双方达成和解", "当事人和解",
    "局长林晓峰主持召开会议3次", "330102198507154321", "6222021234567890", "编号2024", "12345热线",
    "青信〔2024〕12号", "预算资金1234567890123456元",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_leaves_statistics_and_ordinary_words_alone(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*/*")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_false_positives_in_the_samples(path: Path) -> None:
    assert detect(path.read_text(encoding="utf-8")) == []


def test_checksums() -> None:
    assert gb11643_valid("330102198507154326") and gb11643_valid("11010519491231002x")
    assert not gb11643_valid("330102198507154321") and not gb11643_valid("330102198513154326")
    assert luhn_valid("6222021234567890128") and luhn_valid("4111 1111 1111 1111")
    assert not luhn_valid("6222021234567890127") and not luhn_valid("0000000000000000")


# --- masking -----------------------------------------------------------------------------------


def test_mask_hides_everything_and_unmask_restores_it() -> None:
    masker = Masker()
    masked = masker.mask(NOTES)
    assert leaked(masked) == []
    assert masker.unmask(masked) == NOTES
    assert "〔人名甲〕" in masked and "〔身份证号甲〕" in masked and "〔手机号甲〕" in masked


@pytest.mark.parametrize("text", [NOTES, *(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*/*")))])
def test_masked_text_states_exactly_the_same_figures(text: str) -> None:
    masked = Masker().mask(text)
    assert [(f.text, f.value) for f in extract_figures(masked)] == [(f.text, f.value) for f in extract_figures(text)]


def test_address_is_masked_to_its_end_house_numbers_included() -> None:
    """The tail after an address's first figure (5组18号) identifies a household: it is masked too."""
    text = "信访人家住青溪县幸福村5组18号，反映宅基地纠纷"
    masked = Masker().mask(text)
    assert masked == "信访人家住〔住址甲〕，反映宅基地纠纷"


def test_placeholders_are_stable_and_hold_no_digits() -> None:
    masker = Masker()
    first = masker.mask("信访人张伟明，手机13812345678")
    second = masker.mask("张伟明再次来电，号码13812345678；信访人李娜同来")
    assert first == "信访人〔人名甲〕，手机〔手机号甲〕"
    assert second == "〔人名甲〕再次来电，号码〔手机号甲〕；信访人〔人名乙〕同来"
    issued = re.findall(r"〔[^〕]+〕", first + second)
    assert not any(ch.isdigit() for p in issued for ch in p)
    assert extract_figures("".join(issued)) == []
    assert [ordinal(i, list("甲乙丙")) for i in (0, 2, 3, 10, 12)] == ["甲", "丙", "甲甲", "丙乙", "甲甲甲"]


def test_prime_learns_names_before_any_request() -> None:
    """A section may name a petitioner without 信访人 before it (the introduction is in another
    section, or the plan request was a cache hit): priming with the whole notes covers that."""
    bare = "张伟明于3月再次来访，欧阳春燕陪同"
    assert leaked(Masker().mask(bare)) == [PII["name"], PII["name2"]]
    primed = Masker()
    primed.prime(NOTES)
    assert primed.mask(bare) == "〔人名甲〕于3月再次来访，〔人名乙〕陪同"
    assert primed.summary().occurrences == {"name": 2}


def test_unmask_accepts_bracket_variants_and_keeps_unknown_placeholders() -> None:
    masker = Masker()
    masker.mask("信访人张伟明")
    assert masker.unmask("【人名甲】、[人名甲]、［ 人名甲 ］和〔人名乙〕") == "张伟明、张伟明、张伟明和〔人名乙〕"
    assert masker.summary().unknown_placeholders == 1


def test_literal_placeholders_in_notes_survive_the_round_trip() -> None:
    text = "笔记原文写作〔人名甲〕，信访人张伟明反映"
    masker = Masker()
    masked = masker.mask(text)
    assert "〔人名乙〕" in masked and masker.unmask(masked) == text


def test_summary_counts_kinds_never_values() -> None:
    masker = Masker()
    masker.unmask(masker.mask(NOTES))
    summary = masker.summary()
    assert summary.values == {"address": 1, "bank_card": 1, "email": 1, "id_card": 1, "landline": 1, "mobile": 1,
                              "name": 2}
    assert summary.occurrences["name"] == 3 and summary.restored == 9
    dumped = summary.model_dump_json() + summary.line() + repr(masker)
    assert leaked(dumped) == []


def test_no_mask_warning_is_one_loud_line() -> None:
    assert "\n" not in NO_MASK_WARNING and "--no-mask" in NO_MASK_WARNING and "UNMASKED" in NO_MASK_WARNING


# --- over the wire ------------------------------------------------------------------------------


class Verdict(BaseModel):
    ok: bool
    reason: str


def remote(base_url: str) -> OpenAIChatModel:
    """A model that believes its endpoint is remote (is_local False) but talks to 127.0.0.1."""
    endpoint = Endpoint(base_url=base_url, model="stub-model", api_key=SecretStr(KEY),
                        structured_methods=("json_mode",), is_local=False)
    return OpenAIChatModel(endpoint, timeout_s=5, max_retries=1, backoff_initial_s=0.01, backoff_max_s=0.02)


def echo(body: dict[str, Any]) -> Reply:
    """The stub answers with the user's text, as a model quoting the notes would."""
    return Reply(body=chat_body(f"据笔记：{body['messages'][-1]['content']}"))


def test_masking_model_sends_no_personal_data(openai_stub: FakeServer[Scripted]) -> None:  # noqa: F811
    model = MaskingChatModel(remote(openai_stub.base_url))
    openai_stub.responder.reply("前半：〔人名甲〕（〔身份证号", finish_reason="length")
    openai_stub.responder.reply("甲〕）")
    openai_stub.responder.reply_json({"ok": True, "reason": "〔人名甲〕的手机号是〔手机号甲〕"})
    openai_stub.responder.respond_with(echo)
    cut = model.complete([Message.system("你是起草助手。"), Message.user(PII_LINES)])
    verdict = complete_structured(model, [Message.user(f"核对：{PII_LINES}")], Verdict)
    quoted = model.complete([Message.user(PII_LINES)])
    wire = json.dumps(openai_stub.requests, ensure_ascii=False)
    assert leaked(wire) == [] and "〔人名甲〕" in wire
    assert cut.text == f"前半：{PII['name']}（{PII['id']}）"
    assert verdict.reason == f"{PII['name']}的手机号是{PII['mobile']}"
    assert quoted.text == f"据笔记：{PII_LINES}"
    assert mask_summary(model).values["name"] == 2


def test_llm_draft_through_masking_restores_every_value() -> None:
    from aidraft.draft.llm_drafter import LLMDrafter
    from aidraft.draft.pipeline import resolve_inputs, run_draft

    inputs = resolve_inputs(parse_notes(NOTES, "notes.md"), [], None, None)
    settings = Settings(backend="openai", base_url="https://api.example.com/v1", model="m", use_cache=False)
    with faulty_server(drafter_responder()) as server:
        model = MaskingChatModel(remote(server.base_url))
        model.prime(inputs.notes.text)
        result = run_draft(inputs, LLMDrafter(model, settings))
    assert server.requests and leaked(json.dumps(server.requests, ensure_ascii=False)) == []
    assert sorted(leaked(result.document.text)) == sorted(PII.values())
    assert "〔" not in result.document.text
    # every value checks out; the scripted model writes all notes (plans too) into one section,
    # which the placement check rightly marks misplaced: that is not what this test is about
    assert [f.text for f in result.check.figures if f.flagged and f.status.value != "misplaced"] == []


FACTORY = [  # base_url, mask, use_cache → the wrappers, outermost first (the client is built lazily)
    ("https://api.example.com/v1", True, True, [CachedChatModel, MaskingChatModel, LazyChatModel]),
    ("https://api.example.com/v1", True, False, [MaskingChatModel, LazyChatModel]),
    ("https://api.example.com/v1", False, True, [CachedChatModel, LazyChatModel]),
    ("http://127.0.0.1:8000/v1", True, True, [CachedChatModel, LazyChatModel]),
    ("http://localhost:11434/v1", True, False, [LazyChatModel]),
]


@pytest.mark.parametrize(("base_url", "mask", "use_cache", "chain"), FACTORY)
def test_factory_masks_only_for_remote_endpoints(base_url: str, mask: bool, use_cache: bool, chain: list[type],
                                                 tmp_path: Path) -> None:
    settings = Settings(base_url=base_url, model="m", api_key=SecretStr(KEY), mask_personal_data=mask,
                        use_cache=use_cache, cache_dir=tmp_path)
    model: Any = settings.chat_model()
    found = []
    while model is not None:
        found.append(type(model))
        model = getattr(model, "inner", None)
    assert found == chain
    assert (find_masking(settings.chat_model()) is not None) == (MaskingChatModel in chain)


# --- API keys -----------------------------------------------------------------------------------


def test_key_absent_from_reprs_and_dumps(tmp_path: Path) -> None:
    settings = Settings(base_url="https://api.example.com/v1", model="m", api_key=SecretStr(KEY), cache_dir=tmp_path)
    model = settings.chat_model()
    endpoint = settings.resolve_endpoint()
    shown = [repr(settings), str(settings), settings.model_dump_json(), repr(endpoint), endpoint.model_dump_json(),
             repr(model), repr(find_masking(model))]
    assert not [s for s in shown if KEY in s]


@pytest.mark.parametrize(("fault", "error"), [("unauthorized", ConfigError), ("rate_limit", RateLimitedError),
                                              ("server_500", ModelServerError)])
def test_key_absent_from_error_messages(fault: str, error: type[AidraftError]) -> None:
    """Even when the provider echoes the key it was sent (echo_key), our message does not."""
    with faulty_server(script=[fault] * 3, echo_key=True) as server, pytest.raises(error) as caught:
        remote(server.base_url).complete([Message.user("写一句话。")])
    assert server.auth[0] == f"Bearer {KEY}"  # the key did travel, in the header only
    exc = caught.value
    assert KEY not in f"{exc} {exc!r} {exc.one_line()} {exc.hint}"


def test_key_absent_from_cache_files(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:  # noqa: F811
    openai_stub.responder.reply("正文")
    cached = CachedChatModel(remote(openai_stub.base_url), tmp_path / "cache")
    assert cached.complete([Message.user("写一句话。")]).text == "正文"
    assert cached.complete([Message.user("写一句话。")]).cached
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert files and not [p for p in files if KEY.encode() in p.read_bytes()]


def readable_bytes(path: Path) -> list[bytes]:
    """A file's bytes, plus each member's when it is a zip (a .docx)."""
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [data]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [data, *(archive.read(name) for name in archive.namelist())]


def test_key_absent_from_every_file_log_and_output_of_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """A CLI draft against an endpoint that fails one section with a key-echoing 500."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AIDRAFT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AIDRAFT_MAX_RETRIES", "0")
    monkeypatch.setenv("AIDRAFT_CONCURRENCY", "1")
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    caplog.set_level(logging.DEBUG)
    with faulty_server(drafter_responder(), script=["ok", "server_500"], echo_key=True) as server:
        result = CliRunner().invoke(app, ["draft", str(notes), "-o", str(tmp_path / "out" / "report.docx"),
                                          "--base-url", server.base_url, "--model", "m", "--api-key", KEY])
    assert result.exit_code == 1, result.output  # the section the 500 hit was written offline: said, not hidden
    assert any("server_500" == o for o in server.responder.outcomes) and server.auth[0] == f"Bearer {KEY}"
    assert KEY not in result.output and KEY not in caplog.text
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != notes]
    assert any(p.suffix == ".docx" for p in written) and any("cache" in p.parts for p in written)
    assert not [p for p in written if any(KEY.encode() in chunk for chunk in readable_bytes(p))]


def test_completion_text_is_unmasked_for_every_path() -> None:
    """A cached or continued answer passes through unmask too (nothing reaches the caller masked)."""
    from aidraft.llm.fake import FakeChatModel

    fake = FakeChatModel(Completion(text="〔人名甲〕的", finish_reason="length"), "电话是〔手机号甲〕")
    model = MaskingChatModel(fake)
    answer = model.complete([Message.user("信访人张伟明，手机13812345678")])
    assert answer.text == "张伟明的电话是13812345678"
    assert leaked("\n".join(r.text for r in fake.requests)) == []
