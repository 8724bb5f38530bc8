"""Attachments are checked by content and kept private (C3 intake; privacy)."""

import pytest
from django.core.exceptions import ValidationError

from complaints.attachments import MAX_BYTES, validate_upload, validate_uploads
from complaints.models import Attachment
from tests.complaints import files
from tests.complaints.factories import file_one


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("a.pdf", files.PDF, "pdf"),
        ("a.png", files.PNG, "png"),
        ("a.jpg", files.JPG, "jpg"),
        ("a.hwp", files.HWP, "hwp"),
        ("a.hwpx", files.HWPX, "hwpx"),
        ("a.docx", files.DOCX, "docx"),
        ("a.xlsx", files.XLSX, "xlsx"),
        # the name does not matter, the content does
        ("scan.bin", files.PDF, "pdf"),
    ],
)
def test_C3_allowed_types_are_recognised_by_content(name, data, ext):
    assert validate_upload(files.upload(name, data)).extension == ext


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.pdf", files.EXE),
        ("old.hwp", files.OLE_DOC),
        ("archive.docx", files.PLAIN_ZIP),
        ("page.png", b"<script>alert(1)</script>"),
        ("empty.pdf", b""),
    ],
)
def test_C3_other_content_is_refused_in_korean(name, data):
    with pytest.raises(ValidationError) as exc:
        validate_upload(files.upload(name, data))
    message = " ".join(exc.value.messages)
    assert name in message
    assert "파일" in message


def test_C3_oversized_file_is_refused():
    big = files.upload("big.pdf", files.PDF + b"0" * MAX_BYTES)
    with pytest.raises(ValidationError) as exc:
        validate_upload(big)
    assert "10MB" in exc.value.messages[0]


def test_C3_at_most_five_files():
    with pytest.raises(ValidationError) as exc:
        validate_uploads([files.upload(f"{i}.pdf", files.PDF) for i in range(6)])
    assert "5개" in exc.value.messages[0]


@pytest.mark.django_db
def test_C3_stored_under_a_random_private_name(road_type, settings):
    complaint = file_one(road_type, attachments=(files.upload("내 사진.png", files.PNG),))
    item = Attachment.objects.get(complaint=complaint)
    assert item.original_name == "내 사진.png"
    assert item.extension == "png"
    assert "내 사진" not in item.file.name
    path = item.file.path
    assert path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError):
        item.file.url  # noqa: B018 — private files have no URL


@pytest.mark.django_db
def test_C3_bad_file_stores_nothing(road_type, settings):
    from complaints.models import Complaint

    with pytest.raises(ValidationError):
        file_one(road_type, attachments=(files.upload("x.pdf", files.EXE),))
    assert not Complaint.objects.exists()
    assert not (settings.MEDIA_ROOT / "private").exists() or not any(
        (settings.MEDIA_ROOT / "private").rglob("*.*")
    )
