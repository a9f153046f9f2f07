"""The .docx template is built once per layout and shared by renders, which must stay independent
(the web server renders in threads) and equal to a render from scratch."""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor

import docx
import pytest

from aidraft.export import docx_template
from aidraft.export.docx_writer import render_docx
from aidraft.export.layout import load_layout
from aidraft.parse.structure import parse_text

REPORTS = [
    "某区人社局关于2025年度法治政府建设情况的报告\n一、主要举措\n全年办理劳动争议仲裁案件312件【待核实】，调解成功率78.5%。\n二、存在的不足\n基层执法力量不足。",
    "某县市场监管局关于2025年度法治政府建设情况的报告\n一、主要举措\n（一）强化执法监督\n抽查经营主体1200户，立案查处违法案件46件。",
    "某市司法局关于2025年度法治政府建设情况的报告\n一、主要举措\n开展行政执法案卷评查两次，评查案卷150卷。\n二、下一步工作打算\n持续推进法治政府建设。",
]


def document_part(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = [i.filename for i in package.infolist()]
        assert len(names) == len(set(names))  # no part written twice
        return package.read(docx_template.DOCUMENT_PART)


def test_template_built_once_per_layout() -> None:
    base = load_layout()  # a layout no other test renders:
    layout = base.model_copy(update={"document": base.document.model_copy(update={"subject": "只为本测试的版式"})})
    built: list[int] = []

    def build() -> bytes:
        built.append(1)
        return _empty_docx()

    first = docx_template.cached_template(layout, build)
    assert docx_template.cached_template(layout, build) is first and built == [1]


def _empty_docx() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize("workers", [1, 6])
def test_concurrent_renders_equal_sequential_ones(workers: int) -> None:
    docs = [parse_text(text) for text in REPORTS] * 4
    expected = [document_part(render_docx(d)) for d in docs]
    with ThreadPoolExecutor(workers) as pool:
        got = list(pool.map(lambda d: document_part(render_docx(d)), docs))
    assert got == expected
    opened = docx.Document(io.BytesIO(render_docx(docs[0])))
    assert "312件【待核实】" in "\n".join(p.text for p in opened.paragraphs)
    assert opened.core_properties.title.startswith("某区人社局")
