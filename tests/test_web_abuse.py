"""The web page under abuse: cross-site writes, corrupt archives, oversized uploads, dead jobs."""

from __future__ import annotations

import io
import struct
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aidraft.settings import Settings
from aidraft.web import intake, runners
from aidraft.web.app import create_app
from aidraft.web.config import WebConfig
from aidraft.web.uploads import Workspace, unpack_zip

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "samples" / "qingxi" / "notes-2025.md"
BASE = "http://127.0.0.1"
TOKEN = "k" * 24
REPORT = "白石县信访局2024年度法治政府建设情况报告\n一、主要举措和成效\n全年受理信访事项120件，办结118件。\n".encode()


def make_client(work: Path, headers: dict[str, str] | None = None, **config: object) -> TestClient:
    app = create_app(Settings.from_cli(backend="offline"), WebConfig(work_dir=work, **config))  # type: ignore[arg-type]
    return TestClient(app, base_url=BASE, headers=headers if headers is not None else {"Origin": BASE},
                      raise_server_exceptions=False)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path / "jobs") as c:
        yield c


def _jobs(c: TestClient) -> int:
    return len(c.app.state.store._jobs)  # type: ignore[attr-defined]


def _draft(c: TestClient, **kw: object) -> object:
    return c.post("/draft", files=[("notes_file", ("notes.md", NOTES.read_bytes()))], data={"backend": "offline"},
                  follow_redirects=False, **kw)  # type: ignore[arg-type]


# --- same-origin writes ------------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, TOKEN])
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Referer": "http://evil.example/page"},
        {"Referer": "null"},
        {},
    ],
    ids=["origin-null", "origin-foreign", "origin-other-port", "referer-foreign", "referer-null", "neither"],
)
def test_cross_site_or_anonymous_posts_are_refused_with_or_without_token(
    tmp_path: Path, headers: dict[str, str], token: str | None
) -> None:
    sent = {**headers, **({"X-Aidraft-Token": token} if token else {})}
    config = {"token": token} if token else {}
    with make_client(tmp_path / "jobs", headers=sent, **config) as c:
        r = _draft(c)
        assert r.status_code == 403, r.text  # type: ignore[attr-defined]
        assert _jobs(c) == 0 and not list((tmp_path / "jobs").glob("aidraft-web-*"))


@pytest.mark.parametrize("headers", [{"Origin": BASE}, {"Referer": f"{BASE}/draft"}], ids=["origin", "referer"])
def test_same_origin_posts_are_accepted(tmp_path: Path, headers: dict[str, str]) -> None:
    with make_client(tmp_path / "jobs", headers=headers) as c:
        r = _draft(c)
        assert r.status_code == 303  # type: ignore[attr-defined]


def test_pages_set_a_referrer_policy_that_keeps_the_origin_on_form_posts(web: TestClient) -> None:
    """With no-referrer a browser sends Origin: null on its own forms, which the guard refuses."""
    assert web.get("/draft").headers["referrer-policy"] == "same-origin"


# --- corrupt archives --------------------------------------------------------------------------

def _stored_zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def bad_crc(name: str = "县.txt") -> bytes:
    raw = bytearray(_stored_zip(name, REPORT))
    at = raw.index(REPORT[-10:])
    raw[at] ^= 0xFF  # content changed, CRC kept
    return bytes(raw)


def deflate64(name: str = "县.txt") -> bytes:
    raw = bytearray(_stored_zip(name, REPORT))
    struct.pack_into("<H", raw, 8, 9)  # local header: method 9 (deflate64)
    central = raw.index(b"PK\x01\x02")
    struct.pack_into("<H", raw, central + 10, 9)
    return bytes(raw)


def broken_deflate(name: str = "县.txt") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, REPORT * 50)
    raw = bytearray(buffer.getvalue())
    start = 30 + len(name.encode())
    for i in range(start + 5, start + 25):
        raw[i] ^= 0x5A
    return bytes(raw)


def truncated(name: str = "县.txt") -> bytes:
    return _stored_zip(name, REPORT)[:-30]


CORRUPT = {"bad-crc": bad_crc, "deflate64": deflate64, "broken-deflate": broken_deflate, "truncated": truncated}


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_corrupt_zip_in_digest_gives_one_line_400_and_discards_the_job(web: TestClient, kind: str) -> None:
    r = web.post("/digest", files=[("reports", ("reports.zip", CORRUPT[kind]()))], data={"backend": "offline"})
    assert r.status_code == 400, r.text[-300:]
    assert "Traceback" not in r.text and ("zip" in r.text)
    assert _jobs(web) == 0


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_corrupt_docx_in_draft_and_check_gives_one_line_400(web: TestClient, kind: str) -> None:
    data = CORRUPT[kind]("word/document.xml")
    r = web.post("/draft", files=[("notes_file", ("notes.docx", data))], data={"backend": "offline"})
    assert r.status_code == 400 and "docx" in r.text
    r = web.post("/check", files=[("draft_file", ("draft.docx", data))])
    assert r.status_code == 400 and "docx" in r.text
    assert _jobs(web) == 0


def test_corrupt_member_is_skipped_beside_good_ones(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("good.txt", REPORT)
        archive.writestr("bad.txt", REPORT)
    raw = bytearray(buffer.getvalue())
    second = raw.index(REPORT, raw.index(REPORT) + 1)
    raw[second + len(REPORT) - 5] ^= 0xFF
    files, skipped = unpack_zip(bytes(raw), "u.zip", Workspace(tmp_path), max_files=10, max_file_bytes=10**6,
                                max_total=10**7)
    assert [f.name for f in files] == ["good.txt"]
    assert skipped[0][0] == "u.zip/bad.txt" and skipped[0][1].zh.startswith("zip 中的文件已损坏")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["good.txt"]


def test_failed_uploads_never_fill_the_job_slots(tmp_path: Path) -> None:
    with make_client(tmp_path / "jobs", max_jobs=3) as c:
        for i in range(12):
            kind = sorted(CORRUPT)[i % len(CORRUPT)]
            assert c.post("/digest", files=[("reports", ("r.zip", CORRUPT[kind]()))]).status_code == 400
        assert _jobs(c) == 0
        assert _draft(c).status_code == 303  # type: ignore[attr-defined]


def test_an_unexpected_error_while_taking_uploads_discards_the_job(web: TestClient,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("aidraft.web.pages.take_one", explode)
    assert _draft(web).status_code == 500  # type: ignore[attr-defined]
    assert _jobs(web) == 0 and not list(Path(web.app.state.config.work_dir).glob("aidraft-web-*"))  # type: ignore[attr-defined]


def test_stranded_unsubmitted_jobs_expire(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    store = web.app.state.store  # type: ignore[attr-defined]
    store.create("draft")  # as if its request died between create and submit
    monkeypatch.setattr("aidraft.web.jobs.INTAKE_GRACE_S", 0.0)
    store.expire()
    assert _jobs(web) == 0


# --- budgets and streaming ---------------------------------------------------------------------

def test_zip_member_declaring_more_than_its_budget_is_skipped_before_inflating(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"\0" * 2_000_000)
        for i in range(5):
            archive.writestr(f"r{i}.txt", REPORT * 40)
    files, skipped = unpack_zip(buffer.getvalue(), "u.zip", Workspace(tmp_path), max_files=10,
                                max_file_bytes=1_000_000, max_total=len(REPORT) * 40 * 3)
    reasons = {name: why.zh for name, why in skipped}
    assert reasons["u.zip/big.txt"].startswith("超过")
    assert len(files) == 3 and all("zip 解压后超过" in reasons[f"u.zip/r{i}.txt"] for i in (3, 4))


def test_oversized_upload_is_refused_while_streaming_and_leaves_no_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    stream = io.BytesIO(b"x" * 300_000)
    with pytest.raises(Exception, match="big.txt 超过"):
        ws.write_stream("big.txt", stream, 100_000, "in")
    assert stream.tell() < 300_000  # stopped reading near the cap
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_oversized_form_upload_gives_one_line_413(tmp_path: Path) -> None:
    with make_client(tmp_path / "jobs", max_file_bytes=50_000) as c:
        r = c.post("/draft", files=[("notes_file", ("notes.md", b"- a\n" * 20_000))], data={"backend": "offline"})
        assert r.status_code == 413 and "notes.md 超过" in r.text
        assert _jobs(c) == 0


def test_check_jobs_run_in_the_worker_pool(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = runners.run_check_job

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("aidraft.web.pages.run_check_job", spy)
    r = web.post("/check", files=[("draft_file", ("d.txt", REPORT)), ("notes_file", ("n.md", NOTES.read_bytes()))],
                 follow_redirects=False)
    assert r.status_code == 303
    for _ in range(400):
        if web.get(f"{r.headers['location']}/status").json()["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert seen and seen[0].startswith("aidraft-job")


def test_intake_reads_uploads_with_the_reader_caps() -> None:
    assert intake.read_bytes_text.__module__ == "aidraft.ingest.read"


@pytest.mark.parametrize("referer", ["http://evil.example/x", "null"])
def test_a_cross_site_referer_is_refused_even_beside_a_same_origin_origin(tmp_path: Path, referer: str) -> None:
    with make_client(tmp_path / "jobs", headers={"Origin": BASE, "Referer": referer}) as c:
        assert _draft(c).status_code == 403  # type: ignore[attr-defined]


def test_a_job_that_fails_while_running_keeps_only_its_reason(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("aidraft.web.pages.run_check_job", explode)
    r = web.post("/check", files=[("draft_file", ("d.txt", REPORT))], follow_redirects=False)
    location = r.headers["location"]
    for _ in range(400):
        status = web.get(f"{location}/status").json()
        if status["state"] == "failed":
            break
        time.sleep(0.05)
    assert status["state"] == "failed" and "boom" in status["error"]
    job = web.app.state.store.get(location.rsplit("/", 1)[-1])  # type: ignore[attr-defined]
    assert not job.workspace.root.exists() and job.downloads == {}
    assert web.get(location).status_code == 422
