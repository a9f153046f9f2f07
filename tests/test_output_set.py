"""Outputs are one set, written together, and never replace an input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidraft.cli.app import app
from aidraft.errors import OutputError
from aidraft.files import write_set

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "samples" / "qingxi" / "notes-2025.md"
PRIOR = REPO / "samples" / "qingxi" / "prior-2024.md"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    shutil.copy(NOTES, tmp_path / "notes.md")
    shutil.copy(PRIOR, tmp_path / "prior.md")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "victim"),
    [
        (["notes.md", "-o", "notes.md"], "notes.md"),
        (["notes.md", "-o", "notes.docx"], "notes.md"),  # the .md sibling of the .docx output
        (["notes.md", "--prior", "prior.md", "-o", "prior.docx"], "prior.md"),
        (["notes.md", "-o", "./sub/../notes.docx"], "notes.md"),
        (["notes.md", "--prior", "link.md", "-o", "prior.docx"], "prior.md"),  # the same file by a link
    ],
    ids=["same-name", "md-sibling", "prior-sibling", "other-spelling", "symlink"],
)
def test_output_equal_to_an_input_is_refused_before_anything_is_read(
    inputs: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], victim: str
) -> None:
    monkeypatch.chdir(inputs)
    (inputs / "sub").mkdir()
    (inputs / "link.md").symlink_to(inputs / "prior.md")
    before = {p.name: p.read_bytes() for p in inputs.iterdir() if p.is_file()}
    read: list[str] = []
    monkeypatch.setattr("aidraft.cli.draft_cmd.read_notes", lambda path: read.append(str(path)))
    code, output = run("draft", *args)
    assert code == 2, output
    assert "would be overwritten" in output and len(output.strip().splitlines()) == 1
    assert not read  # refused before the notes were read
    assert {p.name: p.read_bytes() for p in inputs.iterdir() if p.is_file()} == before


def test_digest_output_equal_to_a_named_input_is_refused(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(inputs)
    before = (inputs / "prior.md").read_bytes()
    code, output = run("digest", "prior.md", "-o", "prior.docx")
    assert code == 2 and "would be overwritten" in output
    assert (inputs / "prior.md").read_bytes() == before


def test_digest_output_over_a_report_in_an_input_folder_is_refused(inputs: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder is read whole, so an -o named like one of its reports would replace that report."""
    monkeypatch.chdir(inputs)
    before = (inputs / "prior.md").read_bytes()
    code, output = run("digest", ".", "-o", "prior.docx")
    assert code == 2 and "would be overwritten" in output
    assert (inputs / "prior.md").read_bytes() == before


def test_digest_rerun_into_its_own_input_folder_skips_last_runs_outputs(inputs: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(inputs)
    (inputs / "notes.md").unlink()
    assert run("digest", ".", "-o", "digest.docx")[0] in (0, 1)
    code, output = run("digest", ".", "-o", "digest.docx")  # digest.md is last run's: its record says so
    assert code in (0, 1), output
    assert "reports 1," in output


@pytest.mark.parametrize(
    ("out", "names"),
    [
        ("r.docx", ["r.docx", "r.md", "r.check.json"]),
        ("r.md", ["r.docx", "r.md", "r.check.json"]),
        ("report.v2.docx", ["report.v2.docx", "report.v2.md", "report.v2.check.json"]),
        ("报告.2025年.定稿.md", ["报告.2025年.定稿.docx", "报告.2025年.定稿.md", "报告.2025年.定稿.check.json"]),
    ],
)
def test_only_the_last_suffix_names_the_set(tmp_path: Path, out: str, names: list[str]) -> None:
    """report.v2.docx must never write report.docx (a clerk's own file beside it)."""
    from aidraft.digest.output import output_paths as digest_paths
    from aidraft.draft.output import output_paths as draft_paths

    paths = draft_paths(tmp_path / out)
    assert [p.name for p in (paths.docx, paths.markdown, paths.check)] == names
    stem = names[1][: -len(".md")]
    digest = digest_paths(tmp_path / out)
    assert [p.name for p in (digest.docx, digest.markdown, digest.record, digest.ledger)] == [
        f"{stem}.docx", f"{stem}.md", f"{stem}.json", f"{stem}.ledger.csv"]


def test_a_failed_write_leaves_the_earlier_set_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [tmp_path / "r.docx", tmp_path / "r.md", tmp_path / "r.check.json"]
    write_set([(p, b"old") for p in names])
    real = os.fdopen
    calls = {"n": 0}

    def failing(fd: int, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:  # the third temporary cannot be written (disk full)
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("aidraft.files.os.fdopen", failing)
    with pytest.raises(OutputError) as caught:
        write_set([(p, b"new") for p in names])
    assert "disk is full" in caught.value.one_line("en") and "磁盘已满" in caught.value.one_line("zh")
    assert [p.read_bytes() for p in names] == [b"old"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in names)  # no .part left


def test_a_part_file_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    stale = tmp_path / ".r.docx.abc123.part"
    stale.write_bytes(b"half")
    write_set([(tmp_path / "r.docx", b"whole")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_draft_failure_after_rendering_leaves_earlier_outputs(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(inputs)
    assert run("draft", "notes.md", "-o", "out/report.docx")[0] in (0, 1)
    before = {p.name: p.read_bytes() for p in (inputs / "out").iterdir()}

    def broken(document: object) -> str:
        raise OutputError("markdown renderer failed")

    monkeypatch.setattr("aidraft.draft.output.render_markdown", broken)
    assert run("draft", "notes.md", "-o", "out/report.docx")[0] == 2
    assert {p.name: p.read_bytes() for p in (inputs / "out").iterdir()} == before


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("failure", ["markdown-is-a-folder", "record-is-a-folder", "second-rename-fails",
                                     "last-rename-fails"])
def test_a_failed_draft_leaves_every_earlier_output_byte_identical(
        inputs: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    """The draft shares files.write_set: every target is checked before any is replaced, and a
    rename that still fails puts back the ones already made."""
    monkeypatch.chdir(inputs)
    assert run("draft", "notes.md", "-o", "out/report.docx")[0] in (0, 1)
    out = inputs / "out"
    if failure.endswith("is-a-folder"):
        victim = out / ("report.md" if failure.startswith("markdown") else "report.check.json")
        victim.unlink()
        victim.mkdir()
    else:
        real, calls = os.replace, {"n": 0}
        fail_at = 2 if failure.startswith("second") else 3

        def replace(src: str | Path, dst: str | Path) -> None:
            if Path(dst).resolve().parent == out and not Path(src).name.endswith(".old.part"):
                calls["n"] += 1
                if calls["n"] == fail_at:
                    raise OSError(28, "No space left on device")
            real(src, dst)

        monkeypatch.setattr("aidraft.files.os.replace", replace)
    (inputs / "notes.md").write_text((inputs / "notes.md").read_text(encoding="utf-8") + "\n- 新增一条工作记录。\n",
                                     encoding="utf-8")  # the rerun would write different files
    before = _files(out)
    code, output = run("draft", "notes.md", "-o", "out/report.docx")
    assert code == 2, output
    assert _files(out) == before  # and no temporary or kept-aside file left behind
