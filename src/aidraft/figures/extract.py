"""Find every figure in a text: one regex pass, then exclusions (titles, quoted names, fixed phrases,
ordinals), then exact Decimal values from the numeral core.

Offsets are into the text given; spans are exact substrings (``text[f.start:f.end] == f.text``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal

from aidraft import regexes
from aidraft.figures.forms import form_fields
from aidraft.figures.lexicon import CompiledLexicon, FigureGroups, lexicon
from aidraft.figures.model import Approx, Figure, FigureKind, Quantity, quantity, trusted
from aidraft.figures.numerals import NumeralError, last_nonzero_place, parse_arabic, parse_chinese, scale_of
from aidraft.figures.signs import mark_negatives, signed_direction
from aidraft.figures.tables import table_cell_fields
from aidraft.text import CLAUSE_BREAK, is_han, sentence_breaks

FIGURE_CLAUSE_BREAK = CLAUSE_BREAK + "|｜\t"  # table cells are clauses too
# The clause a figure ends, up to the figure: what follows the last clause break before it. A
# figure that starts a line takes the end of the line above, as the earlier search for
# [^breaks]*$ did (`$` matches before a final newline). Matching up to the last break is linear
# in the window; that search was quadratic.
LAST_BREAK = regexes.compile(rf"(?s:.*)[{FIGURE_CLAUSE_BREAK}]")
CLAUSE_HEAD = regexes.compile(rf"[^{FIGURE_CLAUSE_BREAK}]*")  # the rest of its clause after it
TITLE_SPAN = regexes.compile(r"《[^《》\n]{0,80}》")
ZERO, ONE = Decimal(0), Decimal(1)
_QUOTE_REST = r"[^“”\"「」\n]{1,15}[”\"」]"
QUOTE_SPAN = regexes.compile(rf"[“\"「]{_QUOTE_REST}")
# Most Chinese text holds neither " nor 「: there every quote opens with “, and a pattern that opens
# with one character is searched several times faster than one that opens with a class
CURLY_QUOTE_SPAN = regexes.compile(rf"“{_QUOTE_REST}")
MAX_BEFORE = 24
MAX_AFTER = 16
LOOKAHEAD = 4  # characters a fixed pattern's lookahead may see past its match
CANONICAL_UNIT = {"％": "%", "百分点": "个百分点"}
# The first number of a range takes the counter of the second: 3至5个工作日, 30-40场, 三至五个月, 2～3小时.
# It must not follow a digit or a letter (a code like A3-5件), and the range mark must touch both.
RANGE_MARKS = "至到~～-－—–"
CHINESE_NUMERALS = "〇零一二两三四五六七八九十百千"
RANGE_HEAD = regexes.compile(rf"(?<![0-9A-Za-z.．])(?P<num>[0-9]+(?:\.[0-9]+)?|[{CHINESE_NUMERALS}]+)"
                             rf"[ \t]*[{re.escape(RANGE_MARKS)}][ \t]*$")
RANGE_WINDOW = 16
NEAR_RANGE = frozenset(RANGE_MARKS + " \t")  # what may stand right before a range's second number
EXACT = Approx.exact  # read per figure: a module global is cheaper to reach than a class attribute


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

    Titles and quotes are found over the whole text, their spans kept as one _Cover.
    Fixed phrases are looked for only in the sentences where a figure may start: no fixed phrase
    spans a sentence break (tests/test_figures.py holds the lexicon to that), so scanning those
    sentences finds exactly what a scan of the whole text would.
    """

    def __init__(self, text: str, lex: CompiledLexicon, breaks: list[int]) -> None:
        self.text, self.lex, self.breaks = text, lex, breaks
        quoted = _Cover([m.span() for m in TITLE_SPAN.finditer(text)] + quote_spans(text))
        self.quoted = quoted if quoted else None
        self.fixed_in: dict[int, list[tuple[int, int]]] = {}  # sentence → its fixed phrases
        self.low = self.high = 0  # the last sentence asked about (figures come in order)
        self.fixed: list[tuple[int, int]] = []  # and its fixed phrases

    def _fixed_phrases(self, start: int, end: int) -> list[tuple[int, int]]:
        # a little past the break, so that a lookahead sees what a whole-text scan would
        return [(m.start(), m.end("whole")) for m in self.lex.fixed_scan(self.text, start, end + LOOKAHEAD)
                if m.start() < end]

    def __call__(self, pos: int) -> bool:
        if not self.low <= pos < self.high:
            k = bisect_left(self.breaks, pos)
            start = self.breaks[k - 1] + 1 if k > 0 else 0
            end = self.breaks[k] if k < len(self.breaks) else len(self.text)
            self.low, self.high = start, end + 1  # the sentence and its break
            fixed = self.fixed_in.get(k)
            if fixed is None:
                fixed = self.fixed_in[k] = self._fixed_phrases(start, end)
            self.fixed = fixed
        for s, e in self.fixed:
            if s <= pos < e:
                return True
        return self.quoted is not None and self.quoted(pos)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """The spans QUOTE_SPAN finds in ``text``, with the faster pattern where it finds the same."""
    regex = QUOTE_SPAN if '"' in text or "「" in text else CURLY_QUOTE_SPAN
    return [m.span() for m in regex.finditer(text)]


def _interval(value: Decimal, precision: Decimal, approx: Approx, step: Decimal, closed: bool) -> Quantity:
    """The interval a stated number stands for; ``closed`` bounds include the number (以上, 不超过)."""
    if approx is EXACT:
        return quantity(value, value, precision)
    if approx is Approx.over:
        if step > 0:  # 3万余: (30000, 40000)
            return quantity(value, value + step, step, low_open=True, high_open=True)
        return quantity(value, None, precision, low_open=not closed)  # 超100 (open), 100以上 (closed)
    if approx is Approx.under:  # 不足10 [0, 10), 10以下 [0, 10]
        return quantity(Decimal(0), value, precision, high_open=not closed)
    place = last_nonzero_place(value)
    if approx is Approx.near:  # 近百: [90, 100)
        return quantity(value - value / 10, value, place, high_open=True)
    return quantity(value - place / 2, value + place / 2, place)  # 约3万: [25000, 35000]


def _num_start(m: re.Match[str], g: FigureGroups) -> int:
    """Where the number itself starts (after a 不少于, at the 百 of 百分之): what exclusions test."""
    if g.pcn is not None:
        return m.start("pcn") - 3
    return m.start() + len(g.pre or "")


def _fields_from_match(m: re.Match[str], g: FigureGroups, num_start: int,
                       lex: CompiledLexicon) -> dict[str, object] | None:
    """The fields of the figure a regex match stands for, or None when the match is not a quantity."""
    pre = g.pre or ""
    step = ZERO
    infix = ""
    if g.pcn is not None:
        value, precision = parse_chinese(g.pcn)
        numeral, unit, chinese = g.pcn, "%", True
    elif g.ar is not None:
        base, precision = parse_arabic(g.ar)
        value = base
        if g.armul or g.armul2:
            scale = scale_of(g.armul or "") * scale_of(g.armul2 or "")
            value = base * scale
            if scale > 1:
                precision = (precision * scale).normalize()  # 2.16万: hundreds, not 100.00
        else:
            scale = ONE
        infix = g.arinf or ""
        if infix:
            step = last_nonzero_place(base) * scale
        numeral = m.string[m.start("ar") : m.end("armul") if g.armul is not None else m.end("ar")]
        unit, chinese = g.arpct or g.arunit, False
    else:
        cn = g.cn
        assert cn is not None
        if pre == "上" and cn[0] not in "百千万":
            return None
        unit = g.cnunit  # type: ignore[assignment]
        if not _chinese_is_figure(m, g, pre, unit, lex):
            return None
        value, precision = parse_chinese(cn)
        if g.cnmul2:
            scale = scale_of(g.cnmul2)
            value, precision = value * scale, precision * scale
        infix = g.cninf or ""
        if infix:
            step = last_nonzero_place(value)
        numeral, chinese = cn, True
    if pre == "上" and (not chinese or g.pcn is not None):
        pre = ""
    if not chinese and unit in lex.arabic_only and g.armul:
        return None
    suffix = g.suf or ""
    closed = False
    if infix:
        approx = Approx.over
    elif pre:
        approx, closed = lex.prefix_approx[pre]
    elif suffix:
        approx, closed = lex.suffix_approx[suffix]
    else:
        approx = EXACT
    unit = CANONICAL_UNIT.get(unit, unit)
    kind = lex.kind_of_unit.get(unit, FigureKind.percent if unit == "%" else FigureKind.count)
    start = m.start() if pre else num_start
    end = m.end("whole")
    if kind is FigureKind.multiple and m.string.startswith("半", end) and approx is EXACT:
        value, precision, end = value + Decimal("0.5"), Decimal("0.1"), end + 1  # 两倍半 is 2.5倍
        numeral = m.string[start:end]
    wordlike = (chinese and g.pcn is None and len(numeral) == 1 and approx is EXACT
                and _han_at(m.string, end))
    return {"text": m.string[start:end], "start": start, "end": end,
            "value": _interval(value, precision, approx, step, closed), "approx": approx, "kind": kind,
            "unit": unit, "numeral": numeral, "chinese": chinese, "wordlike": wordlike}


def _han_at(text: str, pos: int) -> bool:
    return pos < len(text) and is_han(text[pos])


def _chinese_is_figure(m: re.Match[str], g: FigureGroups, pre: str, unit: str, lex: CompiledLexicon) -> bool:
    """Rules (not word lists) for Chinese numerals that belong to ordinary words.

    - 一 alone is the article (一个, 一部分, 一次性, 一起): a figure only when its counter ends the
      clause (召开会议一次。) or counts people (一名律师).
    - A bare 百/千/万 is a word (千家万户, 百姓): a figure only with an approximation (近百次, 上千人,
      百余场次, 千余份).
    - Counters read only after Arabic digits (分: 十分重视) never follow a Chinese numeral.
    """
    core = g.cn
    assert core is not None
    if unit in lex.arabic_only:
        return False
    if core == "一" and not g.cninf and not g.cnmul2:
        return unit in lex.person_units or not _han_at(m.string, m.end("whole"))
    if all(ch in "百千万亿" for ch in core) and not pre and not g.cninf:
        return False  # 百姓, 千家万户; but 百余场次, 千余份 count
    return True


RANK_HEAD = 6  # characters before 第N that may hold its scope and verb: 全市排名, 位居全省


def _rank_fields(text: str, lex: CompiledLexicon) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for m in lex.rank_re.finditer(text):
        head = lex.rank_head_re.search(text, max(0, m.start() - RANK_HEAD), m.start())
        if head is None:
            continue  # 第三季度, 第二轮: ordinals
        raw = m.group("rank")
        value, precision = parse_arabic(raw) if raw.isdigit() else parse_chinese(raw)
        start = m.start() if head.group("verb") else head.start()  # 排名第三: the verb is its clause's
        out.append(dict(
            text=text[start : m.end()], start=start, end=m.end(),
            value=quantity(value, value, precision), approx=Approx.exact,
            kind=FigureKind.rank, unit="名次", numeral=raw, chinese=not raw.isdigit(),
        ))
    return out


def extract_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order of position, with line, clause context and sentence."""
    lex = lexicon()
    breaks = sentence_breaks(text)
    excluded = _Excluded(text, lex, breaks)
    found = _rank_fields(text, lex)
    found += [f for f in form_fields(text) if not excluded(f["start"])]  # type: ignore[arg-type]
    found += [f for f in table_cell_fields(text, lex.kind_of_unit) if not excluded(f["start"])]  # type: ignore[arg-type]
    taken = _Cover([(f["start"], f["end"]) for f in found])  # type: ignore[misc]
    for m in lex.figure_scan(text):  # lexicon.Scan: a match's extent is group 'whole'
        g = FigureGroups._make(m.groups())
        num_start = _num_start(m, g)
        if (num_start > 0 and text[num_start - 1] == "第") or excluded(num_start):
            continue
        if taken and taken(num_start):
            continue
        try:
            fields = _fields_from_match(m, g, num_start, lex)
        except NumeralError:  # 万万名, 十十次: numeral-shaped, but no number
            continue
        if fields is not None:
            found.append(fields)
    if not found:
        return []
    found.sort(key=lambda f: f["start"])  # type: ignore[arg-type, return-value]
    mark_negatives(text, found)  # 增长−3.5%: the sign is the value's (figures/signs.py)
    found = _with_range_heads(text, found, excluded)
    _share_counters(text, found, lex)
    return with_context(text, found, breaks)


CONJUNCTIONS = ("和", "、", "及", "与", "，")


def _with_range_heads(text: str, found: list[dict[str, object]], excluded: _Excluded) -> list[dict[str, object]]:
    """Add the bare first number of each range (3至5个工作日: 3个工作日, checked like any figure),
    so that a draft's 1至5个工作日 is no 3至5个工作日."""
    heads: list[dict[str, object]] = []
    previous_end = 0
    for f in found:
        start: int = f["start"]  # type: ignore[assignment]
        if (f["kind"] in (FigureKind.count, FigureKind.percent, FigureKind.points) and f["approx"] is EXACT
                and start > 0 and text[start - 1] in NEAR_RANGE):
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
    return sorted(found + heads, key=lambda f: f["start"])  # type: ignore[arg-type, return-value]


SHARE_GAP = 12  # characters between 68个村（社区） and 中有34个


def _share_counters(text: str, found: list[dict[str, object]], lex: CompiledLexicon) -> None:
    """分别提高1.5个和2.1个百分点: a 个 figure joined to a 个百分点 figure shares its counter.
    68个村（社区）中有34个: the part of a whole counts what the whole counts (34个村), so its share
    (50%) derives from the two."""
    share_words = tuple(lex.lex.office_share_words)
    for prev, fig in zip(found, found[1:]):
        between = text[prev["end"] : fig["start"]]  # type: ignore[index]
        if prev["unit"] == "个" and fig["unit"] == "个百分点" and between in CONJUNCTIONS:
            prev["unit"], prev["kind"] = "个百分点", lex.kind_of_unit["个百分点"]
        elif (share_words and fig["unit"] != prev["unit"] and str(prev["unit"]).startswith(str(fig["unit"]))
              and len(between) <= SHARE_GAP and between.endswith(share_words)):
            fig["unit"] = prev["unit"]


def with_context(text: str, found: list[dict[str, object]], sentences: list[int]) -> list[Figure]:
    """Add line, clause context and sentence to each figure (figures sorted by start).

    Lines are counted incrementally and clause edges searched only within the context window,
    so the cost grows with the number of figures, not with the length of the text. Each figure
    holds a reference to the text (its private ``_text``), never a copy of its sentence.
    """
    lex = lexicon()
    out: list[Figure] = []
    line, counted = 1, 0
    written = ""  # the direction the last figure's words gave, before its sign turned it
    private = {"_text": text}  # one for all figures of the text: nothing sets it after this
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
        kk = bisect_left(sentences, end)
        s_right = sentences[kk] + 1 if kk < len(sentences) else len(text)
        if s_right > s_left and text[s_right - 1] == "\n":
            s_right -= 1
        if "wordlike" not in fields:
            fields["wordlike"] = False
        direction = fields.get("direction") or (lex.direction(before) if fields["kind"] is not FigureKind.rank
                                                else "")
        if not direction and out and written and text[out[-1].end : start] in CONJUNCTIONS[:4]:
            direction = written  # 分别提高1.5个和2.1个百分点: the second rises too
        written = direction
        direction = signed_direction(fields, before, direction)  # type: ignore[arg-type]
        fields["line"] = line
        fields["before"] = before
        fields["after"] = right[0] if right else ""
        fields["direction"] = direction
        fields["sentence_start"] = s_left
        fields["sentence_end"] = s_right
        out.append(trusted(Figure, fields, private))
    return out
