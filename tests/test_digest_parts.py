"""Pieces of the digest, table-driven: clustering, quotations, metric labels, the office table."""

from __future__ import annotations

import pytest

from aidraft.digest.clusters import Item, common_findings
from aidraft.digest.config import digest_genre
from aidraft.digest.metric_names import canonical, metric_label
from aidraft.digest.quotes import clean_quote
from aidraft.figures.extract import extract_figures


def _items(sentences: list[str]) -> list[Item]:
    return [Item(i, f"单位{'甲乙丙丁戊'[i]}", f"单位{'甲乙丙丁戊'[i]}", f"{i}.txt", 3, s) for i, s in enumerate(sentences)]


@pytest.mark.parametrize(
    ("sentences", "word", "offices"),
    [
        (["法治宣传形式较为单一，群众参与度不高。", "普法宣传形式单一，覆盖面不广。", "法治宣传形式比较单一，针对性不强。",
          "执法人员专业能力有待提升。"], "宣传形式", 3),
        (["运用新媒体开展法治宣传工作有待加强，群众参与度有待提高。", "法治宣传工作学习还需进一步加强。",
          "法治宣传工作有待加强，宣传形式单一。", "基层法律服务力量仍显薄弱。"], "法治宣传工作", 3),
        # generic words (有待加强, 不够, 较为) cut out before bigrams: the topic alone ties them together
        (["运用短视频开展法治宣传工作有待加强，群众知晓率不高。", "普法对象覆盖不全，进农村、进企业开展法治宣传教育不够。",
          "法治宣传工作还需进一步深化。", "行政执法人员持证率偏低。"], "法治宣传", 3),
        (["劳动保障监察执法力量相对薄弱。", "普法宣传力度不够，基层群众参与度低。",
          "面向新就业形态劳动者开展普法宣传不够。", "普法宣传还有待加强。"], "普法宣传", 3),
        (["行政许可网上办理比例有待进一步提高。", "执法人员法律素养参差不齐。", "网上办理行政许可的比例还不高。"],
         "行政许可", 2),
    ],
)
def test_a_problem_in_different_wordings_is_one_counted_finding(sentences: list[str], word: str, offices: int) -> None:
    found, _ = common_findings(_items(sentences), 8, cut=True)
    hit = next(p for p in found if word in p.text)
    assert hit.counted and len(hit.labels) == offices
    assert [s.file for s in hit.sources] == [f"{i}.txt" for i in range(len(sentences)) if f"单位{'甲乙丙丁戊'[i]}" in hit.labels]


@pytest.mark.parametrize("sentences", [
    # a shared generic predicate (有待加强, 不够) is no shared finding
    ["执法文书说理有待加强。", "法治宣传有待加强。", "窗口服务质量有待加强。"],
    ["调解员数量不够。", "档案管理规范程度不够。", "执法车辆配备不够。"],
])
def test_a_shared_generic_predicate_is_no_finding(sentences: list[str]) -> None:
    found, _ = common_findings(_items(sentences), 8, cut=True)
    assert found == []


@pytest.mark.parametrize(
    ("sentences", "credited"),
    [
        # one topic (普法宣传, 执法监督), but each office says something else of it: nobody is credited
        # with another's finding, and a finding needs two offices that say it
        (["普法宣传工作有待加强，宣传载体不多。", "普法宣传阵地建设滞后，专项经费保障不到位。",
          "窗口人员依法办事意识不强，普法宣传覆盖面窄。", "执法案卷归档不够及时。"], []),
        (["行政执法监督工作还需加强。", "行政执法监督机制不健全，监督手段单一。", "行政执法监督力量还需加强。",
          "执法人员培训不够系统。"], ["单位甲", "单位丙"]),
        (["法律顾问作用发挥不够，合法性审查流于形式。", "法律顾问参与重大决策的作用发挥还不够充分。",
          "法律顾问队伍专业结构不合理。"], ["单位甲", "单位乙"]),
    ],
)
def test_a_finding_is_credited_only_to_offices_that_say_it(sentences: list[str], credited: list[str]) -> None:
    found, _ = common_findings(_items(sentences), 8, cut=True)
    assert [p.labels for p in found] == ([credited] if credited else [])


def test_a_shared_word_does_not_credit_another_office_with_a_clause() -> None:
    """办理 and 复议 are shared; 无一被复议纠错 is one office's, so nobody else is credited with it."""
    sentences = ["全年办理行政处罚案件96件，无一被复议纠错。", "全年办理行政复议案件158件，按期办结率100%。",
                 "全年抽查市场主体1260户，抽查结果全部公示。"]
    found, _ = common_findings(_items(sentences), 8)
    assert not any("纠错" in p.text and len(p.labels) > 1 for p in found)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("少数干部职工的法治一是还需进一步加强。", "少数干部职工的法治意识还需进一步加强。"),  # a typo of the lexicon
        ("2023以来，共召开专题学习会议3次。", "2023年以来，共召开专题学习会议3次。"),
        ("深入开展宣传宣传活动,引导群众依法反映诉求。", "深入开展宣传活动，引导群众依法反映诉求。"),
        ("加强“信访工作条例学习。", None),  # unbalanced quotes: not certain how to fix, not quoted
        ("依法分类处理信访诉求。", "依法分类处理信访诉求。"),
    ],
)
def test_quotations_are_corrected_or_left_out(quote: str, expected: str | None) -> None:
    assert clean_quote(quote)[0] == expected


@pytest.mark.parametrize(
    ("sentence", "figure", "label", "name"),
    [
        ("以《信访工作条例》为主要内容开展理论学习中心组专题学习3次。", "3次", "以《信访工作条例》为主要内容开展理论学习中心组专题学习", "学法次数"),
        ("发放《信访工作条例》和《辅导读本》3万余册。", "3万余册", "发放《信访工作条例》和《辅导读本》", "发放宣传资料"),
        ("聘请1名律师为法律顾问，参与信访工作调解。", "1名", "聘请律师为法律顾问", "法律顾问"),
        ("信访事项群众满意率97.41%。", "97.41%", "信访事项群众满意率", "群众满意率"),
        ("按照要求组织全局29名干部职工完成学法考法工作。", "29名", "按照要求组织全局干部职工完成学法考法工作", None),
        ("14个县市区共开展各类宣传活动289场。", "14个", "县市区共开展各类宣传活动", None),
    ],
)
def test_metric_labels_are_whole_and_canonical_names_fit(sentence: str, figure: str, label: str,
                                                         name: str | None) -> None:
    fig = next(f for f in extract_figures(sentence) if f.text == figure)
    assert metric_label(fig) == label
    found = canonical(fig)
    assert (found.name if found else None) == name


@pytest.mark.parametrize(
    ("sentence", "figure", "label", "name"),
    [
        # the level a change reaches is of the metric named before the change
        ("信访事项按期办结率较上年提升1.5个百分点，达到96.5%。", "96.5%", "信访事项按期办结率", "按期办结率"),
        ("群众满意率由93.2%上升至95.8%。", "95.8%", "群众满意率", "群众满意率"),
        ("全年受理信访事项同比下降6.1%，降至305件。", "305件", "受理信访事项", "受理量"),
        # ... and the value it starts from, a change however worded, last year's value are no level
        ("群众满意率由93.2%上升至95.8%。", "93.2%", "群众满意率", None),
        ("比上年减少受理信访事项 35件。", "35件", "受理信访事项（比上年减少）", None),
        ("上年同期受理信访事项520件。", "520件", "上年同期受理信访事项", None),
        # a figure's own words start after the figure before it in its clause
        ("全年受理信访事项980件中主任亲自接待42件。", "42件", "主任亲自接待", None),
        ("全年受理信访事项980件中主任亲自接待42件。", "980件", "受理信访事项", "受理量"),
        ("全年受理来信来访612件办结598件。", "598件", "办结", "办结量"),
        # ... but one thing counted in two measures shares its words
        ("市里共交办信访问题9批共计214件。", "214件", "市里共交办信访问题", "交办信访问题"),
        ("全年接待群众来访120批次350人次。", "350人次", "接待群众来访", None),
        # no list ordinal, never a bare unit
        ("2. 全年登记受理群众来信来访460件。", "460件", "登记受理群众来信来访", "受理量"),
        ("一是化解信访积案26件。", "26件", "化解信访积案", "化解信访问题"),
        ("办结信访事项300件，达到97%。", "97%", "", None),
    ],
)
def test_each_figure_is_named_by_its_own_words(sentence: str, figure: str, label: str, name: str | None) -> None:
    figures = extract_figures(sentence)
    at = next(i for i, f in enumerate(figures) if f.text == figure)
    around = (figures[at - 1] if at else None, figures[at + 1] if at + 1 < len(figures) else None)
    assert metric_label(figures[at], *around) == label
    found = canonical(figures[at], *around)
    assert (found.name if found else None) == name


def test_every_canonical_metric_has_a_kind_and_cues() -> None:
    names = [m.name for m in digest_genre().metrics]
    assert len(names) == len(set(names)) and all(m.cues for m in digest_genre().metrics)


def test_digest_eval_metrics_catch_file_names_copied_mistakes_and_wrong_sources() -> None:
    from pathlib import Path

    from aidraft.digest.model import SentenceSources, Source
    from aidraft.evals.cases import load_cases
    from aidraft.evals.digest_case import digest_metrics, digest_reports
    from aidraft.parse.structure import parse_text
    from aidraft.settings import Settings

    suite = Path(__file__).resolve().parents[1] / "evals" / "cases"
    case = load_cases(suite, ["digest-2024-four-bureaus"])[0]
    good = digest_reports(case.reports, Settings.from_cli(backend="offline"), case.id)
    metrics, _ = digest_metrics(good, case)
    assert metrics == {"attribution_accuracy": 1.0, "clustering_recall": 1.0, "file_names": 0.0,
                       "copied_lint_findings": 0.0}
    bad_text = good.document.text + "\n另据x7f3a.txt，少数干部职工的法治一是还需进一步加强。\n"
    good.document = parse_text(bad_text, "digest")
    good.attribution.append(SentenceSources(line=1, text="推行“证照分离”改革",
                                            sources=[Source(office="青岭市司法局", file="reports/sifa.txt", line=1)]))
    good.common = []
    metrics, details = digest_metrics(good, case)
    assert metrics["file_names"] >= 1 and metrics["copied_lint_findings"] >= 1
    assert metrics["attribution_accuracy"] < 1 and metrics["clustering_recall"] == 0
    assert "lint findings copied from a report" in details


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("县信访办主要负责人严格履行推进法治建设第一责任人职责，分管领导具体抓。", "duty"),
        ("深入开展《信访工作条例》学习宣传活动，营造良好法治氛围。", "measures"),
    ],
)
def test_a_duty_sentence_under_measures_counts_as_duty(sentence: str, kind: str) -> None:
    from aidraft.digest.sentences import section_sentences
    from aidraft.parse.structure import parse_text

    text = f"甲县信访局关于2024年度法治政府建设情况的报告\n一、2024年主要举措和成效\n{sentence}\n二、存在的不足和原因\n基层力量薄弱，专业人才缺乏。\n"
    found = [(k.value, line) for k, s, line in section_sentences(parse_text(text, "a.txt"), 12, 160) if s == sentence]
    assert found == [(kind, 3)]
