"""Per-case metrics of an output report (a draft or a digest), all deterministic.

Each function takes what the job produced (the parsed Document and the checker's report) and the
case, and returns values plus readable details: a number without the list of what it counted
would not tell a team what to fix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aidraft.check.model import FLAGGED, CheckReport, FigureStatus
from aidraft.draft.followup import follow_up
from aidraft.evals.cases import Case
from aidraft.evals.config import EvalConfig, LengthRange
from aidraft.evals.register import score_register, sentences
from aidraft.evals.repetition import score_repetition
from aidraft.evals.results import FigureMark, OutputView
from aidraft.figures.extract import extract_figures
from aidraft.figures.model import Approx, Figure
from aidraft.ledger import build_ledger
from aidraft.lint.run import lint_document
from aidraft.parse.document import Document, SectionKind
from aidraft.parse.notes import Notes
from aidraft.text import HAN_RUN, content_count, find_all, han_bigrams

# a misplaced figure has the notes' value (it is scored by misplaced_figures, not here)
OK = frozenset({FigureStatus.supported, FigureStatus.rounded, FigureStatus.derived, FigureStatus.misplaced})
DETAIL_MAX = 30
DRAFT_COVERS = 0.5  # share of a note's bigrams a draft sentence must contain to report it


@dataclass
class Scored:
    """Metric values and the readable lists behind them."""

    metrics: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, list[str]] = field(default_factory=dict)

    def note(self, key: str, lines: list[str]) -> None:
        if lines:
            self.details[key] = lines[:DETAIL_MAX] + (
                [f"… {len(lines) - DETAIL_MAX} more"] if len(lines) > DETAIL_MAX else []
            )


def body_text(doc: Document) -> str:
    """The report without its title: opening, sections and closing."""
    if doc.preamble:
        start = doc.text.find(doc.preamble, doc.body_start)
        return doc.text[start:] if start >= 0 else doc.text
    return doc.text[doc.sections[0].start :] if doc.sections else doc.text[doc.body_start :]


def _contained(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _lcs(a: list[SectionKind], b: list[SectionKind]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


def length_fit(n: int, bounds: LengthRange) -> float:
    if n < bounds.min:
        return round(n / bounds.min, 4) if bounds.min else 1.0
    if n > bounds.max:
        return round(bounds.max / n, 4)
    return 1.0


def figure_metrics(out: Scored, check: CheckReport, text: str, case: Case) -> None:
    """Precision, stale, unsupported, arithmetic and must-appear figures of a checked output."""
    checked = [f for f in check.figures if f.status is not FigureStatus.unchecked]
    ok = [f for f in checked if f.status in OK]
    out.metrics["figure_precision"] = round(len(ok) / len(checked), 4) if checked else 1.0
    stale = {f.start: f for f in checked if f.status is FigureStatus.stale}
    forbidden = [
        (at, fig)
        for fig in case.expect.forbidden_figures
        for at in find_all(text, fig)
        if at not in stale
    ]
    out.metrics["stale_figures"] = float(len(stale) + len(forbidden))
    bad = [f for f in checked if f.status in FLAGGED and f.status not in (FigureStatus.stale, FigureStatus.misplaced)]
    out.metrics["unsupported_figures"] = float(len(bad))
    out.metrics["arithmetic_errors"] = float(len(check.arithmetic))
    if case.expect.figures:
        found = [fig for fig in case.expect.figures if fig in text]
        out.metrics["expected_figures"] = round(len(found) / len(case.expect.figures), 4)
        out.note("expected figures missing", [fig for fig in case.expect.figures if fig not in text])
    else:
        out.metrics["expected_figures"] = None
    out.note(
        "stale figures",
        [f"{f.text} (line {f.line}){': ' + f.note if f.note else ''}" for f in stale.values()]
        + [f"{fig} (forbidden, offset {start})" for start, fig in forbidden],
    )
    out.note(
        "unsupported figures",
        [f"{f.text} (line {f.line}, {f.status.value}){': ' + f.note if f.note else ''}" for f in bad],
    )
    out.note("arithmetic", [a.message for a in check.arithmetic])


def restated_figures(out: Scored, doc: Document) -> None:
    """The same fact stated twice in two forms: exact figures of equal value and unit whose
    written forms differ (1.5万人次 / 15000人次 / 一万五千人次, 百分之九十八 / 98%). Values come
    from the figure model, so any notation it reads is compared by what it means."""
    groups: dict[tuple[object, str], list[Figure]] = {}
    body_start = len(doc.text) - len(body_text(doc))  # the title's year is no fact of the report
    for fig in extract_figures(doc.text):
        if fig.start >= body_start and fig.approx is Approx.exact and fig.value.exact:
            groups.setdefault((fig.value.low, fig.unit), []).append(fig)
    lines: list[str] = []
    count = 0
    for figs in groups.values():
        firsts: dict[str, Figure] = {}
        for fig in figs:
            firsts.setdefault(fig.text, fig)
        if len(firsts) < 2:
            continue
        count += len(firsts) - 1
        lines.append(" / ".join(f"{f.text} (line {f.line})" for f in firsts.values()))
    out.metrics["restated_figures"] = float(count)
    out.note("restated figures", lines)


def figure_recall(out: Scored, check: CheckReport, text: str, notes: Notes) -> None:
    """Distinct notes values (value and unit; one fact stated two ways counts once) that the
    output states, exactly or as a figure the checker traced to that notes figure."""
    stated = {(f.value.key(), f.unit) for f in extract_figures(text)}
    cited = {(f.source.line, f.source.text) for f in check.figures if f.status in OK and f.source}
    groups: dict[tuple[object, str], list[str]] = {}
    covered: set[tuple[object, str]] = set()
    for fig in extract_figures(notes.text):
        key = (fig.value.key(), fig.unit)
        groups.setdefault(key, []).append(f"{fig.text} (notes line {fig.line})")
        if key in stated or (fig.line, fig.text) in cited:
            covered.add(key)
    out.metrics["figure_recall"] = round(len(covered) / len(groups), 4) if groups else 1.0
    out.note("notes figures missing", [g[0] for k, g in groups.items() if k not in covered])


def structure_metrics(out: Scored, doc: Document, case: Case) -> None:
    kinds = [s.kind for s in doc.sections if s.kind is not None]
    required = case.expect.sections
    present = [k for k in required if k in kinds]
    out.metrics["section_completeness"] = round(len(present) / len(required), 4) if required else 1.0
    actual = list(dict.fromkeys(k for k in kinds if k in required))
    out.metrics["section_order"] = round(_lcs(required, actual) / len(actual), 4) if actual else 0.0
    out.note("sections missing", [k.value for k in required if k not in kinds])
    if actual and _lcs(required, actual) < len(actual):
        out.note(
            "section order",
            [
                " → ".join(k.value for k in actual)
                + " (expected "
                + " → ".join(k.value for k in required)
                + ")"
            ],
        )


def text_metrics(out: Scored, doc: Document, case: Case, config: EvalConfig) -> None:
    """Numbering, repetition, register, lint, length and phrase expectations of any output."""
    lint = lint_document(doc)
    headings = len(doc.walk())
    numbering = [f for f in lint.findings if f.rule.startswith("numbering-")]
    out.metrics["heading_numbering"] = (
        round(1 - min(len(numbering), headings) / headings, 4) if headings else 0.0
    )
    out.metrics["lint_findings"] = float(len(lint.findings))
    out.note("lint", [f"{f.rule} (line {f.line}): {f.excerpt}" for f in lint.findings])
    body = body_text(doc)
    rep = score_repetition(body)
    out.metrics["duplicate_sentences"] = float(rep.duplicate_sentences)
    out.metrics["repeated_ngram_share"] = rep.repeated_share
    out.note("duplicate sentences", [s.text for s in rep.sentences])
    out.note("repeated text", [s.text for s in rep.ngrams])
    reg = score_register(body, config.sentence_length.min, config.sentence_length.max)
    out.metrics["register_violations"] = float(len(reg.hits))
    out.metrics["sentence_length_fit"] = reg.fit
    out.note(
        "register", [f"{h.rule}: {h.text}" + (f" → {h.suggestion}" if h.suggestion else "") for h in reg.hits]
    )
    bounds = case.expect.length or config.length
    n = content_count(body)
    out.metrics["length_fit"] = length_fit(n, bounds)
    out.details["length"] = [
        f"{n} characters (target {bounds.min}–{bounds.max}); mean sentence "
        f"{reg.mean_sentence} over {reg.sentences} sentences"
    ]
    wanted = [(p, True) for p in case.expect.phrases] + [(p, False) for p in case.expect.forbidden_phrases]
    met = [(p, want) for p, want in wanted if (p in doc.text) == want]
    out.metrics["expected_phrases"] = round(len(met) / len(wanted), 4) if wanted else None
    out.note(
        "phrase expectations not met",
        [("missing: " if want else "present: ") + p for p, want in wanted if (p, want) not in met],
    )


def plan_coverage(out: Scored, doc: Document, notes: Notes, prior: Document | None) -> None:
    """Of last year's promises that this year's notes answer (followup done or partly), the share
    the draft reports too (outside its own plans section, which restates promises)."""
    if prior is None:
        out.metrics["plan_coverage"] = None
        return
    done = [
        s
        for sec in doc.sections
        if sec.kind is not SectionKind.plans
        for s in sentences(doc.text[sec.start : sec.end])
    ]
    done_keys = [han_bigrams(s, within_runs=True) for s in done]
    answered = covered = 0
    missing: list[str] = []
    for followup in follow_up(prior, build_ledger(notes)):
        if followup.status not in ("done", "partly"):
            continue
        answered += 1
        if any(_contained(han_bigrams(e.text, within_runs=True), d) >= DRAFT_COVERS for e in followup.evidence for d in done_keys):
            covered += 1
        else:
            missing.append(f"{followup.promise} ← notes: {followup.evidence[0].text}")
    out.metrics["plan_coverage"] = round(covered / answered, 4) if answered else None
    out.note("plans answered by the notes but not reported", missing)


def reference_overlap(out: Scored, doc: Document, reference: Document | None) -> None:
    """Character-bigram F1 against a reference report: a rough 'how close to a good report'."""
    if reference is None:
        out.metrics["reference_overlap"] = None
        return
    ours = Counter(r[i : i + 2] for r in HAN_RUN.findall(body_text(doc)) for i in range(len(r) - 1))
    theirs = Counter(r[i : i + 2] for r in HAN_RUN.findall(body_text(reference)) for i in range(len(r) - 1))
    common = sum((ours & theirs).values())
    if not common:
        out.metrics["reference_overlap"] = 0.0
        return
    p, r = common / sum(ours.values()), common / sum(theirs.values())
    out.metrics["reference_overlap"] = round(2 * p * r / (p + r), 4)


def output_view(doc: Document, check: CheckReport) -> OutputView:
    """The output text with the checker's figures, kept only where the offsets fit the text."""
    marks = [
        FigureMark(
            start=f.start,
            end=f.end,
            text=f.text,
            status=f.status.value,
            flagged=f.status in FLAGGED,
            note=f.note,
        )
        for f in check.figures
        if doc.text[f.start : f.end] == f.text
    ]
    marks += [
        FigureMark(start=a.start, end=a.end, text=a.text, status="arithmetic", flagged=True, note=a.message)
        for a in check.arithmetic
        if doc.text[a.start : a.end] == a.text
    ]
    return OutputView(text=doc.text, figures=sorted(marks, key=lambda m: (m.start, -m.end)))
