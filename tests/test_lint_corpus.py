"""The lint on the five real reports: it finds the real mistakes in each, and little else.

Every pinned finding below was checked by hand against the report. The bound per report is the
pinned count plus a small margin, so a rule that starts firing on sound text fails here.
"""

from __future__ import annotations

import pytest

from aidraft.lint.run import lint_text

pytestmark = pytest.mark.corpus

# report → (rule, substring of the excerpt) for each real mistake
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "000_0f938de522a6f5d2.txt": [
        ("numbering-mixed", "1、 工作开展情况"),  # 1、 among 二、三、
        ("numbering-mixed", "（1） 突出政治引领"),  # （1） among （二）…（五）
        ("year-no-nian", "2023以来，共召开"),
        ("year-no-nian", "2023以来，召开专题会议"),
        ("halfwidth-punct", "（2020-2025年）"),  # 2021-2025 for 2021—2025
        ("year-no-nian", "纲要（2020-2025）"),
        ("duplicate-sentence", "严格按照“谁主管、谁负责”"),
        ("typo", "法治一是"),
        ("short-title", "确保《条例》真正落地见效"),
        ("plan-year", "三、2023年工作思路"),
    ],
    "001_f21456d2d057dde4.txt": [
        ("term-variant", "在区委区政府的坚强领导下"),  # later 区委、区政府
        ("numbering-mixed", "（3） 依法履职尽责"),
        ("numbering-mixed", "（4） 深入普法宣传"),
        ("term-variant", "理论中心组学习制度"),  # elsewhere 理论学习中心组
        ("term-variant", "首办首接"),  # earlier 首接首办
        ("unbalanced", "以“路线图”和导引图”"),
    ],
    "002_901e6d39b234ebe8.txt": [
        ("punct-quote-dun", "“两会”、“一带一路”"),
        ("duplicate-clause", "对违法信访行为依法严肃处理；"),
        ("duplicate-clause", "促进了信访问题及时化解，规范了工作行为。"),
    ],
    "003_1c888de947cc3a80.txt": [
        ("term-variant", "信访工作法制化"),
        ("halfwidth-punct", "(党组)"),
        ("typo-stutter", "宣传深入宣传"),
        ("approx-nonround", "32余幅"),
        ("punct-quote-dun", "“红线”、“底线”"),
        ("short-title", "将宣讲《条例》"),
        ("typo", "学校贯彻"),
        ("term-variant", "法制宣传教育"),
        ("term-variant", "法制宣传日"),
        ("term-variant", "全面落实信访法制化"),
    ],
    "004_49db64aaa99ccdd3.txt": [
        ("halfwidth-punct", "2023年,在市委"),
        ("halfwidth-punct", "1.提高政治站位,"),
        ("numbering-skip", "1.提高政治站位"),  # 一、 then 1. without （一）
        ("typo", "议事议程"),
        ("typo", "法治政治建设"),
        ("halfwidth-punct", "2.狠抓重点工作,"),
        ("title-variant", "《永州市市直国家机关2023年度普法责任清单》"),
        ("halfwidth-punct", "3.注重综合施策,"),
        ("halfwidth-punct", "习近平法治思想方面,"),
        ("halfwidth-punct", "理念树得不够牢,"),
        ("halfwidth-punct", "活动形式不够丰富,"),
        ("halfwidth-punct", "社会主义思想为指导,"),
        ("halfwidth-punct", "建设为抓手,"),
        ("halfwidth-punct", "“枫桥经验”,"),
    ],
}
MARGIN = 3


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_mistakes_found(corpus_texts: dict[str, str], name: str) -> None:
    report = lint_text(corpus_texts[name], path=name)
    got = [(f.rule, f.excerpt) for f in report.findings]
    for rule, shown in EXPECTED[name]:
        assert any(r == rule and shown in e for r, e in got), f"{name}: missing {rule} {shown!r}\n{got}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_few_false_findings(corpus_texts: dict[str, str], name: str) -> None:
    findings = lint_text(corpus_texts[name], path=name).findings
    assert 1 <= len(findings) <= len(EXPECTED[name]) + MARGIN, [(f.rule, f.excerpt) for f in findings]


def test_every_report_is_flagged(corpus_texts: dict[str, str]) -> None:
    assert set(EXPECTED) <= set(corpus_texts)
    for name, text in corpus_texts.items():
        assert lint_text(text, path=name).flagged, name
