"""The laid-out empty .docx a report is written into, built once per layout and reused.

python-docx's add_style scans every style name for each style it adds, and opening and saving its
template parses and recompresses 350 KB of styles: done once per layout rather than once per
report, that was most of what an offline draft cost. The template is kept split: every part but
the two a report changes, already compressed in a zip, plus those two parts' XML. A render parses
the near-empty document part, fills it and appends both parts to a copy of the package bytes, so
renders share no mutable state (the web server renders in threads).
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from docx.opc.oxml import serialize_part_xml
from lxml import etree

from aidraft.export.layout import Layout

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"


@dataclass(frozen=True)
class Template:
    package: bytes  # a zip of every part but DOCUMENT_PART and CORE_PART
    document_xml: bytes
    core_xml: bytes

    def package_with(self, document: etree._Element, core: etree._Element) -> bytes:
        """The complete .docx: the template's parts plus the filled document and core parts."""
        out = io.BytesIO(self.package)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(DOCUMENT_PART, serialize_part_xml(document))
            package.writestr(CORE_PART, serialize_part_xml(core))
        return out.getvalue()


_TEMPLATES: dict[str, Template] = {}
_LOCK = threading.Lock()


def cached_template(layout: Layout, build: Callable[[], bytes]) -> Template:
    """The template for ``layout``; ``build`` makes its .docx bytes the first time it is asked for."""
    key = layout.model_dump_json()
    with _LOCK:
        found = _TEMPLATES.get(key)
    if found is None:
        found = split(build())
        with _LOCK:
            _TEMPLATES[key] = found
    return found


def split(package: bytes) -> Template:
    """A .docx's bytes as a Template."""
    parts: dict[str, bytes] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rest:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in (DOCUMENT_PART, CORE_PART):
                parts[info.filename] = data
            else:
                rest.writestr(info.filename, data)
    return Template(package=out.getvalue(), document_xml=parts[DOCUMENT_PART], core_xml=parts[CORE_PART])
