"""End to end: the real page in headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright without its own browser download) against a real server on 127.0.0.1.

Drafts from the sample notes, downloads the .docx, then checks a hand-written report and sees
its unsupported figure shown as such. Screenshots land in the test's tmp folder.
"""

from __future__ import annotations

import io
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Chromium is absent (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

import uvicorn

from aidraft.settings import Settings
from aidraft.web.app import create_app
from aidraft.web.config import WebConfig

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "samples" / "qingxi" / "notes-2025.md"
PRIOR = REPO / "samples" / "qingxi" / "prior-2024.md"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-dev-shm-usage"]
HAND_DRAFT = """青溪县信访局关于2025年度法治政府建设情况的报告

一、2025年推进法治政府建设的主要举措和成效
全年受理群众信访事项1642件，按期办结率98.6%。新增专职调解员58名。<script>window.pwned = 1</script>
二、存在的不足和原因
基层干部法治一是有待提高,需加强培训。
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1, an OS-chosen port, in a thread."""
    work = tmp_path_factory.mktemp("jobs")
    app = create_app(Settings.from_cli(backend="offline"), WebConfig(work_dir=work))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    assert not list(work.glob("aidraft-web-*")), "job folders left after shutdown"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, accept_downloads=True,
            locale="zh-CN", viewport={"width": 1400, "height": 1000})
        yield context
        context.close()


def test_draft_then_download_docx(server: str, browser: object, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/draft")
    page.set_input_files("input[name=notes_file]", str(NOTES))
    page.set_input_files("input[name=prior_file]", str(PRIOR))
    page.screenshot(path=str(tmp_path / "draft-form.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector(".report .fig", timeout=30_000)
    assert page.locator("h1").first.inner_text() == "青溪县信访局关于2025年度法治政府建设情况的报告"
    assert page.locator(".report .fig-supported").count() > 10
    assert page.locator("#unanswered").inner_text().count("创新普法方式") == 1
    figure = page.locator(".report .fig-supported", has_text="1642件").first
    figure.click()
    detail = page.locator("#figure-detail")
    assert "notes-2025.md" in detail.inner_text() and "有据" in detail.inner_text()
    page.screenshot(path=str(tmp_path / "draft-result.png"), full_page=False)
    with page.expect_download() as info:
        page.click("a[data-download=docx]")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    data = Path(download.path()).read_bytes()
    assert data[:4] == b"PK\x03\x04"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "关于2025年度法治政府建设情况的报告" in text and "1642件" in text
    page.close()


def test_check_shows_unsupported_figure(server: str, browser: object, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/check")
    page.set_input_files("input[name=draft_file]", files=[{
        "name": "手写报告.txt", "mimeType": "text/plain", "buffer": HAND_DRAFT.encode("utf-8")}])
    page.set_input_files("input[name=notes_file]", str(NOTES))
    page.click("button[type=submit]")
    page.wait_for_selector(".report .fig")
    bad = page.locator(".report .fig-unsupported", has_text="58名")
    assert bad.count() == 1
    assert bad.get_attribute("data-label") == "无出处"
    bad.click()
    detail = page.locator("#figure-detail").inner_text()
    assert "58名" in detail and "无出处" in detail
    assert page.locator(".report .fig-supported", has_text="1642件").count() == 1
    assert int(page.locator("#flagged-count").inner_text()) >= 1
    typo_line = page.locator(".report .row", has_text="法治一是")
    assert "法治意识" in typo_line.locator(".side").inner_text()  # lint findings stand beside their line
    # the uploaded <script> is shown as text and never runs
    assert page.evaluate("window.pwned") is None
    assert "<script>window.pwned = 1</script>" in page.locator(".report").inner_text()
    page.screenshot(path=str(tmp_path / "check-result.png"), full_page=False)
    page.close()


def test_digest_ledger_sorts(server: str, browser: object, tmp_path: Path) -> None:
    text = PRIOR.read_text(encoding="utf-8")
    files = [{"name": f"{name}.md", "mimeType": "text/markdown",
              "buffer": text.replace("青溪县", name).replace("1580件", count).encode("utf-8")}
             for name, count in (("青溪县", "1580件"), ("望川县", "1320件"), ("石桥区", "900件"))]
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/digest")
    page.set_input_files("input[name=reports]", files=files)
    page.click("button[type=submit]")
    page.wait_for_selector("#ledger-table tbody tr", timeout=30_000)
    assert "合计受理群众信访事项3800件" in page.locator("#digest-text").inner_text()
    header = page.locator("#ledger-table th", has_text="数值")
    header.click()
    header.click()  # descending: the largest figure first
    assert header.get_attribute("aria-sort") == "descending"
    first = page.locator("#ledger-table tbody tr").first.locator("td").nth(3).inner_text()
    assert first == "1万余份"  # 10000 and more: sorted by value, not by text
    page.screenshot(path=str(tmp_path / "digest-result.png"), full_page=False)
    with page.expect_download() as info:
        page.click("a[href$='/download/xlsx']")
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"
    page.set_viewport_size({"width": 390, "height": 844})  # the same page on a phone: nothing sticks out
    _no_horizontal_overflow(page)
    (ARTEFACTS / "digest").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "digest" / "digest-390.png"), full_page=False)
    page.close()


# --- any screen: a clerk's laptop (1280 px) and phone (390 px) ---------------------------------

ARTEFACTS = REPO / "tmp" / "artefacts" / "web"  # screenshots kept for a person to look at (git-ignored)
PHONE_DRAFT = "\n".join([
    "# 望川区人力资源和社会保障局2025年度法治政府建设情况报告",
    "",
    "## 一、主要举措和成效",
    *[f"（{i}）第{i}项工作稳步推进，全年组织劳动保障监察专项检查{i + 20}次，覆盖用人单位和个体工商户，"
      f"督促整改问题隐患，切实维护劳动者合法权益，群众满意度进一步提高。" for i in range(1, 13)],
    "全年追回农民工工资2,380.5万元，涉及劳动者1.2万余人次，处理举报投诉100.0%按期办结。",
    "## 二、存在的不足",
    "基层执法力量仍显薄弱，全年仅培训执法人员58名。",
])
PHONE_NOTES = "- 追回农民工工资2380.5万元，涉及劳动者12013人次\n- 举报投诉按期办结率100%\n" + "".join(
    f"- 劳动保障监察专项检查第{i}项{i + 20}次\n" for i in range(1, 13))


def _no_horizontal_overflow(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"page is {width}px wide"


def _in_view(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1; }""", selector)


@pytest.mark.parametrize("width", [1280, 390])
def test_check_page_on_any_screen(server: str, browser: object, width: int) -> None:
    out = ARTEFACTS / f"check-{width}"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    page.goto(f"{server}/check")
    _no_horizontal_overflow(page)
    page.fill("#draft_text", PHONE_DRAFT)
    page.fill("#notes_text", PHONE_NOTES)
    page.screenshot(path=str(out / "form.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector(".report .fig")
    _no_horizontal_overflow(page)
    column = page.evaluate("Math.min(...[...document.querySelectorAll('.report .row.role-body .txt')]"
                           ".map(e => e.getBoundingClientRect().width))")
    assert column >= 300, f"text column {column}px"
    # a figure is never broken across lines
    broken = page.evaluate("[...document.querySelectorAll('.report .fig')].filter(e => e.getClientRects().length > 1)"
                           ".map(e => e.textContent)")
    assert broken == []
    # the Markdown heading marks are layout, not text
    rows = page.locator(".report .row .txt").all_inner_texts()
    assert not any(r.lstrip().startswith("#") for r in rows)
    assert "望川区人力资源和社会保障局2025年度法治政府建设情况报告" in rows[0]
    # a flagged figure far down the page: the detail is in view after a tap, in Chinese
    bad = page.locator(".report .fig-unsupported", has_text="58名")
    bad.scroll_into_view_if_needed()
    bad.click()
    assert _in_view(page, "#figure-detail")
    detail = page.locator("#figure-detail").inner_text()
    assert "58名" in detail and "无出处" in detail and "材料中没有" in detail
    assert _in_view(page, ".fig.selected")  # the tapped figure is not hidden behind the detail
    page.screenshot(path=str(out / "result-tapped.png"), full_page=False)
    page.screenshot(path=str(out / "result-full.png"), full_page=True)
    # the checked draft back as Word, with a comment on each flagged figure
    with page.expect_download() as info:
        page.click("a[data-download=docx]")
    from docx import Document

    checked = Document(info.value.path())
    comments = [c.text for c in checked.comments]
    assert any("58名" not in c and c.startswith("【无出处】") for c in comments)
    title = checked.paragraphs[0].text  # a text draft comes back laid out as a draft: its title, no "#" marks
    assert title.startswith("望川区") and "法治政府建设情况报告" in title
    page.close()


def test_failed_draft_keeps_what_was_typed(server: str, browser: object) -> None:
    out = ARTEFACTS / "failed"
    out.mkdir(parents=True, exist_ok=True)
    notes = "- 全年办理行政复议案件37件\n- 开展普法宣传活动45场\n"
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/draft")
    page.fill("#notes_text", notes)
    page.fill("input[name=year]", "2025")
    page.click("button[type=submit]")
    page.wait_for_selector("#again", timeout=30_000)
    alert = page.locator(".alert").inner_text()
    assert "看不出笔记是哪个单位的" in alert and "单位" in alert
    page.screenshot(path=str(out / "failed.png"), full_page=True)
    page.click("#again")
    assert page.input_value("#notes_text") == notes
    assert page.input_value("input[name=year]") == "2025"
    page.fill("input[name=office]", "石桥区司法局")
    page.click("button[type=submit]")
    page.wait_for_selector(".report .fig", timeout=30_000)
    assert "石桥区司法局" in page.locator("h1").first.inner_text()
    page.close()


def test_refused_check_keeps_pasted_text(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/check")
    page.fill("#notes_text", "- 开展普法宣传活动45场\n")
    page.click("button[type=submit]")  # no report given
    assert "没有提供要核对的报告" in page.locator(".alert").inner_text()
    assert page.input_value("#notes_text") == "- 开展普法宣传活动45场\n"
    page.close()


def test_outline_sign_off_on_a_phone(server: str, browser: object) -> None:
    """先看提纲 at 390 px: move a note under another section's heading, rename that heading, then
    按提纲起草; the draft has the heading and the note's figure under it."""
    out = ARTEFACTS / "outline-390"
    out.mkdir(parents=True, exist_ok=True)
    notes = ("- 全年办理行政复议案件37件，纠错率8.1%\n- 开展“八五”普法宣传活动45场\n"
             "- 执法人员法律培训覆盖率有待提高\n- 2026年计划修订行政执法案卷评查办法\n")
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/draft")
    page.fill("#notes_text", notes)
    page.fill("input[name=office]", "石桥区司法局")
    page.fill("input[name=year]", "2025")
    page.click("button[formaction='/draft/outline']")
    page.wait_for_url("**/outline/*")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(out / "outline.png"), full_page=True)
    note = page.locator(".outline-note", has_text="37件")
    note_id = note.get_attribute("data-note")
    last_section = page.locator("fieldset.outline-section").last
    target = last_section.locator("input[name^=heading-]").first
    slot = target.get_attribute("name").removeprefix("heading-")
    page.select_option(f"select[name=place-{note_id}]", slot)
    target.fill("复议纠错与执法监督")
    page.click(".outline-form button[type=submit]")
    page.wait_for_selector(".report .fig", timeout=30_000)
    rows = page.locator(".report .row .txt").all_inner_texts()
    at = next(i for i, r in enumerate(rows) if "复议纠错与执法监督" in r)
    assert any("37件" in r for r in rows[at:]), rows
    assert not any("37件" in r for r in rows[:at]), rows
    _no_horizontal_overflow(page)
    page.close()
