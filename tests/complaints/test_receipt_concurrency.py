"""Receipt numbers stay gap-free and distinct when clerks file at the same moment (C2)."""

import threading

import pytest
from django.db import connection

from complaints.models import Complaint
from tests.complaints.factories import NOW, file_one

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("counter_exists", [False, True])
def test_C2_two_filings_at_once_get_consecutive_distinct_numbers(road_type, counter_exists):
    if counter_exists:
        file_one(road_type)
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            numbers.append(file_one(road_type).receipt_number)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    start = 2 if counter_exists else 1
    assert sorted(numbers) == [f"{NOW.year}-{start:06d}", f"{NOW.year}-{start + 1:06d}"]
    assert Complaint.objects.count() == start + 1
