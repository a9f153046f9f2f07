"""Input caps: every reader refuses oversized text, overlong lines and inflating packages in one line."""

from __future__ import annotations

import io
import zipfile

import pytest

from aidraft.errors import InputError
from aidraft.ingest.read import (
    MAX_BYTES,
    MAX_DOCX_MEMBER_BYTES,
    MAX_LINE_CHARS,
    MAX_TEXT_CHARS,
    check_package,
    read_bytes_text,
)


def _docx_declaring(member_size: int) -> bytes:
    """A zip whose one member really inflates to ``member_size`` zero bytes (compresses to almost nothing)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(member_size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("one-line.txt", ("交办12件化解3件" * (MAX_LINE_CHARS // 4)).encode(), "line 1 has"),
        ("later-line.txt", ("短行\n" * 5 + "长" * (MAX_LINE_CHARS + 1)).encode(), "line 6 has"),
        ("long.txt", ("受理来信12件。\n" * (MAX_TEXT_CHARS // 8 + 10)).encode(), "characters or more"),
        ("long-gbk.txt", ("受理来信12件。\n" * (MAX_TEXT_CHARS // 8 + 10)).encode("gb18030"), "characters or more"),
        ("huge.md", b"a" * (MAX_BYTES + 1), "MB"),
        ("bomb.docx", _docx_declaring(MAX_DOCX_MEMBER_BYTES + 1024 * 1024), "unpacks to more than"),
    ],
)
def test_oversized_inputs_are_refused_with_one_line(name: str, data: bytes, says: str) -> None:
    with pytest.raises(InputError) as info:
        read_bytes_text(data, name)
    line = info.value.one_line()
    assert says in line and "\n" not in line


def test_input_just_under_the_caps_is_read() -> None:
    line = "交办信访事项12件，化解11件。"
    text = "\n".join([line] * ((MAX_TEXT_CHARS - 1000) // (len(line) + 1)))
    assert read_bytes_text(text.encode(), "ok.txt").startswith(line)
    assert read_bytes_text(("长" * MAX_LINE_CHARS).encode(), "edge.txt") == "长" * MAX_LINE_CHARS


def test_package_budgets_count_every_member_and_the_total() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(3):
            archive.writestr(f"m{i}.xml", b"\0" * 4000)
    data = buffer.getvalue()
    check_package(data, "ok.docx", max_member=4000, max_total=12000)
    with pytest.raises(InputError, match="unpacks"):
        check_package(data, "member.docx", max_member=3999, max_total=10**9)
    with pytest.raises(InputError, match="unpacks"):
        check_package(data, "total.docx", max_member=10**9, max_total=11999)
    with pytest.raises(InputError, match="damaged"):
        check_package(b"PK\x03\x04" + b"\0" * 100, "broken.docx")


def test_every_hostile_one_megabyte_shape_is_refused_or_within_the_caps() -> None:
    """The bench's shapes (python -m aidraft.bench.hostile): whatever the reader accepts is
    bounded by MAX_TEXT_CHARS and MAX_LINE_CHARS, so no command sees an unbounded input."""
    from aidraft.bench.hostile import shapes

    for name, data in shapes().items():
        try:
            text = read_bytes_text(data, f"{name}.txt")
        except InputError as exc:
            assert "\n" not in exc.one_line()
            continue
        assert len(text) <= MAX_TEXT_CHARS and max(map(len, text.split("\n"))) <= MAX_LINE_CHARS


def test_deeply_nested_front_matter_gives_one_line_and_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from aidraft.cli.app import app

    notes = tmp_path / "deep.md"
    notes.write_text("---\noffice: 青溪县信访局\nx: " + "[\n" * 4000 + "\n---\n- 受理来信12件\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", str(notes), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output[-300:]
    assert "Traceback" not in result.output
