"""S1: annual campaigns from a public link, results per department and question, and
follow-up actions for weak points (사후관리)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from surveys import services
from surveys.models import FollowUpAction, FollowUpState, Response, SurveyInvitation
from tests.factories import StaffMemberFactory
from tests.surveys.conftest import NOW

pytestmark = pytest.mark.django_db


def answer_campaign(survey, department, scores, now=NOW):
    questions = {q.order: q.pk for q in survey.questions.all()}
    answers = {questions[order]: score for order, score in scores.items()}
    return services.submit_campaign_response(survey, answers, department=department, now=now)


def answer_after_closure(case, scores, now=NOW):
    services.invite_closed_complaints(now)
    invitation = SurveyInvitation.objects.get(complaint=case)
    questions = {q.topic: q.pk for q in invitation.survey.questions.all()}
    answers = {questions[topic]: score for topic, score in scores.items()}
    return services.submit_invitation_response(services.token_for(invitation.nonce), answers, now)


def test_S1_campaign_public_link_collects_answers(campaign, client, roads):
    url = reverse("surveys:campaign", args=[campaign.slug])
    assert url == "/surveys/campaign/2026/"
    questions = list(campaign.questions.order_by("order"))
    data = {f"q{q.pk}": "4" for q in questions[:3]}
    data["department"] = str(roads.pk)
    with time_machine.travel(NOW, tick=False):
        assert client.get(url).status_code == 200
        assert client.post(url, data).status_code == 302
    response = Response.objects.get(survey=campaign)
    assert response.department == roads and response.answers.count() == 3


def test_S1_campaign_outside_its_period_refused(campaign, client):
    url = reverse("surveys:campaign", args=[campaign.slug])
    with time_machine.travel(NOW + timedelta(days=90), tick=False):
        page = client.get(url)
    assert page.status_code == 410
    assert "응답을 받지 않습니다" in page.content.decode()
    assert client.get("/surveys/campaign/no-such-survey/").status_code == 404


def test_S1_campaign_rejects_out_of_range_and_bad_department(campaign, client):
    url = reverse("surveys:campaign", args=[campaign.slug])
    questions = list(campaign.questions.order_by("order"))
    data = {f"q{q.pk}": "9" for q in questions[:3]}
    data["department"] = "999999"
    with time_machine.travel(NOW, tick=False):
        page = client.post(url, data)
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_S1_results_per_department_and_question_include_after_closure_answers(
    campaign, closed_case, env_type, roads, environment, django_assert_max_num_queries
):
    answer_campaign(campaign, roads, {1: 2, 2: 5, 3: 4})
    answer_campaign(campaign, roads, {1: 3, 2: 4, 3: 4})
    answer_campaign(campaign, environment, {1: 5, 2: 5, 3: 5})
    answer_after_closure(closed_case(), {"result": 1, "kindness": 5, "speed": 2})
    answer_after_closure(closed_case(env_type), {"result": 4, "kindness": 4, "speed": 4})
    with django_assert_max_num_queries(5):
        rows = services.survey_results(campaign)
    table = {(r.department.name, r.question.order): (r.answers, r.average) for r in rows}
    # roads, result: 2, 3 (campaign) and 1 (after closure) → 3 answers, 2.00
    assert table[("건설과", 1)] == (3, 2)
    assert table[("건설과", 2)][0] == 3
    assert table[("건설과", 3)] == (2, 4)  # no topic: campaign answers only
    assert table[("환경과", 1)] == (2, 4.5)
    weak = {(r.department.name, r.question.order) for r in rows if r.below_threshold}
    assert weak == {("건설과", 1)}


def test_S1_results_query_count_does_not_grow(campaign, roads, django_assert_max_num_queries):
    for _i in range(20):
        answer_campaign(campaign, roads, {1: 2, 2: 3, 3: 4})
    with django_assert_max_num_queries(5):
        services.survey_results(campaign)


def test_S1_weak_points_become_follow_up_actions_with_owner_and_due_date(
    campaign, roads, roads_head, roads_clerk, other_clerk, manager
):
    answer_campaign(campaign, roads, {1: 1, 2: 5, 3: 2})
    due = date(2026, 4, 30)
    created = services.open_follow_ups(campaign, by=manager, now=NOW, due_on=due)
    assert {a.question.order for a in created} == {1, 3}
    action = FollowUpAction.objects.get(question__order=1)
    assert action.owner == roads_head.staff_member and action.due_on == due
    assert action.state == FollowUpState.OPEN and action.average == 1
    assert services.open_follow_ups(campaign, by=manager, now=NOW, due_on=due) == []
    with pytest.raises(PermissionDenied):
        services.open_follow_ups(campaign, by=roads_clerk, now=NOW, due_on=due)
    with pytest.raises(PermissionDenied):
        services.complete_follow_up(action, by=other_clerk, now=NOW, note="x")
    with pytest.raises(services.SurveyError):
        services.complete_follow_up(action, by=roads_clerk, now=NOW, note="")
    done = services.complete_follow_up(
        action, by=roads_clerk, now=NOW, note="민원 결과 안내문을 고쳐 쓰고 직원 교육을 함"
    )
    assert done.state == FollowUpState.DONE and done.done_by == roads_clerk
    with pytest.raises(services.SurveyError):
        services.complete_follow_up(action, by=roads_clerk, now=NOW, note="again")


def test_S1_follow_up_reassigned_only_by_manager(campaign, roads, roads_head, roads_clerk, manager):
    answer_campaign(campaign, roads, {1: 1, 2: 5, 3: 5})
    action = services.open_follow_ups(campaign, by=manager, now=NOW, due_on=date(2026, 4, 30))[0]
    other = StaffMemberFactory(department=roads)
    with pytest.raises(PermissionDenied):
        services.update_follow_up(action, by=roads_clerk, now=NOW, owner=other)
    updated = services.update_follow_up(
        action, by=manager, now=NOW, owner=other, due_on=date(2026, 5, 15)
    )
    assert updated.owner == other and updated.due_on == date(2026, 5, 15)


def test_S1_follow_up_due_date_in_the_past_refused(campaign, roads, roads_head, manager):
    answer_campaign(campaign, roads, {1: 1, 2: 5, 3: 5})
    with pytest.raises(services.SurveyError):
        services.open_follow_ups(campaign, by=manager, now=NOW, due_on=date(2026, 1, 1))
    assert not campaign.follow_ups.exists()
