"""Checks for a board attachment: PDF, JPEG or PNG, at most 10 MB.

The content check is the complaints app's (`complaints.attachments.validate_upload`,
magic numbers, never the name); the board narrows it to the three kinds a citizen's
question needs, requires the name to agree with the content (the download keeps the
name), and decodes images so that a broken or hostile picture is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
BOARD_KINDS = {"pdf": {".pdf"}, "jpg": {".jpg", ".jpeg"}, "png": {".png"}}


def validate_upload(upload) -> None:
    """Raise ValidationError (Korean) unless `upload` is a real PDF, JPEG or PNG ≤ 10 MB."""
    # The clock's and the attachment checker's modules are pure: imported where used.
    from complaints.attachments import validate_upload as check_content

    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("첨부 파일은 10MB 이하여야 합니다."), code="too_large")
    suffix = Path(upload.name or "").suffix.lower()
    if not any(suffix in suffixes for suffixes in BOARD_KINDS.values()):
        raise ValidationError(_("PDF, JPG, PNG 파일만 첨부할 수 있습니다."), code="bad_extension")
    try:
        info = check_content(upload)
    except ValidationError as exc:
        raise ValidationError(
            _("파일 내용이 PDF, JPG, PNG 형식이 아닙니다."), code="bad_content"
        ) from exc
    finally:
        upload.seek(0)
    if suffix not in BOARD_KINDS.get(info.extension, set()):
        raise ValidationError(_("파일 내용이 PDF, JPG, PNG 형식이 아닙니다."), code="bad_content")
    if info.extension in {"jpg", "png"}:
        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception as exc:  # any decoder failure (bombs included) is a bad image
            raise ValidationError(_("이미지 파일이 손상되었습니다."), code="bad_image") from exc
        finally:
            upload.seek(0)
