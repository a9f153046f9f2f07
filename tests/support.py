"""Builders the tests share: sample paths, three fictional offices' reports, a drafter that
invents, the LibreOffice renderer. One home, so that no test module imports another.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aidraft.check.model import FLAGGED
from aidraft.check.run import check_text
from aidraft.draft.pipeline import DraftInputs, RunInfo
from aidraft.draft.plan import DraftPlan
from aidraft.draft.write_offline import WrittenSection
from aidraft.ingest.read import NamedText
from aidraft.llm.base import Message
from aidraft.llm.fake import FakeChatModel, FakeRequest

REPO = Path(__file__).resolve().parents[1]
#: The shipped samples, and the one sample office most tests draft.
SAMPLES = REPO / "samples"
QINGXI_DIR = SAMPLES / "qingxi"


# --- three offices' reports (digest) -------------------------------------------------------------

# Three fictional offices (written for these tests). 青溪县 and 河阳区 share practices, totals
# and a rate they both give counts for; 云山市 adds a satisfaction rate (a range) and its own ways.
QINGXI = """青溪县信访局关于2023年度法治政府建设情况的报告

2023年，县信访局在县委、县政府的坚强领导下，坚持以习近平法治思想为指导，扎实推进信访工作法治化。现将有关情况报告如下：
一、2023年推进法治政府建设的主要举措和成效
（一）强化理论武装
坚持把学习贯彻习近平法治思想作为首要政治任务，组织党组理论学习中心组专题学习习近平法治思想。聘请2名律师担任法律顾问，参与信访事项化解。
（二）深化普法宣传
深入开展《信访工作条例》宣传月活动，开展宣讲12场，发放宣传资料3万余册，群众满意率98.5%。
（三）攻坚信访积案
全年交办信访积案40件，化解30件，化解率75%。创新推行“信访代办”工作法，由专人为行动不便的群众代办信访事项。
二、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人严格履行推进法治建设第一责任人职责，对重要工作亲自部署、重大问题亲自过问。坚持重大事项集体研究决定，严格执行重大行政决策程序。
三、存在的不足和原因
一是干部职工运用法治思维和法治方式解决问题的能力有待提升。二是普法宣传的针对性和实效性有待增强。
四、2024年工作安排
一是持续深入学习贯彻习近平法治思想，推动学法用法常态化。二是深入推进信访工作法治化，依法分类处理信访诉求。

青溪县信访局
2024年1月20日
"""
HEYANG = """河阳区信访办公室关于2023年度法治政府建设情况的报告

2023年，区信访办在区委、区政府的正确领导下，认真贯彻落实《信访工作条例》，推动信访工作在法治轨道上运行。现将有关情况报告如下：
一、主要举措和成效
（一）加强理论学习
坚持把学习贯彻习近平法治思想作为首要政治任务，组织党组理论学习中心组集中学习习近平法治思想。聘请3名律师担任法律顾问，参与信访事项化解。
（二）抓好普法宣传
深入开展《信访工作条例》宣传月活动，开展宣讲8场，发放宣传资料2000余册，群众满意率97%。
（三）化解信访积案
全年交办信访积案20件，化解18件，化解率90%。建立“周调度、月通报”工作机制，压实积案化解责任。
二、存在的问题
一是干部职工运用法治思维和法治方式解决问题的能力有待提升。二是基层信访工作力量比较薄弱，专业人才缺乏。
三、下步工作打算
一是持续深入学习贯彻习近平法治思想，推动学法用法常态化。二是加强基层信访工作规范化建设，充实基层工作力量。
"""
YUNSHAN = """云山市信访局关于2023年度法治政府建设情况的报告

2023年，市信访局坚持以习近平新时代中国特色社会主义思想为指导，全面推进信访工作法治化。现将有关情况报告如下：
一、推进法治政府建设的主要举措和成效
（一）推进学法用法
组织全局干部职工参加学法考法，参考率100%。依托“云山信访”微信公众号定期推送法治宣传信息，扩大普法覆盖面。
（二）开展法治宣传
深入开展《信访工作条例》宣传进社区活动，开展宣讲5场，群众满意率99.2%。
二、主要负责人履行推进法治建设第一责任人职责情况
主要负责人严格履行推进法治建设第一责任人职责，对重要工作亲自部署、重大问题亲自过问。定期听取法治建设工作汇报，研究解决重点难点问题。
三、存在的不足
一是信访信息化建设相对滞后，数据共享不够充分。
四、下一步工作打算
一是推进信访工作信息化建设，提升数据共享水平。
"""
REPORTS = {"qingxi.txt": QINGXI, "heyang.txt": HEYANG, "yunshan.txt": YUNSHAN}
LABELS = ["青溪县", "河阳区", "云山市"]


def attributed(text: str) -> set[str]:
    """Every office named in a （…） attribution of the digest."""
    names: set[str] = set()
    for group in re.findall(r"（([^（）]+)）", text):
        names.update(n.rstrip("等") for n in group.split("、"))
    return names


def check_flags(digest: str, sources: list[NamedText]) -> list[str]:
    report = check_text(NamedText(path="digest.md", text=digest), sources)
    return [f"{f.text} {f.status.value} {f.note}" for f in report.figures if f.status in FLAGGED] + [
        a.message for a in report.arithmetic]


# --- a drafter that invents (evals) -------------------------------------------------------------

class InventingDrafter:
    """A FakeChatModel-backed drafter of the kind the eval must catch: each section's body comes
    from the model, which pads it with figures that are in no notes and says things twice."""

    name = "fake-llm"

    def __init__(self, model: FakeChatModel) -> None:
        self.model = model
        self.calls = 0

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan:
        return base

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]:
        out = []
        for section in plan.sections:
            answer = self.model.complete(
                [
                    Message.user(
                        f"请写“{section.title}”部分，笔记："
                        + "；".join(inputs.items[i].text for i in section.item_ids)
                    )
                ]
            )
            self.calls += 1
            out.append(
                WrittenSection(kind=section.kind, title=section.title, body=answer.text, backend=self.name)
            )
        return out

    def run_info(self) -> RunInfo:
        return RunInfo(
            backend=self.name,
            model="fake-model",
            model_calls=self.calls,
            prompt_tokens=100 * self.calls,
            completion_tokens=50 * self.calls,
        )


def inventing_answer(request: FakeRequest) -> str:
    """The notes' own lines, plus invented figures and a sentence stated twice."""
    notes = request.user_text.split("笔记：", 1)[1]
    padding = (
        "全年累计开展法治宣传活动87场，覆盖群众2.3万人次，群众满意率达到99.9%。"
        "坚持以人民为中心的发展思想，持续推动信访工作法治化取得新成效。"
    )
    return "\n".join(
        [
            "（一）强化组织领导，压实工作责任",
            (notes + "。" if notes else "") + padding + padding,
            "（二）坚持问题导向，推动工作落实",
            "全年共接待群众来访1234人次，办理网上信访事项567件。" + padding,
        ]
    )


# --- LibreOffice ---------------------------------------------------------------------------------


def docx_to_pdfs(docxs: list[Path], workdir: Path) -> list[Path]:
    """Render .docx files to PDF in one LibreOffice start (a start costs seconds), with a fresh
    profile. Skips the calling test, with the reason, when LibreOffice is absent (CI installs it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed")
    profile = workdir / "lo-profile"
    env = {**os.environ, "HOME": str(workdir)}
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(workdir), *map(str, docxs)],
        check=True, capture_output=True, timeout=120 + 60 * len(docxs), env=env,
    )
    pdfs = [workdir / (d.stem + ".pdf") for d in docxs]
    assert all(p.exists() and p.stat().st_size > 0 for p in pdfs)
    return pdfs


def _pdftotext(*args: str) -> bytes:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed: the PDF rendered, its text is unchecked")
    return subprocess.run(["pdftotext", *args, "-"], check=True, capture_output=True, timeout=60).stdout


def docx_to_pdf_text(docx: Path, workdir: Path) -> str:
    """Render with LibreOffice and return the PDF's text without whitespace. Never returns an
    empty text that a caller could mistake for "nothing to check": a missing tool skips."""
    (pdf,) = docx_to_pdfs([docx], workdir)
    return "".join(_pdftotext("-layout", str(pdf)).decode("utf-8").split())


def pdf_lines(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, x_min, x_max, text) of every text line of a PDF, from pdftotext's bounding boxes."""
    from lxml import etree

    root = etree.fromstring(_pdftotext("-bbox-layout", str(pdf)), parser=etree.HTMLParser(encoding="utf-8"))
    lines: list[tuple[int, float, float, str]] = []
    for number, page in enumerate(root.iter("page"), start=1):
        for line in page.iter("line"):
            words = [w.text or "" for w in line.iter("word")]
            lines.append((number, float(line.get("xmin")), float(line.get("xmax")), "".join(words)))
    return lines
