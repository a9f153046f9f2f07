"""The LLM backend of the draft job: plan with the model, write sections in parallel, check each
section against the notes and send the findings back for repair, falling back to the offline
writer per section when the model fails. Assembly, final check, marking and export are shared
with the offline backend (pipeline.run_draft).

Requests are deterministic (stable order, no clock), so with the on-disk cache a rerun after a
crash answers the finished sections from disk and only asks for the rest.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Literal

from pydantic import BaseModel, ConfigDict

from aidraft.check.model import FLAGGED, CheckReport
from aidraft.draft.bank import phrase_bank
from aidraft.draft.llm_plan import llm_plan
from aidraft.draft.llm_write import (
    SectionChecker,
    Unusable,
    clean_body,
    figure_problems,
    incomplete,
    item_lines,
    prior_example,
    register_rules,
    section_messages,
    unusable,
)
from aidraft.draft.pipeline import DraftInputs, RunInfo
from aidraft.draft.plan import DraftPlan, PlannedSection
from aidraft.draft.write_offline import WrittenSection, write_section_offline
from aidraft.errors import ModelError
from aidraft.llm.base import ChatModel, ContextTooLongError
from aidraft.llm.masking import find_masking, mask_summary
from aidraft.llm.metered import MeteredModel
from aidraft.prompts import load_prompt
from aidraft.settings import Settings

log = logging.getLogger(__name__)

PROMPTS = ("draft_plan", "draft_section", "draft_repair")
SECTION_MAX_TOKENS = 3000
EXAMPLE_BUDGET = 1200  # tokens of last year's section shown as a style example


class Progress(BaseModel):
    """One step done, for the CLI's per-section display."""

    model_config = ConfigDict(extra="forbid")

    stage: Literal["plan", "section"]
    title: str
    done: int
    total: int
    backend: str
    detail: str | None = None


ProgressFn = Callable[[Progress], None]


class LLMDrafter:
    """SectionDrafter over any ChatModel (an OpenAI-compatible endpoint, the cache, the fake).
    One instance per run: calls, tokens and events accumulate into its run_info()."""

    name = "llm"

    def __init__(self, model: ChatModel, settings: Settings, *, progress: ProgressFn | None = None) -> None:
        self.settings = settings
        self.model = MeteredModel(model)
        self.progress = progress
        self.prompts = {name: load_prompt(name, settings=settings) for name in PROMPTS}
        self.events: list[str] = []

    def plan(self, inputs: DraftInputs, base: DraftPlan) -> DraftPlan:
        masking = find_masking(self.model)
        if masking is not None:  # learn every name in the notes before any request, cached or not
            masking.prime(inputs.notes.text)
        plan, problem = llm_plan(self.model, self.prompts["draft_plan"], inputs, base)
        if problem:
            log.warning("%s", problem)
            self.events.append(problem)
        self._report("plan", "提纲", 1, 1, "offline" if problem else self.name, problem)
        return plan

    def write(self, inputs: DraftInputs, plan: DraftPlan) -> list[WrittenSection]:
        """All sections at once, at most ``settings.concurrency`` in flight; results in plan order."""
        checker, total = SectionChecker(inputs), len(plan.sections)
        done: dict[int, tuple[WrittenSection, list[str]]] = {}
        pool = ThreadPoolExecutor(max_workers=min(self.settings.concurrency, max(total, 1)),
                                  thread_name_prefix="aidraft-section")
        futures: dict[Future[tuple[WrittenSection, list[str]]], int] = {
            pool.submit(self._section, inputs, plan, section, checker): index
            for index, section in enumerate(plan.sections)
        }
        try:
            for future in as_completed(futures):
                written, _ = done[futures[future]] = future.result()
                self._report("section", written.title, len(done), total, written.backend, written.note)
        except BaseException:  # ConfigError, Ctrl-C: stop queued sections; finished ones are cached
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        for index in range(total):
            self.events.extend(done[index][1])
        return [done[index][0] for index in range(total)]

    def run_info(self) -> RunInfo:
        versions = {name: template.version for name, template in self.prompts.items()}
        m = self.model
        return RunInfo(backend=self.name, model=m.identity.get("model") or None,
                       prompt_versions={**versions, "register": register_rules().version},
                       prompt_tokens=m.prompt_tokens, completion_tokens=m.completion_tokens,
                       model_calls=m.model_calls, cached_calls=m.cached_calls, events=list(self.events),
                       privacy=mask_summary(m) if find_masking(m) is not None else None)

    # --- one section ------------------------------------------------------------------------

    def _section(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection,
                 checker: SectionChecker) -> tuple[WrittenSection, list[str]]:
        """Draft → check → repair; any ModelError falls back to the offline writer for this section."""
        if not section.item_ids:  # nothing to write from: the offline writer marks it 【待补充】
            return write_section_offline(plan, section, inputs.items), []
        example, trimmed = prior_example(inputs, section.kind, EXAMPLE_BUDGET)
        events = [f"style example for {section.title}: {trimmed}"] if trimmed else []
        try:
            try:
                body, problem = self._draft(inputs, plan, section, example)
            except ContextTooLongError:
                if not example:
                    raise
                events.append(f"style example for {section.title}: left out, the prompt was too long for the model")
                body, problem = self._draft(inputs, plan, section, "")
            if body is None:
                reason = f"model answer unusable twice ({problem.en if problem else '?'})"
                return self._offline(inputs, plan, section, reason, events)
            body, note = self._repair(inputs, plan, section, body, checker)
        except ModelError as exc:
            return self._offline(inputs, plan, section, f"{type(exc).__name__}: {exc.one_line()}", events)
        return WrittenSection(kind=section.kind, title=section.title, body=body, backend=self.name, note=note), events

    def _draft(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection,
               example: str) -> tuple[str | None, Unusable | None]:
        """The section body, re-asked once (with the reason) when the answer is garbage."""
        problem: Unusable | None = None
        for _ in range(2):
            messages = section_messages(self.prompts["draft_section"], plan, section, inputs.items, example,
                                        retry_reason=problem.zh if problem else "")
            answer = self.model.complete(messages, max_tokens=SECTION_MAX_TOKENS)
            body = clean_body(answer.text, section.title)
            problem = unusable(body, answer) or incomplete(body, section, inputs.items)
            if problem is None:
                return body, None
        return None, problem

    def _repair(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, body: str,
                checker: SectionChecker) -> tuple[str, str | None]:
        """Send flagged figures and register slips back while each round improves; keep the best.
        A version that drops figures the notes support counts them as problems: a repair must not
        buy a clean check by deleting the section's facts."""
        rules, template = register_rules(), self.prompts["draft_repair"]
        report, wording = checker.check(body), rules.findings(body)
        facts = _supported(report)
        score, rounds = (report.summary.flagged, len(wording)), 0
        while score != (0, 0) and rounds < self.settings.max_repair_rounds:
            rounds += 1
            messages = template.render(
                office=plan.office, short=plan.short, section_title=section.title, body=body,
                figures=figure_problems(report, body), wording=wording,
                items=item_lines(section.item_ids, inputs.items), missing=phrase_bank().placeholders.missing)
            try:
                answer = self.model.complete(messages, max_tokens=SECTION_MAX_TOKENS)
            except ModelError as exc:
                log.warning("repair of %s failed: %s", section.title, exc.one_line())
                break
            fixed = clean_body(answer.text, section.title)
            if fixed == body or unusable(fixed, answer):
                break  # the same request would get the same answer
            fixed_report, fixed_wording = checker.check(fixed), rules.findings(fixed)
            lost = sum((facts - _supported(fixed_report)).values())
            fixed_score = (fixed_report.summary.flagged + lost, len(fixed_wording))
            if fixed_score >= score:
                break
            body, report, wording, score = fixed, fixed_report, fixed_wording, fixed_score
        flagged = [f.text for f in report.figures if f.status in FLAGGED] + [a.text for a in report.arithmetic]
        notes = [f"{len(flagged)} figure(s) unverified after {rounds} repair round(s): {'、'.join(flagged)}"] if flagged else []
        notes += [f"register: {'；'.join(wording)}"] if wording else []
        return body, "; ".join(notes) or (f"repaired in {rounds} round(s)" if rounds else None)

    def _offline(self, inputs: DraftInputs, plan: DraftPlan, section: PlannedSection, reason: str,
                 events: list[str]) -> tuple[WrittenSection, list[str]]:
        log.warning("%s: %s; written offline", section.title, reason)
        written = write_section_offline(plan, section, inputs.items)
        note = f"{reason}; written offline"
        return written.model_copy(update={"backend": "offline", "note": note}), [*events, f"{section.title}: {note}"]

    def _report(self, stage: Literal["plan", "section"], title: str, done: int, total: int, backend: str,
                detail: str | None) -> None:
        if self.progress is not None:
            self.progress(Progress(stage=stage, title=title, done=done, total=total, backend=backend, detail=detail))


def _supported(report: CheckReport) -> Counter[str]:
    return Counter(f.text for f in report.figures if f.status not in FLAGGED)
