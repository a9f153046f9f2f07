"""The web page's API through FastAPI's test client: draft, check and digest flows, downloads,
escaping, and every security measure (token, Host, origin, size limits, names, zips, clean-up)."""

from __future__ import annotations

import csv
import io
import os
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from aidraft.check.model import CheckReport
from aidraft.draft.output import DraftCheckFile
from aidraft.errors import ConfigError, InputError
from aidraft.messages import text
from aidraft.settings import Settings
from aidraft.web.app import create_app
from aidraft.web.config import WebConfig
from aidraft.web.uploads import Workspace, safe_name, unpack_zip

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "samples" / "qingxi" / "notes-2025.md"
PRIOR = REPO / "samples" / "qingxi" / "prior-2024.md"
BASE = "http://127.0.0.1"
TOKEN = "t" * 24
#: A report written by hand: 58名 is in no notes, 1580件 only in last year's report.
HAND_DRAFT = """青溪县信访局关于2025年度法治政府建设情况的报告

一、2025年推进法治政府建设的主要举措和成效
全年受理群众信访事项1642件，按期办结率98.6%。新增专职调解员58名。此前受理信访事项1580件。
二、存在的不足和原因
基层干部法律素养有待提高。
"""


def offline() -> Settings:
    return Settings.from_cli(backend="offline")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path / "jobs"


def client(work: Path, **config: object) -> TestClient:
    return TestClient(create_app(offline(), WebConfig(work_dir=work, **config)), base_url=BASE,  # type: ignore[arg-type]
                      headers={"Origin": BASE})  # what a browser sends on the page's own form posts


@pytest.fixture
def web(work: Path) -> Iterator[TestClient]:
    with client(work) as c:
        yield c


def wait(c: TestClient, location: str) -> dict:
    for _ in range(200):
        status = c.get(f"{location}/status").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job at {location} did not finish")


def post_draft(c: TestClient, notes: bytes | None = None, name: str = "notes-2025.md", **data: str) -> str:
    files: list = [("notes_file", (name, notes if notes is not None else NOTES.read_bytes(), "text/markdown"))]
    if data.pop("prior", None):
        files.append(("prior_file", ("prior-2024.md", PRIOR.read_bytes(), "text/markdown")))
    r = c.post("/draft", files=files, data={"backend": "offline", **data}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def post_check(c: TestClient, draft: str = HAND_DRAFT, prior: bool = True) -> str:
    files: list = [("draft_file", ("手写报告.txt", draft.encode(), "text/plain")),
                   ("notes_file", ("notes-2025.md", NOTES.read_bytes(), "text/markdown"))]
    if prior:
        files.append(("prior_file", ("prior-2024.md", PRIOR.read_bytes(), "text/markdown")))
    r = c.post("/check", files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    wait(c, r.headers["location"])  # checks run in the worker pool like drafts
    return r.headers["location"]


# --- draft -------------------------------------------------------------------------------------

def test_draft_shows_progress_figures_plans_and_downloads(web: TestClient) -> None:
    location = post_draft(web, prior="1")
    status = wait(web, location)
    assert status["state"] == "done", status
    labels = [s["label"] for s in status["steps"]]
    assert "编排提纲" in labels and any(label.startswith("撰写：") for label in labels)
    assert all(s["state"] == "done" for s in status["steps"])
    page = web.get(location).text
    assert "青溪县信访局关于2025年度法治政府建设情况的报告" in page
    assert 'class="fig fig-supported"' in page and 'data-file="notes-2025.md"' in page
    assert "去年承诺、今年笔记未提及" in page and "创新普法方式" in page
    assert "去年工作安排的完成情况" in page and "【已完成】" in page and "【今年再次提出】" in page
    docx = web.get(f"{location}/download/docx")
    assert docx.status_code == 200 and docx.content[:4] == b"PK\x03\x04"
    assert "filename*=utf-8''" in docx.headers["content-disposition"]
    md = web.get(f"{location}/download/md")
    assert md.text.startswith("# 青溪县信访局")
    record = DraftCheckFile.model_validate_json(web.get(f"{location}/download/check").content)
    assert record.check.summary.figures > 10 and record.unanswered_plans


def test_pasted_notes_and_form_office_year(web: TestClient) -> None:
    notes = "- 全年受理群众信访事项1642件\n- 开展普法宣讲32场\n"
    r = web.post("/draft", data={"notes_text": notes, "office": "青溪县信访局", "year": "2025", "backend": "offline"},
                 follow_redirects=False)
    assert r.status_code == 303
    assert wait(web, r.headers["location"])["state"] == "done"
    assert "1642件" in web.get(r.headers["location"]).text


@pytest.mark.parametrize(("data", "files", "message"), [
    ({"backend": "offline"}, None, "没有提供工作笔记"),
    ({"backend": "model", "notes_text": "- x"}, None, "不能使用"),
    ({"backend": "offline", "notes_text": "- 受理1642件", "year": "二〇二五"}, None, "不是年份"),
    ({"backend": "offline"}, [("notes_file", ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64))],
     "Word 97-2003"),
])
def test_bad_draft_input_is_refused_on_the_form(web: TestClient, work: Path, data: dict, files: list | None,
                                                message: str) -> None:
    r = web.post("/draft", data=data, files=files or [("notes_file", ("", b""))])
    assert r.status_code == 400 and message in r.text
    assert 'name="notes_text"' in r.text  # the form again, not a bare error
    assert not list(work.glob("aidraft-web-*"))  # the refused job's folder is gone


def test_draft_failure_is_one_line(web: TestClient) -> None:
    location = post_draft(web, notes="- 没有单位名称也没有年份的笔记\n".encode())
    status = wait(web, location)
    assert status["state"] == "failed" and "看不出笔记是哪个单位的" in status["error"]
    page = web.get(location)
    assert page.status_code == 422 and "看不出笔记是哪个单位的" in page.text


# --- check -------------------------------------------------------------------------------------

def test_check_marks_unsupported_and_stale_figures(web: TestClient) -> None:
    location = post_check(web)
    assert web.get(f"{location}/status").json()["state"] == "done"
    page = web.get(location).text
    assert 'class="fig fig-unsupported"' in page and ">58名</span>" in page
    assert 'class="fig fig-stale"' in page and ">1580件</span>" in page
    assert 'data-label="无出处"' in page
    report = CheckReport.model_validate_json(web.get(f"{location}/download/check").content)
    statuses = {f.text: f.status.value for f in report.figures}
    assert statuses["58名"] == "unsupported" and statuses["1642件"] == "supported" and statuses["1580件"] == "stale"
    checked = web.get(f"{location}/download/docx")  # the checked draft back as Word, with comments
    from docx import Document

    comments = [c.text for c in Document(io.BytesIO(checked.content)).comments]
    assert checked.status_code == 200 and any(c.startswith("【沿用去年】") for c in comments)
    assert any(c.startswith("【无出处】") for c in comments)


def test_uploaded_markup_is_inert(web: TestClient) -> None:
    evil = '<script>alert("x")</script>'
    notes = f"---\noffice: 青溪县信访局\nyear: 2025\n---\n- {evil}全年受理信访事项1642件\n- <img src=x onerror=alert(1)>宣讲32场\n"
    location = post_draft(web, notes=notes.encode(), name='<b onmouseover="x">n.md')
    assert wait(web, location)["state"] == "done"
    page = web.get(location)
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    check = post_check(web, draft=HAND_DRAFT.replace("新增", evil))
    assert "<script>alert" not in web.get(check).text


def test_render_lines_escapes_and_places_spans() -> None:
    from aidraft.check.run import check_text
    from aidraft.ingest.read import NamedText
    from aidraft.lint.model import LintFinding
    from aidraft.web.highlight import render_lines

    text = "一、主要举措\n受理<b>1642件</b>【待核实】，调解员58名。\n【待补充】\n"
    check = check_text(NamedText(path="d", text=text), [NamedText(path="n.md", text="- 受理信访1642件")])
    at = text.index("调解员")
    finding = LintFinding(rule="r", line=2, start=at, end=at + 3, excerpt="x", message="<i>msg</i>")
    lines = render_lines(text, check, [finding])
    assert [line.number for line in lines] == [1, 2, 3, 4]
    body = str(lines[1].html)
    assert "&lt;b&gt;" in body and "<b>" not in body
    assert 'class="fig fig-supported" id="fig-0"' in body and 'data-file="n.md"' in body and 'data-line="1"' in body
    assert 'class="fig fig-unsupported" id="fig-1"' in body and ">58名</span>" in body
    assert '<mark class="mark mark-verify">【待核实】</mark>' in body
    assert '<span class="lint-span" title="&lt;i&gt;msg&lt;/i&gt;">调解员</span>' in body
    assert '<mark class="mark mark-fill">【待补充】</mark>' == str(lines[2].html)
    assert lines[1].flagged and lines[1].notes[0].message == "<i>msg</i>"  # escaped by the template


# --- digest ------------------------------------------------------------------------------------

def _reports_zip() -> bytes:
    text = PRIOR.read_text(encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("各区县/青溪县.md", text)
        z.writestr("各区县/望川县.md", text.replace("青溪县", "望川县").replace("1580件", "1320件"))
        z.writestr("../escape.md", text)
        z.writestr("各区县/旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    return buffer.getvalue()


def test_digest_from_zip_and_file(web: TestClient, work: Path) -> None:
    extra = PRIOR.read_text(encoding="utf-8").replace("青溪县", "石桥区").replace("1580件", "900件").encode()
    r = web.post("/digest", files=[("reports", ("reports.zip", _reports_zip(), "application/zip")),
                                   ("reports", ("石桥区.md", extra, "text/markdown"))],
                 data={"backend": "offline"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert wait(web, location)["state"] == "done"
    page = web.get(location).text
    assert "数字台账" in page and 'id="ledger-table"' in page and "合计受理群众信访事项3800件" in page
    assert "escape.md" in page and "zip 内路径含“..”" in page  # the unsafe member is listed as skipped
    assert "旧格式.doc" in page
    assert not (work.parent / "escape.md").exists()
    csv_text = web.get(f"{location}/download/csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("单位,级别,年度") and "望川县" in csv_text
    assert 'id="sources"' in page and "青溪县.md 第" in page  # each sentence lists its sources
    xlsx = web.get(f"{location}/download/xlsx")
    assert xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == csv_text.count("\n")
    assert web.get(f"{location}/download/docx").content[:2] == b"PK"
    # the record is the command line's: the same model, its lines those of the .md downloaded beside it
    from aidraft.digest.output import DigestRecord

    record = DigestRecord.model_validate_json(web.get(f"{location}/download/json").content)
    markdown = web.get(f"{location}/download/md").content.decode("utf-8").split("\n")
    assert record.digest == "汇总报告.docx" and record.attribution
    assert all(s.text[:12] in markdown[s.line - 1] for s in record.attribution)


def test_digest_with_nothing_readable_is_refused(web: TestClient) -> None:
    r = web.post("/digest", files=[("reports", ("", b""))])
    assert r.status_code == 400 and "上传的文件中没有报告" in r.text


# --- security ----------------------------------------------------------------------------------

def test_off_loopback_needs_a_token(work: Path) -> None:
    with pytest.raises(ConfigError):
        create_app(offline(), WebConfig(host="0.0.0.0", work_dir=work))
    with pytest.raises(ValueError):  # a token must fit in a cookie unquoted
        WebConfig(token="has spaces; and semicolons")


def test_token_header_cookie_and_sign_in_link(work: Path) -> None:
    with client(work, token=TOKEN) as c:
        r = c.get("/draft")
        assert r.status_code == 401
        zh, en = r.text.splitlines()  # before any page, so in both languages, from the catalogue
        assert "需要访问令牌" in zh and "X-Aidraft-Token" in zh and "Access token required" in en
        assert c.get("/draft", headers={"X-Aidraft-Token": "wrong" * 5}).status_code == 401
        assert c.get("/draft", headers={"X-Aidraft-Token": TOKEN}).status_code == 200
        assert c.get("/static/app.css").status_code == 401
        r = c.get(f"/check?token={TOKEN}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/check"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert c.get("/check").status_code == 200  # the client kept the cookie
        c.cookies.clear()
        c.cookies.set("aidraft_token", "nope")
        assert c.get("/check").status_code == 401
        r = c.get("/%2F%2Fevil.example/?token=" + TOKEN, follow_redirects=False)  # path '//evil.example/'
        assert r.headers["location"] == "/evil.example/"  # never a protocol-relative URL off-site


def test_host_header_and_cross_site_posts_are_refused(web: TestClient) -> None:
    assert web.get("/draft", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding
    assert web.get("/draft", headers={"Host": "localhost:8000"}).status_code == 200
    r = web.post("/draft", data={"notes_text": "- x"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "跨站请求被拒绝" in r.text and "Cross-site request refused" in r.text
    r = web.post("/draft", data={"notes_text": "- 受理1642件", "office": "青溪县信访局", "year": "2025"},
                 headers={"Origin": BASE}, follow_redirects=False)
    assert r.status_code == 303


def test_security_headers(web: TestClient) -> None:
    r = web.get("/draft")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin" and "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "<script" not in r.text.replace('<script src="/static/app.js" defer></script>', "")  # no inline script


def test_upload_size_limits(work: Path) -> None:
    with client(work, max_file_bytes=1000, max_request_bytes=5000) as c:
        r = c.post("/draft", files=[("notes_file", ("n.md", "- 1642件\n".encode() * 200))], data={"backend": "offline"})
        assert r.status_code == 413 and "n.md 超过" in r.text and "请检查文件" in r.text  # the page speaks Chinese
        r = c.post("/draft", files=[("notes_file", ("n.md", b"x" * 6000))])
        assert r.status_code == 413 and "上传内容过大" in r.text and "Upload too large" in r.text

        def chunks() -> Iterator[bytes]:  # no Content-Length: the counted body still stops at the limit
            for _ in range(10):
                yield b"x" * 1000

        r = c.post("/draft", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=zz"})
        assert r.status_code == 413
    assert not list(work.glob("aidraft-web-*"))


def test_docx_zip_bomb_is_refused_before_reading(work: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * 3_000_000)  # about 3 KB compressed
    bomb = buffer.getvalue()
    assert len(bomb) < 10_000
    with client(work, max_unzipped_bytes=1_000_000) as c:
        r = c.post("/draft", files=[("notes_file", ("notes.docx", bomb))], data={"backend": "offline"})
        assert r.status_code == 413 and "notes.docx 解压后超过" in r.text  # too large: 413, as the request limit


def test_unknown_jobs_and_downloads(web: TestClient) -> None:
    assert web.get("/jobs/nope").status_code == 404
    location = post_check(web, prior=False)
    assert web.get(f"{location}/download/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert web.get(f"{location}/download/md").status_code == 404  # a key the job does not offer


@pytest.mark.parametrize(("raw", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\科员\\报告.DOCX", "报告.docx"),
    ("..", "upload.txt"),
    ("", "upload.txt"),
    ("\x00evil\n.md", "evil_.md"),
    (".bashrc", "bashrc"),
    ('<b onmouseover="x">n.md', "b_onmouseover_x_n.md"),
    ("a" * 300 + ".txt", "a" * 76 + ".txt"),
])
def test_safe_name(raw: str, safe: str) -> None:
    assert safe_name(raw) == safe


class _GbkInfo(zipfile.ZipInfo):
    """A member named the way Chinese Windows writes zips: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("cp437"), self.flag_bits & ~0x800


def test_zip_members_cannot_escape(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("ok/报告.txt", "正文")
        z.writestr("../../outside.txt", "x")
        z.writestr("/abs.txt", "x")
        z.writestr("C:/win.txt", "x")
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
        z.writestr(_GbkInfo("县区/青溪.txt".encode("gbk").decode("cp437")), "正文")
        z.writestr("big.txt", "x" * 5000)
    ws = Workspace(tmp_path / "jobs")
    files, skipped = unpack_zip(buffer.getvalue(), "u.zip", ws, max_files=10, max_file_bytes=1000, max_total=10_000)
    assert sorted(f.name for f in files) == ["ok-报告.txt", "县区-青溪.txt"]  # folders kept, stored flat
    reasons = {name: why.zh for name, why in skipped}
    assert reasons["u.zip/../../outside.txt"] == "zip 内路径含“..”"  # listed on the (Chinese) page
    assert reasons["u.zip//abs.txt"] == "zip 中的绝对路径"
    assert reasons["u.zip/C:/win.txt"] == "zip 中的绝对路径"
    assert reasons["u.zip/link.txt"] == "zip 中的符号链接"
    assert reasons["u.zip/big.txt"].startswith("超过")
    assert all(f.path.is_relative_to(ws.root) for f in files)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["ok-报告.txt", "县区-青溪.txt"]
    ws.cleanup()
    assert not ws.root.exists()


def test_workspace_never_follows_a_symlink(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    target = tmp_path / "target.txt"
    target.write_text("keep")
    (ws.root / "in").mkdir()
    os.symlink(target, ws.root / "in" / "notes.md")
    with pytest.raises(InputError, match="文件名不安全"):
        ws.write("notes.md", b"overwrite?", "in")
    assert target.read_text() == "keep"
    (ws.root / "in" / "prior.md").write_text("first")
    with pytest.raises(FileExistsError):  # exclusive create: an existing file is never overwritten
        ws.write("prior.md", b"second", "in")
    assert (ws.root / "in" / "prior.md").read_text() == "first"
    assert ws.path_for("../../x.md") == ws.root / "x.md"  # a name is reduced to its base name
    ws.cleanup()
    assert target.exists()


def test_job_folders_are_removed(work: Path) -> None:
    with client(work, max_jobs=2) as c:
        for _ in range(3):
            post_check(c, prior=False)
        assert len(list(work.glob("aidraft-web-*"))) == 2  # the oldest finished job was evicted
    assert not list(work.glob("aidraft-web-*"))  # shutdown removes the rest
    with client(work, job_ttl_s=0.01) as c:
        r = c.post("/check", files=[("draft_file", ("d.txt", HAND_DRAFT.encode())),
                                    ("notes_file", ("n.md", NOTES.read_bytes()))], follow_redirects=False)
        first = r.headers["location"]
        for _ in range(400):  # expired once finished (the TTL counts from creation)
            if c.get(first).status_code == 404:
                break
            time.sleep(0.05)
        assert c.get(first).status_code == 404
        assert not list(work.glob("aidraft-web-*"))


# --- the command -------------------------------------------------------------------------------

def test_serve_command_generates_a_token_off_loopback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    from aidraft.cli.app import app

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(kw, app=application))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8765", "--work-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8765
    assert "?token=" in result.output
    token = result.output.split("?token=")[1].split()[0]
    assert len(token) >= 16
    result = CliRunner().invoke(app, ["serve", "--port", "8766"])
    assert result.exit_code == 0 and "?token=" not in result.output and seen["host"] == "127.0.0.1"
    result = CliRunner().invoke(app, ["serve", "--token", "short"])
    assert result.exit_code == 2 and "at least 16" in result.output


# --- backends and per-section progress -----------------------------------------------------------

def test_backend_choices_offer_a_configured_endpoint() -> None:
    from pydantic import SecretStr

    from aidraft.web.app import backend_choices

    assert [b.value for b in backend_choices(offline())] == ["offline"]
    ready = backend_choices(Settings.from_cli(preset="deepseek", api_key=SecretStr("sk-test")))
    assert ready[1].value == "model" and ready[1].usable and "deepseek" in ready[1].label
    local = backend_choices(Settings.from_cli(base_url="http://127.0.0.1:9/v1"))  # no model name
    assert local[1].usable is False and "配置有误" in local[1].label


def test_a_drafter_that_reports_progress_is_heard_per_section(tmp_path: Path) -> None:
    """The LLM drafter writes sections concurrently and calls back per section: the job's steps
    follow those calls (with a fallback's note) instead of splitting the plan."""
    from aidraft.draft.llm_drafter import Progress
    from aidraft.draft.pipeline import RunInfo, resolve_inputs, run_draft
    from aidraft.draft.write_offline import write_section_offline
    from aidraft.parse.notes import read_notes
    from aidraft.web.jobs import Job
    from aidraft.web.runners import ProgressDrafter

    class Reporting:
        name = "llm"

        def __init__(self, progress: object) -> None:
            self.progress = progress
            self.calls = 0

        def plan(self, inputs: object, base: object) -> object:
            return base

        def write(self, inputs: object, plan: object) -> list:
            self.calls += 1
            out = []
            for i, section in enumerate(plan.sections):  # type: ignore[attr-defined]
                out.append(write_section_offline(plan, section, inputs.items))  # type: ignore[arg-type, attr-defined]
                backend, note = ("offline", "model refused") if i == 1 else ("llm", None)
                self.progress(Progress(stage="section", title=section.title, done=i + 1,  # type: ignore[operator]
                                       total=len(plan.sections), backend=backend, detail=note))  # type: ignore[attr-defined]
            return out

        def run_info(self) -> RunInfo:
            return RunInfo(backend="llm")

    job = Job("draft", Workspace(tmp_path))
    progress = ProgressDrafter(job)
    inner = Reporting(progress.heard)
    run_draft(resolve_inputs(read_notes(NOTES), [], None, None), progress.wrap(inner, hooked=True))  # type: ignore[arg-type]
    steps = {s.key: s for s in job.steps}
    assert inner.calls == 1  # the whole plan at once: the drafter keeps its own concurrency
    assert all(steps[f"section-{i}"].state == "done" for i in range(4))
    assert "（模型未能写出，已按笔记离线撰写：model refused）" in steps["section-1"].label
    job.workspace.cleanup()


def test_checked_word_of_an_uploaded_docx_is_the_users_own_document(web: TestClient) -> None:
    """The clerk's .docx comes back with its own paragraphs and formatting, a comment on each
    flagged figure, and nothing else changed."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("青溪县信访局关于2025年度法治政府建设情况的报告")
    para = doc.add_paragraph("全年受理群众信访事项")
    para.add_run("1642件").italic = True
    para.add_run("，新增专职调解员58名。")
    buffer = io.BytesIO()
    doc.save(buffer)
    r = web.post("/check", files=[("draft_file", ("报告.docx", buffer.getvalue(), "application/octet-stream")),
                                  ("notes_file", ("notes-2025.md", NOTES.read_bytes(), "text/markdown"))],
                 follow_redirects=False)
    location = r.headers["location"]
    wait(web, location)  # checks run in the worker pool
    assert "下载带批注的 Word" in web.get(location).text
    checked = Document(io.BytesIO(web.get(f"{location}/download/docx").content))
    assert [p.text for p in checked.paragraphs] == [p.text for p in doc.paragraphs]
    assert [r.text for r in checked.paragraphs[1].runs if r.italic] == ["1642件"]
    comments = [c.text for c in checked.comments]
    assert len(comments) == 1 and comments[0].startswith("【无出处】")


# --- the page speaks Chinese ---------------------------------------------------------------------

@pytest.mark.parametrize(("form", "upload", "max_file_bytes", "says"), [
    ("/draft", ("notes_file", ("notes.docx", b"PK\x03\x04" + b"\x00broken" * 100)), 10**6,
     ["notes.docx 不是有效的 .docx 文件", "另存为 .docx"]),
    ("/check", ("draft_file", ("报告.docx", b"this is not a zip at all")), 10**6,
     ["报告.docx 不是有效的 .docx 文件：不是 zip 包"]),
    ("/draft", ("notes_file", ("notes.md", "- 受理信访事项1642件\n".encode() * 500)), 2000,
     ["notes.md 超过", "请检查文件"]),
    ("/digest", ("reports", ("reports.zip", b"PK\x05\x06" + b"\x00" * 10 + b"junk")), 10**6,
     ["reports.zip 不是有效的 zip 文件", "请重新压缩"]),
])
def test_input_errors_show_in_chinese_on_the_page(work: Path, form: str, upload: tuple, max_file_bytes: int,
                                                   says: list[str]) -> None:
    with client(work, max_file_bytes=max_file_bytes) as c:
        r = c.post(form, files=[upload], data={"backend": "offline"})
    assert r.status_code == (413 if "超过" in says[0] else 400)  # too large is 413 wherever it is caught
    for words in says:
        assert words in r.text
    for english in ("is not a valid", "larger than", "check the file", "save it again"):
        assert english not in r.text


def test_job_steps_are_labelled_from_the_catalogue(web: TestClient) -> None:
    status = wait(web, post_draft(web, backend="offline"))
    labels = [s["label"] for s in status["steps"]]
    assert labels[0] == text("web.step.read", "zh") and text("web.step.export", "zh") in labels
    assert any(label.startswith("撰写：") for label in labels)
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels


def _named_report(office: str) -> bytes:
    head = f"{office}关于2024年度法治政府建设情况的报告\n" if office else "关于2024年度法治政府建设情况的报告\n"
    return (head + "一、2024年推进法治政府建设的主要举措和成效\n组织开展《行政复议法》专题培训，培训执法人员80人次。\n"
            "二、存在的不足和原因\n执法文书说理不够充分。\n三、下一年度工作安排\n继续推进严格规范公正文明执法。\n").encode()


def test_digest_page_asks_for_unnamed_offices(web: TestClient) -> None:
    files = [("reports", ("松岭县.md", _named_report("松岭县司法局"), "text/markdown")),
             ("reports", ("scan_0042.md", _named_report(""), "text/markdown"))]
    r = web.post("/digest", files=files, data={"backend": "offline"}, follow_redirects=False)
    first = r.headers["location"]
    assert wait(web, first)["state"] == "done"
    page = web.get(first).text
    assert 'action="' + first + '/offices"' in page and 'value="scan_0042.md"' in page
    assert 'value="松岭县.md"' not in page  # only reports that name no office are asked about
    r = web.post(f"{first}/offices", data={"file": ["scan_0042.md", "松岭县.md"], "office": ["石门区人社局", "乱填"]},
                 follow_redirects=False)
    second = r.headers["location"]
    assert r.status_code == 303 and second != first
    assert wait(web, second)["state"] == "done"
    page = web.get(second).text
    assert "石门区" in page and "单位名称待补充" not in page and "乱填" not in page
    assert 'action="' + second + '/offices"' not in page
    assert "单位名称待补充" in web.get(first).text  # the first result is kept as it was
    # nothing typed: back to the result; an unknown job: 404
    assert web.post(f"{first}/offices", data={"file": ["scan_0042.md"], "office": [" "]},
                    follow_redirects=False).headers["location"] == first
    assert web.post("/jobs/nope/offices", data={"file": ["a"], "office": ["b"]}).status_code == 404


@pytest.mark.parametrize(("written", "read"), [("'=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"),
                                                ("'@SUM(A1)", "@SUM(A1)"), ("'普通文字", "'普通文字"),
                                                ("青溪县", "青溪县")])
def test_the_ledger_read_back_for_the_xlsx_loses_the_csv_guard_only(tmp_path: Path, written: str, read: str) -> None:
    from aidraft.digest.ledger import HEADERS
    from aidraft.web.digest_runner import ledger_rows

    values = {h: "" for h in HEADERS} | {"单位": written, "年度": "2025", "行": "3", "文件": "a.txt", "原文": "12件"}
    path = tmp_path / "f.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([HEADERS, [values[h] for h in HEADERS]])
    assert ledger_rows(path)[0].label == read
