"""Find every figure in a text: one regex pass, then exclusions (titles, quoted names, fixed phrases,
ordinals), then exact Decimal values from the numeral core.

Offsets are into the text given; spans are exact substrings (``text[f.start:f.end] == f.text``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from decimal import Decimal
from operator import itemgetter

from aidraft import regexes
from aidraft.figures.forms import form_fields, rank_fields
from aidraft.figures.lexicon import CompiledLexicon, lexicon
from aidraft.figures.model import Approx, Figure, FigureKind, interval, quantity, trusted_all
from aidraft.figures.numerals import NumeralError, last_nonzero_place, parse_arabic, parse_chinese, scale_of
from aidraft.figures.signs import NEGATIVE, mark_negatives, signed_direction
from aidraft.figures.tables import table_cell_fields
from aidraft.text import CLAUSE_BREAK, is_han, sentence_breaks

FIGURE_CLAUSE_BREAK = CLAUSE_BREAK + "|｜\t"  # table cells are clauses too
# The clause a figure ends, up to the figure: what follows the last clause break before it. A
# figure that starts a line takes the end of the line above, as the earlier search for
# [^breaks]*$ did (`$` matches before a final newline). Matching up to the last break is linear
# in the window; that search was quadratic.
LAST_BREAK = regexes.compile(rf"(?s:.*)[{FIGURE_CLAUSE_BREAK}]")
CLAUSE_HEAD = regexes.compile(rf"[^{FIGURE_CLAUSE_BREAK}]*")  # the rest of its clause after it
TITLE_INNER, QUOTE_INNER = 80, 15  # the most characters inside a title or a quote
TITLE_SPAN = regexes.compile(rf"《[^《》\n]{{0,{TITLE_INNER}}}》")
ZERO, ONE = Decimal(0), Decimal(1)
_QUOTE_REST = rf"[^“”\"「」\n]{{1,{QUOTE_INNER}}}[”\"」]"
QUOTE_SPAN = regexes.compile(rf"[“\"「]{_QUOTE_REST}")
# Most Chinese text holds neither " nor 「: there every quote opens with “, and a pattern that opens
# with one character is searched several times faster than one that opens with a class
CURLY_QUOTE_SPAN = regexes.compile(rf"“{_QUOTE_REST}")
MAX_BEFORE = 24
MAX_AFTER = 16
LOOKAHEAD = 4  # characters a fixed pattern's lookahead may see past its match
FIXED_KEPT = 1 << 14  # sentences whose fixed phrases are kept (CompiledLexicon.fixed_kept)
CANONICAL_UNIT = {"％": "%", "百分点": "个百分点"}
# The first number of a range takes the counter of the second: 3至5个工作日, 30-40场, 三至五个月, 2～3小时.
# It must not follow a digit or a letter (a code like A3-5件), and the range mark must touch both.
RANGE_MARKS = "至到~～-－—–"
CHINESE_NUMERALS = "〇零一二两三四五六七八九十百千"
RANGE_HEAD = regexes.compile(rf"(?<![0-9A-Za-z.．])(?P<num>[0-9]+(?:\.[0-9]+)?|[{CHINESE_NUMERALS}]+)"
                             rf"[ \t]*[{re.escape(RANGE_MARKS)}][ \t]*$")
RANGE_WINDOW = 16
NEAR_RANGE = frozenset(RANGE_MARKS + " \t")  # what may stand right before a range's second number
# read per figure: a module global is cheaper to reach than a class attribute
EXACT, OVER = Approx.exact, Approx.over
COUNT, MULTIPLE, RANK = FigureKind.count, FigureKind.multiple, FigureKind.rank
RANGED = (FigureKind.count, FigureKind.percent, FigureKind.points)  # kinds whose ranges have a bare head
BY_START = itemgetter("start")


class _Cover:
    """The positions inside any of some spans (titles and quotes; ranks, fractions, table cells,
    which may overlap), tested with one bisection: a text of n figures of which m are such spans
    costs n log m, not n × m (8,000 lines of 排名第3 and 三成 took 6 s)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __call__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


class _Excluded:
    """Characters that cannot start a figure: inside 《titles》, short “quoted names”, fixed phrases.

    Fixed phrases are looked for only in the sentences where a figure may start: no fixed phrase
    spans a sentence break (tests/test_figures.py holds the lexicon to that), so scanning those
    sentences finds exactly what a scan of the whole text would.
    Neither a title nor a “quote” holds its own opening mark, so each opening mark starts a match
    of finditer's exactly when the pattern matches there: the titles and quotes over a sentence are
    those matched at the opening marks in it and within reach before it, found with the sentence's
    fixed phrases rather than all over the text (most of them far from any figure). A text with "
    or 「 (an opening mark that also closes) has its spans found over the whole text, as one _Cover.
    """

    def __init__(self, text: str, lex: CompiledLexicon, breaks: list[int]) -> None:
        self.text, self.lex, self.breaks = text, lex, breaks
        self.quoted: _Cover | None = None
        if '"' in text or "「" in text:
            self.quoted = _Cover([m.span() for m in TITLE_SPAN.finditer(text)] + quote_spans(text))
        marks = [] if self.quoted is not None else [("《", TITLE_INNER, TITLE_SPAN), ("“", QUOTE_INNER, CURLY_QUOTE_SPAN)]
        self.marks = [(mark, inner, regex) for mark, inner, regex in marks if mark in text]
        self.spans_in: dict[int, list[tuple[int, int]]] = {}  # sentence → the spans over it
        self.low = self.high = 0  # the last sentence asked about (figures come in order)
        self.spans: list[tuple[int, int]] = []  # and its spans

    def _spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """The fixed phrases in text[start:end], then the titles and quotes over it."""
        text = self.text
        kept = self.lex.fixed_kept
        if kept is None:
            out = self._fixed(start, end)
        else:  # by the sentence's characters (and those its lookaheads see): texts repeat sentences
            key = text[start : end + LOOKAHEAD]
            found = kept.get(key)
            if found is None:
                out = self._fixed(start, end)
                if len(kept) < FIXED_KEPT:
                    kept[key] = [(s - start, e - start) for s, e in out]
            else:
                out = [(start + s, start + e) for s, e in found]
        for mark, inner, regex in self.marks:
            at = text.find(mark, start - inner - 1 if start > inner else 0, end + 1)
            while at >= 0:
                m = regex.match(text, at)
                if m is not None and m.end() > start:
                    out.append(m.span())
                at = text.find(mark, at + 1, end + 1)
        return out

    def _fixed(self, start: int, end: int) -> list[tuple[int, int]]:
        """The fixed phrases that start in text[start:end] (a lookahead sees a little past it, as a
        whole-text scan's would)."""
        out: list[tuple[int, int]] = []
        taken = start  # lexicon.Scan's rule, inlined: no match inside the last
        for m in self.lex.fixed_scan.regex.finditer(self.text, start, end + LOOKAHEAD):
            at = m.start()
            if at >= end:
                break  # matches come in order of start
            if at >= taken:
                taken = m.end("whole")
                out.append((at, taken))
        return out

    def __call__(self, pos: int) -> bool:
        if not self.low <= pos < self.high:
            k = bisect_left(self.breaks, pos)
            start = self.breaks[k - 1] + 1 if k > 0 else 0
            end = self.breaks[k] if k < len(self.breaks) else len(self.text)
            self.low, self.high = start, end + 1  # the sentence and its break
            spans = self.spans_in.get(k)
            if spans is None:
                spans = self.spans_in[k] = self._spans(start, end)
            self.spans = spans
        for s, e in self.spans:
            if s <= pos < e:
                return True
        return self.quoted is not None and self.quoted(pos)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """The spans QUOTE_SPAN finds in ``text``, with the faster pattern where it finds the same."""
    regex = QUOTE_SPAN if '"' in text or "「" in text else CURLY_QUOTE_SPAN
    return [m.span() for m in regex.finditer(text)]


def _fields_from_match(text: str, at: int, groups: tuple[str | None, ...], num_start: int,
                       lex: CompiledLexicon) -> dict[str, object] | None:
    """The fields of the figure a regex match at ``at`` stands for (``groups``: its groups, as
    FigureGroups names them), or None when the match is not a quantity."""
    whole, pre, pcn, ar, armul, arinf, armul2, arpct, arunit, cn, cninf, cnmul2, cnunit, suf = groups
    pre, end, step, infix = pre or "", at + len(whole), ZERO, ""  # type: ignore[arg-type]
    if pcn is not None:
        value, precision = parse_chinese(pcn)
        numeral, unit, chinese = pcn, "%", True
    elif ar is not None:
        if ar.isdigit() and ar.isascii():  # parse_arabic's common case, without the call
            base, precision = Decimal(ar), ONE
        else:
            base, precision = parse_arabic(ar)
        value = base
        if armul or armul2:
            scale = scale_of(armul or "") * scale_of(armul2 or "")
            value = base * scale
            if scale > 1:
                precision = (precision * scale).normalize()  # 2.16万: hundreds, not 100.00
        else:
            scale = ONE
        infix = arinf or ""
        if infix:
            step = last_nonzero_place(base) * scale
        numeral = ar if armul is None else ar + armul  # the groups are adjacent
        unit, chinese = arpct or arunit or "", False  # "": 1.2万 with no counter
    else:
        assert cn is not None
        if pre == "上" and cn[0] not in "百千万":
            return None
        unit = cnunit  # type: ignore[assignment]
        if not _chinese_is_figure(text, end, cn, cninf, cnmul2, pre, unit, lex):
            return None
        value, precision = parse_chinese(cn)
        if cnmul2:
            scale = scale_of(cnmul2)
            value, precision = value * scale, precision * scale
        infix = cninf or ""
        if infix:
            step = last_nonzero_place(value)
        numeral, chinese = cn, True
    if pre == "上" and (not chinese or pcn is not None):
        pre = ""
    if armul and not chinese and unit in lex.arabic_only:
        return None
    closed = False
    if infix:
        approx = OVER
    elif pre:
        approx, closed = lex.prefix_approx[pre]
    elif suf:
        approx, closed = lex.suffix_approx[suf]
    else:
        approx = EXACT
    unit = CANONICAL_UNIT.get(unit, unit)
    kind = lex.kind_of_figure_unit.get(unit, COUNT)
    start = at if pre else num_start
    if kind is MULTIPLE and approx is EXACT and text.startswith("半", end):
        value, precision, end = value + Decimal("0.5"), Decimal("0.1"), end + 1  # 两倍半 is 2.5倍
        numeral = text[start:end]
    wordlike = (chinese and pcn is None and len(numeral) == 1 and approx is EXACT
                and (end < len(text) and is_han(text[end])))
    return {"text": text[start:end], "start": start, "end": end,
            "value": quantity(value, value, precision) if approx is EXACT
            else interval(value, precision, approx, step, closed),
            "approx": approx, "kind": kind, "unit": unit, "numeral": numeral, "chinese": chinese,
            "wordlike": wordlike}


def _chinese_is_figure(text: str, end: int, core: str, infix: str | None, scale: str | None, pre: str, unit: str,
                       lex: CompiledLexicon) -> bool:
    """Rules (not word lists) for Chinese numerals that belong to ordinary words.

    - 一 alone is the article (一个, 一部分, 一次性, 一起): a figure only when its counter ends the
      clause (召开会议一次。) or counts people (一名律师).
    - A bare 百/千/万 is a word (千家万户, 百姓): a figure only with an approximation (近百次, 上千人,
      百余场次, 千余份).
    - Counters read only after Arabic digits (分: 十分重视) never follow a Chinese numeral.
    """
    if unit in lex.arabic_only:
        return False
    if core == "一" and not infix and not scale:
        return unit in lex.person_units or not (end < len(text) and is_han(text[end]))
    if all(ch in "百千万亿" for ch in core) and not pre and not infix:
        return False  # 百姓, 千家万户; but 百余场次, 千余份 count
    return True


def extract_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order of position, with line, clause context and sentence."""
    lex = lexicon()
    breaks = sentence_breaks(text)
    excluded = _Excluded(text, lex, breaks).__call__  # a bound method: cheaper to call than the instance
    found = rank_fields(text, lex)
    found += [f for f in form_fields(text) if not excluded(f["start"])]  # type: ignore[arg-type]
    found += [f for f in table_cell_fields(text, lex.kind_of_unit) if not excluded(f["start"])]  # type: ignore[arg-type]
    taken = _Cover([(f["start"], f["end"]) for f in found])  # type: ignore[misc]
    covered = taken.__call__ if taken else None
    scanned = 0  # lexicon.Scan's rule, inlined (a generator costs per match): no match inside the last
    for m in lex.figure_scan.regex.finditer(text):  # a match's extent is group 'whole', from its start
        at = m.start()
        if at < scanned:
            continue
        groups = m.groups()  # as FigureGroups names them: whole, pre, pcn, …
        pre, pcn = groups[1], groups[2]
        scanned = at + len(groups[0])  # type: ignore[arg-type]
        # where the number itself starts (after a 不少于, at the 百 of 百分之): what exclusions test
        num_start = m.start("pcn") - 3 if pcn is not None else at + len(pre) if pre else at
        if ((num_start > 0 and text[num_start - 1] == "第") or excluded(num_start)
                or (covered is not None and covered(num_start))):
            continue
        try:
            fields = _fields_from_match(text, at, groups, num_start, lex)
        except NumeralError:  # 万万名, 十十次: numeral-shaped, but no number
            continue
        if fields is not None:
            found.append(fields)
    if not found:
        return []
    found.sort(key=BY_START)
    mark_negatives(text, found)  # 增长−3.5%: the sign is the value's (figures/signs.py)
    found = _with_range_heads(text, found, excluded)
    _share_counters(text, found, lex)
    return with_context(text, found, breaks)


CONJUNCTIONS = ("和", "、", "及", "与", "，")
JOINERS = CONJUNCTIONS[:4]  # what joins figures that share a direction


def _with_range_heads(text: str, found: list[dict[str, object]],
                      excluded: Callable[[int], bool]) -> list[dict[str, object]]:
    """Add the bare first number of each range (3至5个工作日: 3个工作日, checked like any figure),
    so that a draft's 1至5个工作日 is no 3至5个工作日."""
    heads: list[dict[str, object]] = []
    previous_end = 0
    for f in found:
        start: int = f["start"]  # type: ignore[assignment]
        if start > 0 and text[start - 1] in NEAR_RANGE and f["kind"] in RANGED and f["approx"] is EXACT:
            m = RANGE_HEAD.search(text, max(previous_end, start - RANGE_WINDOW), start)
            if m is not None and not excluded(m.start("num")) and not (m.start() > 0 and text[m.start() - 1] == "第"):
                raw = m.group("num")
                try:
                    value, precision = parse_arabic(raw) if raw[0].isdigit() else parse_chinese(raw)
                except NumeralError:
                    value = None
                if value is not None and value < f["value"].low:  # type: ignore[attr-defined]
                    heads.append({"text": raw, "start": m.start("num"), "end": m.end("num"),
                                  "value": quantity(value, value, precision), "approx": EXACT, "kind": f["kind"],
                                  "unit": f["unit"], "numeral": raw, "chinese": not raw[0].isdigit()})
        previous_end = f["end"]  # type: ignore[assignment]
    if not heads:
        return found
    return sorted(found + heads, key=BY_START)


SHARE_GAP = 12  # characters between 68个村（社区） and 中有34个


def _share_counters(text: str, found: list[dict[str, object]], lex: CompiledLexicon) -> None:
    """分别提高1.5个和2.1个百分点: a 个 figure joined to a 个百分点 figure shares its counter.
    68个村（社区）中有34个: the part of a whole counts what the whole counts (34个村), so its share
    (50%) derives from the two."""
    share_words = tuple(lex.lex.office_share_words)
    for prev, fig in zip(found, found[1:]):
        unit, next_unit = prev["unit"], fig["unit"]
        if unit == "个" and next_unit == "个百分点" and text[prev["end"] : fig["start"]] in CONJUNCTIONS:  # type: ignore[index]
            prev["unit"], prev["kind"] = "个百分点", lex.kind_of_unit["个百分点"]
        elif (share_words and next_unit != unit and str(unit).startswith(str(next_unit))
              and fig["start"] - prev["end"] <= SHARE_GAP  # type: ignore[operator]
              and text[prev["end"] : fig["start"]].endswith(share_words)):  # type: ignore[index]
            fig["unit"] = unit


def with_context(text: str, found: list[dict[str, object]], sentences: list[int]) -> list[Figure]:
    """Add line, clause context and sentence to each figure (figures sorted by start).

    Lines are counted incrementally and clause edges searched only within the context window,
    so the cost grows with the number of figures, not with the length of the text. Each figure
    holds a reference to the text (its private ``_text``), never a copy of its sentence.
    """
    lex = lexicon()
    directions = lex.directions
    line, counted = 1, 0
    written = ""  # the direction the last figure's words gave, before its sign turned it
    previous_end = 0
    edges = len(sentences)
    for fields in found:
        start: int = fields["start"]  # type: ignore[assignment]
        end: int = fields["end"]  # type: ignore[assignment]
        line += text.count("\n", counted, start)
        counted = start
        low = start - MAX_BEFORE if start > MAX_BEFORE else 0
        upto = start - 1 if start > low and text[start - 1] == "\n" else start
        label = fields.pop("context", None)  # a table cell's: its row label
        if label is not None:
            before: str = label  # type: ignore[assignment]
        else:
            left = LAST_BREAK.match(text, low, upto)
            before = text[left.end() : upto] if left else text[low:upto]
        right = CLAUSE_HEAD.match(text, end, end + MAX_AFTER)
        k = bisect_left(sentences, start)
        s_left = sentences[k - 1] + 1 if k > 0 else 0
        if k < edges and sentences[k] < end:  # a break inside the figure: rare
            k = bisect_left(sentences, end, k)
        s_right = sentences[k] + 1 if k < edges else len(text)
        if s_right > s_left and text[s_right - 1] == "\n":
            s_right -= 1
        if "wordlike" not in fields:
            fields["wordlike"] = False
        direction = fields.get("direction")
        if not direction and fields["kind"] is not RANK:
            direction = directions.get(before)
            if direction is None:
                direction = lex.direction(before)
        direction = direction or ""
        if not direction and written and text[previous_end:start] in JOINERS:
            direction = written  # 分别提高1.5个和2.1个百分点: the second rises too
        written = direction
        if NEGATIVE in fields:
            direction = signed_direction(fields, before, direction)  # type: ignore[arg-type]
        fields["line"] = line
        fields["before"] = before
        fields["after"] = right[0] if right else ""
        fields["direction"] = direction
        fields["sentence_start"] = s_left
        fields["sentence_end"] = s_right
        previous_end = end
    return trusted_all(Figure, found, {"_text": text})  # one private dict for all: nothing sets it after this
