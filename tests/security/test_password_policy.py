"""Staff passwords: at least 12 characters (OWASP ASVS 2.1.1), refused in Korean."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from staff_directory.management.commands.seed_demo import DEMO_PASSWORD
from tests.factories import TEST_PASSWORD

# Neither common, numeric nor like the cast's names or addresses: only the length decides.
ELEVEN = "pine-river7"
TWELVE = "pine-river-7"
TOO_SHORT_KO = "이 비밀번호는 너무 짧습니다. 최소 12자 이상이어야 합니다."


def test_an_eleven_character_password_is_refused_with_the_korean_message():
    assert len(ELEVEN) == 11
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        validate_password(ELEVEN)
    assert [error.code for error in refused.value.error_list] == ["password_too_short"]
    assert refused.value.messages == [TOO_SHORT_KO]


def test_a_twelve_character_password_is_accepted():
    assert len(TWELVE) == 12
    validate_password(TWELVE)  # raises on refusal


def test_the_demo_and_test_passwords_meet_the_policy():
    # seed_demo and the factories set passwords without validation; keep them valid.
    validate_password(DEMO_PASSWORD)
    validate_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_the_admin_password_change_form_refuses_eleven_characters(client_for, roads_clerk):
    client = client_for(roads_clerk)
    form = {"old_password": TEST_PASSWORD, "new_password1": ELEVEN, "new_password2": ELEVEN}
    response = client.post(reverse("admin:password_change"), form)
    assert response.status_code == 200  # the form again, with the error
    assert TOO_SHORT_KO in response.content.decode()
    roads_clerk.refresh_from_db()
    assert roads_clerk.check_password(TEST_PASSWORD)

    form.update(new_password1=TWELVE, new_password2=TWELVE)
    response = client.post(reverse("admin:password_change"), form)
    assert response.status_code == 302
    roads_clerk.refresh_from_db()
    assert roads_clerk.check_password(TWELVE)
