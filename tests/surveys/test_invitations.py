"""S1: one SMS with a one-time link after a filing closes; the link works once, 30 days."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from notifications.models import SmsMessage
from surveys import services
from surveys.models import Answer, Response, SurveyInvitation
from surveys.tasks import invite_closed_complaints
from tests.surveys.conftest import FILED, NOW

pytestmark = pytest.mark.django_db


def invite(case):
    ids = services.invite_closed_complaints(NOW)
    invitation = SurveyInvitation.objects.get(complaint=case)
    assert invitation.pk in ids
    return invitation, services.token_for(invitation.nonce)


def good_answers(survey):
    questions = list(survey.questions.order_by("order"))
    data = {}
    for question, value in zip(questions, ["5", "4", "3", "친절했습니다"], strict=False):
        data[f"q{question.pk}"] = value
    return data


def test_S1_invites_each_closed_filing_once(closed_case, road_type, django_assert_max_num_queries):
    cases = [closed_case() for _i in range(3)]
    closed_case(sms_consent=False, phone="")  # no consent, no SMS
    closed_case(closed_at=NOW - timedelta(days=40))  # too old to ask now
    from tests.complaints.factories import file_one

    file_one(road_type, now=FILED)  # still open
    # Six for the invitations in bulk, then each SMS's outbox row in the same
    # transaction: a savepoint, its INSERT and its release.
    with django_assert_max_num_queries(6 + 3 * 3):
        ids = services.invite_closed_complaints(NOW)
    assert len(ids) == 3
    assert set(SurveyInvitation.objects.values_list("complaint_id", flat=True)) == {
        c.pk for c in cases
    }
    assert services.invite_closed_complaints(NOW) == []
    invitation = SurveyInvitation.objects.first()
    assert invitation.expires_at == NOW + timedelta(days=30)
    assert len(invitation.token_hash) == 64 and invitation.nonce not in invitation.token_hash


def test_S1_invitation_sms_carries_the_link_once(closed_case, django_capture_on_commit_callbacks):
    case = closed_case()
    with django_capture_on_commit_callbacks(execute=True):
        ids = services.invite_closed_complaints(NOW)
    sms = SmsMessage.objects.get(key=f"survey:{ids[0]}:invite")
    invitation = SurveyInvitation.objects.get(complaint=case)
    token = services.token_for(invitation.nonce)
    assert sms.to == "+821012345678"
    assert reverse("surveys:answer", args=[token]) in sms.body
    assert case.receipt_number in sms.body
    services.send_invitation(invitation)  # a retry sends nothing new
    assert SmsMessage.objects.filter(key__startswith="survey:").count() == 1


def test_S1_periodic_task_is_idempotent(closed_case):
    closed_case()
    with time_machine.travel(NOW, tick=False):
        assert invite_closed_complaints() == 1
        assert invite_closed_complaints() == 0


def test_S1_beat_schedule_registered():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="surveys.tasks.invite_closed_complaints")
    assert task.enabled and task.crontab.hour == "*"


def test_S1_citizen_answers_once_then_link_is_used(closed_case, client):
    case = closed_case()
    invitation, token = invite(case)
    url = reverse("surveys:answer", args=[token])
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert case.receipt_number in page.content.decode()
        answer = client.post(url, good_answers(invitation.survey))
        assert answer.status_code == 302 and answer.url == reverse("surveys:thanks")
        again = client.get(url)
        assert again.status_code == 410
        assert "이미 응답하신 설문입니다" in again.content.decode()
        repost = client.post(url, good_answers(invitation.survey))
        assert repost.status_code == 410
    response = Response.objects.get()
    assert response.department_id == case.department_id
    assert sorted(Answer.objects.exclude(score=None).values_list("score", flat=True)) == [3, 4, 5]
    assert Answer.objects.get(score=None).text == "친절했습니다"
    invitation.refresh_from_db()
    assert invitation.used_at is not None


def test_S1_expired_link_is_refused(closed_case, client):
    invitation, token = invite(closed_case())
    url = reverse("surveys:answer", args=[token])
    with time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False):
        page = client.get(url)
        assert page.status_code == 410
        assert "30일" in page.content.decode()
        assert client.post(url, good_answers(invitation.survey)).status_code == 410
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),
        lambda t: t[:20],
        lambda t: "x" * 32,
        lambda t: t.upper()[:-1] + "G",
        lambda t: t + "00",
        lambda t: "../" + t,
        lambda t: "%00" + t,
    ],
)
def test_S1_tampered_token_is_refused(closed_case, client, mangle):
    _invitation, token = invite(closed_case())
    mangled = mangle(token)
    page = client.get(f"/surveys/{mangled}/")
    if "%00" in mangled:  # a NUL byte is refused before any view, with a clear 400
        assert page.status_code == 400
        return
    assert page.status_code == 404
    if "/" not in mangled:  # a slash leaves the survey URL: the portal's own 404
        assert "설문 링크가 올바르지 않습니다" in page.content.decode()


@pytest.mark.parametrize("bad", ["0", "6", "7", "-1", "abc", "3.5", ""])
def test_S1_out_of_range_answers_rejected(closed_case, client, bad):
    invitation, token = invite(closed_case())
    data = good_answers(invitation.survey)
    first = invitation.survey.questions.order_by("order").first()
    data[f"q{first.pk}"] = bad
    with time_machine.travel(NOW, tick=False):
        page = client.post(reverse("surveys:answer", args=[token]), data)
    assert page.status_code == 400
    body = page.content.decode()
    assert "1부터 5 사이에서 골라 주세요" in body or "이 문항에 답해 주세요" in body
    assert f'aria-describedby="id_q{first.pk}_error"' in body
    invitation.refresh_from_db()
    assert invitation.used_at is None and not Response.objects.exists()


def test_S1_comment_too_long_rejected(closed_case, client):
    invitation, token = invite(closed_case())
    data = good_answers(invitation.survey)
    comment = invitation.survey.questions.get(kind="comment")
    data[f"q{comment.pk}"] = "가" * 1001
    with time_machine.travel(NOW, tick=False):
        page = client.post(reverse("surveys:answer", args=[token]), data)
    assert page.status_code == 400
    assert "1000자 이내" in page.content.decode()


def test_S1_service_refuses_out_of_range_scores(closed_case):
    invitation, token = invite(closed_case())
    ids = list(invitation.survey.questions.order_by("order").values_list("id", flat=True))
    with pytest.raises(services.AnswerError):
        services.submit_invitation_response(token, {ids[0]: 9, ids[1]: 3, ids[2]: 3}, NOW)
    assert not Response.objects.exists()


def test_S1_survey_page_in_english(closed_case, client):
    _invitation, token = invite(closed_case())
    client.cookies["django_language"] = "en"
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("surveys:answer", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "How satisfied are you with the result?" in body


def test_S1_survey_page_query_count(closed_case, client, django_assert_max_num_queries):
    invitation, token = invite(closed_case())
    url = reverse("surveys:answer", args=[token])
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(14):
            assert client.post(url, good_answers(invitation.survey)).status_code == 302


def test_S1_english_filing_is_invited_in_english_with_the_day_in_words(closed_case):
    case = closed_case(language="en")
    ids = services.invite_closed_complaints(NOW)
    sms = SmsMessage.objects.get(key=f"survey:{ids[0]}:invite")
    assert sms.language == "en"
    # Thirty days after NOW (Friday 20 March 2026): Sunday 19 April, never "04/19".
    assert "3 questions, open until Sunday 19 April" in sms.body
    assert case.receipt_number in sms.body
    assert "연천" not in sms.body and "04/19" not in sms.body


def test_S1_korean_filing_is_invited_in_korean_with_the_day_in_words(closed_case):
    closed_case()
    ids = services.invite_closed_complaints(NOW)
    sms = SmsMessage.objects.get(key=f"survey:{ids[0]}:invite")
    assert sms.language == "ko"
    assert "만족도 설문(3문항, 4월 19일(일요일)까지)" in sms.body
