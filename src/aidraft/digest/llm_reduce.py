"""LLM reduce step: per section kind, all offices' practices → merged practices with offices.

The LangGraph map-reduce summarisation pattern: while the practice list is over the reduce
budget, split it into parts that fit, collapse each part (merge duplicates, lose nothing), and
repeat; when it fits, reduce once more into the final common and notable practices. The model
only merges words: offices it names are checked against the ones it was given, figures it writes
are cut out again, and Python adds every total and rate afterwards.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aidraft.digest.clusters import Item
from aidraft.digest.config import DIGEST_KINDS, digest_genre
from aidraft.digest.grounding import grounded_offices
from aidraft.digest.group import SentenceGrouper
from aidraft.digest.llm_map import MAP_FAILED, MapStore, ReportSummary, map_reports
from aidraft.digest.model import DigestRun, Practice, Source
from aidraft.digest.sentences import clean_sentence, has_figures, strip_figures
from aidraft.llm.base import ChatModel
from aidraft.llm.budget import count_tokens
from aidraft.llm.metered import MeteredModel
from aidraft.llm.structured import complete_structured
from aidraft.parse.document import SectionKind
from aidraft.parse.kinds import catalogue
from aidraft.prompts import PromptTemplate, load_prompt
from aidraft.settings import Settings

MIN_TEXT = 6


class ReducedPractice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="一句话概括的做法（或问题、安排），不含数字和单位名称")
    offices: list[str] = Field(default_factory=list, description="有这一要点的单位，只能照抄【】中的名称")


class Reduction(BaseModel):
    model_config = ConfigDict(extra="ignore")

    practices: list[ReducedPractice] = Field(default_factory=list)


def render_items(items: list[ReducedPractice]) -> str:
    return "\n".join(f"- {p.text}【{'、'.join(p.offices)}】" for p in items)


def split_items(items: list[ReducedPractice], budget: int) -> list[list[ReducedPractice]]:
    """Consecutive runs of items whose rendering fits ``budget`` tokens (at least one item each)."""
    parts: list[list[ReducedPractice]] = [[]]
    used = 0
    for item in items:
        cost = count_tokens(render_items([item])) + 1
        if parts[-1] and used + cost > budget:
            parts.append([])
            used = 0
        parts[-1].append(item)
        used += cost
    return [p for p in parts if p]


def _clean(text: str) -> str | None:
    text = clean_sentence(text)
    if has_figures(text):
        return strip_figures(text, MIN_TEXT)
    return text if len(text) >= MIN_TEXT else None


def reduce_once(model: ChatModel, template: PromptTemplate, kind: SectionKind, items: list[ReducedPractice],
                *, final: bool, year: int, slots: threading.BoundedSemaphore | None = None) -> list[ReducedPractice]:
    """One reduce call; offices outside the input are dropped, and so are practices left without any.

    ``slots`` bounds the requests in flight across every section (--concurrency): the sections
    reduce side by side, and their final calls must not exceed it either."""
    genre = digest_genre()
    allowed = {o for item in items for o in item.offices}
    messages = template.render(section=catalogue().title(kind).format(year=year, next_year=year + 1),
                               items=render_items(items), final=final, max_items=genre.limits.max_common)
    if slots is None:
        answer = complete_structured(model, messages, Reduction)
    else:
        with slots:
            answer = complete_structured(model, messages, Reduction)
    out = []
    for practice in answer.practices:
        offices = list(dict.fromkeys(o.strip() for o in practice.offices if o.strip() in allowed))
        text = _clean(practice.text)
        if offices and text:
            out.append(ReducedPractice(text=text, offices=offices))
    return out


def merge_equal(items: list[ReducedPractice]) -> list[ReducedPractice]:
    """Equal texts become one practice of all their offices (no model needed for that)."""
    merged: dict[str, list[str]] = {}
    for item in items:
        merged.setdefault(item.text, []).extend(item.offices)
    return [ReducedPractice(text=t, offices=list(dict.fromkeys(o))) for t, o in merged.items()]


def similar_first(items: list[ReducedPractice]) -> list[ReducedPractice]:
    """Similar practices next to each other, so a budget-sized part holds what can be merged."""
    limits = digest_genre().limits
    grouper = SentenceGrouper(limits.similarity, limits.posting_cap, limits.candidates)
    gids = []
    for index, item in enumerate(items):
        group = grouper.add(index, str(index), item.text)
        gids.append(group.gid if group is not None else len(items) + index)
    return [items[i] for i in sorted(range(len(items)), key=lambda i: (gids[i], i))]


def _fits(items: list[ReducedPractice], budget: int) -> bool:
    return count_tokens(render_items(items)) <= budget


def reduce_kind(model: ChatModel, template: PromptTemplate, kind: SectionKind, items: list[ReducedPractice],
                pool: ThreadPoolExecutor, year: int,
                slots: threading.BoundedSemaphore | None = None) -> list[ReducedPractice]:
    """Collapse in rounds until the list fits the budget, then reduce it once more.

    Each round merges equal texts, puts similar ones side by side, cuts the list into parts that
    fit and asks the model to merge each part of two or more; it stops when a round merges
    nothing (the list is then kept whole, never cut) or after ``max_rounds``."""
    limits = digest_genre().limits
    items = merge_equal(items)
    for _ in range(limits.max_rounds):
        if not items or _fits(items, limits.reduce_tokens):
            break
        parts = split_items(similar_first(items), limits.reduce_tokens)
        todo = [part for part in parts if len(part) > 1]
        if not todo:
            break
        merged = iter(pool.map(lambda part: reduce_once(model, template, kind, part, final=False, year=year,
                                                        slots=slots), todo))
        collapsed = merge_equal([p for part in parts for p in (next(merged) if len(part) > 1 else part)])
        progress_made = len(collapsed) < len(items)
        items = collapsed
        if not progress_made:
            break
    if not items or not _fits(items, limits.reduce_tokens):
        return items
    return reduce_once(model, template, kind, items, final=True, year=year, slots=slots)


def to_practices(items: list[ReducedPractice], where: dict[str, Source] | None = None,
                 sentences: dict[str, list[Item]] | None = None, events: list[str] | None = None,
                 ) -> tuple[list[Practice], list[Practice]]:
    """Common (≥2 offices, counted) and notable practices; ``where``: each office's section line.
    With ``sentences`` (each office's report sentences), a practice keeps only the offices whose
    report says it, each sourced to the sentence that does (digest/grounding.py)."""
    limits = digest_genre().limits
    where = where or {}
    lines: dict[tuple[str, str], Source] = {}
    if sentences is not None:
        grounded = []
        for p in items:
            kept, found = grounded_offices(p.text, p.offices, sentences)
            if events is not None and len(kept) < len(p.offices):
                events.append(f"model practice “{p.text}” is not in the report of "
                              f"{'、'.join(o for o in p.offices if o not in kept)}: credited to "
                              f"{'、'.join(kept) or 'no office, left out'}")
            if kept:
                grounded.append(p.model_copy(update={"offices": kept}))
                lines.update({(p.text, o): s for o, s in found.items()})
        items = grounded

    def practice(p: ReducedPractice, counted: bool) -> Practice:
        sources = [lines.get((p.text, o)) or where[o] for o in p.offices if (p.text, o) in lines or o in where]
        return Practice(text=p.text, labels=p.offices, files=[s.file for s in sources], sources=sources,
                        counted=counted)

    ranked = sorted(items, key=lambda p: -len(p.offices))
    common = [practice(p, True) for p in ranked if len(p.offices) >= 2][: limits.max_common * 2]
    notable = [practice(p, False) for p in items if len(p.offices) == 1][: limits.max_notable * 2]
    return common, notable


def llm_practices(g: Any, offline: dict[SectionKind, tuple[list[Practice], list[Practice]]], settings: Settings,
                  model: ChatModel | None, progress: Any = None,
                  ) -> tuple[dict[SectionKind, tuple[list[Practice], list[Practice]]], DigestRun]:
    """Map every report, reduce per section; offices the model left out keep an offline practice.

    ``g`` is the pipeline's Gathered (typed loosely so this module never imports the pipeline)."""
    if model is None:
        model = settings.chat_model()
        assert model is not None
    counting = MeteredModel(model)
    map_t, reduce_t = load_prompt("digest_map", settings=settings), load_prompt("digest_reduce", settings=settings)
    store = MapStore(settings.cache_dir / "digest-map" if settings.use_cache else None)
    labels = [r.label for r in g.reports]
    year = g.year
    events: list[str] = []
    summaries: list[ReportSummary] = map_reports(counting, map_t, store, labels, year, g.sections,
                                                 settings.concurrency, progress, events)
    out: dict[SectionKind, tuple[list[Practice], list[Practice]]] = {}
    sentences: dict[str, list[Item]] = {}  # every office's report sentences, all kinds: what grounds a practice
    for kind_items in g.items.values():
        for item in kind_items:
            sentences.setdefault(item.label, []).append(item)

    slots = threading.BoundedSemaphore(max(1, settings.concurrency))

    def reduce_one(kind: SectionKind) -> tuple[SectionKind, tuple[list[Practice], list[Practice]]]:
        items = [ReducedPractice(text=t, offices=[label]) for label, s in zip(labels, summaries, strict=True)
                 for t in (_clean(x) for x in s.items(kind)) if t]
        where = {r.label: Source(office=r.label, file=r.file, line=lines.get(kind, 1))
                 for r, lines in zip(g.reports, g.section_lines, strict=True)}
        return kind, to_practices(reduce_kind(counting, reduce_t, kind, items, pool, year, slots), where,
                                  sentences, events)

    # The four kinds reduce side by side (their own small pool); collapse calls inside each share the
    # bounded pool. Submitting the kinds to that same pool could deadlock at concurrency 1. Every
    # request (collapse or final) takes one of ``slots``, so at most --concurrency are in flight.
    with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool, \
            ThreadPoolExecutor(max_workers=len(DIGEST_KINDS)) as kinds:
        for done, (kind, practices) in enumerate(kinds.map(reduce_one, DIGEST_KINDS), start=1):
            out[kind] = practices
            if progress:
                progress("reduce", done, len(DIGEST_KINDS))
    _keep_everyone(out, offline, labels)
    run = DigestRun(backend="openai", model=model.identity.get("model"),
                    prompt_versions={map_t.name: map_t.version, reduce_t.name: reduce_t.version},
                    model_calls=counting.model_calls, cached_calls=counting.cached_calls, resumed_maps=store.hits,
                    failed_maps=sum(1 for e in events if MAP_FAILED in e),
                    prompt_tokens=counting.prompt_tokens, completion_tokens=counting.completion_tokens,
                    events=sorted(events))
    return out, run


def _keep_everyone(out: dict[SectionKind, tuple[list[Practice], list[Practice]]],
                   offline: dict[SectionKind, tuple[list[Practice], list[Practice]]], labels: list[str]) -> None:
    """Every office is attributed at least once: one the model dropped keeps an offline practice."""
    cap = digest_genre().limits.max_names
    named = Counter(lb for common, notable in out.values() for p in [*common, *notable] for lb in p.labels[:cap])
    for label in labels:
        if named[label]:
            continue
        for kind in DIGEST_KINDS:
            found = next((p for p in offline.get(kind, ([], []))[1] if p.labels == [label]), None)
            if found is not None:
                out.setdefault(kind, ([], []))[1].append(found)
                named[label] += 1
                break
