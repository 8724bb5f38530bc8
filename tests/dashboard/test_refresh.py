"""The figures of the named periods (this week, month, quarter, year), computed ahead
every five minutes for the county and for each department (dashboard.tasks), so that a
manager's page reads them instead of waiting for a year's aggregates (O2 C2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from dashboard import selectors, tasks
from dashboard.periods import NAMED_PERIODS
from staff_directory.models import Department
from tests.dashboard.conftest import NOW
from yeoncheon_portal import settings as deployed

pytestmark = pytest.mark.django_db

AGGREGATED_TABLES = ("complaints_stageevent", "compensation_payout")


@pytest.fixture
def kept(settings):
    """Figures kept as deployed; the keys this test made are dropped afterwards."""
    settings.DASHBOARD_CACHE_SECONDS = 600
    keys = [selectors.figures_cache_key(scope) for scope in selectors.named_scopes(NOW)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def test_O2_C2_named_periods_are_computed_ahead_and_pages_read_them(
    county, roads, manager, client_for, kept, settings
):
    with time_machine.travel(NOW, tick=False):
        computed = tasks.refresh_figures()
    assert computed == len(NAMED_PERIODS) * (1 + Department.objects.count())

    client = client_for(manager)
    for kind in NAMED_PERIODS:
        for department in ("", str(roads.pk)):
            path = f"/dashboard/?period={kind}&department={department}"
            with (
                time_machine.travel(NOW + timedelta(minutes=3), tick=False),
                CaptureQueriesContext(connection) as captured,
            ):
                page = client.get(path)
            assert page.status_code == 200
            assert "3분 전 집계" in page.content.decode()
            asked = " ".join(q["sql"] for q in captured.captured_queries)
            assert not any(table in asked for table in AGGREGATED_TABLES), path

            # The same page drawn live at the moment of the refresh shows the same figures.
            settings.DASHBOARD_CACHE_SECONDS = 0
            with time_machine.travel(NOW, tick=False):
                live = client.get(path)
            settings.DASHBOARD_CACHE_SECONDS = 600
            assert page.context["headline"] == live.context["headline"]
            assert (
                page.context["charts"][2]["table"].rows == live.context["charts"][2]["table"].rows
            )


def test_O2_nothing_is_computed_ahead_when_figures_are_not_kept(county, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    with time_machine.travel(NOW, tick=False):
        assert tasks.refresh_figures() == 0


def test_O2_the_refresh_runs_every_five_minutes_inside_the_time_figures_are_kept():
    task = PeriodicTask.objects.get(task="dashboard.tasks.refresh_figures")
    assert task.enabled and task.crontab.minute == "*/5" and task.crontab.hour == "*"
    assert str(task.crontab.timezone) == "Asia/Seoul"
    # A refresh that could not start before the next is due is dropped, and the kept
    # figures outlast the gap between two refreshes, so a named period never goes cold.
    assert task.expire_seconds == 5 * 60 < deployed.DASHBOARD_CACHE_SECONDS
