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

SHARED = "深入开展《信访工作条例》宣传活动"  # all three reports say it, each in its own words
OWN = {"青溪县": "创新推行“信访代办”工作法", "河阳区": "建立“周调度、月通报”工作机制",
       "云山市": "依托“云山信访”微信公众号推送法治宣传信息"}
PROBLEM = "干部职工运用法治思维和法治方式解决问题的能力有待提升"  # 青溪县 and 河阳区 only
ITEM = re.compile(r"^- (?P<text>.+)【(?P<offices>[^】]*)】$", re.MULTILINE)


def is_map(request: FakeRequest) -> bool:
    return any((m.prompt or "").startswith("digest_map@") for m in request.messages)


def answer(request: FakeRequest) -> object:
    """Order-independent answers, so reports and sections may be handled concurrently."""
    if is_map(request):
        office = re.search(r"下面是(.+?)报送的", request.user_text).group(1)  # type: ignore[union-attr]
        return ReportSummary(measures=[SHARED, OWN[office], "开展宣讲12场"], problems=[PROBLEM], plans=[])
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
    assert {p.text for p in measures.notable} == {f"{own}。" for own in OWN.values()}
    assert not any("宣讲" in p.text for p in [*measures.common, *measures.notable])  # a figure-only item goes
    assert any(p.text == "合计开展宣讲25场" for p in measures.figures)  # Python's total, not the model's
    problems = next(s for s in result.sections if s.kind is SectionKind.problems)
    assert problems.common[0].labels == ["青溪县", "河阳区"]  # the model's 云山市 says no such thing
    assert any("云山市" in e and PROBLEM in e for e in result.run.events)
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
    assert [e.split(":")[0] for e in result.run.events if "map failed" in e] == ["河阳区"]
    assert result.run.failed_maps == 1  # the CLI says so and exits 1, as a draft with a fallback does
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


def test_a_practice_no_credited_report_says_is_left_out(tmp_path: Path, named: list[NamedText]) -> None:
    """The model words a practice beyond the reports (律师参与接访, a claim of 率先): it is credited to
    no office, and every practice kept points at the line that says it."""
    invented = "在全省率先推行律师参与接访制度"

    def inventive(request: FakeRequest) -> object:
        if is_map(request) or "整理出不超过" not in request.user_text:
            return answer(request)
        return Reduction(practices=[ReducedPractice(text=invented, offices=LABELS),
                                    ReducedPractice(text=SHARED, offices=LABELS)])

    result = run_digest(named, settings=settings(tmp_path, cache=False),
                        model=FakeChatModel().enqueue(*([inventive] * 100)))
    assert "律师参与接访" not in result.text and "率先" not in result.text
    measures = result.sections[0]
    kept = [p for p in [*measures.common, *measures.notable] if p.text.startswith(SHARED)]
    assert kept and all(REPORTS[s.file].split("\n")[s.line - 1].strip() for p in kept for s in p.sources)
    assert any(invented in e and "left out" in e for e in result.run.events)
