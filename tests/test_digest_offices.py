"""Multi-office sets: a missing office name, mixed years, a typo in a source; one office level."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.ingest.read import NamedText
from aidraft.errors import AidraftError
from aidraft.digest.offices import read_office_table
from aidraft.digest.pipeline import run_digest
from aidraft.parse.office import identify, office_level



@pytest.mark.parametrize(
    ("office", "short", "level"),
    [("重庆市沙坪坝区信访办", "沙坪坝区", "区"), ("河南省商丘市民权县信访局", "民权县", "县"), ("永州市信访局", "永州市", "市"),
     ("区信访办", None, "区"), ("济南市市中区司法局", "市中区", "区"), ("某某县市场监督管理局", "某某县", "县"),
     ("湖南省永州市江华瑶族自治县人社局", "江华瑶族自治县", "县"), ("广东省信访局", None, None), (None, None, None)],
)
def test_office_name_and_level(office: str | None, short: str | None, level: str | None) -> None:
    assert identify(office).short == short and office_level(office) == level


def _report(office: str, year: int, problem: str) -> str:
    head = f"{office}关于{year}年度法治政府建设情况的报告\n" if office else f"关于{year}年度法治政府建设情况的报告\n"
    return (head + f"一、{year}年推进法治政府建设的主要举措和成效\n深入开展《信访工作条例》宣传月活动，开展宣讲12场。\n"
            "二、存在的不足和原因\n" + problem + "\n三、下一年度工作安排\n持续推进信访工作法治化建设。\n")


SET = [
    NamedText(path="a_司法.txt", text=_report("青溪县司法局", 2024, "法治宣传形式较为单一，群众参与度不高。")),
    NamedText(path="b.txt", text=_report("河阳区人社局", 2024, "普法宣传形式单一，覆盖面不广。")),
    NamedText(path="0f93_c.txt", text=_report("", 2024, "法治宣传形式比较单一，针对性不强。")),
    NamedText(path="d.txt", text=_report("云山市市场监督管理局", 2025, "少数干部职工的法治一是还需进一步加强。")),
    NamedText(path="e.txt", text=_report("白石县信访局", 2024, "少数干部职工的法治一是还需进一步加强。")),
]


def test_missing_name_other_year_and_typo() -> None:
    result = run_digest(SET)
    assert result.year == 2024
    assert [o.file for o in result.left_out] == ["d.txt"]  # left out, named in the warning
    assert "（单位名称待补充）" in result.text and "0f93" not in result.text and ".txt" not in result.text
    assert "法治一是" not in result.text  # a source's typo is not copied
    problems = next(s for s in result.sections if s.kind.value == "problems")
    shared = next(p for p in problems.common if "宣传" in p.text)
    assert len(shared.labels) >= 2 and "个单位中有" in result.text
    for entry in result.attribution:  # every sentence lists its sources, each a real line
        for source in entry.sources:
            text = next(n.text for n in SET if n.path == source.file)
            assert source.line <= text.count("\n") + 1


def test_mixed_years_are_labelled() -> None:
    result = run_digest(SET, mixed_years=True)
    assert not result.left_out and "云山市（2025年度）" in result.text


def test_offices_table_names_an_unnamed_report(tmp_path: Path) -> None:
    table = tmp_path / "offices.csv"
    table.write_text("文件,单位,级别\n0f93_c.txt,松岭县信访局,县\n", encoding="utf-8-sig")
    result = run_digest(SET, offices=read_office_table(table))
    ref = next(r for r in result.reports if r.file == "0f93_c.txt")
    assert (ref.label, ref.level, ref.named_by) == ("松岭县", "县", "offices")


def test_corpus_digest_names_offices_and_one_year(corpus_dir: Path) -> None:
    """The five real reports (skipped without ../shared/corpus): no file name, the 2025 report left
    out, no copied typo, the shared finding on publicity counted across offices."""
    result = run_digest(sorted(corpus_dir.glob("*.txt")))
    assert not any(Path(r.file).stem in result.text for r in result.reports)
    assert {o.year for o in result.left_out} and all(r.year in (None, result.year) for r in result.reports)
    assert "法治一是" not in result.text
    problems = next(s for s in result.sections if s.kind.value == "problems")
    assert any("宣传" in p.text and len(p.labels) >= 3 for p in problems.common)


def test_cli_names_years_and_record(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from aidraft.cli.app import app

    folder = tmp_path / "收到的报告"
    folder.mkdir()
    for named in SET:
        (folder / named.path).write_text(named.text, encoding="utf-8")
    table = tmp_path / "offices.csv"
    table.write_text("文件,单位,级别\n0f93_c.txt,松岭县信访局,县\n", encoding="utf-8")
    out = tmp_path / "out" / "digest.docx"
    result = CliRunner().invoke(app, ["digest", str(folder), "-o", str(out), "--offices", str(table)])
    assert result.exit_code == 0, result.output
    assert "d.txt" in result.output and "2025" in result.output  # the left-out report is named
    record = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["year"] == 2024 and [o["file"] for o in record["left_out"]] == ["d.txt"]
    files = {r["file"] for r in record["reports"]}
    assert files == {"a_司法.txt", "b.txt", "0f93_c.txt", "e.txt"}  # relative to the inputs
    assert str(tmp_path) not in out.with_suffix(".md").read_text(encoding="utf-8")
    assert record["attribution"] and all(s["sources"] for s in record["attribution"])
    assert {s["file"] for e in record["attribution"] for s in e["sources"]} <= files
    ledger = (tmp_path / "out" / "digest.ledger.csv").read_text(encoding="utf-8-sig")
    assert str(tmp_path) not in ledger and "松岭县" in ledger


@pytest.mark.usefixtures("english")
def test_year_flag_picks_that_year() -> None:
    with pytest.raises(AidraftError, match="no report covers 2022"):
        run_digest(SET, year=2022)


@pytest.mark.parametrize("year", [2023, 2025, 2030])
def test_default_title_fits_one_line(year: int) -> None:
    from aidraft.digest.compose import default_title
    from aidraft.export.layout import load_layout, text_width

    layout = load_layout().title
    lines = layout.split(default_title(year))
    assert lines == [default_title(year)] and text_width(lines[0]) <= layout.max_line_chars - 2
