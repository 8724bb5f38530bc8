"""A database that does not answer in time: the citizen gets a clear 503 page saying that
nothing was received, never a 500 or a request hanging until gunicorn kills it; on
PostgreSQL every connection carries the connect and statement timeouts."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connection

from complaints import services
from complaints.models import Complaint
from tests.complaints.factories import NOW
from tests.complaints.test_citizen_filing import filing_data, form_url, fresh_token

pytestmark = pytest.mark.django_db


def test_C1_a_statement_timeout_while_filing_is_a_clear_503(client, road_type, monkeypatch):
    def timed_out(*args, **kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        token = fresh_token(client, road_type)
        monkeypatch.setattr(services, "file_complaint", timed_out)
        response = client.post(form_url(road_type), filing_data(token))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "접수되지 않았으니" in html and "was not received" in html
    assert not Complaint.objects.exists()


@pytest.mark.postgres
def test_postgresql_connections_carry_the_statement_timeout(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        shown = cursor.fetchone()[0]
    assert shown == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS // 1000}s"
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == (
        settings.DATABASE_CONNECT_TIMEOUT
    )
