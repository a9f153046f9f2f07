"""The shipped suite end to end: the offline backend passes it; a model that invents figures and
repeats itself fails it clearly; the judge is cached; a missing digest job is a skip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aidraft.draft.pipeline import OfflineDrafter
from aidraft.evals.cases import load_cases
from aidraft.evals.config import EvalConfig, load_config
from aidraft.evals.digest_case import DigestUnavailable
from aidraft.evals.judge import Judge
from aidraft.evals.results import EvalRun
from aidraft.evals.runner import Backend, run_suite
from aidraft.llm.cache import CachedChatModel
from aidraft.llm.fake import FakeChatModel
from aidraft.settings import Settings
from support import InventingDrafter, inventing_answer

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "cases"
DRAFT_CASES = [c.id for c in load_cases(SUITE) if c.kind == "draft"]


def config(seeds: int = 1) -> EvalConfig:
    cfg = load_config(REPO / "evals" / "config.yaml")
    return cfg.model_copy(update={"seeds": seeds, "corpus": None})


def offline() -> Backend:
    return Backend(
        name="offline", model=None, make_drafter=OfflineDrafter, settings=Settings.from_cli(backend="offline")
    )


def bad_backend() -> Backend:
    def make() -> InventingDrafter:
        return InventingDrafter(FakeChatModel(*[inventing_answer] * 8))

    return Backend(
        name="fake-llm",
        model="fake-model",
        make_drafter=make,  # type: ignore[arg-type]
        settings=Settings.from_cli(backend="offline"),
    )


@pytest.fixture(scope="module")
def offline_run() -> EvalRun:
    return run_suite(load_cases(SUITE), config(), offline(), suite="evals/cases", concurrency=4)


@pytest.mark.slow
def test_offline_backend_passes_its_own_suite(offline_run: EvalRun) -> None:
    problems = {c.id: c.failures or c.error for c in offline_run.cases if c.status != "pass"}
    assert problems == {}
    assert offline_run.passed
    for case in offline_run.cases:
        assert case.metrics["figure_precision"] == 1.0
        assert case.metrics["stale_figures"] == 0
        assert case.metrics["duplicate_sentences"] == 0
        assert case.output is not None and case.run is not None
    assert [s.id for s in offline_run.selftest] == ["selftest:cases"]
    assert offline_run.selftest[0].planted > 20 and offline_run.selftest[0].status == "pass"


def test_offline_metrics_see_what_the_cases_plant(offline_run: EvalRun) -> None:
    by_id = {c.id: c for c in offline_run.cases}
    prior = by_id["tanxi-county-2025-prior"]
    assert prior.metrics["plan_coverage"] == 1.0  # both promises answered by the notes are reported
    assert prior.metrics["expected_figures"] == 1.0
    two_ways = by_id["heming-district-2025-two-ways"]
    assert two_ways.metrics["figure_recall"] == 1.0
    assert by_id["yunchuan-city-2023-reference"].metrics["reference_overlap"] > 0.4
    assert by_id["baishi-county-2024-no-problems"].metrics["expected_phrases"] == 1.0
    assert by_id["digest-2024-three-counties"].metrics["figure_recall"] is None


@pytest.mark.slow
def test_inventing_repeating_backend_fails_clearly(offline_run: EvalRun) -> None:
    bad = run_suite(load_cases(SUITE, only=DRAFT_CASES), config(seeds=0), bad_backend(), suite="evals/cases")
    good = {c.id: c.metrics for c in offline_run.cases}
    assert not bad.passed
    for case in bad.cases:
        assert case.status == "fail", case.id
        failed = {line.split()[0] for line in case.failures}
        assert {
            "figure_precision",
            "unsupported_figures",
            "duplicate_sentences",
            "repeated_ngram_share",
        } <= failed
        assert case.metrics["figure_precision"] <= good[case.id]["figure_precision"] - 0.2  # type: ignore[operator]
        assert case.metrics["duplicate_sentences"] >= 3  # type: ignore[operator]
        assert case.metrics["repeated_ngram_share"] > 0.2  # type: ignore[operator]
        assert case.run is not None and case.run.model_calls == 4 and case.run.prompt_tokens == 400
        assert any(m.flagged and m.text in ("87场", "99.9%", "1234人次") for m in case.output.figures)  # type: ignore[union-attr]
    assert bad.prompt_tokens == 400 * len(DRAFT_CASES)


JUDGE_ANSWER = {
    "register": {"score": 4, "reason": "语体规范，个别处用了“我们”。"},
    "coherence": {"score": 5, "reason": "结构完整。"},
    "faithfulness": {"score": 3, "reason": "个别数字需核实。"},
}


def test_judge_scores_are_metrics_and_cached(tmp_path: Path) -> None:
    cases = load_cases(SUITE, only=["songling-county-2023-sparse"])
    fake = FakeChatModel(JUDGE_ANSWER, model="judge-model")
    judge = Judge(CachedChatModel(fake, tmp_path))
    backend = offline()
    backend.judge = judge
    first = run_suite(cases, config(seeds=0), backend, suite="s")
    case = first.cases[0]
    assert (
        case.metrics["judge_register"],
        case.metrics["judge_coherence"],
        case.metrics["judge_faithfulness"],
    ) == (4, 5, 3)
    assert case.judge is not None and not case.judge.cached and case.judge.prompt == "eval_judge@1"
    assert "我们" in case.judge.scores[0].reason
    assert first.judge_model == "judge-model" and first.prompt_versions["eval_judge"] == "1"
    assert "请给出" in fake.requests[0].user_text and case.output is not None
    assert case.output.text.splitlines()[0] in fake.requests[0].user_text
    second = run_suite(cases, config(seeds=0), backend, suite="s")  # the fake has nothing queued now
    assert second.cases[0].judge is not None and second.cases[0].judge.cached
    assert second.cases[0].metrics["judge_register"] == 4 and len(fake.requests) == 1


def test_low_judge_score_fails_the_threshold(tmp_path: Path) -> None:
    low = {**JUDGE_ANSWER, "faithfulness": {"score": 1, "reason": "编造了数字。"}}
    backend = offline()
    backend.judge = Judge(FakeChatModel(low))
    run = run_suite(
        load_cases(SUITE, only=["songling-county-2023-sparse"]), config(seeds=0), backend, suite="s"
    )
    assert run.cases[0].status == "fail" and run.cases[0].failures == ["judge_faithfulness 1 < min 3"]


def test_digest_unavailable_is_a_skip_and_errors_are_contained() -> None:
    def unavailable(case: object) -> object:
        raise DigestUnavailable("aidraft.digest.pipeline.run_digest is not implemented yet")

    def broken() -> object:
        raise RuntimeError("model exploded")

    cases = load_cases(SUITE, only=["digest-2024-three-counties", "songling-county-2023-sparse"])
    backend = Backend(
        name="x",
        model=None,
        make_drafter=broken,
        settings=Settings.from_cli(backend="offline"),  # type: ignore[arg-type]
        digest=unavailable,
    )  # type: ignore[arg-type]
    run = run_suite(cases, config(seeds=0), backend, suite="s")
    statuses = {c.id: (c.status, c.error) for c in run.cases}
    assert statuses["digest-2024-three-counties"][0] == "skipped"
    assert statuses["songling-county-2023-sparse"] == ("error", "RuntimeError: model exploded")
    assert run.failed == ["songling-county-2023-sparse"]


def test_sections_of_the_bad_backend_are_really_in_the_draft(offline_run: EvalRun) -> None:
    """Guard against a vacuous pass: the invented text must reach the checked document."""
    bad = run_suite(
        load_cases(SUITE, only=["songling-county-2025-tidy"]), config(seeds=0), bad_backend(), suite="s"
    )
    text = bad.cases[0].output.text  # type: ignore[union-attr]
    assert len(re.findall("全年累计开展法治宣传活动87场", text)) >= 4


def test_compare_flags_changed_cases_and_skips_other_selftests(offline_run: EvalRun) -> None:
    from aidraft.evals.compare import compare

    subset = run_suite(
        load_cases(SUITE, only=["songling-county-2023-sparse"]), config(), offline(), suite="s"
    )
    baseline = offline_run.model_copy(deep=True)
    baseline.cases[0].fingerprint = "edited"  # as if the case file changed after the baseline
    result = compare(subset, baseline, config(), "b")
    assert result.not_compared == ["selftest:cases"] and result.regressions == []
    assert "songling-county-2023-sparse" not in result.changed_cases
    full = compare(offline_run, baseline, config(), "b")
    assert full.changed_cases == [offline_run.cases[0].id] and full.not_compared == []
    assert {d.status for d in full.deltas} == {"same"}
    assert full.missing_cases == [] and full.new_cases == []


def test_figures_carried_over_from_last_year_are_stale() -> None:
    """A model that copies last year's figures: the checker's stale verdicts and the case's
    forbidden figures both count, and the case fails."""
    copied = (
        "（一）规范受理办理，夯实工作基础\n全年登记信访事项1093件，按期办结率96.5%。开展信访法治宣传26场。"
    )
    backend = Backend(
        name="fake-llm",
        model="fake-model",
        settings=Settings.from_cli(backend="offline"),
        make_drafter=lambda: InventingDrafter(FakeChatModel(*[copied] * 4)),
    )  # type: ignore[arg-type,return-value]
    run = run_suite(load_cases(SUITE, only=["tanxi-county-2025-prior"]), config(seeds=0), backend, suite="s")
    case = run.cases[0]
    assert case.metrics["stale_figures"] is not None and case.metrics["stale_figures"] >= 3
    assert any(line.startswith("stale_figures") for line in case.failures)
    assert any("1093件" in line for line in case.details["stale figures"])
    assert case.output is not None and any(m.status == "stale" and m.flagged for m in case.output.figures)
