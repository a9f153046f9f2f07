"""Our own personal-data corpus (≥ 100 planted values, ≥ 15 forms): every value is masked, none
reaches the wire in clear (a local fake server records every request), all come back in the output."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from personal_data import FORMS, OFFICES, Planted, corpus, notes
from typer.testing import CliRunner

from aidraft.bench.answers import drafter_responder
from aidraft.bench.fake_server import FakeServer
from aidraft.bench.responders import Faulty, faulty_server
from aidraft.cli.app import app
from aidraft.draft.write_offline import half_width
from aidraft.ledger import build_ledger
from aidraft.ledger.model import Status
from aidraft.parse.notes import read_notes
from aidraft.privacy import Masker
from aidraft.privacy.detect import fold

PLANTED = corpus()


def _forms(value: str) -> set[str]:
    """The value as written, and (for numbers) its bare digits and its folded form: none may leave."""
    out = {value, fold(value)}
    digits = re.sub(r"[\s\-]", "", fold(value))
    if sum(ch.isdigit() for ch in digits) >= 7:
        out.add(digits)
    return out


def test_the_corpus_is_large_and_varied() -> None:
    assert len(PLANTED) >= 100 and len({p.kind for p in PLANTED}) >= 15
    assert len({p.value for p in PLANTED}) >= 95  # values are distinct, not one repeated


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_planted_value_of_each_form_is_masked(form: str) -> None:
    for planted in [p for p in PLANTED if p.kind == form]:
        masker = Masker()
        masked = masker.mask(planted.line)
        assert not any(v in masked for v in _forms(planted.value)), (planted, masked)
        assert masker.unmask(masked) == planted.line


def test_masking_the_whole_notes_at_once_leaks_nothing_and_round_trips() -> None:
    text = notes(PLANTED, OFFICES[1])
    masker = Masker()
    masked = masker.mask(text)
    leaked = [p for p in PLANTED if any(v in masked for v in _forms(p.value))]
    assert not leaked
    assert masker.unmask(masked) == text
    assert "全年受理信访事项312件，按期办结率97.5%" in masked  # statistics stay as they are


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for key in [k for k in os.environ if k.startswith("AIDRAFT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AIDRAFT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _wire(server: FakeServer[Faulty]) -> str:
    return "\n".join(json.dumps(body, ensure_ascii=False) for body in server.requests)


def _leaks(wire: str, planted: list[Planted]) -> list[Planted]:
    return [p for p in planted if any(v in wire for v in _forms(p.value))]


@pytest.mark.parametrize("how", ["--mask", "AIDRAFT_MASK=always"])
def test_recorded_wire_carries_no_planted_value_and_the_draft_restores_them(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A local server is not masked by default; --mask (or AIDRAFT_MASK=always) masks it too."""
    tmp = clean_env
    path = tmp / "notes.md"
    path.write_text(notes(PLANTED, OFFICES[2]), encoding="utf-8")
    extra = ["--mask"] if how == "--mask" else []
    if how != "--mask":
        monkeypatch.setenv("AIDRAFT_MASK", "always")
    with faulty_server(drafter_responder(), max_requests=400) as server:
        result = CliRunner().invoke(app, ["draft", str(path), "-o", str(tmp / "out" / "report.docx"), "--backend",
                                          "openai", "--base-url", server.base_url, "--model", "m", *extra])
    assert result.exit_code in (0, 1), result.output[-600:]
    wire = _wire(server)
    assert server.requests and "〔" in wire
    assert _leaks(wire, PLANTED) == []
    report = (tmp / "out" / "report.md").read_text(encoding="utf-8")
    # the writer closes up spaces inside figures (420106 19750425 7445 → one run of digits) and
    # writes full-width digits half-width (１３２… → 132…)
    # a line the ledger marks as background (联系电话…，由专人跟踪) is never stated in the report
    ledger = build_ledger(read_notes(path), year=2025)
    background = {e.text for e in ledger.items if e.status is Status.context}
    stated = [p for p in PLANTED if not any(p.value in line or half_width(p.value) in line for line in background)]
    restored = [p for p in stated if p.value in report or p.value.replace(" ", "") in report
                or half_width(p.value) in report]
    assert len(restored) == len(stated), [p for p in stated if p not in restored][:5]
    assert not re.search(r"〔[^〕]{1,6}[甲乙丙丁戊己庚辛壬癸]+〕", report)  # no placeholder left
    record = json.loads((tmp / "out" / "report.check.json").read_text(encoding="utf-8"))
    privacy = record["run"]["privacy"]
    assert privacy["enabled"] and sum(privacy["values"].values()) >= len(PLANTED)
    # the run log (events, section notes, the privacy summary) holds kinds and counts only; the
    # review findings quote the report itself, which rightly holds the values
    logged = json.dumps([record["run"]["events"], record["run"]["privacy"], [s.get("note") for s in record["sections"]]],
                        ensure_ascii=False)
    assert _leaks(logged, PLANTED) == []
    cached = [p for p in (tmp / "cache").rglob("*") if p.is_file()]
    assert cached and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in cached)


def test_without_mask_a_local_server_sees_clear_text(clean_env: Path) -> None:
    """The control for the test above: the fake server does record what it is sent."""
    tmp = clean_env
    path = tmp / "notes.md"
    path.write_text(notes(PLANTED[:26], OFFICES[3]), encoding="utf-8")
    with faulty_server(drafter_responder(), max_requests=200) as server:
        CliRunner().invoke(app, ["draft", str(path), "-o", str(tmp / "r.docx"), "--backend", "openai",
                                 "--base-url", server.base_url, "--model", "m"])
    assert len(_leaks(_wire(server), PLANTED[:26])) >= 20


def test_mask_and_no_mask_together_are_a_configuration_error(clean_env: Path) -> None:
    result = CliRunner().invoke(app, ["draft", "notes.md", "--mask", "--no-mask", "--base-url",
                                      "http://127.0.0.1:9/v1", "--model", "m"])
    assert result.exit_code == 2 and "contradict" in result.output


def _report(office: str, planted: list[Planted]) -> str:
    body = "。".join(p.line for p in planted)
    return (f"{office}关于2025年度法治政府建设情况的报告\n一、2025年推进法治政府建设的主要举措和成效\n"
            f"全年受理信访事项{len(planted) * 7}件，按期办结率96.0%。{body}。\n二、存在的不足和原因\n基层力量不足。\n")


def test_digest_wire_carries_no_planted_value(clean_env: Path) -> None:
    tmp = clean_env
    folder = tmp / "reports"
    folder.mkdir()
    for i, office in enumerate(OFFICES[:3]):
        (folder / f"{i}.txt").write_text(_report(office, PLANTED[i::3]), encoding="utf-8")
    with faulty_server(lambda body: {"sections": []}, max_requests=200) as server:
        result = CliRunner().invoke(app, ["digest", str(folder), "-o", str(tmp / "d.docx"), "--backend", "openai",
                                          "--base-url", server.base_url, "--model", "m", "--mask"])
    assert server.requests, result.output[-500:]
    assert "〔" in _wire(server) and _leaks(_wire(server), PLANTED) == []


@pytest.mark.parametrize(
    ("overrides", "masked"),
    [
        ({"base_url": "http://127.0.0.1:8000/v1", "model": "m"}, False),
        ({"base_url": "http://127.0.0.1:8000/v1", "model": "m", "mask": "always"}, True),
        ({"base_url": "http://10.0.0.5:8000/v1", "model": "m", "api_key": "k" * 10}, True),
        ({"base_url": "http://10.0.0.5:8000/v1", "model": "m", "api_key": "k" * 10, "mask_personal_data": False},
         False),
    ],
)
def test_every_model_path_gets_the_masking_wrapper_when_asked(overrides: dict[str, object], masked: bool) -> None:
    """draft, digest, the eval judge and the web page all build their model with Settings.chat_model."""
    from aidraft.llm.masking import find_masking
    from aidraft.settings import Settings

    model = Settings.from_cli(use_cache=False, **overrides).chat_model()
    assert (find_masking(model) is not None) is masked


@pytest.mark.parametrize(
    "text",
    [
        "各月受理数分别为18 20 15 30 12 5 6 7 8 9 1件",
        "2023-2025年共办理信访事项1234件，化解率95.2%",
        "编号2024的文件已归档",
        "接待来访群众1580人次，走访了12个乡镇",
        "约谈相关责任单位负责人6人次",
        "经与县人社局会商，兑付欠薪326万元",
        "城东小区、城西小区等3个小区完成改造",
        "全年投入资金12345678元",
        "《信访工作条例》第三十一条",
    ],
)
def test_statistics_and_office_prose_are_not_masked(text: str) -> None:
    assert Masker().mask(text) == text


def test_run_logs_record_kinds_not_values() -> None:
    from aidraft.draft.output import SectionRecord
    from aidraft.runstats import RunStats

    planted = next(p for p in PLANTED if p.kind == "id18")
    event = f"N3: left out figures {planted.value}名"
    stats = RunStats(backend="openai", events=[event, "style example trimmed"])
    assert planted.value not in stats.events[0] and "〔身份证号〕" in stats.events[0]
    assert stats.events[1] == "style example trimmed"
    record = SectionRecord(kind="measures", title="t", backend="m", note=f"model answer unusable twice ({event})")
    assert planted.value not in (record.note or "")
