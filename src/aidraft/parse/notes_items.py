"""One notes line → its items: a；b, 问题：a；b, 短板：①a②b, 明年：一是a。二是b.

A line is cut at ；/;/。 and before ①②… or 二是, 三是 … (after a 一是 that opens an enumeration),
never inside 《》“”（）, and a part that depends on the one before (其中…, 同比…, a cause) stays
with it. Word lists are genre data (genre/notes_cues.yaml ``split``).
"""

from __future__ import annotations

from aidraft import regexes
from aidraft.figures.numerals import cn_number
from aidraft.parse.notes_cues import note_cues

# several items on one line: a；b  /  问题：a；b  /  短板：①a②b  /  明年：一是a。二是b
ITEM_SPLIT = regexes.compile(r"[；;。]|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
# an ordinal of an enumeration (一是 … 二是 …), never the 一是 of 统一是 nor 第二是
ORDINAL = regexes.compile(r"(?<!第)([一二三四五六七八九十]{1,3})是")
LEADING_ORDINAL = regexes.compile(r"^\s*(?:[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]{1,3}是(?=\S))\s*")
ORDINAL_AFTER = "，,：:；;。 \t"  # what may stand right before the 一是 that opens an enumeration
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
    return [part.strip() for part in parts]
