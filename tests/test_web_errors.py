"""What the page says when something is refused: one Chinese catalogue line with the right status,
never Starlette's, zipfile's or the drafter's English words, with what was typed kept where it can be.
Also: zip members keep their folders, nested archives are skipped, the 落款 matches the downloads."""

from __future__ import annotations

import html
import io
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from aidraft.check.run import check_text
from aidraft.draft.pipeline import OfflineDrafter, resolve_inputs, run_draft
from aidraft.export.markdown import closing_lines
from aidraft.ingest.read import NamedText
from aidraft.messages import catalogue, text
from aidraft.parse.notes import parse_notes
from aidraft.parse.structure import parse_text
from aidraft.settings import Settings
from aidraft.web.app import create_app
from aidraft.web.config import WebConfig
from aidraft.web.errors import STATUS_KEYS
from aidraft.web.highlight import render_lines
from aidraft.web.uploads import Workspace, damage_kind, unpack_zip

BASE = "http://127.0.0.1"
ENGLISH = ("exceeded", "Invalid multipart", "maximum size", "Not Found", "Method Not Allowed", "File is not a zip",
           "Bad CRC", "Field required", "no notes for this section", "Traceback")
REPORT = "青溪县信访局关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n受理信访事项1642件。\n"


def make(work: Path, **config: object) -> TestClient:
    return TestClient(create_app(Settings.from_cli(backend="offline"), WebConfig(work_dir=work, **config)),  # type: ignore[arg-type]
                      base_url=BASE, headers={"Origin": BASE})


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    with make(tmp_path / "jobs") as c:
        yield c


def alert(page: str) -> str:
    """The one line the page shows in its alert box, tags removed."""
    found = re.search(r'class="alert" role="alert">(.*?)</(?:div|p)>', page, flags=re.DOTALL)
    assert found, page[-500:]
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def finished(c: TestClient, location: str) -> str:
    """The job's page once it is done (or failed)."""
    for _ in range(400):
        if c.get(f"{location}/status").json()["state"] in ("done", "failed"):
            return c.get(location).text
        time.sleep(0.05)
    raise AssertionError(f"job at {location} did not finish")


def no_english(page: str) -> None:
    for words in ENGLISH:
        assert words not in page, words


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, flags=re.DOTALL)
    assert found
    return html.unescape(found.group(1))


# --- 1. Starlette's errors never reach the page ---------------------------------------------------

def test_pasting_more_than_a_megabyte_meets_the_apps_own_cap_and_keeps_the_text(web: TestClient) -> None:
    pasted = "- 受理群众信访事项1642件，按期办结率98.6%\n" * 40_000  # about 1.2 MB, 1.1 million characters
    assert len(pasted.encode()) > 1024 * 1024
    r = web.post("/draft", data={"notes_text": pasted, "backend": "offline"})
    assert r.status_code == 413
    line = alert(r.text)
    assert "最多读取100,000个字符" in line and "\n" not in line
    assert textarea(r.text, "notes_text") == pasted  # nothing typed is lost
    no_english(r.text)


def test_a_part_past_the_file_cap_is_a_chinese_413_on_the_form(tmp_path: Path) -> None:
    with make(tmp_path / "jobs", max_file_bytes=2000) as c:
        r = c.post("/check", data={"draft_text": "字" * 5000})
    assert r.status_code == 413 and "填写或粘贴的内容超过" in alert(r.text)
    assert 'name="draft_text"' in r.text  # the check form again, not a bare error page
    no_english(r.text)


@pytest.mark.parametrize("body", [b"--zz\r\nContent-Disposition: form-data\r\n\r\nv\r\n--zz--\r\n",
                                  b"--zz\r\nbroken header\r\n\r\nv\r\n--zz--\r\n"])
def test_a_malformed_multipart_body_is_one_chinese_line(web: TestClient, body: bytes) -> None:
    r = web.post("/draft", content=body, headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 400 and alert(r.text).endswith(text("web.form.invalid", "zh"))
    no_english(r.text)


def test_a_field_of_the_wrong_shape_keeps_the_rest_of_the_form(web: TestClient) -> None:
    r = web.post("/draft", files=[("office", ("a.txt", b"x"))], data={"backend": "offline", "notes_text": "- 受理1件"})
    assert r.status_code == 422 and alert(r.text).endswith(text("web.form.invalid", "zh"))
    assert textarea(r.text, "notes_text") == "- 受理1件"
    no_english(r.text)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 410, 418, 422, 429, 500, 503])
def test_every_http_error_is_catalogue_text_by_status(tmp_path: Path, status: int) -> None:
    with make(tmp_path / "jobs") as c:
        def boom() -> None:
            raise HTTPException(status_code=status, detail="Some English detail from a library")

        c.app.add_api_route("/boom", boom)  # type: ignore[attr-defined]
        r = c.get("/boom")
    assert r.status_code == status and "English detail" not in r.text
    expected = text(STATUS_KEYS[status], "zh") if status in STATUS_KEYS else text("web.http_error", "zh", status=status)
    assert alert(r.text) == expected
    assert re.search(r"[\u4e00-\u9fff]", expected)


def test_starlettes_own_404_and_405_are_chinese(web: TestClient) -> None:
    assert alert(web.get("/no/such/page").text) == text("web.not_found", "zh")
    r = web.put("/draft")
    assert r.status_code == 405 and alert(r.text) == text("web.method", "zh")


# --- 2. the offline drafter's note ---------------------------------------------------------------------

def test_a_section_without_notes_says_so_in_chinese() -> None:
    notes = "---\noffice: 青溪县信访局\nyear: 2025\n---\n# 主要举措和成效\n- 交办重复信访积案75件，化解68件\n"
    result = run_draft(resolve_inputs(parse_notes(notes, "n.md"), [], None, None), OfflineDrafter(), path="r.docx")
    said = [s.note for s in result.sections if s.note]
    assert said and all(n == text("draft.section_no_notes", "zh") for n in said)


# --- 3. zip damage in catalogue words --------------------------------------------------------------------

@pytest.mark.parametrize(("exc", "kind"), [
    (zipfile.BadZipFile("File is not a zip file"), "not_zip"),
    (zipfile.BadZipFile("Bad CRC-32 for file 'a.txt'"), "bad_crc"),
    (zipfile.BadZipFile("Truncated file header"), "truncated"),
    (EOFError(), "truncated"),
    (NotImplementedError("That compression method is not supported"), "compression"),
    (RuntimeError("File 'a.txt' is encrypted, password required for extraction"), "encrypted"),
    (zlib.error("Error -3 while decompressing data"), "broken"),
    (OSError("/tmp/secret/path"), "broken"),
])
def test_zip_damage_is_named_from_the_catalogue(exc: BaseException, kind: str) -> None:
    assert damage_kind(exc) == kind
    assert f"upload.damage.{kind}" in catalogue("zh") and f"upload.damage.{kind}" in catalogue("en")


def test_a_damaged_zip_and_member_never_show_zipfiles_words(web: TestClient, tmp_path: Path) -> None:
    r = web.post("/digest", files=[("reports", ("j.zip", b"not a zip at all"))], data={"backend": "offline"})
    assert r.status_code == 400
    assert "j.zip 不是有效的 zip 文件（文件不完整或不是 zip 格式）" in alert(r.text)
    no_english(r.text)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("good.txt", REPORT)
        archive.writestr("bad.txt", REPORT)
    raw = bytearray(buffer.getvalue())
    raw[raw.rindex(REPORT.encode()) + 3] ^= 0xFF
    files, skipped = unpack_zip(bytes(raw), "u.zip", Workspace(tmp_path / "ws"), max_files=10, max_file_bytes=10**6,
                                max_total=10**7)
    assert [f.name for f in files] == ["good.txt"]
    assert skipped[0][1].zh == "zip 中的文件已损坏（校验失败，文件内容已损坏）"
    assert "CRC" not in skipped[0][1].en


# --- 4 and 5. members keep their folder; nested archives are skipped -------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_members_keep_their_folder_and_are_stored_flat(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    data = _zip({"全市/甲县/2025年报告.txt": b"a", "全市/乙区/2025年报告.txt": b"b", "全市/丙镇.txt": b"c",
                 "全市/内层.zip": _zip({"x.txt": b"x"})})
    files, skipped = unpack_zip(data, "u.zip", ws, max_files=10, max_file_bytes=10**6, max_total=10**7)
    assert [f.name for f in files] == ["甲县-2025年报告.txt", "乙区-2025年报告.txt", "丙镇.txt"]  # shared 全市/ dropped
    assert all(f.path.parent.parent == ws.root and f.path.name == f.name for f in files)
    assert [(name, why.zh) for name, why in skipped] == [("u.zip/全市/内层.zip", text("upload.skip.nested", "zh"))]


def test_the_digest_names_each_unit_by_its_folder(web: TestClient) -> None:
    report = REPORT.replace("青溪县信访局", "")
    data = _zip({"甲县/2025年报告.txt": report.encode(), "乙区/2025年报告.txt": report.encode(),
                 "乙区/旧.zip": b"PK"})
    r = web.post("/digest", files=[("reports", ("j.zip", data))], data={"backend": "offline"}, follow_redirects=False)
    assert r.status_code == 303, alert(r.text)
    page = finished(web, r.headers["location"])
    assert "甲县-2025年报告.txt" in page and "乙区-2025年报告.txt" in page and "2025年报告-2.txt" not in page
    assert text("upload.skip.nested", "zh") in html.unescape(page)


# --- 6. the 落款 on the page is the one the files print --------------------------------------------------

def test_the_page_shows_the_closing_lines_the_files_print() -> None:
    draft = NamedText(path="d.txt", text=REPORT + "\n青溪县信访局\n2026年　月　日\n")
    doc, check = parse_text(draft.text, draft.path), check_text(draft, [], [])
    shown = [html.unescape(re.sub(r"<[^>]+>", "", str(line.html))).strip()
             for line in render_lines(doc.text, check, (), doc) if line.role != "blank"]
    assert shown[-2:] == closing_lines(doc) == ["青溪县信访局", text("docx.date_missing", "zh")]


def test_the_check_result_page_shows_the_date_placeholder(web: TestClient) -> None:
    r = web.post("/check", data={"draft_text": REPORT + "\n青溪县信访局\n2026年　月　日\n"}, follow_redirects=False)
    assert r.status_code == 303
    page = finished(web, r.headers["location"])
    assert text("docx.date_missing", "zh") in page and "2026年　月　日" not in page


# --- 7. a gone job's status is JSON ---------------------------------------------------------------------

def test_a_gone_jobs_status_is_a_json_line(web: TestClient) -> None:
    r = web.get("/jobs/expired-id/status")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert r.json() == {"state": "gone", "error": text("web.job_gone", "zh")}
    script = (Path(__file__).resolve().parents[1] / "src" / "aidraft" / "web" / "static" / "app.js").read_text()
    assert "body.error" in script  # the poller shows that line, not "HTTP 404"


# --- 8. statuses and the outline title ------------------------------------------------------------------

def test_every_slot_busy_is_503_with_retry_after_and_the_text_kept(tmp_path: Path) -> None:
    with make(tmp_path / "jobs", max_jobs=1) as c:
        c.app.state.store.create("draft")  # type: ignore[attr-defined]  # a job still taking its uploads
        r = c.post("/draft", data={"notes_text": "- 受理1件", "backend": "offline"})
        assert r.status_code == 503 and r.headers["retry-after"] == "60"
        assert text("web.busy", "zh") in alert(r.text) and textarea(r.text, "notes_text") == "- 受理1件"


def test_the_outline_title_names_the_year(web: TestClient) -> None:
    notes = "---\noffice: 临川区司法局\nyear: 2025\n---\n# 主要举措和成效\n- 办理行政复议案件12件\n"
    r = web.post("/draft/outline", data={"notes_text": notes, "backend": "offline"})
    assert r.status_code == 200, alert(r.text)
    assert "：临川区司法局2025年</h1>" in r.text
