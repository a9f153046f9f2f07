"""Word's automatic numbering as the text a reader sees: 一、 （一） 1. before a heading or list item.

Clerks number headings with Heading 1/2 styles or list buttons, so 一、 lives in numbering.xml,
not in the runs. Without it the parser finds no numbered heading and everything lands under 开头.
Word's rules, as far as the reading needs them:

* a paragraph's ``numPr`` (numId, ilvl) comes from its own properties, else from its paragraph
  style (following ``basedOn``); a style-linked level names the style in ``w:lvl/w:pStyle``;
  numId 0 switches numbering off;
* counting is per abstract definition (instances of one definition continue each other, as in
  Word), a ``w:startOverride`` of an instance restarts its level on that instance's first use,
  and a level restarts whenever a higher level counts;
* ``lvlText`` "%1、" / "（%2）" / "%1.%2" is filled with each level's counter in its ``numFmt``;
  a format not known here is written as decimal, a bullet or ``none`` shows no number.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_LEVELS = 9
_CN_DIGITS = "〇一二三四五六七八九"  # digit by digit: 二〇二五
_CN_COUNT = "零一二三四五六七八九"  # counting: 一百零五
_CN_UNITS = ("", "十", "百", "千")
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_UNITS = ("", "拾", "佰", "仟")
_TRADITIONAL_LEGAL = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_OFF = frozenset({"0", "false", "off"})


def flag(parent: etree._Element | None, tag: str) -> bool | None:
    """A toggle property under ``parent`` (``w:vanish``): True/False when present, None when absent."""
    element = parent.find(f"{_W}{tag}") if parent is not None else None
    return None if element is None else element.get(_VAL, "true").lower() not in _OFF


def _val(parent: etree._Element | None, path: str) -> str | None:
    element = parent.find(path) if parent is not None else None
    return None if element is None else element.get(_VAL)


class Styles:
    """Paragraph and character styles of styles.xml, looked up along ``basedOn``."""

    def __init__(self, root: etree._Element | None) -> None:
        self._by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self._defaults_rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr") if root is not None else None
        for style in root.iterchildren(f"{_W}style") if root is not None else ():
            style_id = style.get(f"{_W}styleId")
            if style_id is None:
                continue
            self._by_id.setdefault(style_id, style)
            if style.get(f"{_W}type") == "paragraph" and flag_attr(style, "default"):
                self.default_paragraph = self.default_paragraph or style_id

    def chain(self, style_id: str | None) -> Iterable[etree._Element]:
        """The style and the styles it is based on, nearest first (a loop is cut)."""
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            style_id = _val(style, f"{_W}basedOn")

    def run_flag(self, style_id: str | None, tag: str) -> bool | None:
        """A run toggle (``vanish``) as the style sets it, nearest style first; None if none does."""
        for style in self.chain(style_id):
            value = flag(style.find(f"{_W}rPr"), tag)
            if value is not None:
                return value
        return None

    def default_flag(self, tag: str) -> bool:
        return bool(flag(self._defaults_rpr, tag))

    def num_pr(self, style_id: str | None) -> tuple[str | None, str | None]:
        """(numId, ilvl) a paragraph style gives its paragraphs, each None where none is set."""
        num_id = ilvl = None
        for style in self.chain(style_id):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            num_id = num_id if num_id is not None else _val(num_pr, f"{_W}numId")
            ilvl = ilvl if ilvl is not None else _val(num_pr, f"{_W}ilvl")
        return num_id, ilvl


def flag_attr(element: etree._Element, name: str) -> bool:
    return element.get(f"{_W}{name}", "0").lower() in ("1", "true", "on")


def _chinese(n: int, digits: str = _CN_COUNT, units: tuple[str, ...] = _CN_UNITS) -> str:
    """1–9999 in Chinese counting (十一, 一百零五); 10–19 drop the leading 一, as Word does."""
    if not 0 < n < 10_000:
        return str(n)
    out: list[str] = []
    zero = False
    text = str(n)
    for place, ch in zip(range(len(text) - 1, -1, -1), text):
        d = int(ch)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + units[place])
    result = "".join(out)
    return result[1:] if digits is _CN_COUNT and 10 <= n < 20 else result


def _letters(n: int, upper: bool) -> str:
    letter = chr(ord("A" if upper else "a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _enclosed(n: int, first: int, last: int) -> str:
    return chr(first + n - 1) if 1 <= n <= last else str(n)


def format_number(n: int, fmt: str) -> str:
    """``n`` written in Word's ``numFmt``; unknown formats are decimal."""
    if n <= 0 and fmt != "decimal":
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "koreanCounting", "japaneseLegal"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL_DIGITS, _LEGAL_UNITS)
    if fmt == "ideographLegalTraditional":
        return _chinese(n, _TRADITIONAL_LEGAL, _LEGAL_UNITS)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital", "koreanDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12]
    simple = {"upperRoman": lambda: _roman(n), "lowerRoman": lambda: _roman(n).lower(),
              "upperLetter": lambda: _letters(n, True), "lowerLetter": lambda: _letters(n, False),
              "decimalZero": lambda: f"{n:02d}",
              "decimalFullWidth": lambda: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
              "decimalFullWidth2": lambda: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
              "decimalEnclosedCircle": lambda: _enclosed(n, 0x2460, 20),
              "decimalEnclosedCircleChinese": lambda: _enclosed(n, 0x2460, 20),
              "decimalEnclosedFullstop": lambda: _enclosed(n, 0x2488, 20),
              "decimalEnclosedParen": lambda: _enclosed(n, 0x2474, 20),
              "ideographEnclosedCircle": lambda: _enclosed(n, 0x3220, 10)}
    return simple[fmt]() if fmt in simple else str(n)


class Numbering:
    """numbering.xml: which level a paragraph is at and what its number reads."""

    def __init__(self, root: etree._Element | None, styles: Styles) -> None:
        self.styles = styles
        self._abstract: dict[str, etree._Element] = {}
        self._num: dict[str, etree._Element] = {}
        for element in root.iterchildren(f"{_W}abstractNum") if root is not None else ():
            self._abstract.setdefault(element.get(f"{_W}abstractNumId", ""), element)
        for element in root.iterchildren(f"{_W}num") if root is not None else ():
            self._num.setdefault(element.get(f"{_W}numId", ""), element)

    def _definition(self, num_id: str, depth: int = 0) -> etree._Element | None:
        """The abstract definition an instance uses, through a numbering style's link."""
        num = self._num.get(num_id)
        abstract = self._abstract.get(_val(num, f"{_W}abstractNumId") or "") if num is not None else None
        link = _val(abstract, f"{_W}numStyleLink")
        if abstract is not None and link is not None and depth < 3:
            linked, _ = self.styles.num_pr(link)
            if linked is not None and linked != num_id:
                return self._definition(linked, depth + 1) or abstract
        return abstract

    def _level(self, num_id: str, abstract: etree._Element, ilvl: int) -> etree._Element | None:
        """The level's definition, an instance's ``lvlOverride/lvl`` first."""
        override = self._override(num_id, ilvl)
        lvl = override.find(f"{_W}lvl") if override is not None else None
        if lvl is not None:
            return lvl
        return next((x for x in abstract.iterchildren(f"{_W}lvl") if x.get(f"{_W}ilvl", "0") == str(ilvl)), None)

    def _override(self, num_id: str, ilvl: int) -> etree._Element | None:
        num = self._num.get(num_id)
        overrides = num.iterchildren(f"{_W}lvlOverride") if num is not None else ()
        return next((o for o in overrides if o.get(f"{_W}ilvl", "0") == str(ilvl)), None)

    def _where(self, paragraph: etree._Element) -> tuple[str, int] | None:
        """(numId, ilvl) of a numbered paragraph, from its own numPr, else its style's."""
        ppr = paragraph.find(f"{_W}pPr")
        style = _val(ppr, f"{_W}pStyle") or self.styles.default_paragraph
        num_id = _val(ppr, f"{_W}numPr/{_W}numId")
        ilvl = _val(ppr, f"{_W}numPr/{_W}ilvl")
        style_num, style_ilvl = self.styles.num_pr(style)
        num_id = num_id if num_id is not None else style_num
        if num_id is None or num_id == "0" or num_id not in self._num:
            return None
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None:
            abstract = self._definition(num_id)
            levels = abstract.iterchildren(f"{_W}lvl") if abstract is not None else ()
            ilvl = next((x.get(f"{_W}ilvl") for x in levels if _val(x, f"{_W}pStyle") == style), "0")
        try:
            return num_id, min(max(int(ilvl or 0), 0), _LEVELS - 1)
        except ValueError:
            return num_id, 0

    def labels(self, paragraphs: Iterable[etree._Element]) -> dict[etree._Element, str]:
        """The number each numbered paragraph shows, counted over ``paragraphs`` in reading order."""
        counters: dict[int, list[int | None]] = {}
        used: set[tuple[str, int]] = set()
        out: dict[etree._Element, str] = {}
        for paragraph in paragraphs:
            where = self._where(paragraph)
            abstract = self._definition(where[0]) if where else None
            if where is None or abstract is None:
                continue
            num_id, ilvl = where
            counts = counters.setdefault(id(abstract), [None] * _LEVELS)
            levels = [self._level(num_id, abstract, i) for i in range(_LEVELS)]
            override = _val(self._override(num_id, ilvl), f"{_W}startOverride")
            if (num_id, ilvl) not in used and override is not None:
                counts[ilvl] = _int(override, 1) - 1
            used.add((num_id, ilvl))
            current = counts[ilvl]
            counts[ilvl] = _start(levels[ilvl]) if current is None else current + 1
            for deeper in range(ilvl + 1, _LEVELS):
                if _val(levels[deeper], f"{_W}lvlRestart") != "0":
                    counts[deeper] = None
            label = self._render(levels, ilvl, counts)
            if label:
                out[paragraph] = label
        return out

    def _render(self, levels: list[etree._Element | None], ilvl: int, counts: list[int | None]) -> str:
        lvl = levels[ilvl]
        if lvl is None:
            return ""
        fmt = _val(lvl, f"{_W}numFmt") or "decimal"
        if fmt == "bullet" or flag(lvl.find(f"{_W}rPr"), "vanish"):
            return ""
        text = _val(lvl, f"{_W}lvlText") or ""
        legal = flag(lvl, "isLgl")
        for level in range(_LEVELS, 0, -1):  # %10 does not exist; going down keeps %1 out of %1x
            marker = f"%{level}"
            if marker in text:
                source = levels[level - 1]
                count = counts[level - 1]
                value = count if count is not None else _start(source)
                level_fmt = "decimal" if legal else (_val(source, f"{_W}numFmt") or "decimal")
                shown = "" if level_fmt in ("none", "bullet") else format_number(value, level_fmt)
                text = text.replace(marker, shown)
        return text + (" " if _val(lvl, f"{_W}suff") == "space" and text else "")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _start(lvl: etree._Element | None) -> int:
    return _int(_val(lvl, f"{_W}start"), 1) if lvl is not None else 1
