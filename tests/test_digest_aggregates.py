"""Digest defects of a tester's hunt: copies of one report, sums of unlike figures, changes and
targets taken for levels, years summed together, totals hidden by a neighbour, township offices,
Chinese-numeral years, a GBK offices table and sections written in short sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.digest.offices import read_office_table
from aidraft.digest.pipeline import run_digest
from aidraft.ingest.read import NamedText
from aidraft.parse.office import identify
from aidraft.parse.structure import parse_text


def _report(office: str, measures: str, *, year: str = "2025", problems: str = "执法人员培训覆盖面不够广，基层执法力量仍显薄弱。",
            plans: str = "持续推进行政执法规范化建设。") -> str:
    return (f"{office}关于{year}年度法治政府建设情况的报告\n\n一、主要举措和成效\n{measures}\n"
            f"二、存在的不足和原因\n{problems}\n三、下一年度工作安排\n{plans}\n")


def _table(result: object) -> dict[str, object]:
    return {c.name: c for c in result.metrics}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("青禾县人力资源和社会保障局", "青禾县人力资源和社会保障局"),  # a .txt and its UTF-16 copy: the same text
        ("青禾县人力资源和社会保障局", "青禾县 人力资源和社会保障局"),  # a .docx and a .txt laid out differently
    ],
)
def test_one_office_one_year_is_digested_once(first: str, second: str) -> None:
    a = _report(first, "全年受理劳动人事争议仲裁案件210件，结案198件。")
    b = _report(second, "全年受理劳动人事争议仲裁案件210件，结案198件。\n加强仲裁员队伍建设。")
    other = _report("柏林区人力资源和社会保障局", "全年受理劳动人事争议仲裁案件150件，结案140件。")
    result = run_digest([NamedText(path="qh.docx", text=a), NamedText(path="qh.txt", text=b),
                         NamedText(path="bl.txt", text=other)])
    assert [r.label for r in result.reports] == ["青禾县", "柏林区"]
    assert [s.file for s in result.skipped] == ["qh.txt"] and "qh.docx" in result.skipped[0].reason.en
    assert "与 qh.docx 是同一份报告" in result.skipped[0].reason.zh and "只按第一个文件汇总一次" in result.skipped[0].reason.zh
    assert "420件" not in result.text and "570件" not in result.text


@pytest.mark.parametrize(
    ("a", "b", "metric", "not_in_text", "cell_b"),
    [
        ("全年受理信访事项300件。", "受理法律援助申请800件，受理信访事项40件。", "受理量", "1100件", "40件"),
        ("受理信访事项300件。", "受理行政复议申请60件。", "受理量", "360件", "60件"),
        ("县领导包案化解疑难信访问题25件。", "县领导公开接访36件。", None, "61件", None),
        ("调处化解矛盾纠纷410件。", "化解信访积案18件。", None, "428件", None),
    ],
)
def test_table_adds_only_figures_that_count_the_same_thing(a: str, b: str, metric: str | None, not_in_text: str,
                                                           cell_b: str | None) -> None:
    result = run_digest([NamedText(path="a.txt", text=_report("柳塘县信访局", a)),
                         NamedText(path="b.txt", text=_report("杏坪县信访局", b))])
    assert not_in_text not in result.text
    if metric is None:  # different metrics: no column holds both
        assert not any(len(c.cells) == 2 for c in result.metrics)
    else:
        column = _table(result)[metric]
        assert [c.text for c in column.cells][1] == cell_b
        assert column.summary is None or "合计340件" in column.summary


@pytest.mark.parametrize(
    ("a", "b", "metric"),
    [
        ("信访事项按期办结率同比提升2.6%。", "信访事项按期办结率93%。", "按期办结率"),
        ("群众满意率同比下降1.5%。", "群众满意率96%。", "群众满意率"),
        ("全年受理信访事项较上年减少40件。", "全年受理信访事项260件。", "受理量"),
    ],
)
def test_a_change_is_never_a_level(a: str, b: str, metric: str) -> None:
    result = run_digest([NamedText(path="a.txt", text=_report("柳塘县信访局", a)),
                         NamedText(path="b.txt", text=_report("杏坪县信访局", b))])
    cells = [c.label for c in _table(result)[metric].cells]
    assert cells == ["杏坪县"]


@pytest.mark.parametrize(
    ("a", "metric", "cell"),
    [
        ("群众满意率较上年提高1.2个百分点，达到96.8%。", "群众满意率", "96.8%"),
        ("信访事项按期办结率由91%提升至94.5%。", "按期办结率", "94.5%"),
        ("比上年减少受理信访事项 35件，全年受理信访事项410件。", "受理量", "410件"),
    ],
)
def test_the_level_a_change_reaches_is_the_offices_figure(a: str, metric: str, cell: str) -> None:
    b = "群众满意率95%，信访事项按期办结率93%，全年受理信访事项300件。"
    result = run_digest([NamedText(path="a.txt", text=_report("柳塘县信访局", a)),
                         NamedText(path="b.txt", text=_report("杏坪县信访局", b))])
    assert {c.label: c.text for c in _table(result)[metric].cells}["柳塘县"] == cell
    assert f"柳塘县{cell}" in result.text  # in 主要数据


@pytest.mark.parametrize(
    ("a", "b", "absent"),
    [
        ("信访事项办结率99.2%。", "信访事项按期办结率94%。", "按期办结率：柳塘县"),
        ("信访事项受理率100%。", "信访事项及时受理率97%。", "及时受理率：柳塘县"),
    ],
)
def test_an_unqualified_rate_is_not_the_qualified_one(a: str, b: str, absent: str) -> None:
    result = run_digest([NamedText(path="a.txt", text=_report("柳塘县信访局", a)),
                         NamedText(path="b.txt", text=_report("杏坪县信访局", b))])
    assert absent not in result.text


def test_one_range_per_metric_in_a_section() -> None:
    texts = [_report("柳塘县信访局", "信访事项按期办结率95.5%。"),
             _report("杏坪县信访局", "全年信访事项按期办结率达到97.5%。"),
             _report("石门区信访局", "全年共办结信访事项210件，按期办结率98%，按期办结率比上年提升2个百分点。")]
    result = run_digest([NamedText(path=f"{i}.txt", text=t) for i, t in enumerate(texts)])
    section = next(s for s in result.sections if s.kind.value == "measures")
    highs = [p.text for p in section.figures if "最高" in p.text and "办结率" in p.text]
    assert len(highs) == 1


@pytest.mark.parametrize(
    "plans",
    ["力争信访事项及时受理率达到95%以上。", "2026年计划开展法治宣传活动30场。"],
)
def test_a_target_in_the_plans_stays_out_of_this_years_table(plans: str) -> None:
    a = _report("柳塘县信访局", "信访事项及时受理率100%，开展法治宣传活动12场。")
    b = _report("杏坪县信访局", "加强信访工作规范化建设。", plans=plans)
    result = run_digest([NamedText(path="a.txt", text=a), NamedText(path="b.txt", text=b)])
    assert all(c.label != "杏坪县" for col in result.metrics for c in col.cells)


def test_mixed_years_are_never_added() -> None:
    texts = [_report("柳塘县信访局", "全年受理信访事项300件。"),
             _report("杏坪县信访局", "全年受理信访事项200件。", year="2024"),
             _report("石门区信访局", "全年受理信访事项100件。")]
    result = run_digest([NamedText(path=f"{i}.txt", text=t) for i, t in enumerate(texts)], mixed_years=True,
                        year=2025)
    assert "600件" not in result.text and "500件" not in result.text and "300件（" not in result.text
    assert all({m.label for m in t.members} != {"柳塘县", "杏坪县（2024年度）", "石门区"} for t in result.totals)
    assert _table(result)["受理量"].summary is None
    # the self-check adds up one year's reports too: this year's total stands
    assert "合计受理信访事项400件（柳塘县、石门区）" in result.text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("全年受理信访事项120件，办结信访事项118件。", "登记受理信访事项80件，办结信访事项79件。"),
        ("办结信访事项118件，受理信访事项120件。", "办结信访事项79件，全年登记受理信访事项80件。"),
    ],
)
def test_a_table_total_is_not_hidden_by_another_total_on_its_lines(a: str, b: str) -> None:
    result = run_digest([NamedText(path="a.txt", text=_report("柳塘县信访局", a)),
                         NamedText(path="b.txt", text=_report("杏坪县信访局", b))])
    assert "合计200件" in result.text and "197件" in result.text


@pytest.mark.parametrize(
    ("title", "label", "level"),
    [
        ("青山街道办事处关于2025年度法治政府建设情况的报告", "青山街道", None),
        ("东江市青山街道办事处关于2025年度法治政府建设情况的报告", "青山街道", None),
        ("城关镇人民政府关于2025年度法治政府建设情况的报告", "城关镇", None),
        ("2025年度柳塘县司法局法治政府建设情况报告", "柳塘县", "县"),
        ("关于柳塘县民政局2025年度法治政府建设情况的报告", "柳塘县", "县"),
    ],
)
def test_township_offices_and_other_title_shapes_are_named(title: str, label: str, level: str | None) -> None:
    text = f"{title}\n\n一、主要举措和成效\n深入开展法治宣传进社区活动，推动矛盾纠纷就地化解。\n"
    other = _report("杏坪县信访局", "深入开展法治宣传进村居活动。")
    result = run_digest([NamedText(path="a.txt", text=text), NamedText(path="b.txt", text=other)])
    assert (result.reports[0].label, result.reports[0].level) == (label, level)


@pytest.mark.parametrize(
    ("office", "short"),
    [("东江市住房和城乡建设局", "东江市"), ("柳塘县乡镇企业局", "柳塘县"), ("柳塘县城关镇人民政府", "城关镇")],
)
def test_words_ending_in_a_township_unit_are_no_place(office: str, short: str) -> None:
    assert identify(office).short == short


@pytest.mark.parametrize(
    ("office", "short", "level", "department"),
    [
        # 城市, 市场 … start a department: their 市 is no city
        ("云溪市城市管理局", "云溪市", "市", "城市管理局"),
        ("云溪区城市管理和综合执法局", "云溪区", "区", "城市管理和综合执法局"),
        ("市城市管理局", None, "市", "城市管理局"),
        ("城市管理局", None, None, "城市管理局"),
        ("云溪市市场监督管理局城区分局", "云溪市", "市", "市场监督管理局城区分局"),
        # ... but a one-character name before such a word is a place
        ("岚城市城市管理局", "岚城市", "市", "城市管理局"),
        ("云溪县新城镇人民政府", "新城镇", None, "人民政府"),
    ],
)
def test_words_that_start_a_department_are_no_place(office: str, short: str | None, level: str | None,
                                                    department: str) -> None:
    found = identify(office)
    assert (found.short, found.level, found.department) == (short, level, department)


@pytest.mark.parametrize(
    ("title", "year"),
    [("柳塘县信访局关于二〇二五年度法治政府建设情况的报告", 2025), ("关于二O二四年法治政府建设情况的报告", 2024)],
)
def test_chinese_numeral_years_are_read(title: str, year: int) -> None:
    assert parse_text(f"{title}\n\n一、主要举措和成效\n开展法治宣传。\n").year == year


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_offices_table_in_any_report_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "offices.csv"
    path.write_bytes("文件,单位,级别\nqs.txt,青山街道办事处,\nlt.docx,柳塘县信访局,县\n".encode(encoding))
    entries = read_office_table(path).entries
    assert [(e.file, e.name) for e in entries] == [("qs.txt", "青山街道办事处"), ("lt.docx", "柳塘县信访局")]


@pytest.mark.parametrize(
    ("problem", "plan"),
    [("执法监督不够有力。", "拟深化诉源治理。"), ("普法针对性不强。", "拟推进复议规范化。")],
)
def test_a_section_of_short_sentences_is_not_missing(problem: str, plan: str) -> None:
    texts = [_report(o, "深入开展行政执法案卷评查，规范行政执法行为。", problems=problem, plans=plan)
             for o in ("柳塘县司法局", "杏坪县司法局")]
    result = run_digest([NamedText(path=f"{i}.txt", text=t) for i, t in enumerate(texts)])
    for kind in ("problems", "plans"):
        section = next(s for s in result.sections if s.kind.value == kind)
        assert section.common, kind
