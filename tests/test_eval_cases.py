"""Case and config loading: the shipped suite loads; every malformed case is a one-line
InputError that names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidraft.errors import InputError
from aidraft.evals.cases import load_cases
from aidraft.evals.config import load_config
from aidraft.parse.document import SectionKind

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "cases"


def test_shipped_suite_covers_the_issue() -> None:
    cases = load_cases(SUITE)
    assert len(cases) >= 8
    assert len({c.id for c in cases}) == len(cases)
    kinds = {c.kind for c in cases}
    assert kinds == {"draft", "digest"}
    drafts = [c for c in cases if c.kind == "draft"]
    offices = {(c.notes.text if c.notes else "") for c in drafts}
    assert (
        any("县" in t for t in offices)
        and any("区" in t for t in offices)
        and any("市信访局" in t for t in offices)
    )
    assert len({c.id.split("-")[2] for c in drafts}) >= 3, "several years"
    assert any(c.prior and c.expect.forbidden_figures for c in drafts), (
        "a prior whose figures must not carry over"
    )
    assert any(c.reference for c in drafts)
    assert any("【待补充】" in c.expect.phrases for c in drafts), "notes with no problems given"
    digest = next(c for c in cases if c.kind == "digest")
    assert len(digest.reports) >= 3
    assert not any(Path(c.source).is_absolute() for c in cases), "sources are relative to the suite"


def test_inline_and_folder_cases_load(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("notes: |\n  - 开展宣讲12场\n", encoding="utf-8")
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "notes.md").write_text("- 受理信访事项30件\n", encoding="utf-8")
    (folder / "case.yaml").write_text(
        "notes: {file: notes.md}\nexpect: {sections: [problems, measures]}\n", encoding="utf-8"
    )
    a, b = load_cases(tmp_path)
    assert (a.id, a.notes.text if a.notes else None) == ("a", "- 开展宣讲12场\n")
    assert b.id == "b" and b.notes is not None and b.notes.path == "b/notes.md"
    assert b.expect.sections == [SectionKind.problems, SectionKind.measures]
    assert load_cases(tmp_path, only=["b"])[0].id == "b"


# file content → what the one-line message must say
BAD_CASES = [
    ("notes: [unclosed\n", "not valid YAML"),
    ("- just a list\n", "must be a YAML mapping"),
    ("description: no notes\n", "a draft case needs 'notes'"),
    ("notes: x\nexpect: {figure: [1件]}\n", "field 'expect.figure'"),
    ("notes: x\nexpect: {sections: [preface]}\n", "field 'expect.sections.0'"),
    ("notes: {file: missing.md}\n", "notes file 'missing.md' not found"),
    ("notes: {file: a.md, text: x}\n", "exactly one of 'file' and 'text'"),
    ("kind: digest\nreports: [one]\n", "at least two 'reports'"),
    ("notes: x\nthresholds: {precision: {min: 1}}\n", "unknown metric precision"),
    ("notes: x\nid: has space\n", "field 'id'"),
]


@pytest.mark.parametrize(("content", "message"), BAD_CASES)
def test_bad_case_is_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cases(tmp_path)
    line = info.value.one_line()
    assert "\n" not in line and line.startswith("bad.yaml:") and message in line


def test_duplicate_ids_and_unknown_selection(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("notes: x\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: a\nnotes: x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"case id 'a' is already used by a\.yaml"):
        load_cases(tmp_path)
    (tmp_path / "b.yaml").unlink()
    with pytest.raises(InputError, match="no case named zz"):
        load_cases(tmp_path, only=["zz"])
    with pytest.raises(InputError, match="no such case file or folder"):
        load_cases(tmp_path / "nowhere")
    (tmp_path / "a.yaml").unlink()
    with pytest.raises(InputError, match="no cases found"):
        load_cases(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("thresholds: {figure_precision: {minimum: 1}}\n", "field 'thresholds.figure_precision.minimum'"),
        ("tolerances: {speed: 1}\n", "unknown metric speed"),
        ("concurrency: 0\n", "field 'concurrency'"),
        ("[1, 2]\n", "must be a YAML mapping"),
    ],
)
def test_bad_config_is_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert message in info.value.one_line()


def test_shipped_config_gates_every_deterministic_metric() -> None:
    config = load_config(REPO / "evals" / "config.yaml")
    for name in (
        "figure_precision",
        "figure_recall",
        "stale_figures",
        "duplicate_sentences",
        "repeated_ngram_share",
        "register_violations",
        "checker_recall",
        "checker_false_alarm_rate",
    ):
        assert name in config.thresholds
    assert config.corpus_dir() == (REPO.parent / "shared" / "corpus").resolve()
