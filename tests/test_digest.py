"""The digest job, offline: ledger, totals and rates, inputs and skips, outputs, CLI, corpus."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.check.model import FigureStatus
from aidraft.check.run import check_text
from aidraft.ingest.read import NamedText
from aidraft.cli.app import app
from aidraft.digest.config import digest_genre
from aidraft.digest.group import SentenceGrouper
from aidraft.digest.inputs import collect
from aidraft.digest.offices import Labeller
from aidraft.parse.office import short_name
from aidraft.digest.output import output_paths, write_outputs
from aidraft.digest.phrasing import fmt_number
from aidraft.digest.pipeline import digest_paths, run_digest
from aidraft.digest.sentences import clean_sentence, strip_figures
from aidraft.text import quotable_sentences
from aidraft.export.markdown import render_markdown
from aidraft.figures.extract import extract_figures
from aidraft.figures.zero import zero_claims
from aidraft.ingest.read import read_text
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import catalogue, classify_title
from support import LABELS, REPORTS, attributed, check_flags



@pytest.fixture()
def report_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def named() -> list[NamedText]:
    return [NamedText(path=name, text=text) for name, text in REPORTS.items()]


# --- ledger --------------------------------------------------------------------------------------


def test_ledger_rows_cover_every_figure(tmp_path: Path, named: list[NamedText]) -> None:
    ledger = tmp_path / "figures.csv"
    result = run_digest(named, ledger=ledger)
    assert ledger.read_bytes()[:3] == b"\xef\xbb\xbf"  # UTF-8 with BOM: Excel reads Chinese right
    rows = list(csv.DictReader(ledger.open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["单位", "级别", "年度", "部分", "指标", "规范指标", "数值", "下限", "上限", "计量单位",
                             "原文", "文件", "行"]
    for source in named:
        mine = [int(r["行"]) for r in rows if r["文件"] == source.path]
        assert mine == [f.line for f in extract_figures(source.text)]
    assert result.run.ledger_rows == len(rows) == sum(r.figures for r in result.reports)


@pytest.mark.parametrize(
    ("file", "line", "unit", "expected"),
    [
        ("qingxi.txt", "8", "册", {"单位": "青溪县信访局", "级别": "县", "年度": "2023", "部分": "主要举措和成效",
                                   "指标": "发放宣传资料", "数值": "", "下限": "30000", "上限": "40000"}),
        ("heyang.txt", "10", "%", {"单位": "河阳区信访办公室", "级别": "区", "数值": "90", "规范指标": "积案化解率"}),
        ("yunshan.txt", "8", "场", {"单位": "云山市信访局", "级别": "市", "数值": "5", "下限": "5", "上限": "5"}),
    ],
)
def test_ledger_row_fields(tmp_path: Path, named: list[NamedText], file: str, line: str, unit: str,
                           expected: dict[str, str]) -> None:
    ledger = tmp_path / "figures.csv"
    run_digest(named, ledger=ledger)
    rows = [r for r in csv.DictReader(ledger.open(encoding="utf-8-sig"))
            if r["文件"] == file and r["行"] == line and r["计量单位"] == unit]
    assert rows
    assert {k: rows[0][k] for k in expected} == expected
    assert rows[0]["原文"] in next(n.text for n in named if n.path == file)  # the figure as written


def test_ledger_xlsx(tmp_path: Path, named: list[NamedText]) -> None:
    from openpyxl import load_workbook

    ledger = tmp_path / "figures.xlsx"
    result = run_digest(named, ledger=ledger)
    sheet = load_workbook(ledger)["数字台账"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[0] == "单位" and len(body) == result.run.ledger_rows
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:M{len(body) + 1}"
    assert sheet.column_dimensions["E"].width >= 40  # 指标: the whole clause, never clipped
    values = [r[header.index("数值")] for r in body]
    assert all(v is None or isinstance(v, int | float) for v in values)  # numbers as numbers
    row = dict(zip(header, next(r for r in body if r[header.index("下限")] == 30000), strict=True))
    assert row["上限"] == 40000 and row["数值"] is None


@pytest.mark.parametrize("name", ["=SUM(A1:A9).txt", "+86热线.txt", "@通报.txt", "-附件.txt"])
def test_formula_like_text_is_text_in_both_ledgers(tmp_path: Path, named: list[NamedText], name: str) -> None:
    """In .xlsx the cell is a string styled quotePrefix (Excel shows it as written and never runs
    it); CSV has no styles, so there the text keeps a leading '."""
    from openpyxl import load_workbook

    reports = [NamedText(path=name, text=named[0].text), *named[1:]]
    run_digest(reports, ledger=tmp_path / "f.xlsx")
    run_digest(reports, ledger=tmp_path / "f.csv")
    sheet = load_workbook(tmp_path / "f.xlsx")["数字台账"]
    column = [c.value for c in sheet[1]].index("文件")
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value == name]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    rows = list(csv.DictReader((tmp_path / "f.csv").open(encoding="utf-8-sig")))
    assert {r["文件"] for r in rows} >= {"'" + name}


# --- aggregates ----------------------------------------------------------------------------------


def test_totals_and_interval_sum(named: list[NamedText]) -> None:
    result = run_digest(named)
    totals = {t.metric: t for t in result.totals}
    assert totals["开展宣讲"].text == "合计开展宣讲25场"
    assert [m.label for m in totals["开展宣讲"].members] == LABELS
    paper = totals["发放宣传资料"]
    assert paper.text == "合计发放宣传资料3.2万册以上"  # 3万余册 + 2000余册 is no 32000册
    assert (paper.value.low, paper.value.high, paper.value.low_open, paper.value.high_open) == (32000, 43000, True, True)
    assert totals["聘请律师担任法律顾问"].text == "合计聘请5名律师担任法律顾问"
    assert "化解率" not in totals and "群众满意率" not in totals  # rates are never summed


def test_rate_recomputed_where_every_office_gives_both_counts(named: list[NamedText]) -> None:
    rates = {r.metric: r for r in run_digest(named).rates}
    resolved = rates["化解率"]
    assert resolved.mode == "recomputed"
    assert resolved.text == "合计交办信访积案60件、合计化解48件，总体化解率80%"  # (30 + 18) / (40 + 20)
    assert resolved.counts == ["交办信访积案", "化解"]


def test_rate_range_otherwise(named: list[NamedText]) -> None:
    rates = {r.metric: r for r in run_digest(named).rates}
    satisfied = rates["群众满意率"]
    assert satisfied.mode == "range"
    assert (satisfied.lowest, satisfied.highest) == ("河阳区", "云山市")
    assert satisfied.text == "群众满意率最低为97%（河阳区）、最高为99.2%（云山市）"
    # one office gives the rate without its counts: no recomputation, a range
    partial = [n if n.path != "heyang.txt" else NamedText(path=n.path, text=n.text.replace(
        "全年交办信访积案20件，化解18件，化解率90%", "全年交办信访积案20件，化解率90%")) for n in named]
    assert {r.metric: r for r in run_digest(partial).rates}["化解率"].mode == "range"


@pytest.mark.parametrize(
    ("value", "text"),
    [("25", "25"), ("32000", "3.2万"), ("570000", "57万"), ("12345", "12345"), ("222000000", "2.22亿"),
     ("73.4", "73.4"), ("100", "100")],
)
def test_fmt_number(value: str, text: str) -> None:
    assert fmt_number(Decimal(value)) == text
    assert extract_figures(f"合计{text}件")[0].value.low == Decimal(value)


# --- the digest ----------------------------------------------------------------------------------


def test_digest_is_check_clean_and_attributes_everyone(named: list[NamedText]) -> None:
    result = run_digest(named)
    assert result.dropped == []
    assert result.check.summary.flagged == 0
    assert check_flags(result.checked_text, named) == []
    assert set(LABELS) <= attributed(result.text)
    kinds = [s.kind for s in result.document.sections]
    assert kinds == [SectionKind.measures, SectionKind.duty, SectionKind.problems, SectionKind.plans]
    measures = result.sections[0]
    assert any({"青溪县", "河阳区"} <= set(p.labels) and "法律顾问" in p.text for p in measures.common)
    assert all(not extract_figures(p.text) for s in result.sections for p in s.common)
    assert any(p.labels == ["青溪县"] and "信访代办" in p.text for p in measures.notable)


def test_digest_is_deterministic(named: list[NamedText]) -> None:
    assert run_digest(named).text == run_digest(list(named)).text


def test_overall_rate_of_a_long_metric_is_recomputed_and_accepted() -> None:
    """The overall rate recomputes from derived totals, so the checker accepts it over the
    reports' own, different rates of the same metric."""
    a = NamedText(path="a.txt", text="青溪县信访局关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n"
                                     "全年办理信访事项40件，群众满意38件，信访事项群众满意率95%。\n")
    b = NamedText(path="b.txt", text="河阳区信访局关于2023年度法治政府建设情况的报告\n一、主要举措和成效\n"
                                     "全年办理信访事项20件，群众满意16件，信访事项群众满意率80%。\n")
    result = run_digest([a, b])
    assert check_flags(result.checked_text, [a, b]) == []
    assert {r.metric: r.mode for r in result.rates}["信访事项群众满意率"] == "recomputed"


def test_genre_titles_classify_as_their_kind() -> None:
    genre = digest_genre()
    for kind in catalogue().standard:
        title = catalogue().title(kind)
        assert classify_title(title.format(year=2023, next_year=2024)) is kind
    phrases = [genre.opening, *genre.common_leads.values(), *genre.notable_leads.values(), genre.figures_lead,
               genre.missing, genre.title]
    assert not any(extract_figures(p.format(year=2023, next_year=2024, offices="青溪县", count="{count}", mixed="")) for p in phrases)


# --- pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("office", "short"),
    [("重庆市沙坪坝区信访办公室", "沙坪坝区"), ("河南省商丘市民权县信访局", "民权县"), ("永州市信访局", "永州市"),
     ("区信访办", None), ("市信访局", None), (None, None), ("青溪县人民政府信访局", "青溪县")],
)
def test_short_name(office: str | None, short: str | None) -> None:
    assert short_name(office) == short


def test_labels_are_unique_and_fall_back() -> None:
    labeller = Labeller()
    assert labeller.label("a.txt", "民权县信访局", "") == "民权县"
    assert labeller.label("b.txt", "民权县信访局", "") == "民权县二"
    assert labeller.label("004.txt", "市信访局", "在永州市信访局网站公布。永州市各地") == "永州市"
    assert labeller.label("reports/000_abc.txt", None, "我县") == "（单位名称待补充）"  # never a file name


@pytest.mark.parametrize(
    ("sentence", "stripped"),
    [
        ("聘请1名律师为法律顾问，参与信访工作调解。", "聘请律师为法律顾问，参与信访工作调解。"),
        ("深入开展宣传月活动，开展宣讲12场，发放宣传资料3万余册，群众满意率98.5%。", "深入开展宣传月活动，开展宣讲，发放宣传资料。"),
        ("全年办理信访事项40件，群众满意38件，满意率95%。", None),
        ("2023以来，共召开专题学习会议3次。", None),
    ],
)
def test_strip_figures(sentence: str, stripped: str | None) -> None:
    assert strip_figures(sentence, 12) == stripped


def test_sentences_split_outside_quotes_and_lose_ordinals() -> None:
    text = "一是树立“有理也不能取闹。闹访违法”的导向。二是加强宣传;引导群众"
    assert [clean_sentence(s) for s in quotable_sentences(text)] == [
        "树立“有理也不能取闹。闹访违法”的导向。", "加强宣传。", "引导群众。"]


def test_grouper_is_linear_and_groups_across_offices() -> None:
    grouper = SentenceGrouper(0.3, posting_cap=8, candidates=4)
    grouper.add(0, "甲", "坚持把学习贯彻习近平法治思想作为首要政治任务。")
    grouper.add(1, "乙", "坚持把学习贯彻习近平法治思想作为首要的政治任务。")
    grouper.add(2, "丙", "依托微信公众号定期推送法治宣传信息。")
    grouper.add(0, "甲", "坚持把学习贯彻习近平法治思想作为首要政治任务。")  # a report repeating itself
    assert [g.offices for g in grouper.groups] == [["甲", "乙"], ["丙"]]
    assert grouper.groups[0].size == 3
    assert all(len(posting) <= 8 for posting in grouper._index.values())


# --- inputs, skips, outputs, CLI -----------------------------------------------------------------


def _bad_files(folder: Path) -> None:
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 this is not a complete zip package")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (folder / "~$qingxi.docx").write_bytes(b"lock")  # a Word lock file is not even listed
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # neither is an unrelated file


@pytest.mark.usefixtures("english")
def test_unreadable_files_are_skipped_with_reasons(report_dir: Path) -> None:
    _bad_files(report_dir)
    result = digest_paths([report_dir, report_dir / "missing.txt"])
    assert [r.label for r in result.reports] == ["河阳区", "青溪县", "云山市"]
    skipped = {Path(s.file).name: s.reason.en for s in result.skipped}
    assert set(skipped) == {"broken.docx", "old.doc", "missing.txt"}
    assert "not a valid .docx" in skipped["broken.docx"]
    assert ".doc" in skipped["old.doc"] and "docx" in skipped["old.doc"]
    assert "no such file" in skipped["missing.txt"]
    # the record and the web page are Chinese whatever the CLI speaks
    chinese = {Path(s.file).name: s.reason.zh for s in result.skipped}
    assert "不是有效的 .docx" in chinese["broken.docx"] and "没有这个文件" in chinese["missing.txt"]


def test_collect_globs_dedupes_and_excludes_outputs(report_dir: Path) -> None:
    (report_dir / "digest.md").write_text("# 上次的综合报告\n", encoding="utf-8")
    found = collect([report_dir, str(report_dir / "*.txt"), str(report_dir / "*.pdf")],
                    exclude=[report_dir / "digest.md"])
    assert sorted(p.name for p in found.files) == sorted(REPORTS)
    assert [(s.reason.en, s.reason.zh) for s in found.skipped] == [("no file matches this pattern", "没有文件与此模式匹配")]


def test_outputs_written_atomically(tmp_path: Path, named: list[NamedText]) -> None:
    paths = output_paths(tmp_path / "out" / "digest.docx")
    result = run_digest(named, ledger=paths.ledger)
    write_outputs(result, paths)
    assert paths.docx.read_bytes()[:2] == b"PK"
    assert paths.markdown.read_text(encoding="utf-8").startswith("# 2023年度")
    assert '"totals"' in paths.record.read_text(encoding="utf-8")
    assert paths.ledger.name == "digest.ledger.csv" and paths.ledger.exists()


def test_cli_digest_then_check(tmp_path: Path, report_dir: Path) -> None:
    _bad_files(report_dir)
    out = tmp_path / "digest.docx"
    runner = CliRunner()
    result = runner.invoke(app, ["digest", str(report_dir), "-o", str(out), "--ledger", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "old.doc" in result.output
    assert out.exists() and (tmp_path / "f.xlsx").exists() and (tmp_path / "digest.md").exists()
    notes = [arg for name in REPORTS for arg in ("--notes", str(report_dir / name))]
    checked = runner.invoke(app, ["check", str(tmp_path / "digest.md"), *notes])
    # the only figures a plain check cannot find in a report are the digest's own office counts
    assert checked.exit_code in (0, 1), checked.output  # office counts and the metric table are the digest's own


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["digest", "{bad}", "-o", "{out}"], 2),  # only unreadable files
        (["digest", "{missing}", "-o", "{out}"], 2),  # nothing there at all
        (["digest", "{good}", "-o", "{tmp}/digest.pdf"], 2),  # a bad output name
        (["digest", "{good}", "-o", "{out}", "--ledger", "{tmp}/f.txt"], 2),
        (["digest", "{good}", "-o", "{out}"], 0),
    ],
)
def test_cli_exit_codes(tmp_path: Path, report_dir: Path, args: list[str], code: int) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    _bad_files(bad)
    values = {"bad": bad, "good": report_dir, "missing": tmp_path / "nothing", "out": tmp_path / "d.docx", "tmp": tmp_path}
    result = CliRunner().invoke(app, [a.format(**values) for a in args])
    assert result.exit_code == code, result.output
    if code == 2:
        assert not (tmp_path / "d.docx").exists()


# --- the real reports ----------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_digest(corpus_dir: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    result = digest_paths([corpus_dir], ledger=ledger, mixed_years=True)
    files = sorted(corpus_dir.glob("*.txt"))
    assert len(result.reports) == len(files) and not result.skipped
    assert {digest_genre().names([r.label]) for r in result.reports} <= attributed(result.text)
    assert not any(p.stem in result.text for p in files)  # offices by name, never by file name
    sources = [NamedText(path=p.name, text=read_text(p)) for p in files]
    assert result.check.summary.flagged == 0
    assert check_flags(result.checked_text, sources) == []
    assert all(f.status is not FigureStatus.unchecked for f in result.check.figures)
    # four or more of the five name weak or narrow publicity: one counted finding says so
    problems = next(s for s in result.sections if s.kind is SectionKind.problems)
    publicity = [p for p in problems.common if "宣传" in p.text or "普法" in p.text]
    assert publicity and max(len(p.labels) for p in publicity) >= 4
    # checked against its inputs, the digest's office counts (5个单位中有4个) are derived, not flagged
    report = check_text(NamedText(path="digest.md", text=result.text), sources)
    assert not [f.text for f in report.figures if f.flagged and "个单位中" in result.text.splitlines()[f.line - 1]]
    rows = list(csv.DictReader(ledger.open(encoding="utf-8-sig")))
    for source in sources:
        zero = {z.start for z in zero_claims(source.text)}  # 零上访 is checked, never added up
        found = [f for f in check_text(source, [source]).figures if f.start not in zero]
        mine = sorted((int(r["行"]), r["原文"]) for r in rows if r["文件"] == source.path)
        assert mine == sorted((f.line, f.text) for f in found)


def test_bench_digest_smoke() -> None:
    from aidraft.bench.digest import bench_digest, office_names

    assert len(set(office_names(1000))) == 1000
    rows = {name.split(" (")[0].split(" of ")[0]: (value, unit) for name, value, unit in
            bench_digest(list(REPORTS.values()), 12)}
    assert rows["digest"][1] == "s" and rows["digest"][0] > 0
    assert rows["digest peak memory"][1] == "MB"
    assert rows["digest figures flagged by check"][0] == 0
    assert rows["digest totals across reports"][0] >= 3
