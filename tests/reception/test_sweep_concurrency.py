"""Two sweeps at the same moment on PostgreSQL still route each post exactly once (M2)."""

import datetime
import threading

import pytest
from django.db import connection

from reception import services
from reception.models import BoardPost, BoardSweep

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_M2_concurrent_sweeps_route_each_post_once(lead_department, roads, now):
    for i in range(40):
        services.post_question(
            title=f"질문 {i}",
            body="내용",
            author_name="이시민",
            department=roads if i % 2 else None,
            now=now - datetime.timedelta(minutes=i + 1),
        )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.sweep_board(now=now).routed)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sum(results) == 40
    assert not BoardPost.objects.filter(routed_at__isnull=True).exists()
    # Every post belongs to exactly one sweep, and the sweeps' counts add up.
    assert sum(BoardSweep.objects.values_list("routed", flat=True)) == 40
