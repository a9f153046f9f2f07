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
