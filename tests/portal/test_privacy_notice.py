"""Every citizen form that collects personal data says, before it is sent, what is
collected, why, for how long, and that one may refuse and what refusing means
(개인정보 보호법 제15조제2항), in Korean and in English."""

import pytest
from django.test import Client

from complaints.catalogue import seed_complaint_types
from complaints.models import ComplaintType

pytestmark = pytest.mark.django_db

NOTICE = {
    "ko": ["개인정보 수집·이용 안내", "이용 목적", "수집 항목", "보유 기간", "동의하지 않을 권리"],
    "en": ["How we use your personal data", "Purpose", "What we collect", "How long", "refuse"],
}


@pytest.fixture
def form_paths(lead_department, roads, environment):
    seed_complaint_types()
    code = ComplaintType.objects.filter(is_active=True).values_list("code", flat=True)[0]
    return [f"/complaints/new/{code}/", "/consult/", "/board/new/", "/praise/"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_citizen_form_carries_the_personal_data_notice(form_paths, language, settings):
    client = Client()
    client.cookies["django_language"] = language
    for path in form_paths:
        html = client.get(path).content.decode()
        main = html.split("<main", 1)[1]
        form = main.split("<form", 1)[1].split("</form>", 1)[0]
        for words in NOTICE[language]:
            assert words in form, (path, words)
        years = settings.PERSONAL_DATA_RETENTION_YEARS
        assert f"{years}년" in form if language == "ko" else f"{years} years" in form
