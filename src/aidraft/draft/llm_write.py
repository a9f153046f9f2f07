"""Last year's section as a style example for the LLM writer: the matching section of the prior
report without its title line, cut at whole sentences to a token budget. A pure function of its
inputs, so identical runs render identical requests (what lets the response cache resume a run)."""

from __future__ import annotations

from aidraft.draft.pipeline import DraftInputs
from aidraft.llm.budget import fit_to_budget
from aidraft.parse.document import NumberStyle, SectionKind
from aidraft.parse.headings import parse_heading


def prior_example(inputs: DraftInputs, kind: SectionKind, budget: int) -> tuple[str, str | None]:
    """Last year's section of this kind without its title line, cut at whole sentences to ``budget``
    tokens; the second value says what was dropped (for the run log), None when nothing was."""
    text = inputs.prior_section(kind)
    if not text:
        return "", None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head = parse_heading(lines[0]) if lines else None
    if head is not None and head.style is NumberStyle.cn_dun:
        lines = lines[1:]
    fit = fit_to_budget(lines, budget)
    return "\n".join(fit), (fit.summary if fit.truncated else None)
