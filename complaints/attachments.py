"""Checking uploaded files by their content, never by their name.

`validate_upload(file)` reads the first bytes (magic numbers via `filetype`), the OLE2
signature of HWP 5.0 documents and the contents of ZIP containers (hwpx, docx, xlsx), and
returns what the file really is, or raises `ValidationError` with a Korean message.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
ALLOWED_LABEL = "PDF, JPG, PNG, HWP, HWPX, DOCX, XLSX"

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_MARKER = b"HWP Document File"
ZIP_SIGNATURE = b"PK\x03\x04"
# A zip-based document (hwpx, docx, xlsx) is refused when it would unpack to more than
# MAX_ZIP_RATIO times its weight, to more than MAX_ZIP_UNPACKED bytes, or to more than
# MAX_ZIP_ENTRIES entries (a zip bomb for whoever opens it). Checking it reads at most
# _MIMETYPE_BYTES of one entry, whatever the archive declares.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNPACKED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
_MIMETYPE_BYTES = 64
_SNIFF_BYTES = 8192

_SIMPLE = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
}
CONTENT_TYPES = {
    **_SIMPLE,
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class UploadInfo:
    extension: str
    content_type: str
    size: int


def _read_all(file) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def _is_hwp(file) -> bool:
    """HWP 5.0: an OLE2 compound file whose FileHeader stream begins 'HWP Document File'."""
    data = _read_all(file)
    return data.startswith(OLE2_SIGNATURE) and HWP_MARKER in data


class _ZipBomb(Exception):
    pass


def _zip_kind(file, size: int) -> str | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            if (
                len(entries) > MAX_ZIP_ENTRIES
                or unpacked > MAX_ZIP_UNPACKED
                or unpacked > MAX_ZIP_RATIO * size
            ):
                raise _ZipBomb
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(_MIMETYPE_BYTES).strip()
                if mimetype == b"application/hwp+zip":
                    return "hwpx"
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        file.seek(0)
    return None


def validate_upload(file) -> UploadInfo:
    """What `file` really is, or `ValidationError` with a message the citizen can act on."""
    name = getattr(file, "name", "") or _("파일")
    size = getattr(file, "size", None)
    if size is None:
        size = len(_read_all(file))
    if size == 0:
        raise ValidationError(_("%(name)s: 빈 파일입니다.") % {"name": name}, code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s: 파일 하나는 10MB를 넘을 수 없습니다.") % {"name": name},
            code="too_large",
        )
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    if head.startswith(OLE2_SIGNATURE):
        if _is_hwp(file):
            return UploadInfo("hwp", CONTENT_TYPES["hwp"], size)
    elif head.startswith(ZIP_SIGNATURE):
        try:
            kind = _zip_kind(file, size)
        except _ZipBomb:
            raise ValidationError(
                _(
                    "%(name)s: 압축된 내용이 지나치게 크거나 많아서 받을 수 없습니다. "
                    "문서를 다시 저장하거나 PDF로 바꿔서 올려 주세요."
                )
                % {"name": name},
                code="zip_bomb",
            ) from None
        if kind:
            return UploadInfo(kind, CONTENT_TYPES[kind], size)
    else:
        guessed = filetype.guess(head)
        if guessed is not None and guessed.extension in _SIMPLE:
            return UploadInfo(guessed.extension, _SIMPLE[guessed.extension], size)
    raise ValidationError(
        _("%(name)s: 올릴 수 없는 파일 형식입니다. %(allowed)s 파일만 올릴 수 있습니다.")
        % {"name": name, "allowed": ALLOWED_LABEL},
        code="bad_type",
    )


def validate_uploads(files) -> list[UploadInfo]:
    """All files of one filing: at most five, each checked; every problem reported."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("첨부파일은 %(max)d개까지 올릴 수 있습니다.") % {"max": MAX_FILES},
            code="too_many",
        )
    infos, errors = [], []
    for file in files:
        try:
            infos.append(validate_upload(file))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return infos


def safe_original_name(name: str) -> str:
    """The citizen's file name for display only: no path, no control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200] or "file"
