"""S1 on PostgreSQL: the same link submitted twice at once records one response."""

import pytest

from surveys import services
from surveys.models import Response, SurveyInvitation
from tests.compensation.test_concurrency import run_together
from tests.surveys.conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_S1_link_used_once_under_concurrent_submissions(closed_case):
    case = closed_case()
    services.invite_closed_complaints(NOW)
    invitation = SurveyInvitation.objects.get(complaint=case)
    token = services.token_for(invitation.nonce)
    ids = list(invitation.survey.questions.order_by("order").values_list("id", flat=True))
    answers = {ids[0]: 5, ids[1]: 4, ids[2]: 3}
    results = run_together(
        lambda: services.submit_invitation_response(token, answers, NOW),
        lambda: services.submit_invitation_response(token, answers, NOW),
    )
    assert sum(isinstance(r, Response) for r in results) == 1
    assert sum(isinstance(r, services.LinkUsed) for r in results) == 1
    assert Response.objects.count() == 1
