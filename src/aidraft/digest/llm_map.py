"""LLM map step: each report's standard sections → a structured summary (practices, no figures).

Hundreds of reports go to the endpoint with bounded concurrency (Settings.concurrency). Each
finished map result is stored on disk under the cache folder, keyed by the report text, the
prompt version and the endpoint, so an interrupted run resumes where it stopped even with the
response cache off. A report longer than the map budget is cut at paragraph and sentence ends
into parts that are mapped separately and merged: long inputs are split, never truncated.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from typing_extensions import Self

from aidraft.digest.config import DIGEST_KINDS, digest_genre
from aidraft.errors import ModelError, OutputError
from aidraft.files import write_text_atomic
from aidraft.llm.base import ChatModel
from aidraft.llm.budget import count_tokens
from aidraft.llm.structured import complete_structured
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import catalogue
from aidraft.prompts import PromptTemplate
from aidraft.text import sentence_pieces

log = logging.getLogger(__name__)
STORE_FORMAT = 1


class SummaryBase(BaseModel):
    """What the model returns for one report (or one part of it): a list of practices per kind."""

    model_config = ConfigDict(extra="ignore")

    def items(self, kind: SectionKind) -> list[str]:
        return list(getattr(self, kind.value))

    def merged(self, other: SummaryBase) -> Self:
        return type(self)(**{k.value: self.items(k) + other.items(k) for k in DIGEST_KINDS})


#: One field per standard section of the catalogue, so a new kind needs no change here.
ReportSummary = create_model(
    "ReportSummary", __base__=SummaryBase, __doc__=SummaryBase.__doc__,
    **{kind.value: (list[str], Field(default_factory=list, description=f"{catalogue().summary(kind)}，每条一句话，不含数字"))
       for kind in DIGEST_KINDS},
)


def kind_list() -> list[dict[str, str]]:
    """The standard sections as the map prompt lists them."""
    return [{"kind": kind.value, "summary": catalogue().summary(kind)} for kind in DIGEST_KINDS]


class MapStore:
    """Finished map results on disk: ``<cache>/digest-map/<key>.json`` (None: keep nothing)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(model: ChatModel, template: PromptTemplate, part: str) -> str:
        material = json.dumps([STORE_FORMAT, model.identity, template.prompt_id, part], ensure_ascii=False)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, key: str) -> ReportSummary | None:
        if self.folder is None:
            return None
        try:
            found = ReportSummary.model_validate_json((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, ValidationError) as exc:
            log.warning("ignoring unreadable map result %s: %s", key, exc)
            return None
        with self._lock:
            self.hits += 1
        return found

    def put(self, key: str, summary: ReportSummary) -> None:
        if self.folder is None:
            return
        try:
            write_text_atomic(self.folder / f"{key}.json", summary.model_dump_json(), private=True)  # personal data
        except OutputError as exc:  # resuming is an optimisation: never fail a run over it
            log.warning("cannot store map result: %s", exc.one_line())


def report_parts(sections: dict[SectionKind, str], budget: int) -> list[str]:
    """The report's standard sections as text parts of at most ``budget`` tokens each.

    Paragraphs stay whole where they fit; a paragraph over the budget is cut between sentences."""
    pieces: list[str] = []
    for kind in DIGEST_KINDS:
        for paragraph in sections.get(kind, "").split("\n"):
            if not paragraph.strip():
                continue
            if count_tokens(paragraph) <= budget:
                pieces.append(paragraph)
            else:
                pieces.extend(s for s in sentence_pieces(paragraph) if s.strip())
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for piece in pieces:
        cost = count_tokens(piece) + 1
        if current and used + cost > budget:
            parts.append("\n".join(current))
            current, used = [], 0
        current.append(piece)
        used += cost
    if current:
        parts.append("\n".join(current))
    return parts


MAP_FAILED = "map failed"


def map_report(model: ChatModel, template: PromptTemplate, store: MapStore, label: str, year: int,
               sections: dict[SectionKind, str]) -> ReportSummary:
    summary = ReportSummary()
    for part in report_parts(sections, digest_genre().limits.map_tokens):
        key = MapStore.key(model, template, part)
        found = store.get(key)
        if found is None:
            found = complete_structured(model, template.render(office=label, year=year, kinds=kind_list(), report=part), ReportSummary)
            store.put(key, found)
        summary = summary.merged(found)
    return summary


def map_reports(model: ChatModel, template: PromptTemplate, store: MapStore, labels: list[str], year: int,
                sections: list[dict[SectionKind, str]], concurrency: int,
                progress: Callable[[str, int, int], Any] | None = None,
                events: list[str] | None = None) -> list[ReportSummary]:
    """Map every report, ``concurrency`` at a time; results in input order. A report whose map
    call fails for good (content filter, endpoint error) is noted in ``events`` and left to the
    offline practices, so one report never sinks a run over hundreds."""
    done = 0
    lock = threading.Lock()

    def one(i: int) -> ReportSummary:
        nonlocal done
        try:
            result = map_report(model, template, store, labels[i], year, sections[i])
        except ModelError as exc:
            result = ReportSummary()
            with lock:
                if events is not None:
                    events.append(f"{labels[i]}: {MAP_FAILED} ({exc.one_line()}); its offline practices are used")
        with lock:
            done += 1
            if progress:
                progress("map", done, len(labels))
        return result

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(one, range(len(labels))))
