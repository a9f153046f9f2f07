"""One notes line → its items: a；b, 问题：a；b, 短板：①a②b, 明年：一是a。二是b.

A line is cut at ；/;/。 and before ①②… or 二是, 三是 … (after a 一是 that opens an enumeration),
never inside 《》“”（）, and a part that depends on the one before (其中…, 同比…, a cause) stays
with it. Before that, what is no work is told apart: a comment is dropped, a jotting (TODO …,
联系人：…, 见附件…) and a question to oneself are marked, a (待核实) is taken off as a flag, and
an opener (原因是, 存在的问题是) or an inline 原因： labels the line as a label would. Word lists
are genre data (genre/notes_cues.yaml ``split``, ``jottings``, ``labels.openers``).
"""

from __future__ import annotations

import re

from aidraft import regexes
from aidraft.figures.extract import extract_figures
from aidraft.figures.numerals import cn_number
from aidraft.parse.notes_cues import blank_quoted, find_word, note_cues
from aidraft.text import HAN, HAN_CHAR

# several items on one line: a；b  /  问题：a；b  /  短板：①a②b  /  明年：一是a。二是b
ITEM_SPLIT = regexes.compile(r"[；;。]|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
# an ordinal of an enumeration (一是 … 二是 …), never the 一是 of 统一是 nor 第二是
ORDINAL = regexes.compile(r"(?<!第)([一二三四五六七八九十]{1,3})是")
LEADING_ORDINAL = regexes.compile(r"^\s*(?:[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]{1,3}是(?=\S))\s*")
ORDINAL_AFTER = "，,：:；;。 \t"  # what may stand right before the 一是 that opens an enumeration
_SPACE_OR_WORD = regexes.compile(r"\s+|\S+")
#: Markdown a jotted line may carry into the report: a quote mark, a nested bullet or a task box at
#: its start; bold, code and strike marks anywhere (never a single ~, which writes a range: 2~3天).
_MARKUP_LEAD = regexes.compile(r"^(?:>\s*|[-*+•]\s+|\[[ xX✓√]\]\s*)+")
_MARKUP_INLINE = regexes.compile(r"\*+|__|~~|`+")
# after a contact word, what makes it a label: a colon, a number, or a short name then a mark
_AS_LABEL = regexes.compile(rf"\s*(?:[：:]|\d|\+|[{HAN}]{{2,3}}(?:[\s，,、；;（(：:]|\d|$))")
TOPIC_JOIN = "方面，"
# nothing inside a title, a quotation or brackets is cut into items
OPENERS, CLOSERS = "《“（(「【‘", "》”）)」】’"


def _top_level(text: str) -> list[bool]:
    """For each character, whether it stands outside every 《》“”（） pair."""
    depth, out = 0, []
    for ch in text:
        if ch in CLOSERS:
            depth = max(0, depth - 1)
        out.append(depth == 0)
        if ch in OPENERS:
            depth += 1
    return out


def _enumeration(text: str, top: list[bool]) -> list[tuple[int, int]]:
    """The spans of the ordinals of an enumeration (一是a，二是b，三是c), in order: a 一是 at the
    start or after a mark, then 二是, 三是 … each after the one before. [] without a 二是."""
    found: list[tuple[int, int]] = []
    for m in ORDINAL.finditer(text):
        if not top[m.start()] or m.group(1) != cn_number(len(found) + 1):
            continue
        if not found and m.start() > 0 and text[m.start() - 1] not in ORDINAL_AFTER:
            continue  # 统一是: no enumeration opens inside a word
        found.append(m.span())
    return found if len(found) >= 2 else []


def split_items(text: str) -> list[str]:
    """The items of one notes line: parts at ；/;/。 and before ①②… or 二是, 三是 … (after a 一是),
    their ordinals dropped. Nothing inside 《》“”（） is cut, and a part opening with a word that
    depends on the part before (其中, 同比, a cause: genre/notes_cues.yaml ``split``) stays with it."""
    top = _top_level(text)
    ordinals = _enumeration(text, top)
    cuts = sorted({m.span() for m in ITEM_SPLIT.finditer(text) if top[m.start()]}
                  | {(start, start) for start, _ in ordinals[1:]})
    dropped = {i for start, end in ordinals for i in range(start, end)}  # the ordinal words themselves
    cues = note_cues()
    keep = cues.split.keep_with + cues.problems.cause_words
    parts: list[str] = []
    prev_end = 0
    for (_, begin), (end, _) in zip([(0, 0), *cuts], [*cuts, (len(text), len(text))]):
        piece = LEADING_ORDINAL.sub("", "".join(ch for i, ch in enumerate(text[begin:end], begin) if i not in dropped))
        if not piece.strip():
            continue
        if parts and any(piece.lstrip().startswith(word) for word in keep):
            parts[-1] += text[prev_end:begin] + piece  # 受理300件；其中来访120件 is one item
        else:
            parts.append(piece)
        prev_end = end
    return [piece.strip() for part in parts for piece in _done_then_plan(part)]


def _done_then_plan(part: str) -> list[str]:
    """A mixed part cut at the comma before its plan (全年完成抽检5200批次，明年将扩大到6000批次 →
    the done work, the plan), when the part before states done work: a done word or a count."""
    cues = note_cues()
    future = cues.future
    top = _top_level(part)
    for at, ch in enumerate(part):
        if ch not in "，," or not top[at]:
            continue
        after, before = part[at + 1:].lstrip(), part[:at]
        plan = next((w for w in future.strong if after.startswith(w)), None)
        if plan is None or find_word(after[:len(plan) + 1], future.except_) or len(before) < 4:
            continue
        if find_word(before, cues.split.done_before) or any(f.kind.value == "count" for f in extract_figures(before)):
            return [before, *_done_then_plan(after)]
    return [part]


def clean_item(text: str) -> str:
    """Tidy one jotted line. A space after a figure or between two words separates two facts
    (…36名 参考率100%) and becomes a comma, and so does an arrow; a space before a number (研究法治建设 6次) is dropped."""
    text = unarrow(_MARKUP_INLINE.sub("", _MARKUP_LEAD.sub("", text.strip())).strip())
    figure_ends = {f.end for f in extract_figures(text)}
    out: list[str] = []
    for m in _SPACE_OR_WORD.finditer(text):
        chunk = m.group(0)
        if not chunk.isspace():
            out.append(chunk)
            continue
        prev, nxt = text[m.start() - 1], text[m.end()] if m.end() < len(text) else ""
        if HAN_CHAR.match(nxt) and (m.start() in figure_ends or HAN_CHAR.match(prev)):
            out.append("，")
        elif not (HAN_CHAR.match(prev) or prev.isdigit() or prev in "%）”") or not (HAN_CHAR.match(nxt) or nxt.isdigit() or nxt in "“（"):
            out.append(" ")
    return "".join(out).strip(" \t;；,，。")


def blank_comments(lines: list[str]) -> list[str]:
    """The lines with every comment (<!-- … -->, look-alike brackets too, over several lines)
    blanked, so no line number moves."""
    cues = note_cues().jottings
    out: list[str] = []
    inside = False
    for line in lines:
        kept, rest = "", line
        while rest:
            if inside:
                ends = [(at, len(w)) for w in cues.comment_close if (at := rest.find(w)) >= 0]
                if not ends:
                    rest = ""
                    break
                at, width = min(ends)
                rest, inside = rest[at + width:], False
            else:
                opens = [at for w in cues.comment_open if (at := rest.find(w)) >= 0]
                if not opens:
                    break
                kept, rest, inside = kept + rest[:min(opens)], rest[min(opens):], True
        out.append(kept + rest if not inside else kept)
    return out


def jotting_word(body: str) -> str | None:
    """The word that makes a line a jotting (TODO, 待补充, 联系人：, 见附件, 此条数据来自): no work.
    A contact word (联系人, 经办人, 数据来源) makes one only as a label (联系人：张伟, 联系人张伟 138…),
    not as the first word of a sentence (联系人制度全面推行)."""
    text = body.strip().lower()
    cues = note_cues().jottings
    found = next((w for w in cues.starts if text.startswith(w.lower())), None)
    if found:
        return found
    return next((w for w in cues.label_starts if text.startswith(w.lower()) and _AS_LABEL.match(text, len(w))), None)


def with_topic(label: str, rest: str, plain: str | None = None) -> str:
    """A topic label's line with the topic kept in its words (法律援助：受理案件320件 → 法律援助方面，
    受理案件320件): the reader of the sentence needs it; a line that names it already stays as is. A
    label naming no topic (主要工作, 工作亮点, a 考核指标 target) gives ``plain`` (the rest by default)."""
    cues = note_cues()
    if find_word(label, cues.targets.markers) or label in cues.labels.no_topic:
        return rest if plain is None else plain
    return rest if label in rest else f"{label}{TOPIC_JOIN}{rest}"


def drop_questions(body: str) -> tuple[str, str | None]:
    """The line without its questions to oneself (是否需要写入双减督查？督查培训机构63家 → the
    fact), and the question mark when one was dropped."""
    cues = note_cues().jottings
    marks = cues.question_marks
    plain = blank_quoted(body)  # 《遇到纠纷怎么办？》, “跑几趟？”: quoted, no question to oneself
    if not any(m in plain for m in marks):
        return body, None
    ends = [i + 1 for i, ch in enumerate(plain) if ch in marks or ch in "；;。"]
    pieces = [body[a:b] for a, b in zip([0, *ends], [*ends, len(body)]) if a < b]
    kept = [_before_question(p, cues.question_words) if any(p.rstrip().endswith(m) for m in marks) else p
            for p in pieces]
    return "".join(kept).strip(" ，,；;。"), next(m for m in marks if m in plain)


def _before_question(piece: str, words: list[str]) -> str:
    """What a sentence ending in ？ states before the clause that asks (…63家，要不要单列？ → …63家)."""
    clauses = regexes.compile(r"(?<=[，,])").split(piece)
    asking = next((n for n, clause in enumerate(clauses) if any(w in clause for w in words)), 0)
    return "".join(clauses[:asking])


def take_doubt(text: str) -> tuple[str, bool]:
    """The line without the writer's doubt (…12件（待核实）, …12件，待核实) and whether it had one."""
    words = "|".join(re.escape(w) for w in note_cues().jottings.doubts)
    marked = regexes.compile(rf"[（(【\[]\s*(?:{words})[^）)】\]]*[）)】\]]|[，,；;\s]*(?:{words})[。？?！!]*\s*$")
    cleaned = marked.sub("", text)
    return (cleaned.rstrip(), True) if cleaned != text else (text, False)


def unarrow(text: str) -> str:
    """An arrow inside a line reads as a comma: 查处违建→拆除3200平方米."""
    for arrow in note_cues().jottings.arrows:
        text = text.replace(arrow, "，")
    return text


def opener(body: str, in_problems: bool) -> tuple[str, str] | None:
    """(label, rest) for a line opened by a label-like phrase: 原因是X → (原因, X), 存在的问题是X →
    (问题, X); 主要是X is a cause only under a problems heading."""
    openers = note_cues().labels.openers
    text = body.strip()
    for words, label, applies in ((openers.cause, "原因", True), (openers.problem, "问题", True),
                                  (openers.cause_in_problems, "原因", in_problems)):
        word = next((w for w in words if applies and text.startswith(w)), None)
        rest = text[len(word):].lstrip("，,：: ") if word else ""
        if word and len(rest) >= 2:
            return label, rest
    return None


def split_cause(text: str) -> tuple[str, str | None]:
    """A problem and its cause on one line (存在的问题是A，原因：B; A。究其原因，B): (A, B), or
    (text, None). Only an outright 原因 splits; …，主要是B stays with its problem."""
    top = _top_level(text)
    for word in note_cues().labels.inline_cause:
        at = text.find(word)
        while at > 0 and not (top[at] and text[at - 1] in "，,；;。"):
            at = text.find(word, at + 1)
        if at > 0:
            cause = text[at + len(word):].lstrip("，,：: ")
            if len(cause) >= 2:
                return text[:at].rstrip("，,；;。 "), cause
    return text, None
