"""Lint rules on short invented texts: each rule must fire on its mistake and stay quiet on the
look-alikes that are correct (parallel phrases, 12.4, 1. headings, 40余场, slogans)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from aidraft.cli.app import main
from aidraft.lint import terms, typos
from aidraft.lint.model import LintFinding
from aidraft.lint.base import registered
from aidraft.lint.punctuation import halfwidth_marks
from aidraft.lint.run import RULE_IDS, RULES, lint_text
from aidraft.text import CJK, is_cjk

HEAD = "某县信访局关于2023年度法治政府建设情况的报告\n\n2023年，某县信访局认真履行职责。现将有关情况报告如下：\n"


def findings(text: str, rule: str) -> list[LintFinding]:
    return [f for f in lint_text(text).findings if f.rule == rule]


# (rule, text, excerpt substring the finding must show)
POSITIVE: list[tuple[str, str, str]] = [
    ("numbering-mixed",
     HEAD + "一、主要举措\n（一）抓学习。组织学习5次。\n（二）抓责任。层层压实。\n（3）抓普法。开展活动。\n二、存在问题\n宣传不够。",
     "（3）"),
    ("numbering-mixed",
     HEAD + "1、主要举措\n（一）抓学习。组织学习5次。\n二、存在问题\n宣传不够。\n三、2024年工作打算\n加强学习。",
     "1、"),
    ("numbering-sequence",
     HEAD + "一、主要举措\n（一）抓学习。组织学习5次。\n（三）抓普法。开展活动。\n二、存在问题\n宣传不够。",
     "（三）"),
    ("numbering-sequence",
     HEAD + "一、主要举措\n（一）抓学习。组织学习5次。\n（一）抓普法。开展活动。\n二、存在问题\n宣传不够。",
     "（一）抓普法"),
    ("numbering-format",
     HEAD + "一、主要举措\n（一）、抓学习。组织学习5次。\n（二）、抓普法。开展活动。\n二、存在问题\n宣传不够。",
     "（一）、"),
    ("numbering-skip",
     HEAD + "一、主要举措\n1.抓学习。组织学习5次。\n2.抓普法。开展活动。\n二、存在问题\n宣传不够。",
     "1.抓学习"),
    ("duplicate-sentence",
     HEAD + "一、主要举措\n全年组织干部集中学习法律法规六次。另开展专题培训。\n"
     "二、存在问题\n全年组织干部集中学习法律法规六次。",
     "全年组织干部集中学习法律法规六次"),
    ("duplicate-clause",
     HEAD + "一、主要举措\n完善接访制度，全面提升了来访群众的满意程度，规范了窗口秩序，全面提升了来访群众的满意程度。",
     "全面提升了来访群众的满意程度"),
    ("plan-year",
     HEAD + "一、2023年主要举措\n组织学习5次。\n二、2023年工作打算\n继续加强学习。",
     "二、2023年工作打算"),
    ("heading-year",
     HEAD + "一、2022年主要举措\n组织学习5次。\n二、2024年工作打算\n继续加强学习。",
     "2022年主要举措"),
    ("year-no-nian", HEAD + "一、主要举措\n2023以来，共组织学习5次。", "2023以来"),
    ("year-no-nian", HEAD + "一、主要举措\n学习了《某省普法规划（2021-2025）》。", "2021-2025"),
    ("unbalanced", HEAD + "一、主要举措\n以“样板间”和示范点”为标准推进工作。", "示范点”"),
    ("unbalanced", HEAD + "一、主要举措\n建立了《接访工作规范（试行》，运行良好。", "（试行"),
    ("halfwidth-punct", HEAD + "一、主要举措\n全年组织学习5次,开展培训2次。", "5次,开展"),
    ("halfwidth-punct", HEAD + "一、主要举措\n落实《某县党委(党组)学习规则》。", "(党组)"),
    ("halfwidth-punct", HEAD + "一、主要举措\n落实《某市规划（2021-2025年）》。", "2021-2025"),
    ("punct-doubled", HEAD + "一、主要举措\n全年组织学习5次，，开展培训2次。", "，，"),
    ("punct-quote-dun", HEAD + "一、主要举措\n推行“一站式”、“一条龙”服务。", "”、“"),
    ("typo", HEAD + "二、存在问题\n个别干部的法律一是不强。", "法律一是"),
    ("typo", HEAD + "一、主要举措\n把普法工作摆上重要议事议程。", "议事议程"),
    ("typo", HEAD + "一、主要举措\n截止目前，已办结信访事项20件。", "截止目前"),
    ("typo-stutter", HEAD + "一、主要举措\n组织干部学习认真学习《宪法》。", "学习认真学习"),
    ("term-variant", HEAD + "一、主要举措\n落实首接首办责任。\n二、2024年工作打算\n深化首办首接机制。", "首办首接"),
    ("term-variant", HEAD + "一、主要举措\n推进信访工作法制化建设。", "法制化"),
    ("title-variant",
     HEAD + "一、主要举措\n印发《某县机关干部学法用法考核办法》，又修订《某县县机关干部学法用法考核办法》。",
     "某县县机关"),
    ("short-title", HEAD + "一、主要举措\n学习《信访工作条例》。\n二、2024年工作打算\n推动《条例》落地。", "《条例》落地"),
    ("approx-nonround", HEAD + "一、主要举措\n发放宣传资料32余份。", "32余"),
    ("approx-nonround", HEAD + "一、主要举措\n开展宣讲三十二余次。", "三十二余"),
    ("register-first-person", HEAD + "一、主要举措\n今年我们组织学法4次。", "我们"),
    ("register-colloquial", HEAD + "一、主要举措\n老百姓反映问题及时办理。", "老百姓"),
    ("register-mark", HEAD + "一、主要举措\n被评为先进单位！", "！"),
]

# (rule, text) that must not produce the rule
NEGATIVE: list[tuple[str, str]] = [
    ("numbering-mixed",
     HEAD + "一、主要举措\n（一）抓学习。\n1.集中学。内容。\n（1）专题学。内容。\n（2）个人学。内容。\n"
     "2.个人学。内容。\n（二）抓普法。内容。\n二、存在问题\n宣传不够。"),
    ("numbering-sequence",
     HEAD + "一、主要举措\n（一）抓学习。\n1.集中学。内容。\n2.个人学。内容。\n（二）抓普法。\n"
     "1.进社区。内容。\n二、存在问题\n（一）宣传不够。"),
    ("numbering-skip", HEAD + "一、主要举措\n（一）抓学习。\n1.集中学。内容。\n二、存在问题\n宣传不够。"),
    ("duplicate-sentence", HEAD + "一、主要举措\n成效明显。\n二、存在问题\n成效明显。"),
    # a long office name heads the report and signs it: title and signature lines are no sentences
    ("duplicate-sentence",
     ("青峰县人力资源和社会保障局\n关于2025年度法治政府建设情况的报告\n\n2025年，我局认真履行职责。现将有关情况报告如下：\n"
      "一、主要举措和成效\n全年办理劳动人事争议案件126件。\n\n青峰县人力资源和社会保障局\n2026年2月3日\n")),
    ("duplicate-sentence",
     ("云岭市城市管理综合行政执法局\n关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n规范执法程序。\n"
      "二、存在的不足\n执法力量不足。\n云岭市城市管理综合行政执法局\n2026年1月20日")),
    ("duplicate-clause", HEAD + "一、主要举措\n与业务工作同安排、同部署、同检查、同落实，做到同安排。"),
    ("duplicate-clause",
     HEAD + "一、主要举措\n坚持“小事不出村、大事不出镇”的工作方向。\n二、2024年工作打算\n坚持“小事不出村、大事不出镇”的工作方向。"),
    ("plan-year", HEAD + "一、2023年主要举措\n组织学习5次。\n二、2024年工作打算\n继续加强学习。"),
    ("heading-year", HEAD + "一、2023年主要举措\n组织学习5次。\n二、2024年工作打算\n继续加强学习。"),
    ("year-no-nian", HEAD + "一、主要举措\n2023年以来，学习《某省规划（2021—2025年）》。"),
    ("heading-year",
     HEAD + "一、2021年以来主要成效\n内容。\n二、2021—2023年工作回顾\n内容。\n三、2024年工作打算\n内容。"),
    ("unbalanced", HEAD + "一、主要举措\n学习《某县办法（试行）》和“三到位一处理”要求。"),
    ("unbalanced", HEAD + "一、主要举措\n工作分三步：1）摸排；2）化解；a)回访。"),
    ("halfwidth-punct", HEAD + "一、主要举措\n1.抓学习。利用12.4宪法日开展宣传，上升1.5个百分点。"),
    ("halfwidth-punct", HEAD + "一、主要举措\n依照GB/T 9704-2012排版，版本v1.2，时间10:30。"),
    ("punct-doubled", HEAD + "一、主要举措\n开展“进社区”活动……效果良好。"),
    ("punct-quote-dun", HEAD + "一、主要举措\n推行“一站式”“一条龙”服务。"),
    ("typo", HEAD + "一、主要举措\n督促各学校贯彻落实法治教育要求，增强法律意识。一是学习。"),
    ("typo-stutter", HEAD + "一、主要举措\n一件一件抓落实，一案一案抓化解。"),
    ("term-variant", HEAD + "一、主要举措\n落实首接首办责任。\n二、2024年工作打算\n深化首接首办机制。"),
    ("title-variant", HEAD + "一、主要举措\n印发《2023年度普法工作要点清单》和《2024年度普法工作要点清单》。"),
    ("short-title", HEAD + "一、主要举措\n学习《信访工作条例》（以下简称《条例》）。\n二、2024年工作打算\n推动《条例》落地。"),
    ("approx-nonround", HEAD + "一、主要举措\n开展宣讲40余场，发放3万余册、十余次、1.5万余人次，超32人参加。"),
]


@pytest.mark.parametrize(("rule", "text", "shown"), POSITIVE)
def test_rule_fires(rule: str, text: str, shown: str) -> None:
    hits = findings(text, rule)
    assert hits, f"{rule} did not fire"
    assert any(shown in f.excerpt for f in hits), [f.excerpt for f in hits]
    for hit in hits:
        assert hit.message and len(hit.excerpt) <= 40
        assert text.count("\n", 0, hit.start) + 1 == hit.line
        assert 0 <= hit.start <= hit.end <= len(text)


@pytest.mark.parametrize(("rule", "text"), NEGATIVE)
def test_rule_stays_quiet(rule: str, text: str) -> None:
    assert findings(text, rule) == []


def test_rule_ids_are_known() -> None:
    for rule, text, _ in POSITIVE:
        assert rule in RULE_IDS
        assert all(f.rule in RULE_IDS for f in lint_text(text).findings)


def test_every_registered_rule_runs_and_every_id_has_a_positive_case() -> None:
    """A rule registered in a module that lint/run.py does not list would silently never run."""
    assert {r.check for r in registered()} == set(RULES)
    assert set(RULE_IDS) == {rule for rule, _, _ in POSITIVE}


CLEAN_REPORT = "\n".join([
    "某某县信访局",
    "关于2024年度法治政府建设情况的报告",
    "",
    "2024年，在县委、县政府的坚强领导下，县信访局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面贯彻实施《信访工作条例》，扎实推进信访工作法治化。现将有关情况报告如下：",
    "一、2024年推进法治政府建设的主要举措和成效",
    "（一）强化理论武装，筑牢思想根基。坚持“第一议题”制度，把习近平法治思想纳入局党组理论学习中心组学习重要内容，全年开展专题学习6次、集中研讨2次。组织干部职工参加年度学法考法，参考率100%，通过率100%。",
    "（二）压实工作责任，健全制度机制。将法治政府建设与信访业务工作同安排、同部署、同检查、同落实。主要负责人履行推进法治建设第一责任人职责，对重要工作亲自部署、重大问题亲自过问。一是健全首接首办机制；二是完善律师参与接访制度，聘请法律顾问1名；三是落实“三到位一处理”要求。",
    "（三）深化普法宣传，营造法治氛围。认真落实“谁执法谁普法”普法责任制，利用“12·4”国家宪法日、《信访工作条例》实施两周年等节点，开展宣传活动40余场次，发放宣传资料1.2万余份，受众1.5万人次。",
    "1.线上宣传。通过微信公众号推送普法信息86条。",
    "2.线下宣传。组织“进社区、进乡村、进企业”宣讲活动，覆盖群众3000余人。",
    "（四）依法化解矛盾，维护信访秩序。全年受理信访事项1326件，及时受理率100%，按期办结率99.85%，群众满意率较上年上升2.3个百分点。对中央交办的21件信访积案逐案落实包案领导，已化解19件，化解率90.48%。",
    "二、存在的不足和原因",
    "（一）普法形式还不够丰富。运用新媒体开展宣传的能力有待提升。",
    "（二）基层基础还不够扎实。部分乡镇（街道）信访干部法律素养有待提高。",
    "三、2025年工作打算",
    "（一）持续深化理论学习。深入学习贯彻习近平法治思想，推动学习往深里走、往实里走。",
    "（二）全面推进“五个法治化”。围绕预防、受理、办理、监督追责、维护秩序，落实《法治政府建设实施纲要（2021—2025年）》要求。",
    "（三）持续抓好普法宣传。坚持“谁执法谁普法”，做到普法与执法同步推进。",
    "",
    "某某县信访局",
    "2025年3月20日",
]) + "\n"


def test_clean_report_has_no_findings() -> None:
    """A well-kept report full of look-alikes (12·4, 1.5万人次, 同安排、同部署, 一是…三是, 1. under （三）)."""
    assert lint_text(CLEAN_REPORT).findings == []


def test_findings_sorted_and_deduplicated() -> None:
    text = HEAD + "一、主要举措\n个别干部的法律一是不强,宣传不够,资料32余份。\n二、2023年工作打算\n加强学习。"
    report = lint_text(text)
    starts = [f.start for f in report.findings]
    assert starts == sorted(starts)
    assert len({(f.start, f.end) for f in report.findings}) == len(report.findings)


def test_repeated_sentence_reported_once_not_as_clauses() -> None:
    text = HEAD + "一、主要举措\n严格落实风险评估制度，做到应评尽评、从源头防范风险。严格落实风险评估制度，做到应评尽评、从源头防范风险。"
    rules = [f.rule for f in lint_text(text).findings]
    assert rules == ["duplicate-sentence"]


@pytest.mark.parametrize(("body", "code"), [("一、2023年主要举措\n组织学习5次。\n", 0), ("一、主要举措\n2023以来组织学习5次。\n", 1)])
def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, code: int) -> None:
    path = tmp_path / "report.txt"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["lint", str(path), "--json"])
    assert exc.value.code == code
    out = capsys.readouterr().out
    assert ('"findings": []' in out) == (code == 0)


def test_cli_bad_input(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["lint", str(tmp_path / "missing.txt")])
    assert exc.value.code == 2


def test_cli_readable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDRAFT_LANG", "zh")  # the frame follows the CLI's language; findings are Chinese
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "一、主要举措\n把普法工作摆上重要议事议程。\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["lint", str(path)])
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "第5行" in out and "typo" in out and "议事日程" in out


def test_genre_data_validates() -> None:
    assert typos.lexicon().typos and terms.lexicon().groups
    with pytest.raises(ValidationError):
        terms.TermGroup(variants=["首接首办", "首办首接"], preferred="首问负责")
    with pytest.raises(ValidationError):
        terms.TermGroup(variants=["法治化", "法制化"], always_flag=True)


@pytest.mark.parametrize("entry", typos.lexicon().typos, ids=lambda e: e.wrong)
def test_every_typo_fix_is_clean(entry: typos.TypoEntry) -> None:
    """Each lexicon entry fires on its wrong form, and its fix passes the whole lint."""
    wrong = HEAD + f"一、主要举措\n全体干部{entry.wrong}，工作良好。\n"
    hits = findings(wrong, "typo")
    assert [h.suggestion for h in hits] == [entry.right]
    fixed = wrong.replace(entry.wrong, entry.right)
    assert [f for f in lint_text(fixed).findings if f.rule in ("typo", "term-variant")] == []


# The definition halfwidth_marks replaced: lookarounds on CJK's class
_MARK_DEFINITION = re.compile(
    f"(?<=[{CJK}）”》])[,;:?!]|[,;:?!](?=[{CJK}“《（])"
    f"|(?<=[{CJK}])\\.(?=[{CJK}“《（]|\\s*$)"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=",;:?!.中㐀豈a1 \n）”》“《（", max_size=30))
def test_halfwidth_marks_are_the_lookaround_definition(text: str) -> None:
    found = [(s, e) for s, e, mark, _ in halfwidth_marks(text) if mark in ",;:?!."]
    assert found == [m.span() for m in _MARK_DEFINITION.finditer(text)]


def test_is_cjk_is_the_class() -> None:
    cjk = re.compile(f"[{CJK}]")
    assert all(is_cjk(chr(c)) == bool(cjk.fullmatch(chr(c))) for c in range(0x10000))
    assert not is_cjk("")
