"""The benchmark's local model server: OpenAI-compatible answers (plain and streamed) with usage,
deterministic contents that keep the drafter and the digest on their plain path. No timing is
asserted: the server sleeps to a token rate, and the tests run it fast."""

from __future__ import annotations

import json
from collections.abc import Iterator

import openai
import pytest
from support import QINGXI_DIR

from aidraft.bench import answers
from aidraft.bench.llm_draft import bench_model
from aidraft.bench.fake_server import FakeServer
from aidraft.bench.timed import ServerConfig, Timed
from aidraft.bench.naive import base_plan, naive_messages
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText
from aidraft.digest.llm_map import ReportSummary
from aidraft.digest.llm_reduce import Reduction
from aidraft.draft.llm_drafter import LLMDrafter, split_section
from aidraft.draft.pipeline import DraftInputs, resolve_inputs, run_draft
from aidraft.parse.notes import read_notes
from aidraft.llm.budget import count_tokens
from aidraft.parse.document import SectionKind
from aidraft.parse.structure import parse_file
from aidraft.prompts import load_prompt
from aidraft.settings import Settings

SECTION = "本部分标题：一、主要举措\n（一）强化理论武装，筑牢法治根基\n- 笔记0：开展宣讲32场\n- 笔记1：发放资料1.2万余份\n"


@pytest.fixture()
def server() -> Iterator[FakeServer[Timed]]:
    with FakeServer(Timed(ServerConfig(rate=1e6, latency_s=0.0))) as running:
        yield running


@pytest.fixture()
def inputs() -> DraftInputs:
    return resolve_inputs(read_notes(QINGXI_DIR / "notes-2025.md"), [parse_file(QINGXI_DIR / "prior-2024.md")], None, None)


def test_plain_and_streamed_answers_are_the_same_with_usage(server: FakeServer[Timed]) -> None:
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    messages = [{"role": "system", "content": "规则"}, {"role": "user", "content": SECTION}]
    plain = client.chat.completions.create(model="m", messages=messages)  # type: ignore[arg-type]
    text = plain.choices[0].message.content or ""
    assert text == "（一）强化理论武装，筑牢法治根基\n一是开展宣讲32场。二是发放资料1.2万余份。"
    assert plain.usage is not None
    assert plain.usage.prompt_tokens == count_tokens("规则") + count_tokens(SECTION)
    assert plain.usage.completion_tokens == count_tokens(text)
    stream = client.chat.completions.create(model="m", messages=messages, stream=True,  # type: ignore[call-overload]
                                            stream_options={"include_usage": True})
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == text
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == count_tokens(text)
    stats = server.responder.reset({"rate": 500})
    assert (stats.requests, stats.kinds, stats.max_in_flight) == (2, {"section": 2}, 1)
    assert server.responder.stats().requests == 0 and server.responder.config.rate == 500


def test_max_tokens_cuts_the_answer(server: FakeServer[Timed]) -> None:
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": SECTION}], max_tokens=5)
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None and reply.usage.completion_tokens == 5


def test_the_drafter_takes_its_plain_path_over_the_server(server: FakeServer[Timed], inputs: DraftInputs) -> None:
    result = run_draft(inputs, LLMDrafter(bench_model(server.base_url), Settings.from_cli(use_cache=False)))
    with_items = sum(len(split_section(s)) for s in result.plan.sections)  # parts of sections with notes
    assert result.run.model_calls == with_items + 1 and result.run.events == []  # + the whole-report review
    assert result.check.summary.flagged == 0
    assert {s.provenance for s in result.sections if s.kind is not SectionKind.other} == {"model"}
    assert server.responder.stats().kinds == {"section": with_items, "json": 1}


def test_the_naive_prompt_holds_every_note_and_the_prior_report(inputs: DraftInputs) -> None:
    system, user = naive_messages(inputs)
    assert "全文" in system.content and "一个部分" not in system.content
    assert all(f"- N{item.id + 1}：" in user.content for item in inputs.notes.items)
    assert inputs.priors[0].text.strip()[:40] in user.content
    body = answers.prose_answer(user.content)
    notes = NamedText(path="notes", text=inputs.notes.text)
    assert check_text(NamedText(path="naive", text=body), [notes]).summary.flagged == 0
    assert body.count("\n") > len(base_plan(inputs).sections)  # section titles and sub-section headings


def test_digest_answers_validate_and_keep_every_office() -> None:
    summary = ReportSummary.model_validate(answers.map_answer("下面是青溪县报送的2024年度法治政府建设情况报告"))
    assert summary.measures and summary.duty and summary.problems and summary.plans
    items = "- 做法甲【青溪县、河阳区】\n- 做法甲【云山县】\n- 做法乙【临安市】"
    final = Reduction.model_validate(answers.reduce_answer(f"整理出不超过8条共同要点\n{items}"))
    assert [(p.text, p.offices) for p in final.practices] == [("做法甲", ["青溪县", "河阳区", "云山县"]),
                                                              ("做法乙", ["临安市"])]
    collapsed = Reduction.model_validate(answers.reduce_answer(f"合并为一条\n{items}"))
    assert [p.offices for p in collapsed.practices] == [["青溪县", "河阳区", "云山县", "临安市"]]


def test_structured_requests_by_tool_call_and_json_mode(server: FakeServer[Timed]) -> None:
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    tool = {"type": "function", "function": {"name": "ReportSummary", "parameters": {"type": "object"}}}
    user = {"role": "user", "content": "下面是青溪县报送的报告"}
    called = client.chat.completions.create(model="m", messages=[user], tools=[tool])  # type: ignore[list-item]
    call = (called.choices[0].message.tool_calls or [])[0]
    assert call.function.name == "ReportSummary"  # type: ignore[union-attr]
    ReportSummary.model_validate(json.loads(call.function.arguments))  # type: ignore[union-attr]
    mode = client.chat.completions.create(model="m", response_format={"type": "json_object"},  # type: ignore[call-overload]
                                          messages=[{"role": "system", "content": "JSON Schema（ReportSummary）"}, user])
    ReportSummary.model_validate_json(mode.choices[0].message.content or "")
