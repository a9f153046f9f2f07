"""From a submitted form to decoded inputs stored in the job's folder.

Upload handling is the one place untrusted names and bytes arrive, so it is kept small and
uniform: every file is size-capped, stored under a neutralised name, and decoded with the same
reader the CLI uses (which refuses .doc, .pdf and binary junk with one line).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.datastructures import UploadFile  # what the form holds; fastapi.UploadFile subclasses it

from aidraft.errors import InputError
from aidraft.ingest.read import (
    MAX_DOCX_MEMBER_BYTES,
    MAX_DOCX_TOTAL_BYTES,
    NamedText,
    check_package,
    read_bytes_text,
)
from aidraft.messages import Both, msg
from aidraft.parse.structure import names_office
from aidraft.web.config import WebConfig
from aidraft.web.uploads import TooLarge, Upload, Workspace, safe_name, skip_reason, unpack_zip

TEXT_SUFFIXES = frozenset({".txt", ".md", ".docx"})


def given(upload: UploadFile | str | None) -> bool:
    """A file input left empty still sends a part: with an empty file name, or as a plain field."""
    return isinstance(upload, UploadFile) and bool(upload.filename)


def take_file(upload: UploadFile, workspace: Workspace, config: WebConfig) -> NamedText:
    """Store one uploaded file (streamed to disk, capped while reading) and decode it; the reader
    applies the same text, line and package caps as the command line."""
    stored = workspace.write_stream(safe_name(upload.filename), upload.file, config.max_file_bytes, "in")
    data = stored.path.read_bytes()
    if data.startswith(b"PK\x03\x04"):  # the server's own (possibly smaller) budget for packages
        check_package(data, stored.name, max_total=min(config.max_unzipped_bytes, MAX_DOCX_TOTAL_BYTES),
                      max_member=min(config.max_unzipped_bytes, MAX_DOCX_MEMBER_BYTES))
    return NamedText(path=stored.name, text=read_bytes_text(data, stored.name, names_office))


def take_text(text: str, name: str, workspace: Workspace, config: WebConfig) -> NamedText | None:
    """Pasted text, stored like an upload so the job folder holds exactly what was checked."""
    if not text.strip():
        return None
    data = text.encode("utf-8")
    if len(data) > config.max_file_bytes:
        raise InputError(msg("input.text_too_long"), hint=msg("input.text_too_long.hint"))
    stored = workspace.write(name, data, "in")
    return NamedText(path=stored.name, text=read_bytes_text(data, stored.name, names_office))


def take_one(upload: UploadFile | str | None, pasted: str, paste_name: str, what: str,
             workspace: Workspace, config: WebConfig) -> NamedText:
    """The uploaded file if any, else the pasted text; one of them is required (``what`` is the
    catalogue key saying which, e.g. ``input.no_notes``)."""
    if isinstance(upload, UploadFile) and given(upload):
        return take_file(upload, workspace, config)
    taken = take_text(pasted, paste_name, workspace, config)
    if taken is None:
        raise InputError(msg(what), hint=msg("input.no_text.hint"))
    return taken


def take_many(uploads: Sequence[UploadFile | str] | None, workspace: Workspace, config: WebConfig) -> list[NamedText]:
    return [take_file(u, workspace, config) for u in uploads or [] if isinstance(u, UploadFile) and given(u)]


def take_reports(uploads: Sequence[UploadFile | str] | None, workspace: Workspace,
                 config: WebConfig) -> tuple[list[Path], list[tuple[str, Both]]]:
    """Digest uploads: report files and zips of them, stored flat; (paths, skipped with reasons).

    Files are not decoded here: the digest reads each one itself and reports a bad file as
    skipped rather than failing the whole upload.
    """
    files: list[Upload] = []
    skipped: list[tuple[str, Both]] = []
    unzipped = 0
    for upload in uploads or []:
        if not isinstance(upload, UploadFile) or not given(upload):
            continue
        name = safe_name(upload.filename)
        if name.lower().endswith(".zip"):
            archive = workspace.write_stream(name, upload.file, config.max_request_bytes, "zips")
            room = config.max_unzipped_bytes - unzipped
            members, bad = unpack_zip(archive.path, name, workspace, max_files=config.max_files - len(files),
                                      max_file_bytes=config.max_file_bytes, max_total=room, sub="reports")
            archive.path.unlink()
            unzipped += sum(m.size for m in members)
            files += members
            skipped += bad
        elif len(files) >= config.max_files:
            skipped.append((name, skip_reason("too_many", count=config.max_files)))
        else:
            try:
                files.append(workspace.write_stream(name, upload.file, config.max_file_bytes, "reports"))
            except TooLarge:
                skipped.append((name, skip_reason("larger", limit=config.max_file_bytes // (1024 * 1024))))
    if not files:
        if skipped:  # say why the one file or member given could not be used (a damaged zip …)
            raise InputError(msg("input.no_reports.skipped", name=skipped[0][0], reason=skipped[0][1]),
                             hint=msg("input.no_reports.hint"))
        raise InputError(msg("input.no_reports"), hint=msg("input.no_reports.hint"))
    return [f.path for f in files], skipped
