"""The outbox rule (docs/architecture.md), for every notice template of every app: the
row is written inside the transaction of the change that causes it, so a rolled-back
change leaves no row and publishes nothing (O4, M1)."""

import pytest
from django.db import transaction

from notifications.models import EmailMessage, SmsMessage
from tests.notifications.notice_scenarios import NOT_CAUSED_BY_AN_ACTION, SCENARIOS, templates

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def outbox() -> set[tuple[str, str, str]]:
    """(kind, template, key) of every outbox row."""
    sms = {("sms", t, k) for t, k in SmsMessage.objects.values_list("template", "key")}
    email = {("email", t, k) for t, k in EmailMessage.objects.values_list("template", "key")}
    return sms | email


def test_O4_every_notice_template_is_caused_by_a_tested_action():
    caused = set().union(*(scenario.sends for scenario in SCENARIOS))
    on_disk = templates()
    assert on_disk - NOT_CAUSED_BY_AN_ACTION - caused == set(), "templates without a scenario"
    assert caused - on_disk == set(), "scenarios naming templates that do not exist"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_O4_a_rolled_back_change_leaves_no_outbox_row(
    scenario, request, django_capture_on_commit_callbacks
):
    state = scenario.prepare(request.getfixturevalue)
    before = outbox()
    with (
        django_capture_on_commit_callbacks() as nudges,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        scenario.act(state)
        written = {(kind, template) for kind, template, _key in outbox() - before}
        # Written inside the transaction, before anything commits.
        assert scenario.sends <= written, scenario.sends - written
        raise Rollback
    assert outbox() == before
    assert nudges == [], "a rolled-back change published a delivery task"
