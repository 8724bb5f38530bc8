"""The benchmarks' seeders (bench/lib/seed.py for the web bench, bench/dashboard.py's own)
write rows with SQL of their own: they must keep up with the models, or `make bench`
fails before it measures anything. Each seeds a small table here."""

import pytest
from django.core.management import call_command
from django.db import connection

from bench.lib import seed
from compensation.models import Payout
from complaints.models import Complaint, StageEvent
from reception.models import BoardPost, Memo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_bench_seeder_fills_every_table_the_models_define():
    call_command("seed_demo", force=True, verbosity=0)
    before = Complaint.objects.count()
    with connection.cursor() as cursor:
        seed.grow(cursor, 0, 2_000, lambda line: None)
    assert Complaint.objects.count() == before + 2_000
    seeded = Complaint.objects.order_by("-id")[:2_000]
    assert (
        StageEvent.objects.filter(complaint__in=seeded).values("complaint").distinct().count()
        == 2_000
    )
    assert Memo.objects.count() >= 200
    assert BoardPost.objects.count() >= 100
    assert Payout.objects.exists()
    # Every seeded filing reads back through the models, as the pages read them.
    assert all(c.receipt_number for c in seeded)


def test_the_dashboard_bench_seeder_fills_the_filings_and_their_history(monkeypatch):
    from bench import dashboard

    monkeypatch.setattr(dashboard, "ROWS", 500)
    manager = dashboard.seed()
    assert Complaint.objects.count() == 500
    assert StageEvent.objects.values("complaint").distinct().count() == 500
    assert manager.groups.exists()
