"""The demo seeders run twice without doubling anything (R6, S1)."""

import pytest

from compensation.demo import seed as seed_compensation
from compensation.models import Payout
from surveys.demo import seed as seed_surveys
from surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def test_R6_S1_demo_seeders_are_idempotent(manager, roads):
    seed_compensation()
    seed_surveys()
    counts = (Payout.objects.count(), Survey.objects.count(), Response.objects.count())
    seed_compensation()
    seed_surveys()
    assert (Payout.objects.count(), Survey.objects.count(), Response.objects.count()) == counts
    assert Response.objects.count() == 4
