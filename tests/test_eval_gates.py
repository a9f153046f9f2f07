"""The eval's gates cannot be slipped past: a model backend whose sections fell back to the offline
writer fails its case and the report says so; a suite without config.yaml is still held to the
shipped thresholds, and an impossible threshold is refused; a baseline of another suite is an
error and a case missing since the baseline fails the run (unless --allow-missing)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aidraft.bench.fake_server import FakeServer, Reply, chat_body
from aidraft.bench.responders import Scripted
from aidraft.cli.app import app
from aidraft.draft.llm_drafter import LLMDrafter
from aidraft.draft.pipeline import OfflineDrafter
from aidraft.errors import InputError
from aidraft.evals.cases import Case, load_cases
from aidraft.evals.compare import check_same_suite, compare
from aidraft.evals.config import DEFAULTS, EvalConfig, load_config
from aidraft.evals.digest_case import DigestOutput, digest_reports
from aidraft.evals.report_html import render_report
from aidraft.evals.results import CaseResult, EvalRun
from aidraft.evals.runner import Backend, run_case, run_suite
from aidraft.llm import fake_models
from aidraft.llm.base import ChatRequest, Message
from aidraft.llm.fake import FakeChatModel
from aidraft.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "cases"
BASELINE = REPO / "evals" / "runs" / "baseline"
DRAFT_CASE = "songling-county-2025-tidy"
DIGEST_CASE = "digest-2024-three-counties"
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("AIDRAFT_") and n != "AIDRAFT_LANG"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AIDRAFT_CACHE_DIR", str(tmp_path / "cache"))


def run_eval(*args: str) -> Any:
    return runner.invoke(app, ["eval", *args])


def shipped_config() -> EvalConfig:
    return load_config(REPO / "evals" / "config.yaml").model_copy(update={"seeds": 0, "corpus": None})


def one(case_id: str) -> Case:
    return load_cases(SUITE, only=[case_id])[0]


# --- 1. a model that wrote nothing must not pass on the offline writer's scores ---------------------

def garbage(request: ChatRequest) -> str:
    return "好的，以下是报告：（不是所要求的 JSON）"


def llm_backend(answer: Callable[[ChatRequest], Any]) -> Backend:
    settings = Settings.from_cli(backend="offline", use_cache=False)
    return Backend(name="openai", model="m", settings=settings,
                   make_drafter=lambda: LLMDrafter(FakeChatModel(*[answer] * 400), settings))


def offline_backend() -> Backend:
    return Backend(name="offline", model=None, settings=Settings.from_cli(backend="offline"),
                   make_drafter=OfflineDrafter)


@pytest.mark.parametrize(("backend", "offline_sections", "status"), [
    (lambda: llm_backend(garbage), 4.0, "fail"),            # every section fell back: the case fails
    (lambda: llm_backend(fake_models.faithful), 0.0, "pass"),  # the model wrote them all
    (offline_backend, None, "pass"),                        # no model asked: the count does not apply
], ids=["garbage-model", "faithful-model", "offline"])
def test_draft_fallbacks_are_counted_and_gate_model_runs(
    backend: Callable[[], Backend], offline_sections: float | None, status: str
) -> None:
    result = run_case(one(DRAFT_CASE), shipped_config(), backend())
    assert result.metrics["offline_sections"] == offline_sections
    assert result.status == status, result.failures
    if offline_sections:
        assert f"offline_sections {offline_sections:g} > max 0" in result.failures
        assert len(result.details["sections written offline"]) == offline_sections


def with_digest(backend_name: str, failed: int) -> Backend:
    """The real (offline) digest, its run record dressed as a model run that lost ``failed`` maps."""
    def digest(case: Case) -> DigestOutput:
        out = digest_reports(case.reports, Settings.from_cli(backend="offline"), case.id)
        out.run = out.run.model_copy(update={"backend": backend_name})
        out.failed_maps = failed
        out.map_failures = [f"report {i}: map failed (timeout); its offline practices are used" for i in range(failed)]
        return out

    backend = offline_backend()
    backend.digest = digest
    return backend


@pytest.mark.parametrize(("backend_name", "failed", "metric", "status"), [
    ("openai", 2, 2.0, "fail"),
    ("openai", 0, 0.0, "pass"),
    ("offline", 0, None, "pass"),
])
def test_digest_failed_maps_are_counted_and_gate_model_runs(
    backend_name: str, failed: int, metric: float | None, status: str
) -> None:
    result = run_case(one(DIGEST_CASE), shipped_config(), with_digest(backend_name, failed))
    assert result.metrics["failed_maps"] == metric and result.metrics["offline_sections"] is None
    assert result.status == status, result.failures
    assert len(result.details.get("reports the model could not summarise", [])) == failed


def test_report_says_the_model_did_not_write() -> None:
    run = run_suite(load_cases(SUITE, only=[DRAFT_CASE]), shipped_config(), llm_backend(garbage), suite="s")
    page = render_report(run, shipped_config())
    assert "模型未写出4个部分，由离线撰写代替" in page and 'id="fallbacks"' in page
    assert "模型未写出、由离线撰写代替的部分" in page  # the evidence list, titled in Chinese
    clean = run_suite(load_cases(SUITE, only=[DRAFT_CASE]), shipped_config(), offline_backend(), suite="s")
    assert "模型未写出" not in render_report(clean, shipped_config())


def test_cli_model_answering_garbage_fails_and_says_why(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    openai_stub.responder.respond_with(lambda body: Reply(body=chat_body("不是 JSON 的回答")))
    out = tmp_path / "out"
    result = run_eval(str(SUITE), "--case", DRAFT_CASE, "--backend", "openai", "--base-url",
                      openai_stub.base_url, "--model", "m", "--no-selftest", "--out", str(out))
    assert result.exit_code == 1, result.output
    assert f"{DRAFT_CASE}: the model did not write 4 section(s)" in result.output
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["cases"][0]["metrics"]["offline_sections"] == 4 and data["cases"][0]["status"] == "fail"
    assert "模型未写出4个部分，由离线撰写代替" in (out / "report.html").read_text(encoding="utf-8")


def test_cli_faithful_model_records_no_fallback(openai_stub: FakeServer[Scripted], tmp_path: Path) -> None:
    def answer(body: dict[str, Any]) -> Reply:
        request = ChatRequest(messages=tuple(Message(role=m["role"], content=m["content"]) for m in body["messages"]))
        return Reply(body=chat_body(json.dumps(fake_models.faithful(request), ensure_ascii=False)))

    openai_stub.responder.respond_with(answer)
    out = tmp_path / "out"
    result = run_eval(str(SUITE), "--case", "songling-county-2023-sparse", "--backend", "openai", "--base-url",
                      openai_stub.base_url, "--model", "m", "--no-selftest", "--out", str(out))
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["cases"][0]["metrics"]["offline_sections"] == 0, result.output
    assert "did not write" not in result.output


# --- 2. the thresholds cannot be dropped or made impossible ---------------------------------------

WRONG_CASE = """\
notes: |
  ---
  office: 示例县信访局
  year: 2025
  ---
  # 主要举措和成效
  - 开展法治宣讲12场，覆盖群众3000人次
  - 办理行政复议案件15件，按期办结率100%
expect:
  figures: [99件, 45.5%]
"""


def test_defaults_are_the_shipped_thresholds() -> None:
    built_in, repo = load_config(None), load_config(REPO / "evals" / "config.yaml")
    assert built_in.thresholds == repo.thresholds and built_in.tolerances == repo.tolerances
    assert built_in.thresholds["offline_sections"].max == 0 and built_in.thresholds["failed_maps"].max == 0
    assert built_in.source == "aidraft/evals/defaults.yaml" and DEFAULTS.is_file()
    assert "evals/config.yaml" in repo.source and repo.corpus == "../../shared/corpus"


@pytest.mark.parametrize(("content", "kept", "changed"), [
    ("thresholds: {lint_findings: {max: 3}}\n", "figure_precision", ("lint_findings", 3)),
    ("tolerances: {lint_findings: 2}\n", None, None),
    ("# nothing overridden\n", "expected_figures", None),
])
def test_a_config_overrides_the_defaults_metric_by_metric(
    tmp_path: Path, content: str, kept: str | None, changed: tuple[str, float] | None
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(content, encoding="utf-8")
    config, defaults = load_config(path), load_config(None)
    if kept:
        assert config.thresholds[kept] == defaults.thresholds[kept]
    if changed:
        assert config.thresholds[changed[0]].max == changed[1]
    assert set(config.thresholds) == set(defaults.thresholds)


def test_a_suite_without_config_is_gated_by_the_defaults(tmp_path: Path) -> None:
    suite = tmp_path / "x"
    suite.mkdir()
    (suite / "wrong.yaml").write_text(WRONG_CASE, encoding="utf-8")
    result = run_eval(str(suite), "--out", str(tmp_path / "o"), "--no-selftest")
    assert result.exit_code == 1, result.output
    assert "wrong: expected_figures 0 < min 0.8" in result.output
    assert "config: aidraft/evals/defaults.yaml" in result.output
    assert "no config.yaml beside or above" in result.output


@pytest.mark.parametrize(("content", "message"), [
    ("length: {min: 5000, max: 100}\n", "field 'length'"),
    ("sentence_length: {min: 200, max: 10}\n", "field 'sentence_length'"),
    ("thresholds: {lint_findings: {min: 3, max: 1}}\n", "min 3 is above max 1"),
    ("thresholds: {figure_precision: {min: 1.5}}\n", "figure_precision: min 1.5 is above 1"),
    ("thresholds: {stale_figures: {max: -1}}\n", "stale_figures: max -1 is below 0"),
    ("thresholds: {judge_register: {min: 6}}\n", "judge_register: min 6 is above 5"),
])
def test_impossible_config_is_one_line_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert message in info.value.one_line() and "\n" not in info.value.one_line()
    result = run_eval(str(SUITE), "--config", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("case_yaml", "message"), [
    ("expect: {length: {min: 900, max: 10}}\n", "field 'expect.length'"),
    ("thresholds: {lint_findings: {min: 4, max: 2}}\n", "min 4 is above max 2"),
])
def test_impossible_case_bounds_are_refused(tmp_path: Path, case_yaml: str, message: str) -> None:
    (tmp_path / "c.yaml").write_text(WRONG_CASE.split("expect:")[0] + case_yaml, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_cases(tmp_path)


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    result = run_eval(str(SUITE), "--config", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--config" in result.output and "no such file" in result.output


# --- 3. the baseline must be of this suite, and every case of it must still run -------------------

def baseline_with(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    data = json.loads((BASELINE / "results.json").read_text(encoding="utf-8"))
    edit(data)
    folder = tmp_path / "baseline"
    folder.mkdir()
    (folder / "results.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def rename_all(data: dict[str, Any]) -> None:
    for case in data["cases"]:
        case["id"] = "other-" + case["id"]


def add_deleted_case(data: dict[str, Any]) -> None:
    extra = dict(data["cases"][0], id="deleted-since")
    data["cases"].append(extra)


def drop_one(data: dict[str, Any]) -> None:
    data["cases"] = [c for c in data["cases"] if c["id"] != DRAFT_CASE]


@pytest.mark.parametrize(("edit", "flags", "exit_code", "says", "missing"), [
    (rename_all, [], 2, ["shares no case with this suite", "another suite"], None),
    (add_deleted_case, [], 1, ["baseline cases missing from this run: deleted-since", "--allow-missing"],
     ["deleted-since"]),
    (add_deleted_case, ["--allow-missing"], 0, ["baseline cases missing from this run: deleted-since"],
     ["deleted-since"]),
    (drop_one, [], 0, [f"new cases (not in the baseline): {DRAFT_CASE}"], []),
    # a --case subset: the cases left out are not missing, a case deleted from the suite still is
    (add_deleted_case, ["--case", DRAFT_CASE], 1, ["baseline cases missing from this run: deleted-since"],
     ["deleted-since"]),
], ids=["other-suite", "deleted-case", "allowed-missing", "new-case", "subset-still-sees-deleted"])
def test_baseline_suite_is_checked(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], flags: list[str], exit_code: int, says: list[str],
    missing: list[str] | None,
) -> None:
    baseline = baseline_with(tmp_path, edit)
    out = tmp_path / "out"
    result = run_eval(str(SUITE), "--baseline", str(baseline), "--out", str(out), "--no-selftest", *flags)
    assert result.exit_code == exit_code, result.output
    for words in says:
        assert words in result.output, result.output
    if missing is None:
        assert not out.exists()
        return
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["comparison"]["missing_cases"] == missing
    if exit_code == 1:
        assert "FAIL" in result.output and 'id="missing-cases"' in (out / "report.html").read_text(encoding="utf-8")


def fake_run(ids: list[str]) -> EvalRun:
    return EvalRun(suite="s", backend="offline",
                   cases=[CaseResult(id=i, kind="draft", source=f"{i}.yaml", status="pass", metrics={"lint_findings": 0.0})
                          for i in ids])


@pytest.mark.parametrize(("now", "before", "left_out", "allow", "missing", "new", "passed"), [
    (["a", "b"], ["a", "b"], set(), False, [], [], True),
    (["a"], ["a", "b"], set(), False, ["b"], [], False),
    (["a"], ["a", "b"], set(), True, ["b"], [], True),
    (["a"], ["a", "b"], {"b"}, False, [], [], True),        # b left out with --case: not missing
    (["a", "c"], ["a"], set(), False, [], ["c"], True),
])
def test_compare_lists_missing_and_new_cases(
    now: list[str], before: list[str], left_out: set[str], allow: bool, missing: list[str], new: list[str],
    passed: bool,
) -> None:
    run = fake_run(now)
    run.comparison = compare(run, fake_run(before), EvalConfig(), "b", not_selected=left_out, allow_missing=allow)
    assert (run.comparison.missing_cases, run.comparison.new_cases, run.passed) == (missing, new, passed)


@pytest.mark.parametrize(("suite", "ok"), [(["a", "z"], True), (["x", "y"], False), ([], False)])
def test_check_same_suite(suite: list[str], ok: bool) -> None:
    if ok:
        check_same_suite(fake_run(["a", "b"]), suite, "b")
    else:
        with pytest.raises(InputError, match="shares no case"):
            check_same_suite(fake_run(["a", "b"]), suite, "b")
