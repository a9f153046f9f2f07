"""The .docx export: a report a clerk can hand in as it is, in GB/T 9704-2012 format.

python-docx's ``font.name`` leaves Chinese text to the theme font (MS Mincho in its
template), so every run and style here gets explicit ascii/hAnsi/eastAsia/cs fonts, and the
template's theme-font attributes, thumbnail and Word 2010 style copy are removed. All numbers
come from :mod:`aidraft.export.layout`.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from aidraft.export.docx_template import Template, cached_template
from aidraft.export.docx_xml import app_version, el, page_field, rpr
from aidraft.export.layout import TWIPS_PER_PT, Align, Layout, Role, load_layout, mm_to_twips, text_width
from aidraft.export.markdown import heading_text, paragraphs, report_title
from aidraft.figures.extract import extract_figures
from aidraft.files import write_bytes_atomic
from aidraft.messages import DOC_LANG, text
from aidraft.parse.dates import is_unknown_date, is_written_date
from aidraft.parse.document import Document

__all__ = ["render_docx", "write_docx"]

THEME_FONT_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")
_JC: dict[Align, str] = {"left": "left", "center": "center", "right": "right", "justify": "both"}
NOMINAL_DATE = "2026年12月31日"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def render_docx(doc: Document, layout: Layout | None = None) -> bytes:
    """The report as .docx bytes, laid out by ``layout`` (the bundled GB/T 9704 one if None)."""
    layout = layout or load_layout()
    return _Writer(layout).render(doc, cached_template(layout, lambda: _Writer(layout).template()))


def write_docx(doc: Document, path: Path, layout: Layout | None = None) -> None:
    """Render fully in memory first, then replace ``path`` atomically, so a failure keeps the old file."""
    write_bytes_atomic(Path(path), render_docx(doc, layout))


class _Writer:
    """One render: owns the python-docx document while it is being built."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.roles = layout.roles
        self.marker = layout.placeholders.pattern()
        self._ppr_cache: dict[tuple[object, ...], BaseOxmlElement] = {}
        self.body: BaseOxmlElement | None = None

    def template(self) -> bytes:
        """Everything but the text: package clean-up, settings, styles, page, footers, fonts."""
        self.docx: DocxDocument = docx.Document()
        self._clean_package()
        self._settings()
        self._styles()
        self._section()
        self._footers()
        self._font_table()
        self.docx.core_properties.revision = 1  # makes sure the package has its core part
        self._app_properties()
        out = io.BytesIO()
        self.docx.save(out)
        return out.getvalue()

    def render(self, doc: Document, template: Template) -> bytes:
        """The text and properties of ``doc``, added to the template's package."""
        root = parse_xml(template.document_xml)
        self.body = root.body
        self._body(doc)
        core = parse_xml(template.core_xml)
        self._core_properties(doc, CoreProperties(core))
        return template.package_with(root, core)

    # ---- package, settings, styles -------------------------------------------------------

    def _clean_package(self) -> None:
        """Drop the template's thumbnail (a picture of another document) and the Word 2010
        style copy, which still names theme fonts."""
        package = self.docx.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rid]
        for rid, rel in list(self.docx.part.rels.items()):
            if rel.reltype == _STYLES_WITH_EFFECTS:
                self.docx.part.drop_rel(rid)

    def _settings(self) -> None:
        self.docx.settings.odd_and_even_pages_header_footer = True
        settings = self.docx.settings.element
        for element in settings.findall(qn("w:savePreviewPicture")):
            settings.remove(element)
        for element in settings.findall(qn("w:themeFontLang")):
            element.set(qn("w:eastAsia"), self.layout.document.language)

    def _ppr(
        self, role: Role, *, style: bool, right_twips: int = 0, left_twips: int = 0, single: bool = False,
        keep_next: bool = False,
    ) -> BaseOxmlElement:
        """Paragraph properties in schema order; ``style`` adds pStyle and the mark's rPr;
        ``single`` (footers) leaves the exact body line pitch for single spacing. The title
        does not snap to the document grid: a 22 pt line would otherwise take two grid rows. Built
        once per distinct set of properties and copied, as for _rpr."""
        key = (role.style_id, role.keep_next, role.first_line_chars, role.size_pt, role.align, role.outline_level,
               role.font, role.bold, role.char_spacing_twips, role.half_points, style, right_twips, left_twips, single,
               keep_next, role is self.roles.title)
        found = self._ppr_cache.get(key)
        if found is None:
            found = self._ppr_cache[key] = self._build_ppr(role, style=style, right_twips=right_twips,
                                                           left_twips=left_twips, single=single, keep_next=keep_next)
        return copy.deepcopy(found)

    def _build_ppr(self, role: Role, *, style: bool, right_twips: int, left_twips: int, single: bool,
                   keep_next: bool) -> BaseOxmlElement:
        ppr = el("w:pPr")
        if style:
            ppr.append(el("w:pStyle", val=role.style_id))
        if role.keep_next or keep_next:
            ppr.append(el("w:keepNext"))
        if role is self.roles.title:
            ppr.append(el("w:snapToGrid", val=0))
        if single:
            ppr.append(el("w:spacing", before=0, after=0, line=240, lineRule="auto"))
        else:
            line = self.layout.grid.line_spacing_twips
            ppr.append(el("w:spacing", before=0, after=0, line=line, lineRule="exact"))
        # firstLineChars wins over firstLine in Word and is inherited from Normal: always set both.
        ppr.append(
            el(
                "w:ind",
                left=left_twips,
                right=right_twips,
                firstLine=round(role.first_line_chars * role.size_pt * TWIPS_PER_PT),
                firstLineChars=round(role.first_line_chars * 100),
            )
        )
        ppr.append(el("w:jc", val=_JC[role.align]))
        if role.outline_level is not None:
            ppr.append(el("w:outlineLvl", val=role.outline_level))
        if style:
            ppr.append(rpr(role))
        return ppr

    def _styles(self) -> None:
        """docDefaults, Normal and one style per role, with no theme fonts left anywhere."""
        styles = self.docx.styles
        root = styles.element
        for rfonts in root.iter(qn("w:rFonts")):
            for attr in THEME_FONT_ATTRS:
                rfonts.attrib.pop(qn(attr), None)
        body = self.roles.body
        defaults = root.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr_default.clear()
        defaults_rpr = rpr(body)
        defaults_rpr.append(el("w:lang", val="en-US", eastAsia=self.layout.document.language, bidi="ar-SA"))
        rpr_default.append(defaults_rpr)
        ppr_default = defaults.find(qn("w:pPrDefault"))
        ppr_default.clear()
        ppr_default.append(self._ppr(body, style=False))

        normal = styles["Normal"].element
        normal._remove_pPr()
        normal._remove_rPr()
        normal._insert_pPr(self._ppr(body, style=False))
        normal._insert_rPr(rpr(body))
        for role in self.roles.all():
            style = styles.add_style(role.style_name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = role.style_id
            style.base_style = styles["Normal"]
            style.quick_style = True
            single = role is self.roles.page_number
            style.element._insert_pPr(self._ppr(role, style=False, single=single))
            style.element._insert_rPr(rpr(role))
        for role in (self.roles.title, *(self.roles.heading(n) for n in range(1, 5))):
            styles[role.style_name].next_paragraph_style = styles[body.style_name]

    def _section(self) -> None:
        page, grid = self.layout.page, self.layout.grid
        section = self.docx.sections[0]
        section.page_width = Twips(mm_to_twips(page.width_mm))
        section.page_height = Twips(mm_to_twips(page.height_mm))
        section.top_margin = Twips(mm_to_twips(page.margin_top_mm))
        section.bottom_margin = Twips(mm_to_twips(page.margin_bottom_mm))
        section.left_margin = Twips(mm_to_twips(page.margin_left_mm))
        section.right_margin = Twips(mm_to_twips(page.margin_right_mm))
        section.header_distance = Twips(mm_to_twips(page.header_mm))
        section.footer_distance = Twips(mm_to_twips(page.footer_mm))
        section.gutter = Twips(0)
        grid_el = section._sectPr.find(qn("w:docGrid"))
        if grid_el is None:
            grid_el = el("w:docGrid")
            section._sectPr.append(grid_el)
        grid_el.attrib.clear()
        grid_el.set(qn("w:type"), "lines")
        grid_el.set(qn("w:linePitch"), str(grid.line_pitch_twips))

    def _footers(self) -> None:
        """Odd pages: "— N —" right, even pages left, each one body character from the edge."""
        section = self.docx.sections[0]
        number = self.layout.page_number
        indent = round(number.indent_chars * self.roles.body.size_pt * TWIPS_PER_PT)
        odd_even = ((section.footer, number.odd_align), (section.even_page_footer, number.even_align))
        for footer, align in odd_even:
            footer.is_linked_to_previous = False
            self._page_number(footer.paragraphs[0], align, indent)

    def _page_number(self, paragraph: Paragraph, align: Align, indent: int) -> None:
        role = self.roles.page_number.model_copy(update={"align": align})
        p = paragraph._p
        p.remove(p.get_or_add_pPr())
        right, left = (indent, 0) if align == "right" else (0, indent if align == "left" else 0)
        p.insert(0, self._ppr(role, style=True, right_twips=right, left_twips=left, single=True))
        number = self.layout.page_number
        self._run(paragraph, number.prefix, role)
        for child in page_field():
            run = el("w:r")
            run.append(rpr(role))
            run.append(child)
            p.append(run)
        self._run(paragraph, number.suffix, role)

    def _font_table(self) -> None:
        """Name our fonts in fontTable.xml with a GB2312 charset and a substitute, so a machine
        without 仿宋_GB2312 falls back to a Chinese face rather than a Latin one."""
        part = self.docx.part.part_related_by(RT.FONT_TABLE)
        root = etree.fromstring(part.blob)
        known = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
        for name, entry in self.layout.font_table.items():
            if name in known:
                continue
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            if entry.alt_name:
                etree.SubElement(font, qn("w:altName")).set(qn("w:val"), entry.alt_name)
            etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
            etree.SubElement(font, qn("w:family")).set(qn("w:val"), entry.family)
            etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # ---- content -------------------------------------------------------------------------

    def _body(self, doc: Document) -> None:
        title = report_title(doc)
        if title:
            self._title(title)
            self._blank()
        for text in paragraphs(doc.preamble):
            self._paragraph(text, self.roles.body)
        for section in doc.walk():
            self._paragraph(heading_text(section), self.roles.heading(section.level))
            for text in paragraphs(section.text):
                self._paragraph(text, self.roles.body)
        self._signature(paragraphs(doc.closing))

    def _signature(self, closing: list[str]) -> None:
        """落款 per GB/T 9704 7.3.5: one blank line after the text, office and date right-aligned
        with the standard offsets, a date nobody filled in as a highlighted placeholder set where
        the date will start. An office name wider than the line breaks between words. Each line
        keeps with the next, and so does the last paragraph of text: the signature never stands
        alone on the last page (Word and LibreOffice pull the text's last lines over)."""
        if not closing:
            return
        blocks = [[line] if is_unknown_date(line) or is_written_date(line) else self.layout.split_office(line)
                  for line in closing]
        lines = ["".join(block) if len(block) == 1 else max(block, key=text_width) for block in blocks]
        unknown = bool(lines) and is_unknown_date(lines[-1])
        missing = text("docx.date_missing", DOC_LANG)
        # a missing date is laid out as wide as the placeholder or a real date, whichever is wider
        date_width = max(text_width(NOMINAL_DATE), text_width(missing)) if unknown else None
        indents = self.layout.closing.indents([NOMINAL_DATE if unknown and i == len(lines) - 1 else line
                                               for i, line in enumerate(lines)], date_width)
        assert self.body is not None, "the signature is added while rendering a report"
        written = self.body.findall(qn("w:p"))
        last = written[-1] if written else None
        if last is not None:
            ppr = last.get_or_add_pPr()
            if ppr.find(qn("w:keepNext")) is None:
                style = ppr.find(qn("w:pStyle"))
                ppr.insert(0 if style is None else 1, el("w:keepNext"))
        self._blank(keep_next=True)
        role = self.roles.closing
        for i, (block, chars) in enumerate(zip(blocks, indents)):
            keep = i < len(blocks) - 1
            if is_unknown_date(block[0]):
                self._date_placeholder(missing, lines, indents, keep)
                continue
            paragraph = self._paragraph("", role, right_twips=round(chars * role.char_twips), keep_next=keep)
            for k, part in enumerate(block):
                if k:
                    self._run(paragraph, "", role)._r.add_br()
                self._add_text(paragraph, part, role)

    def _date_placeholder(self, missing: str, lines: list[str], indents: list[float], keep: bool) -> None:
        """The placeholder starts where the date will: ``date_shift_chars`` right of the office
        name's first character (left-aligned there, so the typed date lands in place)."""
        role = self.roles.closing
        if len(lines) < 2:
            self._paragraph(missing, role, right_twips=round(indents[-1] * role.char_twips), keep_next=keep)
            return
        office_width = max(text_width(line) for line in lines[:-1])
        start = (self.layout.text_width_twips - round((indents[0] + office_width) * role.char_twips)
                 + round(self.layout.closing.date_shift_chars * role.char_twips))
        left = role.model_copy(update={"align": "left"})
        self._paragraph(missing, left, left_twips=max(start, 0), keep_next=keep)

    def _title(self, title: str) -> None:
        role = self.roles.title
        paragraph = self._paragraph("", role)
        for i, line in enumerate(self.layout.split_title(title)):
            if i:
                self._run(paragraph, "", role)._r.add_br()
            self._add_text(paragraph, line, role)

    def _blank(self, *, keep_next: bool = False) -> None:
        self._paragraph("", self.roles.body.model_copy(update={"first_line_chars": 0}), keep_next=keep_next)

    def _paragraph(self, text: str, role: Role, *, right_twips: int = 0, left_twips: int = 0,
                   keep_next: bool = False) -> Paragraph:
        assert self.body is not None, "paragraphs are added while rendering a report"
        paragraph = Paragraph(self.body.add_p(), None)  # type: ignore[arg-type]
        paragraph._p.insert(0, self._ppr(role, style=True, right_twips=right_twips, left_twips=left_twips,
                                         keep_next=keep_next))
        if text:
            self._add_text(paragraph, text, role)
        return paragraph

    def _add_text(self, paragraph: Paragraph, text: str, role: Role) -> None:
        """Runs for ``text``, with each placeholder (and a figure just before it) in its own
        highlighted run, so nobody prints 【待核实】 unseen."""
        colour = self.layout.placeholders.highlight
        figure_start = {f.end: f.start for f in extract_figures(text)} if self.marker.search(text) else {}
        pos = 0
        for match in self.marker.finditer(text):
            start = match.start()
            if figure_start.get(start, -1) >= pos:  # the figure the marker questions: 149件【待核实】
                start = figure_start[start]
            if start > pos:
                self._run(paragraph, text[pos:start], role)
            self._run(paragraph, text[start : match.end()], role, highlight=colour)
            pos = match.end()
        if pos < len(text):
            self._run(paragraph, text[pos:], role)

    def _run(self, paragraph: Paragraph, text: str, role: Role, highlight: str | None = None) -> Run:
        run = paragraph.add_run(text)
        run._r.insert(0, rpr(role, highlight))
        return run

    def _core_properties(self, doc: Document, props: CoreProperties) -> None:
        """Title and office, never the template's "python-docx" or the machine's user name."""
        author = (doc.office or "").strip() or self.layout.document.default_author
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        props.title = report_title(doc) or ""
        props.subject = self.layout.document.subject
        props.author = author
        props.last_modified_by = author
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.language = self.layout.document.language
        props.revision = 1
        props.created = now
        props.modified = now

    def _app_properties(self) -> None:
        """docProps/app.xml names aidraft, not the template's "Microsoft Macintosh Word"."""
        for part in self.docx.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                root = etree.fromstring(part.blob)
                ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
                for tag, value in (("Application", "aidraft"), ("AppVersion", app_version()), ("Template", "")):
                    element = root.find(ns + tag)
                    if element is not None:
                        element.text = value
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

