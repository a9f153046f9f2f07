"""LibreOffice in tests: render a .docx to PDF (and its text) when LibreOffice is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def docx_to_pdf_text(docx: Path, workdir: Path) -> str:
    """Convert with a fresh profile; return the PDF's text without whitespace ('' without pdftotext).

    Skips the calling test when LibreOffice is absent (CI installs it; a laptop may not have it).
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed")
    profile = workdir / "lo-profile"
    env = {**os.environ, "HOME": str(workdir)}
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(workdir), str(docx)],
        check=True, capture_output=True, timeout=180, env=env,
    )
    pdf = workdir / (docx.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 0
    if not shutil.which("pdftotext"):
        return ""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return "".join(out.stdout.decode("utf-8").split())


def docx_to_pdfs(docxs: list[Path], workdir: Path) -> list[Path]:
    """Convert several .docx files in one LibreOffice start (a start costs seconds)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed")
    profile = workdir / "lo-profile"
    env = {**os.environ, "HOME": str(workdir)}
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(workdir), *map(str, docxs)],
        check=True, capture_output=True, timeout=300, env=env,
    )
    pdfs = [workdir / (d.stem + ".pdf") for d in docxs]
    assert all(p.exists() and p.stat().st_size > 0 for p in pdfs)
    return pdfs


def pdf_lines(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, x_min, x_max, text) of every text line of a PDF, from pdftotext's bounding boxes."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    from lxml import etree

    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    root = etree.fromstring(out.stdout, parser=etree.HTMLParser(encoding="utf-8"))
    lines: list[tuple[int, float, float, str]] = []
    for number, page in enumerate(root.iter("page"), start=1):
        for line in page.iter("line"):
            words = [w.text or "" for w in line.iter("word")]
            lines.append((number, float(line.get("xmin")), float(line.get("xmax")), "".join(words)))
    return lines
