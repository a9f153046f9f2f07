"""Eval cases: one YAML file, or a folder with ``case.yaml`` and the files it names.

A draft case gives notes (and optionally last year's report and a reference report) plus what
the draft must satisfy; a digest case gives several reports. Texts can be inline or files next
to the case, so a case is readable on its own and real-size inputs stay separate files. Every
problem is a one-line InputError naming the case file and the field.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from aidraft.errors import InputError
from aidraft.evals.config import Bound, LengthRange, check_bounds, check_metric_names
from aidraft.ingest.read import NamedText, read_text
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import standard_kinds
from aidraft.strict import Strict
from aidraft.yamldata import load_yaml

CASE_FILE = "case.yaml"


class TextSource(Strict):
    """A text given inline (``text``) or as a file beside the case (``file``): exactly one."""

    file: str | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _one(self) -> TextSource:
        if (self.file is None) == (self.text is None):
            raise ValueError("give exactly one of 'file' and 'text'")
        return self


class CommonFinding(Strict):
    """A finding several offices share, which a digest case expects among its common findings."""

    words: list[str] = Field(min_length=1, description="any one of these in the finding's text (宣传, 普法)")
    offices: int = Field(default=2, ge=2, description="at least this many offices credited with it")


class Expect(Strict):
    sections: list[SectionKind] = Field(
        default_factory=standard_kinds,
        description="required top-level sections, in the expected order",
    )
    figures: list[str] = Field(default_factory=list, description="figures that must appear, as written")
    forbidden_figures: list[str] = Field(default_factory=list, description="e.g. last year's figures")
    phrases: list[str] = Field(default_factory=list, description="text that must appear")
    forbidden_phrases: list[str] = Field(default_factory=list, description="text that must not appear")
    length: LengthRange | None = Field(default=None, description="content characters; else the config's")
    common: list[CommonFinding] = Field(default_factory=list, description="digest cases: shared findings expected")
    placement: dict[str, SectionKind] = Field(default_factory=dict, description="gold section of each note, "
                                              "keyed by words of the note (placement_accuracy)")
    followup: dict[str, Literal["done", "partly", "repeated", "unanswered"]] = Field(
        default_factory=dict, description="gold status of last year's promises, keyed by words of the promise")


class CaseSpec(Strict):
    """The YAML of one case, as written."""

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    kind: Literal["draft", "digest"] = "draft"
    description: str = ""
    office: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    notes: TextSource | None = None
    prior: TextSource | None = None
    reference: TextSource | None = None
    reports: list[TextSource] = Field(default_factory=list)
    expect: Expect = Field(default_factory=Expect)
    thresholds: dict[str, Bound] = Field(default_factory=dict)

    @field_validator("notes", "prior", "reference", "reports", mode="before")
    @classmethod
    def _bare_text(cls, value: object) -> object:
        """``notes: |`` with the text itself is shorthand for ``notes: {text: …}``."""
        if isinstance(value, str):
            return {"text": value}
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("thresholds")
    @classmethod
    def _known(cls, value: dict[str, Bound]) -> dict[str, Bound]:
        check_metric_names(list(value), "thresholds")
        check_bounds(value)
        return value

    @model_validator(mode="after")
    def _inputs_fit_kind(self) -> CaseSpec:
        if self.kind == "draft" and self.notes is None:
            raise ValueError("a draft case needs 'notes'")
        if self.kind == "digest" and len(self.reports) < 2:
            raise ValueError("a digest case needs at least two 'reports'")
        if self.kind == "digest" and (self.notes or self.prior):
            raise ValueError("a digest case takes 'reports', not 'notes' or 'prior'")
        return self


class Case(Strict):
    """A case ready to run: every text read."""

    id: str
    kind: Literal["draft", "digest"]
    description: str
    source: str = Field(description="the case file, relative to the suite folder")
    office: str | None
    year: int | None
    notes: NamedText | None
    prior: NamedText | None
    reference: NamedText | None
    reports: list[NamedText]
    expect: Expect
    thresholds: dict[str, Bound]

    def fingerprint(self) -> str:
        """A short hash of what shapes the case's result: its texts, office, year, expectations
        and thresholds, as plain sorted values. Not the model's JSON: a renamed field, a new
        field with a default or a moved file would change that while the case stays the same,
        and every run would then call the baseline stale."""
        texts = [t.text for t in (self.notes, self.prior, self.reference, *self.reports) if t is not None]
        content = {
            "kind": self.kind, "office": self.office, "year": self.year,
            "texts": [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts],
            "expect": self.expect.model_dump(mode="json", exclude_defaults=True),
            "thresholds": {k: v.model_dump(mode="json", exclude_none=True) for k, v in self.thresholds.items()},
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _read_source(src: TextSource, folder: Path, suite: Path, label: str, case_file: Path) -> NamedText:
    if src.text is not None:
        return NamedText(path=f"{_rel(case_file, suite)}#{label}", text=src.text)
    assert src.file is not None
    path = (folder / src.file).resolve()
    if not path.is_file():
        raise InputError(f"{_rel(case_file, suite)}: {label} file '{src.file}' not found")
    return NamedText(path=_rel(path, suite), text=read_text(path))


def _rel(path: Path, suite: Path) -> str:
    try:
        return path.resolve().relative_to(suite.resolve()).as_posix()
    except ValueError:
        return path.name


def load_case(case_file: Path, suite: Path) -> Case:
    """Read and validate one case file (``x.yaml`` or ``folder/case.yaml``) and the texts it names."""
    shown = _rel(case_file, suite)
    spec = load_yaml(read_text(case_file), CaseSpec, shown)
    folder = case_file.parent
    default_id = folder.name if case_file.name == CASE_FILE else case_file.stem

    def read(src: TextSource, label: str) -> NamedText:
        return _read_source(src, folder, suite, label, case_file)

    return Case(
        id=spec.id or default_id,
        kind=spec.kind,
        description=spec.description.strip(),
        source=shown,
        office=spec.office,
        year=spec.year,
        notes=read(spec.notes, "notes") if spec.notes else None,
        prior=read(spec.prior, "prior") if spec.prior else None,
        reference=read(spec.reference, "reference") if spec.reference else None,
        reports=[read(r, f"reports[{i}]") for i, r in enumerate(spec.reports)],
        expect=spec.expect,
        thresholds=spec.thresholds,
    )


def case_files(path: Path) -> list[Path]:
    """The case files under a suite folder (sorted), or the one case a path names."""
    if path.is_file():
        return [path]
    if (path / CASE_FILE).is_file():
        return [path / CASE_FILE]
    if not path.is_dir():
        raise InputError(
            f"{path}: no such case file or folder", hint="give a folder of cases, e.g. evals/cases"
        )
    found = [p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()]
    found += [p / CASE_FILE for p in path.iterdir() if (p / CASE_FILE).is_file()]
    return sorted(found)


def load_cases(path: Path, only: list[str] | None = None) -> list[Case]:
    """Every case of a suite; ids must be unique; ``only`` keeps the named ids."""
    return select_cases(load_suite(path), only)


def load_suite(path: Path) -> list[Case]:
    """Every case of a suite, ids checked unique: what a baseline of the same suite holds."""
    files = case_files(path)
    suite = path if path.is_dir() and not (path / CASE_FILE).is_file() else path.parent
    cases = [load_case(f, suite) for f in files]
    if not cases:
        raise InputError(f"{path}: no cases found", hint="add NAME.yaml or NAME/case.yaml files")
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            raise InputError(f"{case.source}: case id '{case.id}' is already used by {seen[case.id]}")
        seen[case.id] = case.source
    return cases


def select_cases(cases: list[Case], only: list[str] | None) -> list[Case]:
    """The cases named by ``only`` (all when it is empty); an unknown name is a one-line error."""
    if not only:
        return cases
    ids = [c.id for c in cases]
    missing = sorted(set(only) - set(ids))
    if missing:
        raise InputError(f"no case named {', '.join(missing)}", hint=f"cases: {', '.join(ids)}")
    return [c for c in cases if c.id in only]
