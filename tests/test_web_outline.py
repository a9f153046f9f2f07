"""Outline sign-off on the web page: "先看提纲" shows the outline `aidraft plan` writes as a form,
and "按提纲起草" writes from the edited outline unchanged; a bad edit is one Chinese line with the
edits kept. Driven through FastAPI's test client like tests/test_web.py."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support import QINGXI_DIR

from aidraft.draft.outline import OutlineFile, validate_outline
from aidraft.errors import InputError
from aidraft.settings import Settings
from aidraft.web.app import create_app
from aidraft.web.config import WebConfig

NOTES = QINGXI_DIR / "notes-2025.md"
PRIOR = QINGXI_DIR / "prior-2024.md"
BASE = "http://127.0.0.1"
#: Notes of another office and layout: a 人社局 with plain lines, no front matter.
OTHER_NOTES = """# 东川区人力资源和社会保障局 2025年工作笔记
- 局党组专题研究法治政府建设工作5次，制定年度普法责任清单
- 办理劳动保障监察案件214件，为劳动者追回工资待遇1368万元
- 开展根治欠薪专项行动3轮，检查用人单位412家
- 全年受理劳动人事争议仲裁案件980件，结案率96.4%
- 基层执法人员法律素养有待提升，部分案件办理期限偏长
- 2026年计划组织执法人员轮训2期，推行说理式执法文书
"""


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings.from_cli(backend="offline"), WebConfig(work_dir=tmp_path / "jobs"))
    with TestClient(app, base_url=BASE, headers={"Origin": BASE}) as c:
        yield c


def open_outline(c: TestClient, notes: str | None = None, prior: bool = False, **data: str) -> tuple[str, str]:
    """Press 先看提纲 on the draft form; (outline page URL, its HTML)."""
    if notes is None:
        files: list = [("notes_file", ("notes-2025.md", NOTES.read_bytes(), "text/markdown"))]
    else:
        files, data = [], {**data, "notes_text": notes}
    if prior:
        files.append(("prior_file", ("prior-2024.md", PRIOR.read_bytes(), "text/markdown")))
    r = c.post("/draft/outline", files=files or None, data={"backend": "offline", **data}, follow_redirects=False)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    return location, c.get(location).text


def fields(page: str) -> dict[str, str]:
    """The form as the browser would send it unchanged: text inputs and each select's chosen option."""
    values = {name: html.unescape(value) for name, value in re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', page)}
    for name, body in re.findall(r'<select name="([^"]+)">(.*?)</select>', page, flags=re.DOTALL):
        values[name] = re.search(r'<option value="([^"]+)" selected>', body).group(1)  # type: ignore[union-attr]
    return values


def note_texts(page: str) -> dict[str, str]:
    return {nid: html.unescape(text) for nid, text in
            re.findall(r'data-note="(N\d+)">.*?<span class="note-text">(.*?)</span>', page, flags=re.DOTALL)}


def write(c: TestClient, location: str, values: dict[str, str]) -> str:
    """Press 按提纲起草; the Markdown of the finished draft."""
    r = c.post(location, data=values, follow_redirects=False)
    assert r.status_code == 303, r.text
    job = r.headers["location"]
    for _ in range(400):
        status = c.get(f"{job}/status").json()
        if status["state"] in ("done", "failed"):
            break
    assert status["state"] == "done", status
    return c.get(f"{job}/download/md").text


def test_outline_page_lists_sections_headings_notes_and_promises(web: TestClient) -> None:
    _, page = open_outline(web, prior=True)
    values = fields(page)
    assert sorted(int(k[len("place-N"):]) for k in values if k.startswith("place-")) == list(range(1, 18))
    assert values["title-0"] and any(k.startswith("heading-0-") for k in values)
    assert "已做工作" in page and "下一步安排" in page
    assert "去年的工作安排及今年完成情况" in page and ("已完成" in page or "笔记未提及" in page)


@pytest.mark.parametrize("notes", [None, OTHER_NOTES], ids=["qingxi", "other-office"])
def test_a_moved_note_and_edited_headings_are_written_as_signed_off(web: TestClient, notes: str | None) -> None:
    location, page = open_outline(web, notes, office="东川区人力资源和社会保障局" if notes else "", year="2025" if notes else "")
    values, texts = fields(page), note_texts(page)
    slots = sorted({v for k, v in values.items() if k.startswith("place-")} |
                   {k[len("heading-"):] for k in values if k.startswith("heading-")})
    # a note of the first section goes under the last heading of another section
    first = next(k for k, v in values.items() if k.startswith("place-") and v.startswith("0-"))
    target = next(s for s in reversed(slots) if not s.startswith("0-"))
    values[first] = target
    values["title-0"] = "一年来的主要工作及成效"
    values[f"heading-{target}"] = "按提纲调整后的小标题"
    text = write(web, location, values)
    assert "一年来的主要工作及成效" in text and "按提纲调整后的小标题" in text
    moved = texts[first[len("place-"):]]
    figure = re.search(r"\d+(?:\.\d+)?[%件次名家万元轮期]*", moved)
    snippet = figure.group(0) if figure else moved[:8]
    heading_at = text.index("按提纲调整后的小标题")
    following = re.search(r"\n#+ ", text[heading_at:])
    end = heading_at + following.start() if following else len(text)
    assert snippet in text[heading_at:end], (snippet, text[heading_at:end])


@pytest.mark.parametrize(("edit", "message"), [
    ({"place-N1": "9-9"}, "笔记 N1 的去向“9-9”不是提纲中的小标题"),
    ({"place-N2": "x"}, "不是提纲中的小标题"),
    ({"title-1": "  "}, "第2部分没有标题"),
])
def test_a_bad_edit_is_one_chinese_line_and_the_edits_are_kept(web: TestClient, edit: dict[str, str],
                                                                message: str) -> None:
    location, page = open_outline(web)
    values = {**fields(page), "heading-0-0": "我改过的小标题", **edit}
    r = web.post(location, data=values, follow_redirects=False)
    assert r.status_code == 400
    alert = re.search(r'<div class="alert" role="alert">(.*?)</div>', r.text, flags=re.DOTALL)
    assert alert and message in html.unescape(alert.group(1)) and "\n" not in alert.group(1)
    assert 'value="我改过的小标题"' in r.text
    assert web.get(location).status_code == 200  # the outline is still there to correct


def test_bad_notes_on_the_outline_button_stay_on_the_form(web: TestClient) -> None:
    r = web.post("/draft/outline", data={"backend": "offline", "notes_text": "   ", "office": "某县司法局"})
    assert r.status_code == 400 and "没有提供工作笔记" in r.text and 'value="某县司法局"' in r.text


def test_an_unknown_outline_is_not_found(web: TestClient) -> None:
    assert web.get("/outline/nope").status_code == 404
    assert web.post("/outline/nope", data={"title-0": "x"}).status_code == 404


def test_the_web_validates_with_the_plan_file_model() -> None:
    """Fields plan.yaml does not have are refused, in Chinese on the page (extra="forbid")."""
    raw = {"office": "某县司法局", "year": 2025, "level": "县", "sections": [], "surprise": 1}
    with pytest.raises(InputError) as caught:
        validate_outline(raw, "提纲")
    assert caught.value.one_line("zh").startswith("提纲：提纲第 surprise 项有误")
    assert OutlineFile.model_config.get("extra") == "forbid"


def test_a_note_moved_into_a_section_without_notes_is_written_there(web: TestClient) -> None:
    notes = "- 全年办理行政复议案件37件，纠错率8.1%\n- 开展普法宣传活动45场\n- 执法人员法律培训覆盖率有待提高\n"
    location, page = open_outline(web, notes, office="石桥区司法局", year="2025")
    values, texts = fields(page), note_texts(page)
    empty = next(i for i in range(10) if f"title-{i}" in values and not any(k.startswith(f"heading-{i}-") for k in values))
    moved = next(n for n, t in texts.items() if "37件" in t)
    values[f"place-{moved}"] = f"{empty}-0"
    text = write(web, location, values)
    title = values[f"title-{empty}"]
    start = text.index(title)
    following = re.search(r"\n#+ [一二三四五六七八九十]+、", text[start:])
    body = text[start: start + following.start()] if following else text[start:]
    assert "37件" in body and text.count("37件") == 1, body
