"""The LLM backend of the draft job: sections start at once from the program's own plan (no model
plan on the critical path), each is asked as structured output (sentences citing note ids), verified
by code (draft/llm_verify.py), re-asked once with the reasons, and written offline from the notes
when the model still fails. Every section records its provenance: model, model after repair, or
offline and why. Assembly, final check, marking and export are shared with the offline backend.

Requests are deterministic (stable order, no clock), so with the on-disk cache a rerun after a
crash answers the finished sections from disk and only asks for the rest.

A dead endpoint costs one part's retries, not every part's: once a part fails for transport reasons
(timeout, connection, 5xx, rate limit, each after its retries) the breaker of this run trips and the
parts not yet asked are written offline at once, with one line saying so. Ctrl-C sets the process's
stop signal (llm/stop.py): no request or retry is sent after it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Literal

from pydantic import Field

from aidraft import regexes
from aidraft.draft.leaks import Instructions
from aidraft.draft.llm_section import (
    SectionDraft,
    load_examples,
    note_label,
    render_body,
    section_material,
    section_messages,
    without_heading_echoes,
)
from aidraft.draft.llm_verify import LEAK_EN, Problem, SectionVerifier, hard
from aidraft.draft.llm_write import prior_example
from aidraft.draft.pipeline import DraftInputs, RunInfo
from aidraft.draft.plan import DraftPlan, PlannedSection, PlannedSubsection
from aidraft.draft.review import ReviewFinding, review_sections
from aidraft.draft.write_offline import WrittenSection, write_section_offline
from aidraft.errors import ModelError
from aidraft.genre.register import register_rules
from aidraft.llm.base import (
    ChatModel,
    Completion,
    ContextTooLongError,
    Message,
    ModelConnectionError,
    ModelOutputError,
    ModelServerError,
    ModelTimeoutError,
    RateLimitedError,
)
from aidraft.llm.masking import find_masking, mask_summary
from aidraft.llm.metered import MeteredModel
from aidraft.llm.stop import STOP
from aidraft.llm.structured import complete_structured
from aidraft.messages import language, text
from aidraft.prompts import load_prompt
from aidraft.settings import Settings
from aidraft.strict import Strict

log = logging.getLogger(__name__)

PROMPTS = ("draft_section", "draft_repair", "draft_review")
SECTION_MAX_TOKENS = 3000
EXAMPLE_BUDGET = 1200  # tokens of last year's section shown as a style example
#: Notes per request at most (whole sub-sections): the longest section would otherwise set the
#: wall time of the whole draft while the short ones wait (issue: chain ≥ 1.5× faster than one prompt).
PART_NOTES = 5
ANSWER_ECHO_CHARS = 3000  # how much of a rejected answer goes back with the re-ask
QUOTED = regexes.compile(r"“([^”]+?)…?”")
#: The endpoint, not the answer, failed (each after its retries): the run's breaker trips.
TRANSPORT = (ModelTimeoutError, ModelConnectionError, ModelServerError, RateLimitedError)
PROBLEM_LINES = 3  # validation problems sent back with a re-ask (field path and message each)


class Progress(Strict):
    """One step done, for the CLI's per-section display."""

    stage: Literal["plan", "section"]
    title: str
    done: int
    total: int
    backend: str
    detail: str | None = None
    fallback: bool = False  # written offline because the model could not write it


ProgressFn = Callable[[Progress], None]


class Attempt(Strict):
    """One answer and what verification found in it (``draft`` is None when it was not JSON)."""

    answer: str
    draft: SectionDraft | None
    problems: list[Problem]
    cached: bool = False  # the answer came from the cache (a rerun replays it unless asked fresh)

    @property
    def accepted(self) -> bool:
        return self.draft is not None and not hard(self.problems)


class PartResult(Strict):
    """What the model wrote for one part of a section, or why it could not."""

    draft: SectionDraft | None = None
    provenance: Literal["model", "repaired"] = "model"
    note: str | None = None
    failure: str | None = None
    events: list[str] = Field(default_factory=list)
    first_item: int = -1


def split_section(section: PlannedSection, most: int = PART_NOTES) -> list[PlannedSection]:
    """A section's parts: consecutive sub-sections grouped up to ``most`` notes each (a bigger
    sub-section stays whole). A section with no notes has no part: nothing is asked."""
    if not section.item_ids:
        return []
    parts: list[list[PlannedSubsection]] = [[]]
    for sub in section.subsections:
        if not sub.item_ids:
            continue
        if parts[-1] and sum(len(s.item_ids) for s in parts[-1]) + len(sub.item_ids) > most:
            parts.append([])
        parts[-1].append(sub)
    return [section.model_copy(update={"subsections": group, "pending": []}) for group in parts if group]


class LLMDrafter:
    """SectionDrafter over any ChatModel (an OpenAI-compatible endpoint, the cache, the fake).
    One instance per run: calls, tokens and events accumulate into its run_info()."""

    name = "llm"

    def __init__(self, model: ChatModel, settings: Settings, *, progress: ProgressFn | None = None) -> None:
        self.settings = settings
        self.model = MeteredModel(model)
        self.progress = progress
        self.prompts = {name: load_prompt(name, settings=settings) for name in PROMPTS}
        self.examples = load_examples(settings)
        self.events: list[str] = []
        self.review: list[ReviewFinding] = []
        self._down: str | None = None  # why the endpoint failed, once it has (this run only)
        self._down_lock = threading.Lock()

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan:
        """The program's plan, unchanged: sections start without waiting for a model plan."""
        masking = find_masking(self.model)
        if masking is not None:  # learn every name in the notes before any request, cached or not
            masking.prime(inputs.notes.text)
        return base

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]:
        """Every part of every section at once, at most ``settings.concurrency`` in flight (a long
        section is split into parts so it does not dominate the wall time); results in plan order."""
        parts = [(index, part) for index, section in enumerate(plan.sections) for part in split_section(section)]
        total = len(plan.sections)
        results: dict[int, list[PartResult]] = {index: [] for index in range(total)}
        expected = {index: sum(1 for i, _ in parts if i == index) for index in range(total)}
        done: dict[int, tuple[WrittenSection, list[str]]] = {}
        STOP.clear()  # a new run: nothing interrupted yet
        pool = ThreadPoolExecutor(max_workers=min(self.settings.concurrency, max(len(parts), 1)),
                                  thread_name_prefix="aidraft-section")
        futures: dict[Future[PartResult], int] = {
            pool.submit(self._part, inputs, plan, part): index for index, part in parts}
        try:
            for future in as_completed(futures):
                index = futures[future]
                results[index].append(future.result())
                if len(results[index]) == expected[index]:
                    done[index] = self._combine(inputs, plan, plan.sections[index], results[index])
                    written = done[index][0]
                    self._report("section", written.title, len(done), total, written.provenance, written.note,
                                 written.fallback)
        except BaseException as exc:  # ConfigError, Ctrl-C: stop queued parts; finished ones are cached
            if isinstance(exc, KeyboardInterrupt):
                STOP.set()  # parts in flight send no further request or retry
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        if self._down is not None:
            self.events.append(text("draft.llm.endpoint_down", reason=self._down))
        for index in range(total):
            if index not in done:  # a section with no notes: no part was asked
                done[index] = (write_section_offline(plan, plan.sections[index], inputs.items), [])
            self.events.extend(done[index][1])
        written = [done[index][0] for index in range(total)]
        if not self.settings.review:
            return written
        reviewer = self.model if any(s.provenance != "offline" for s in written) else None
        reviewed, self.review = review_sections(written, reviewer, self.prompts["draft_review"], inputs.items)
        return reviewed

    def run_info(self) -> RunInfo:
        versions = {name: template.version for name, template in self.prompts.items()}
        m = self.model
        return RunInfo(backend=self.name, model=m.identity.get("model") or None,
                       prompt_versions={**versions, "register": register_rules().version,
                                        "examples": self.examples.version},
                       prompt_tokens=m.prompt_tokens, completion_tokens=m.completion_tokens,
                       model_calls=m.model_calls, cached_calls=m.cached_calls, events=list(self.events),
                       review=list(self.review),
                       privacy=mask_summary(m) if find_masking(m) is not None else None)

    # --- one section ------------------------------------------------------------------------

    def _part(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection) -> PartResult:
        """Ask → verify → re-ask once with the reasons; never raises a ModelError (the reason is kept).
        Answers rejected that came from the cache are asked for once more past it: a rerun after a
        bad answer (or after the checker grew stricter) must not replay the rejection forever."""
        if self._down is not None:  # the breaker has tripped: not one more request to a dead endpoint
            return PartResult(failure=text("draft.llm.skipped"))
        result, cached = self._part_once(inputs, plan, section, fresh=False)
        if result.failure and cached:
            result, _ = self._part_once(inputs, plan, section, fresh=True)
            result.events.insert(0, text("draft.llm.cached_rejected", title=section.title))
        return result

    def _trip(self, reason: str) -> bool:
        """Open the breaker; True for the first failure, whose reason is the run's one line (parts
        that were in flight with it say only that the endpoint had failed)."""
        with self._down_lock:
            if self._down is None:
                self._down = reason
                return True
            return False

    def _part_once(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, *,
                   fresh: bool) -> tuple[PartResult, bool]:
        """One round of ask → verify → re-ask, and whether a rejected answer in it came from the cache."""
        example, trimmed = prior_example(inputs, section.kind, EXAMPLE_BUDGET)
        events = [text("draft.llm.example_trimmed", title=section.title, what=trimmed)] if trimmed else []
        try:
            try:
                first = self._ask_first(inputs, plan, section, example, fresh)
            except ContextTooLongError:
                if not example:
                    raise
                events.append(text("draft.llm.example_dropped", title=section.title))
                example = ""
                first = self._ask_first(inputs, plan, section, example, fresh)
            best, provenance, cached = first, "model", first.cached
            if first.problems and self.settings.max_repair_rounds > 0:
                second = self._reask(inputs, plan, section, example, first, fresh)
                cached = cached or second.cached
                if second.accepted or not first.accepted:
                    best, provenance = second, "repaired"
        except ModelError as exc:
            first_down = not isinstance(exc, TRANSPORT) or self._trip(exc.one_line())
            return PartResult(failure=exc.one_line() if first_down else text("draft.llm.skipped"), events=events), False
        if not best.accepted or best.draft is None:
            reasons = _said(hard(best.problems)) or text("draft.llm.no_usable_answer")
            key = "draft.llm.rejected_reask" if provenance == "repaired" else "draft.llm.rejected_first"
            return PartResult(failure=text(key, reasons=reasons), events=events), cached
        note = _said(best.problems) or (text("draft.llm.repaired", reasons=_said(first.problems))
                                        if provenance == "repaired" else None)
        return PartResult(draft=best.draft, provenance=provenance, note=note, events=events,  # type: ignore[arg-type]
                          first_item=section.item_ids[0]), False

    def _combine(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection,
                 parts: list[PartResult]) -> tuple[WrittenSection, list[str]]:
        """One section from its parts, in plan order; any part the model could not write sends the
        whole section to the offline writer (its numbering and leads stay whole)."""
        events = [e for part in parts for e in part.events]
        if failures := [part.failure for part in parts if part.failure]:  # two parts, one reason: said once
            return self._offline(inputs, plan, section, text("draft.llm.separator").join(dict.fromkeys(failures)),
                                 events)
        ordered = sorted(parts, key=lambda part: section.item_ids.index(part.first_item))
        merged = SectionDraft(paragraphs=[p for part in ordered if part.draft for p in part.draft.paragraphs])
        provenance = "repaired" if any(part.provenance == "repaired" for part in parts) else "model"
        note = text("draft.llm.separator").join(dict.fromkeys(part.note for part in ordered if part.note)) or None
        body, sentences = render_body(merged, section)
        written = WrittenSection(kind=section.kind, title=section.title, body=body, backend=self.name, note=note,
                                 provenance=provenance, sentences=sentences)  # type: ignore[arg-type]
        return written, events

    def _ask_first(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, example: str,
                   fresh: bool = False) -> Attempt:
        messages = section_messages(self.prompts["draft_section"], plan, section, inputs.items, self.examples, example)
        return self._attempt(inputs, plan, section, example, messages, fresh=fresh)

    def _reask(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, example: str,
               first: Attempt, fresh: bool = False) -> Attempt:
        messages = section_messages(self.prompts["draft_section"], plan, section, inputs.items, self.examples, example)
        reasons = [p.zh for p in first.problems]
        labels = [note_label(i) for i in section.item_ids]
        reask = self.prompts["draft_repair"].render(section_title=section.title, problems=reasons, labels=labels)
        previous = first.answer[:ANSWER_ECHO_CHARS] or "（空）"
        # the model's own words quoted back are material in the re-ask; quoted prompt text stays ours
        quoted = [q for p in first.problems if not p.en.startswith(LEAK_EN) for q in QUOTED.findall(p.zh)]
        return self._attempt(inputs, plan, section, example, [*messages, Message.assistant(previous), *reask], quoted,
                             fresh=fresh)

    def _attempt(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, example: str,
                 messages: list[Message], quoted: list[str] | None = None, *, fresh: bool = False) -> Attempt:
        schema_text = json.dumps(SectionDraft.model_json_schema(), ensure_ascii=False)
        material = [*section_material(plan, section, inputs.items, self.examples, example), *(quoted or [])]
        instructions = Instructions([*messages, Message.system(schema_text)], material)
        verifier = SectionVerifier(section, inputs.items, instructions)
        answers: list[Completion] = []
        try:
            draft = complete_structured(self.model, messages, SectionDraft, max_attempts=1,
                                        max_tokens=SECTION_MAX_TOKENS, fresh=fresh, answers=answers)
        except ModelOutputError as exc:  # the re-ask says what was wrong: field path and message, not the answer
            detail = [line.lstrip("- ") for line in exc.problem.splitlines()[:PROBLEM_LINES]]
            problem = Problem(en=": ".join([text("draft.llm.not_json", "en"), *detail[:1]]),
                              zh="：".join([text("draft.llm.not_json", "zh"), "；".join(detail)] if detail else
                                          [text("draft.llm.not_json", "zh")]))
            return Attempt(answer=exc.last_answer, draft=None, problems=[problem], cached=any(a.cached for a in answers))
        draft = without_heading_echoes(draft, section)
        return Attempt(answer=draft.model_dump_json(), draft=draft, problems=verifier.verify(draft),
                       cached=any(a.cached for a in answers))

    def _offline(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, reason: str,
                 events: list[str]) -> tuple[WrittenSection, list[str]]:
        """The section from the notes; its note carries the reason (shown once, with the section: no
        warning and no run-log line repeating it)."""
        log.info("%s: %s; written offline", section.title, reason)
        written = write_section_offline(plan, section, inputs.items)
        note = text("draft.llm.written_offline", reason=reason)
        update = {"backend": "offline", "note": note, "provenance": "offline", "fallback": True}
        return written.model_copy(update=update), events

    def _report(self, stage: Literal["plan", "section"], title: str, done: int, total: int, backend: str,
                detail: str | None, fallback: bool = False) -> None:
        if self.progress is not None:
            self.progress(Progress(stage=stage, title=title, done=done, total=total, backend=backend, detail=detail,
                                   fallback=fallback))


def _said(problems: list[Problem]) -> str:
    """Problems in the language of whoever reads the run (Chinese for the web page and documents)."""
    chinese = language() == "zh"
    return text("draft.llm.separator").join(dict.fromkeys(p.zh if chinese else p.en for p in problems))
