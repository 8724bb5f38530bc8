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


def _psycopg_connection():
    """A second, independent connection to the test database (another session)."""
    import psycopg2

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    return psycopg2.connect(**params)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_C1_filing_against_a_database_that_stops_answering_is_a_503_and_then_succeeds(
    client, road_type
):
    """A real PostgreSQL that does not answer: another session holds the filings table
    locked, so the filing's INSERT waits until the statement timeout cancels it."""
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        token = fresh_token(client, road_type)
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 300")  # this session only, in ms
        holder = _psycopg_connection()
        try:
            with holder.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Complaint._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            response = client.post(form_url(road_type), filing_data(token))
        finally:
            holder.rollback()
            holder.close()
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        assert response.status_code == 503
        assert "접수되지 않았으니" in response.content.decode()
        assert not Complaint.objects.exists()

        again = client.post(form_url(road_type), filing_data(fresh_token(client, road_type)))
    assert again.status_code == 302
    assert Complaint.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_C1_a_database_server_that_accepts_but_never_answers_is_a_503(client, road_type, caplog):
    """The connect timeout: a server that takes the connection and says nothing (a hung
    PostgreSQL) ends in the 503 page, not a request hanging until gunicorn kills it."""
    import socket

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        token = fresh_token(client, road_type)
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever answers
        saved = connection.settings_dict.copy()
        connection.close()
        connection.settings_dict.update(
            HOST="127.0.0.1",
            PORT=str(silent.getsockname()[1]),
            OPTIONS={**saved["OPTIONS"], "connect_timeout": 2},
        )
        try:
            response = client.post(form_url(road_type), filing_data(token))
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
            silent.close()
    assert response.status_code == 503
    assert "was not received" in response.content.decode()
    assert "timeout expired" in caplog.text
    assert not Complaint.objects.exists()
