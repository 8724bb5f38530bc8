"""Staff photos: checked by content, cut to card size, stored as JPEG; SVG placeholders."""

from __future__ import annotations

import hashlib
import io
import secrets
from html import escape

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
CARD_SIZE = (240, 300)  # width, height: a 4:5 portrait
# Refuse decompression bombs long before Pillow's own limit: no phone photo is this large.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

MESSAGE_TOO_LARGE = _("사진 파일이 너무 큽니다. 5MB 이하의 사진을 올려 주세요.")
MESSAGE_NOT_IMAGE = _(
    "사진 파일이 아니거나 손상된 파일입니다. JPEG, PNG, WEBP 형식의 사진을 올려 주세요."
)
MESSAGE_TOO_MANY_PIXELS = _("사진의 가로·세로 크기가 너무 큽니다. 더 작은 사진을 올려 주세요.")


def card_photo(upload) -> ContentFile:
    """Check an uploaded file and return a JPEG portrait of card size with a random name.

    The type is decided by the content (Pillow opens and verifies it), never by the
    file name or the browser's content type. Raises ValidationError with a message
    for the person who uploaded it.
    """
    size = getattr(upload, "size", None)
    if size is None or size > MAX_PHOTO_BYTES:
        raise ValidationError(MESSAGE_TOO_LARGE, code="too_large")
    try:
        upload.seek(0)
        data = upload.read(MAX_PHOTO_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise ValidationError(MESSAGE_NOT_IMAGE, code="unreadable") from exc
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(MESSAGE_TOO_LARGE, code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(MESSAGE_NOT_IMAGE, code="format")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(MESSAGE_TOO_MANY_PIXELS, code="pixels")
            probe.verify()
        # verify() leaves the image unusable: open it again to decode it.
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            portrait = ImageOps.fit(image, CARD_SIZE, Image.Resampling.LANCZOS)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError(MESSAGE_NOT_IMAGE, code="invalid") from exc
    buffer = io.BytesIO()
    portrait.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(16)}.jpg")


# Dark backgrounds: white initials on each keep well above 4.5:1 contrast.
PALETTE = ["#0b4f9c", "#1d6b3a", "#7a3b00", "#6a1b9a", "#9c1c3b", "#00596b", "#3e4a59", "#5b4a00"]


def placeholder_svg(initials: str, seed: str) -> str:
    """A portrait placeholder: the initials on a colour chosen by the name (no network)."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    text = escape(initials or "?")
    width, height = CARD_SIZE
    font_size = 84 if len(initials) <= 2 else 64
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f'<rect width="100%" height="100%" fill="{colour}"/>'
        f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#ffffff" '
        f'font-family="Noto Sans KR, Malgun Gothic, sans-serif" font-size="{font_size}" '
        f'font-weight="700">{text}</text></svg>'
    )
