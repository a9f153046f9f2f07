"""The 成文日期 line, one grammar for the parser, the .docx layout and the evals."""

from __future__ import annotations

import pytest

from aidraft.parse.dates import is_date_line, is_unknown_date, is_written_date, year_spans, years_in

WRITTEN, UNKNOWN, PARTLY, NOT_A_DATE = "written", "unknown", "partly", "not a date"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("2025年12月31日", WRITTEN),
        ("  2025年1月5日  ", WRITTEN),
        ("2025 年 12 月 31 日", WRITTEN),
        ("２０２５年１２月３１日", WRITTEN),
        ("二〇二五年十二月三十一日", WRITTEN),
        ("二○二五年一月八日", WRITTEN),
        ("二O二四年三月十五日", WRITTEN),
        ("2026年　月　日", UNKNOWN),
        ("　　年　月　日", UNKNOWN),
        ("年月日", UNKNOWN),
        ("XXXX年X月X日", UNKNOWN),
        ("2025年ＸＸ月××日", UNKNOWN),
        ("【待补充：成文日期】", UNKNOWN),  # the placeholder our own drafts write
        ("【待补充：工作情况】", NOT_A_DATE),
        ("XXXX年12月31日", PARTLY),
        ("2025年12月X日", PARTLY),
        ("2025年1月至12月31日", NOT_A_DATE),
        ("2025年12月", NOT_A_DATE),
        ("全年受理信访事项120件，截至2025年12月31日", NOT_A_DATE),
        ("2025年12月31日前完成整改", NOT_A_DATE),
        ("2025年度", NOT_A_DATE),
        ("望川区信访局", NOT_A_DATE),
        ("", NOT_A_DATE),
    ],
)
def test_date_lines(line: str, kind: str) -> None:
    assert (is_date_line(line), is_written_date(line), is_unknown_date(line)) == {
        WRITTEN: (True, True, False),
        UNKNOWN: (True, False, True),
        PARTLY: (True, False, False),
        NOT_A_DATE: (False, False, False),
    }[kind]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2025年工作总结", [2025]),
        ("2025 年度法治政府建设情况", [2025]),
        ("法治政府建设情况报告（2025）", [2025]),
        ("计划于2026年底前完成，较2024年增长", [2026, 2024]),
        ("落实《2024—2026年信访工作规划》，2025年完成", [2025]),
        ("目标年份：2026", [2026]),
        ("编号20251234号", []),
        ("12025年", []),
        ("2025件", []),
        ("", []),
    ],
)
def test_years_named_outside_document_titles(text: str, years: list[int]) -> None:
    assert years_in(text) == years
    assert [text[start:end] for _, start, end in year_spans(text)] == [str(y) for y in years]
