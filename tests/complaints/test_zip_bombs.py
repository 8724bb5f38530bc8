"""Zip-based uploads (hwpx, docx, xlsx) are checked in bounded memory and time: the check
reads at most a few bytes of any entry, and refuses archives that would unpack to far more
than they weigh, to too much in all, or to too many entries (C3 intake; security)."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from complaints.attachments import MAX_ZIP_ENTRIES, validate_upload
from tests.complaints import files

ZEROS = 64 * 1024 * 1024  # unpacks to 64 MB, weighs about 64 KB
CHUNK = b"\0" * (1024 * 1024)
MEMORY_BOUND = 4 * 1024 * 1024  # what the check may allocate, whatever the archive holds


def bomb(entries: dict[str, bytes], big: str) -> bytes:
    """A zip with `entries` and one entry `big` of ZEROS zero bytes, written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        with archive.open(big, "w", force_zip64=True) as entry:
            for _ in range(ZEROS // len(CHUNK)):
                entry.write(CHUNK)
    return buffer.getvalue()


BOMBS = {  # kind: (small entries, the big entry, the file name given)
    "hwpx": ({}, "mimetype", "a.hwpx"),
    "hwpx-contents": ({"mimetype": b"application/hwp+zip"}, "Contents/s.xml", "a.hwpx"),
    "docx": ({"[Content_Types].xml": b"<Types/>"}, "word/document.xml", "a.docx"),
    "xlsx": ({"[Content_Types].xml": b"<Types/>"}, "xl/workbook.xml", "a.xlsx"),
    "zip as pdf": ({}, "readme.txt", "a.pdf"),
}


@pytest.mark.parametrize("kind", BOMBS)
def test_C3_zip_bomb_is_refused_in_bounded_memory(kind):
    entries, big, name = BOMBS[kind]
    data = bomb(entries, big)
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            validate_upload(files.upload(name, data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"the check allocated {peak:,} bytes"
    message = refused.value.messages[0]
    assert name in message
    assert "압축" in message or "형식" in message


def test_C3_archive_with_too_many_entries_is_refused():
    entries = {f"word/part{i}.xml": b"<p/>" for i in range(MAX_ZIP_ENTRIES)}
    entries.update({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    with pytest.raises(ValidationError, match="압축"):
        validate_upload(files.upload("many.docx", files._zip(entries)))


@pytest.mark.parametrize("data", [files.HWPX, files.DOCX, files.XLSX])
def test_C3_ordinary_office_files_still_pass(data):
    assert validate_upload(files.upload("a.bin", data)).extension in {"hwpx", "docx", "xlsx"}
