"""R6 on PostgreSQL: two clerks proposing the same payout at once get one row; two
managers approving at once send one SMS."""

import threading

import pytest
from django.db import connection

from compensation import services
from compensation.models import Payout, PayoutState
from notifications.models import SmsMessage
from tests.compensation.conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Run each call in its own thread (own connection), released at the same moment;
    return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_R6_concurrent_proposals_make_one_payout(repeat_visit, roads_clerk, verifier):
    def propose(by):
        return lambda: services.propose_payout(repeat_visit, "R3", by=by, now=NOW)

    results = run_together(propose(roads_clerk), propose(verifier))
    assert Payout.objects.filter(complaint=repeat_visit).count() == 1
    payout = Payout.objects.get(complaint=repeat_visit)
    created = [r for r in results if isinstance(r, Payout)]
    refused = [r for r in results if isinstance(r, services.DuplicatePayout)]
    assert len(created) == 1 and len(refused) == 1, results
    assert created[0].pk == payout.pk and refused[0].payout.pk == payout.pk


def test_R6_concurrent_automatic_and_clerk_proposal(repeat_visit, roads_clerk):
    results = run_together(
        lambda: services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW),
        lambda: services.propose_automatic_payouts(NOW),
    )
    assert not any(
        isinstance(r, Exception) and not isinstance(r, services.DuplicatePayout) for r in results
    ), results
    assert Payout.objects.filter(complaint=repeat_visit).count() == 1


def test_R6_concurrent_approvals_send_one_sms(repeat_visit, roads_clerk, manager, superuser):
    payout = services.propose_payout(repeat_visit, "R3", by=roads_clerk, now=NOW)
    results = run_together(
        lambda: services.approve_payout(payout, by=manager, now=NOW),
        lambda: services.approve_payout(payout, by=superuser, now=NOW),
    )
    assert sum(isinstance(r, Payout) for r in results) == 1
    assert sum(isinstance(r, services.PayoutStateError) for r in results) == 1
    payout.refresh_from_db()
    assert payout.state == PayoutState.APPROVED
    assert SmsMessage.objects.filter(key=f"payout:{payout.pk}:approved").count() == 1
