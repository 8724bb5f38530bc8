"""S1 staff screens: permission trio for the results and follow-up views."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import FollowUpAction, FollowUpState
from tests.factories import UserFactory
from tests.surveys.conftest import NOW

pytestmark = pytest.mark.django_db


def test_S1_results_view_permission_trio(
    client, client_for, campaign, roads_clerk, manager, roads, django_assert_max_num_queries
):
    url = reverse("admin:surveys_survey_results", args=[campaign.pk])
    assert client.get(url).status_code == 302
    assert client_for(roads_clerk).get(url).status_code == 403
    questions = {q.order: q.pk for q in campaign.questions.all()}
    for _i in range(5):
        services.submit_campaign_response(
            campaign, {questions[1]: 2, questions[2]: 4, questions[3]: 5}, department=roads, now=NOW
        )
    client = client_for(manager)
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert "2.00" in page.content.decode()


def test_S1_results_view_opens_follow_ups(client_for, campaign, roads, roads_head, manager):
    questions = {q.order: q.pk for q in campaign.questions.all()}
    services.submit_campaign_response(
        campaign, {questions[1]: 1, questions[2]: 4, questions[3]: 5}, department=roads, now=NOW
    )
    url = reverse("admin:surveys_survey_results", args=[campaign.pk])
    due_on = timezone.localdate() + timedelta(days=30)
    response = client_for(manager).post(url, {"due_on": due_on.isoformat()})
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    assert action.owner == roads_head.staff_member and action.due_on == due_on
    bad = client_for(manager).post(url, {"due_on": "not-a-date"})
    assert bad.status_code == 200 and FollowUpAction.objects.count() == 1


def test_S1_follow_up_changelist_trio_and_completion(
    client, client_for, campaign, roads, roads_head, roads_clerk, other_clerk, manager
):
    questions = {q.order: q.pk for q in campaign.questions.all()}
    services.submit_campaign_response(
        campaign, {questions[1]: 1, questions[2]: 4, questions[3]: 5}, department=roads, now=NOW
    )
    action = services.open_follow_ups(campaign, by=manager, now=NOW, due_on=date(2026, 4, 30))[0]
    url = reverse("admin:surveys_followupaction_changelist")
    assert client.get(url).status_code == 302
    assert client_for(UserFactory(username="plain", is_staff=True)).get(url).status_code == 403
    assert client_for(roads_clerk).get(url).status_code == 200
    other_page = client_for(other_clerk).get(url).content.decode()
    assert action.question.text not in other_page
    change = reverse("admin:surveys_followupaction_change", args=[action.pk])
    response = client_for(roads_clerk).post(change, {"note": "안내문 개정, 부서 교육 실시"})
    assert response.status_code == 302
    client_for(roads_clerk).post(
        url, {"action": "complete_selected", "_selected_action": [action.pk]}
    )
    action.refresh_from_db()
    assert action.state == FollowUpState.DONE and action.note.startswith("안내문")


def test_S1_survey_change_only_for_managers(client, client_for, campaign, roads_clerk, manager):
    url = reverse("admin:surveys_survey_change", args=[campaign.pk])
    assert client.get(url).status_code == 302
    assert client_for(roads_clerk).get(url).status_code == 403
    assert client_for(manager).get(url).status_code == 200


def test_S1_invitation_list_permission_trio(client, client_for, roads_clerk, manager):
    url = reverse("admin:surveys_surveyinvitation_changelist")
    assert client.get(url).status_code == 302
    assert client_for(roads_clerk).get(url).status_code == 403
    assert client_for(manager).get(url).status_code == 200


def test_S1_manager_defines_a_campaign_with_questions(client_for, manager):
    from surveys.models import Survey

    data = {
        "kind": "campaign",
        "title": "2027년 만족도 조사",
        "title_en": "2027 survey",
        "slug": "2027",
        "intro": "",
        "intro_en": "",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "threshold": "3.5",
        "is_active": "on",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-order": "1",
        "questions-0-text": "처리 결과에 만족하십니까?",
        "questions-0-text_en": "Result?",
        "questions-0-kind": "scale",
        "questions-0-topic": "result",
        "questions-0-required": "on",
        "questions-1-order": "2",
        "questions-1-text": "의견",
        "questions-1-text_en": "Comment",
        "questions-1-kind": "comment",
        "questions-1-topic": "comment",
    }
    response = client_for(manager).post(reverse("admin:surveys_survey_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(slug="2027")
    assert survey.questions.count() == 2
    bad = dict(data, slug="2027b", starts_on="2027-12-31", ends_on="2027-01-01")
    response = client_for(manager).post(reverse("admin:surveys_survey_add"), bad)
    assert response.status_code == 200 and not Survey.objects.filter(slug="2027b").exists()
    assert "종료일은 시작일보다 빠를 수 없습니다" in response.content.decode()
