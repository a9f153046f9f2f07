"""The digest's model backend with a scripted FakeChatModel: map, reduce in rounds, resume."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aidraft.ingest.read import NamedText
from aidraft.digest.config import digest_genre
from aidraft.digest.llm_map import ReportSummary, report_parts
from aidraft.digest.llm_reduce import ReducedPractice, Reduction
from aidraft.digest.pipeline import run_digest
from aidraft.llm.base import ContentFilterError
from aidraft.llm.fake import FakeChatModel, FakeRequest
from aidraft.parse.document import SectionKind
from aidraft.settings import Settings
from support import LABELS, REPORTS, attributed, check_flags

SHARED = "坚持把学习贯彻习近平法治思想作为首要政治任务"
ITEM = re.compile(r"^- (?P<text>.+)【(?P<offices>[^】]*)】$", re.MULTILINE)


def is_map(request: FakeRequest) -> bool:
    return any((m.prompt or "").startswith("digest_map@") for m in request.messages)


def answer(request: FakeRequest) -> object:
    """Order-independent answers, so reports and sections may be handled concurrently."""
    if is_map(request):
        office = re.search(r"下面是(.+?)报送的", request.user_text).group(1)  # type: ignore[union-attr]
        return ReportSummary(measures=[SHARED, f"探索{office}特色普法模式", "开展宣讲12场"],
                             problems=["基层法治力量有待加强"], plans=[])
    items = [ReducedPractice(text=m["text"], offices=m["offices"].split("、")) for m in ITEM.finditer(request.user_text)]
    if "整理出不超过" in request.user_text:  # final: merge equal texts, invent an office to be ignored
        merged: dict[str, list[str]] = {}
        for item in items:
            merged.setdefault(item.text, []).extend(item.offices)
        return Reduction(practices=[ReducedPractice(text=t, offices=[*o, "某某县"]) for t, o in merged.items()])
    # a collapse round: everything in this part becomes one practice of all its offices
    offices = list(dict.fromkeys(o for item in items for o in item.offices))
    return Reduction(practices=[ReducedPractice(text=items[0].text, offices=offices)])


def fake(n: int = 400) -> FakeChatModel:
    return FakeChatModel().enqueue(*([answer] * n))


@pytest.fixture()
def named() -> list[NamedText]:
    return [NamedText(path=name, text=text) for name, text in REPORTS.items()]


def settings(tmp_path: Path, concurrency: int = 4, cache: bool = True) -> Settings:
    return Settings.from_cli(cache_dir=tmp_path / "cache", concurrency=concurrency, use_cache=cache)


def test_model_practices_python_figures(tmp_path: Path, named: list[NamedText]) -> None:
    model = fake()
    result = run_digest(named, settings=settings(tmp_path), model=model)
    measures = result.sections[0]
    assert measures.common[0].text == SHARED + "。" and measures.common[0].labels == LABELS  # 某某县 dropped
    assert {p.text for p in measures.notable} == {f"探索{label}特色普法模式。" for label in LABELS}
    assert not any("宣讲" in p.text for p in [*measures.common, *measures.notable])  # a figure-only item goes
    assert any(p.text == "合计开展宣讲25场" for p in measures.figures)  # Python's total, not the model's
    problems = next(s for s in result.sections if s.kind is SectionKind.problems)
    assert problems.common[0].labels == LABELS
    assert set(LABELS) <= attributed(result.text)
    assert check_flags(result.checked_text, named) == []
    run = result.run
    assert run.backend == "openai" and run.model == "fake-model"
    assert run.prompt_versions == {"digest_map": "2", "digest_reduce": "1"}
    assert run.model_calls == len(model.requests) == 3 + 2  # a map per report, a reduce per section with items
    assert model.pending == 400 - run.model_calls


def test_concurrency_does_not_change_the_digest(tmp_path: Path, named: list[NamedText]) -> None:
    one = run_digest(named, settings=settings(tmp_path / "a", concurrency=1, cache=False), model=fake())
    many = run_digest(named, settings=settings(tmp_path / "b", concurrency=8, cache=False), model=fake())
    assert one.text == many.text


def test_map_results_resume_after_interruption(tmp_path: Path, named: list[NamedText]) -> None:
    run_digest(named, settings=settings(tmp_path), model=fake())
    assert list((tmp_path / "cache" / "digest-map").glob("*.json"))

    def no_map(request: FakeRequest) -> object:
        assert not is_map(request), "a stored map result was asked for again"
        return answer(request)

    second = FakeChatModel().enqueue(*([no_map] * 50))
    result = run_digest(named, settings=settings(tmp_path), model=second)
    assert result.run.resumed_maps == 3 and not any(is_map(r) for r in second.requests)


def test_reduce_collapses_in_rounds(tmp_path: Path, named: list[NamedText], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest_genre().limits, "reduce_tokens", 70)
    model = fake()
    result = run_digest(named, settings=settings(tmp_path, cache=False), model=model)
    reduces = [r for r in model.requests if not is_map(r)]
    collapses = [r for r in reduces if "不得遗漏" in r.user_text]
    finals = [r for r in reduces if "整理出不超过" in r.user_text]
    assert len(collapses) >= 2 and finals  # two rounds for the measures section, then the final reduce
    assert all(len(ITEM.findall(r.user_text)) >= 2 for r in collapses)  # a lone practice is not sent
    measures = result.sections[0]
    assert measures.common[0].text == SHARED + "。" and measures.common[0].labels == LABELS
    assert set(LABELS) <= attributed(result.text)


def test_long_report_is_split_not_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest_genre().limits, "map_tokens", 60)
    sections = {SectionKind.measures: "\n".join(f"第{i}段：坚持依法分类处理信访诉求，规范受理办理各个环节。" for i in range(6)),
                SectionKind.plans: "持续推进信访工作法治化。"}
    parts = report_parts(sections, 60)
    assert len(parts) > 1
    joined = "\n".join(parts)
    assert all(line in joined for text in sections.values() for line in text.split("\n"))


def test_a_failed_map_call_keeps_the_run_and_the_office(tmp_path: Path, named: list[NamedText]) -> None:
    def refuse_heyang(request: FakeRequest) -> object:
        if is_map(request) and "下面是河阳区报送的" in request.user_text:
            return ContentFilterError("the provider refused the input")
        return answer(request)

    model = FakeChatModel().enqueue(*([refuse_heyang] * 100))
    result = run_digest(named, settings=settings(tmp_path, cache=False), model=model)
    assert [e.split(":")[0] for e in result.run.events] == ["河阳区"]
    assert "河阳区" in attributed(result.text)


@pytest.mark.parametrize("concurrency", [1, 2])
def test_reduce_respects_concurrency(tmp_path: Path, named: list[NamedText], concurrency: int) -> None:
    """Map, collapse and the four sections' final reduce calls together never exceed --concurrency."""
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def timed(request: FakeRequest) -> object:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.02)
        try:
            return answer(request)
        finally:
            with lock:
                state["now"] -= 1

    model = FakeChatModel().enqueue(*([timed] * 400))
    result = run_digest(named, settings=settings(tmp_path, concurrency=concurrency, cache=False), model=model)
    assert result.run.model_calls >= 5
    assert state["peak"] <= concurrency
