"""The digest's inputs and outputs: what counts as a report (never an earlier digest, never a
.zip on the command line), which outputs are refused because they would replace an input, the
output set replaced whole or not at all (ledger included), the ledger's office and year columns,
and digest messages in the CLI's language."""

from __future__ import annotations

import csv
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from support import REPORTS
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.digest.inputs import collect
from aidraft.digest.ledger import LedgerWriter
from aidraft.digest.offices import OfficeEntry, OfficeTable, read_office_table
from aidraft.digest.output import output_paths, record_names, write_outputs
from aidraft.digest.pipeline import run_digest
from aidraft.errors import AidraftError, OutputError
from aidraft.files import write_set
from aidraft.ingest.read import NamedText
from aidraft.messages import set_language


def _report(office: str, year: int | None) -> str:
    when = f"关于{year}年度" if year else "关于"
    return (f"{office}{when}法治政府建设情况的报告\n一、推进法治政府建设的主要举措和成效\n开展宣讲12场，受理信访事项100件。\n"
            "二、存在的不足和原因\n法治宣传形式较为单一。\n三、下一步工作安排\n持续推进信访工作法治化建设。\n")


def _cli(*args: str, lang: str = "en", monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str]:
    if monkeypatch is not None:
        monkeypatch.setenv("AIDRAFT_LANG", lang)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative name (a .part left behind shows up here too)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def record_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A genuine digest record (of d.docx), to copy beside files under test."""
    paths = output_paths(tmp_path_factory.mktemp("record") / "d.docx")
    write_outputs(run_digest([NamedText(path=n, text=t) for n, t in REPORTS.items()]), paths)
    return paths.record.read_text(encoding="utf-8")


# --- 1. a .json beside a report proves nothing unless it is this tool's record of that digest --------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{"note": "unrelated"}', id="unrelated-json"),
        pytest.param("not json at all", id="not-json"),
        pytest.param("", id="empty"),
        pytest.param('{"digest": "b.docx", "ledger": "b.ledger.csv"}', id="looks-like-a-record-but-is-not"),
        pytest.param("RECORD_OF_ANOTHER_DIGEST", id="record-of-another-digest"),
    ],
)
def test_a_report_beside_a_json_that_is_not_its_record_is_never_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_text: str, content: str) -> None:
    folder = tmp_path / "t1"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORTS["qingxi.txt"], encoding="utf-8")
    (folder / "b.md").write_text(REPORTS["heyang.txt"], encoding="utf-8")
    (folder / "b.json").write_text(record_text if content == "RECORD_OF_ANOTHER_DIGEST" else content,
                                   encoding="utf-8")  # the record names d.docx, not b.docx
    before = _snapshot(folder)
    code, output = _cli("digest", str(folder), "-o", str(folder / "b.docx"), lang="zh", monkeypatch=monkeypatch)
    assert code == 2, output
    assert len(output.strip().splitlines()) == 1 and "就是输入文件" in output and "会被覆盖" in output
    assert _snapshot(folder) == before


def test_last_runs_own_record_lets_a_rerun_replace_its_digest(reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = reports / "d.docx"
    assert _cli("digest", str(reports), "-o", str(out))[0] == 0
    code, output = _cli("digest", str(reports), "-o", str(out), lang="zh", monkeypatch=monkeypatch)
    assert code == 0, output
    record = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert len(record["reports"]) == len(REPORTS) and not record["skipped"]


# --- 2. an earlier digest inside the scanned folders is skipped, with the reason ---------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("out/d1.docx", "out/d2.docx", id="subfolder"),
        pytest.param("d1.docx", "d2.docx", id="same-folder"),
        pytest.param("a/b/d1.md", "d2.md", id="deep-subfolder-md"),
    ],
)
def test_an_earlier_digest_in_the_input_folder_is_not_read_as_reports(
        reports: Path, first: str, second: str) -> None:
    assert _cli("digest", str(reports), "-o", str(reports / first))[0] == 0
    code, output = _cli("digest", str(reports), "-o", str(reports / second))
    assert code == 0, output
    one = json.loads((reports / first).with_suffix(".json").read_text(encoding="utf-8"))
    two = json.loads((reports / second).with_suffix(".json").read_text(encoding="utf-8"))
    assert [r["label"] for r in two["reports"]] == [r["label"] for r in one["reports"]]
    assert [t["text"] for t in two["totals"]] == [t["text"] for t in one["totals"]]  # nothing counted twice
    stem = Path(first).name[: -len(Path(first).suffix)]
    skipped = {Path(s["file"]).name: s["reason"] for s in two["skipped"]}
    assert set(skipped) == {f"{stem}.docx", f"{stem}.md"}
    assert all("earlier aidraft digest" in r["en"] and "以前生成的汇总" in r["zh"] for r in skipped.values())


@pytest.mark.parametrize(
    ("json_name", "edit", "skipped"),
    [
        pytest.param("d.json", None, ["d.docx", "d.md"], id="its-own-record"),
        pytest.param("e.json", None, [], id="record-under-another-name"),
        pytest.param("d.json", ("\"year\":", "\"year_\":"), [], id="not-a-valid-record"),
        pytest.param("d.json", ("\"digest\": \"d.docx\"", "\"digest\": \"x.docx\""), [], id="names-another-digest"),
    ],
)
def test_only_a_valid_record_of_its_own_set_marks_files_as_an_earlier_digest(
        tmp_path: Path, record_text: str, json_name: str, edit: tuple[str, str] | None,
        skipped: list[str]) -> None:
    for name in ("d.docx", "d.md", "r.txt"):
        (tmp_path / name).write_text(REPORTS["qingxi.txt"], encoding="utf-8")
    text = record_text if edit is None else record_text.replace(*edit, 1)
    (tmp_path / json_name).write_text(text, encoding="utf-8")
    found = collect([tmp_path])
    assert sorted(Path(s.file).name for s in found.skipped) == skipped
    assert sorted(p.name for p in found.files) == sorted({"d.docx", "d.md", "r.txt"} - set(skipped))
    if edit is None and json_name == "d.json":
        assert [p.name for p in record_names(tmp_path / json_name)] == ["d.docx", "d.md", "d.ledger.csv"]


# --- 3. no output may replace any input, the offices table included ---------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--ledger", "offices.csv", "--offices", "offices.csv"], id="ledger-over-offices"),
        pytest.param(["--ledger", "./sub/../offices.csv", "--offices", "offices.csv"], id="other-spelling"),
        pytest.param(["--ledger", "link.csv", "--offices", "offices.csv"], id="through-a-link"),
    ],
)
def test_an_output_over_the_offices_table_is_refused_before_anything_is_read(
        reports: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(reports.parent)
    (reports.parent / "sub").mkdir()
    (reports.parent / "offices.csv").write_text("文件,单位,级别\nqingxi.txt,青溪县信访局,县\n", encoding="utf-8")
    (reports.parent / "link.csv").symlink_to(reports.parent / "offices.csv")
    before = _snapshot(reports.parent)
    read: list[Path] = []
    monkeypatch.setattr("aidraft.cli.digest_cmd.read_office_table", lambda p: read.append(p))
    code, output = _cli("digest", "reports", "-o", "d.docx", *args)
    assert code == 2 and "would be overwritten" in output and len(output.strip().splitlines()) == 1
    assert not read and _snapshot(reports.parent) == before


# --- 4. the output set, ledger included, is replaced whole or not at all -----------------------------


@pytest.mark.parametrize("blocked", [0, 1, 2])
def test_a_folder_in_the_way_of_one_target_stops_the_set_before_any_replace(tmp_path: Path, blocked: int) -> None:
    names = [tmp_path / "r.docx", tmp_path / "r.md", tmp_path / "r.json"]
    write_set([(p, b"old") for p in names])
    names[blocked].unlink()
    names[blocked].mkdir()
    before = _snapshot(tmp_path)
    with pytest.raises(OutputError):
        write_set([(p, b"new") for p in names])
    assert _snapshot(tmp_path) == before and names[blocked].is_dir()


@pytest.mark.parametrize(("failing", "existed"), [(1, 3), (2, 3), (3, 3), (2, 1), (3, 0)])
def test_a_rename_that_fails_puts_back_the_ones_already_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int, existed: int) -> None:
    """``existed``: how many of the targets had an earlier file (a new one is removed again)."""
    names = [tmp_path / "r.docx", tmp_path / "r.md", tmp_path / "r.json"]
    write_set([(p, b"old") for p in names[:existed]])
    before = _snapshot(tmp_path)
    _fail_nth_rename(monkeypatch, failing, lambda dst: dst in names)
    with pytest.raises(OutputError):
        write_set([(p, b"new") for p in names])
    assert _snapshot(tmp_path) == before


def _fail_nth_rename(monkeypatch: pytest.MonkeyPatch, n: int, counts: Callable[[Path], bool]) -> None:
    """os.replace fails on its ``n``th rename onto a target ``counts`` accepts (a full disk, a lock)."""
    real = os.replace
    calls = {"n": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        if counts(Path(dst)) and not Path(src).name.endswith(".old.part"):
            calls["n"] += 1
            if calls["n"] == n:
                raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr("aidraft.files.os.replace", replace)


@pytest.mark.parametrize("ledger", ["figures.csv", "figures.xlsx"])
@pytest.mark.parametrize("failure", ["markdown-is-a-folder", "render-fails", "third-rename-fails"])
def test_a_failed_digest_run_leaves_every_earlier_output_byte_identical(
        tmp_path: Path, reports: Path, monkeypatch: pytest.MonkeyPatch, ledger: str, failure: str) -> None:
    out = tmp_path / "out"
    args = ["digest", str(reports), "-o", str(out / "d.docx"), "--ledger", str(out / ledger)]
    assert _cli(*args)[0] == 0
    (reports / "new.txt").write_text(_report("桐川区信访局", 2023), encoding="utf-8")  # the rerun differs
    if failure == "markdown-is-a-folder":
        (out / "d.md").unlink()
        (out / "d.md").mkdir()
    elif failure == "render-fails":
        def broken(document: object) -> str:
            raise OutputError("markdown renderer failed")

        monkeypatch.setattr("aidraft.digest.output.render_markdown", broken)
    else:
        _fail_nth_rename(monkeypatch, 3, lambda dst: dst.parent == out)
    before = _snapshot(out)
    code, output = _cli(*args)
    assert code == 2, output
    assert _snapshot(out) == before  # the ledger too, and no temporary left behind


def test_the_ledger_is_only_staged_until_the_set_is_written(tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old ledger")
    named = [NamedText(path=n, text=t) for n, t in REPORTS.items()]
    with LedgerWriter(target, publish=False) as writer:
        result = run_digest(named, ledger=writer)
        assert target.read_bytes() == b"old ledger"  # every row is written, nothing replaced yet
        staged = writer.staged()
        assert staged is not None and staged[1].parent == tmp_path and staged[1].stat().st_size > 100
        write_outputs(result, output_paths(tmp_path / "d.docx", target), writer)
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert len(rows) == result.run.ledger_rows
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_failed_run_discards_the_staged_ledger(tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    with pytest.raises(RuntimeError), LedgerWriter(target, publish=False) as writer:
        run_digest([NamedText(path=n, text=t) for n, t in REPORTS.items()], ledger=writer)
        raise RuntimeError("the model server went away")
    assert list(tmp_path.iterdir()) == []


# --- 5. a .zip is not read by the command line, and says so -----------------------------------------


@pytest.mark.parametrize("how", ["named", "in-folder", "glob"])
def test_a_zip_is_listed_as_skipped_with_the_reason(reports: Path, how: str) -> None:
    archive = reports / "more.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("x.txt", REPORTS["qingxi.txt"])
    args: list[str | Path] = {"named": [archive], "in-folder": [reports], "glob": [str(reports / "*.zip")]}[how]
    found = collect(args)
    assert archive not in found.files
    [skip] = [s for s in found.skipped if s.file.endswith("more.zip")]
    assert "unpack it first" in skip.reason.en and "web page" in skip.reason.en
    assert "请先解压" in skip.reason.zh and "网页" in skip.reason.zh


@pytest.mark.parametrize(("lang", "says"), [("zh", "请先解压"), ("en", "unpack it first")])
def test_a_zip_alone_on_the_command_line_fails_in_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, says: str) -> None:
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("x.txt", REPORTS["qingxi.txt"])
    code, output = _cli("digest", str(archive), "-o", str(tmp_path / "d.docx"), lang=lang, monkeypatch=monkeypatch)
    assert code == 2 and says in output and ".docx (" not in output
    assert len(output.strip().splitlines()) == 1


# --- 6. the ledger names the office as the report does, and the year the digest counts ---------------


@pytest.mark.parametrize(
    ("office", "year", "table", "unit", "year_cell"),
    [
        pytest.param("桐川区信访局", 2024, None, "桐川区信访局", "2024", id="office-and-year-stated"),
        pytest.param("桐川区信访局", None, None, "桐川区信访局", "2024", id="no-year-taken-as-digest-year"),
        pytest.param("", 2024, "松岭县信访局", "松岭县", "2024", id="named-by-the-table-keeps-the-label"),
        pytest.param("", None, None, "（单位名称待补充）", "2024", id="unnamed-keeps-the-placeholder"),
    ],
)
def test_ledger_office_and_year_columns(tmp_path: Path, office: str, year: int | None, table: str | None,
                                        unit: str, year_cell: str) -> None:
    others = [NamedText(path=f"o{i}.txt", text=_report(name, 2024)) for i, name in enumerate(["白石县信访局", "云溪市司法局"])]
    under_test = NamedText(path="x.txt", text=_report(office, year))
    offices = OfficeTable([OfficeEntry(file="x.txt", name=table)]) if table else None
    ledger = tmp_path / "f.csv"
    result = run_digest([*others, under_test], ledger=ledger, offices=offices)
    assert result.year == 2024
    rows = [r for r in csv.DictReader(ledger.open(encoding="utf-8-sig")) if r["文件"] == "x.txt"]
    assert rows and {(r["单位"], r["年度"]) for r in rows} == {(unit, year_cell)}
    other = [r for r in csv.DictReader(ledger.open(encoding="utf-8-sig")) if r["文件"] == "o1.txt"]
    assert {r["单位"] for r in other} == {"云溪市司法局"}


# --- 7. digest messages come from the catalogue, in the CLI's language -------------------------------


@pytest.mark.parametrize(
    ("extra", "zh", "en"),
    [
        pytest.param(["--year", "2030"], "没有一份报告是2030年度的", "no report covers 2030", id="year"),
        pytest.param(["--ledger", "f.txt"], "台账文件的扩展名应为", "the ledger must end in .csv or .xlsx", id="ledger"),
        pytest.param(["--offices", "nope.csv"], "单位对照表 nope.csv 不存在", "does not exist", id="offices-missing"),
        pytest.param(["--offices", "reports"], "无法读取单位对照表", "cannot read the offices table", id="offices-folder"),
        pytest.param(["--ledger", "box.csv"], "已有同名文件夹", "a folder of that name is in the way", id="ledger-folder"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_digest_errors_speak_the_cli_language(reports: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str],
                                              zh: str, en: str, lang: str) -> None:
    monkeypatch.chdir(reports.parent)
    (reports.parent / "box.csv").mkdir()
    code, output = _cli("digest", "reports", "-o", "d.docx", *extra, lang=lang, monkeypatch=monkeypatch)
    assert code == 2 and len(output.strip().splitlines()) == 1
    assert (zh if lang == "zh" else en) in output
    assert (en if lang == "zh" else zh) not in output and "Errno" not in output


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        pytest.param(b"", "单位对照表是空的", "the offices table is empty", id="empty"),
        pytest.param("名字,级别\na,县\n".encode(), "须有“文件”和“单位”两列", "needs a 文件 (file)", id="no-columns"),
        pytest.param("文件,单位\na.txt,\n".encode(), "第2行：每行须同时写明", "line 2: a row needs both", id="half-row"),
        pytest.param("文件,单位,级别\na.txt,某局,省\n".encode(), "级别“省”不是县、区、市之一", "level “省” is not one of",
                     id="bad-level"),
        pytest.param(None, "不存在", "does not exist", id="missing"),
    ],
)
def test_offices_table_errors_in_both_languages(tmp_path: Path, content: bytes | None, zh: str, en: str) -> None:
    table = tmp_path / "offices.csv"
    if content is not None:
        table.write_bytes(content)
    with pytest.raises(AidraftError) as caught:
        read_office_table(table)
    assert zh in caught.value.one_line("zh") and en in caught.value.one_line("en")
    assert "Errno" not in caught.value.one_line("en")


@pytest.mark.parametrize(("lang", "says"), [("zh", "未写明年度：按2024年度汇总"), ("en", "states no year: taken as 2024")])
def test_the_no_year_note_follows_the_language(lang: str, says: str) -> None:
    set_language(lang)  # type: ignore[arg-type]
    texts = [NamedText(path="a.txt", text=_report("白石县信访局", 2024)), NamedText(path="x.txt", text=_report("桐川区信访局", None))]
    result = run_digest(texts)
    assert any("x.txt" in e and says in e for e in result.run.events)


# --- the record's lines are lines of the digest.md written beside it ----------------------------------


def test_every_line_the_record_names_is_a_line_of_its_markdown(tmp_path: Path) -> None:
    paths = output_paths(tmp_path / "d.docx")
    write_outputs(run_digest([NamedText(path=n, text=t) for n, t in REPORTS.items()]), paths)
    record = json.loads(paths.record.read_text(encoding="utf-8"))
    lines = paths.markdown.read_text(encoding="utf-8").split("\n")
    assert record["attribution"] and record["check"]["figures"]
    for sentence in record["attribution"]:
        assert sentence["text"][:12] in lines[sentence["line"] - 1]
    for figure in record["check"]["figures"]:
        assert figure["text"] in lines[figure["line"] - 1]


@pytest.mark.parametrize(("text", "markdown", "expected"), [
    ("标题\n一、举措\n第一段。\n\n第二段。\n", "# 标题\n\n## 一、举措\n\n第一段。\n\n第二段。\n", {1: 1, 2: 3, 3: 5, 4: 7, 5: 7}),
    ("　　第一段。\n", "第一段。\n", {1: 1}),
])
def test_markdown_lines(text: str, markdown: str, expected: dict[int, int]) -> None:
    from aidraft.digest.output import markdown_lines

    at = markdown_lines(text, markdown)
    assert {n: at(n) for n in expected} == expected
