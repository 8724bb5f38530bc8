"""Retention of reception records (개인정보 보호법 제21조): finished memos,
pre-consultations, board posts and commendations lose their personal data after the
retention period; open and recent ones keep it; the dashboard's figures do not move."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile

from dashboard.periods import period_for
from dashboard.selectors import Scope, summary
from reception import retention
from reception.models import (
    BoardPost,
    CallbackState,
    Commendation,
    CommendationStatus,
    Consultation,
    Memo,
    MemoKind,
)
from tests.reception.conftest import SEOUL

pytestmark = pytest.mark.django_db

# PERSONAL_DATA_RETENTION_YEARS = 3 at any moment of 2026: finished before 2023 is due.
CUTOFF = datetime(2023, 1, 1, tzinfo=SEOUL)
OLD = datetime(2022, 12, 31, 23, 0, tzinfo=SEOUL)  # the last hour before the cutoff
RECENT = datetime(2023, 1, 1, 0, 30, tzinfo=SEOUL)  # just after it
LONG_AGO = datetime(2020, 3, 2, 10, 0, tzinfo=SEOUL)


def memo(owner, *, created_at=LONG_AGO, state=CallbackState.DONE, closed_at=OLD, **extra):
    values = {
        "kind": MemoKind.PHONE,
        "owner": owner,
        "caller_name": "홍길동",
        "purpose": "집 앞(연천읍 123) 도로 파손, 010-9876-5432로 회신 바람",
        "contacted_at": created_at,
        "callback_needed": True,
        "phone": "+821098765432",
        "number_read_back": True,
        "taker_name": "김민원",
        "created_at": created_at,
        "callback_due_at": created_at + timedelta(days=1),
        "callback_state": state,
        "callback_note": "홍길동 님과 통화함" if state == CallbackState.DONE else "",
        "closed_at": closed_at if state != CallbackState.PENDING else None,
    }
    values.update(extra)
    return Memo.objects.create(**values)


def consultation(department, *, state=CallbackState.DONE, closed_at=OLD):
    return Consultation.objects.create(
        name="홍길동",
        phone="+821098765432",
        description="어머니(80세) 기초연금 신청 상담",
        chosen_department=department,
        department=department,
        sms_consent=True,
        created_at=LONG_AGO,
        callback_due_at=LONG_AGO + timedelta(days=1),
        callback_state=state,
        callback_note="통화 완료" if state != CallbackState.PENDING else "",
        closed_at=closed_at if state != CallbackState.PENDING else None,
    )


def post(department, *, answered_at=OLD, attachment=None):
    item = BoardPost(
        title="홍길동입니다, 집 앞 가로등 고장",
        body="연천읍 123번지 앞 가로등이 꺼져 있습니다. 010-9876-5432",
        author_name="홍길동",
        phone="+821098765432",
        email="hong@example.com",
        is_public=False,
        password_hash="pbkdf2_sha256$1$salt$hash",
        requested_department=department,
        department=department,
        created_at=LONG_AGO,
        routed_at=LONG_AGO + timedelta(hours=3),
        answer="홍길동 님, 가로등을 교체했습니다." if answered_at else "",
        answered_at=answered_at,
    )
    if attachment:
        item.attachment.save(attachment, ContentFile(b"png"), save=False)
    item.save()
    return item


def commendation(staff, *, status=CommendationStatus.APPROVED, reviewed_at=OLD):
    return Commendation.objects.create(
        staff=staff,
        story="친절하게 도와주셨습니다. 연천읍 홍길동 (010-9876-5432)",
        nominator_name="홍길동",
        status=status,
        created_at=LONG_AGO,
        reviewed_at=reviewed_at if status != CommendationStatus.PENDING else None,
    )


def figures(now):
    """The whole dashboard summary (P3, V5, M2, K2, O4, …) over every year involved."""
    period = period_for("custom", now, date(2019, 1, 1), date(2026, 12, 31))
    return summary(Scope(period, None, now))


def test_finished_memos_past_retention_lose_caller_number_and_texts(roads_clerk):
    owner = roads_clerk.staff_member
    old_done = memo(owner)
    old_not_needed = memo(owner, state=CallbackState.NOT_NEEDED)
    recent = memo(owner, closed_at=RECENT)
    still_open = memo(owner, state=CallbackState.PENDING)

    assert retention.purge_memos(CUTOFF, dry_run=False) == 2

    for item in (old_done, old_not_needed):
        item.refresh_from_db()
        assert (item.caller_name, item.phone, item.purpose, item.callback_note) == ("",) * 4
        # What P3 counts and who on the staff handled it stay.
        assert item.owner_id == owner.pk and item.kind == MemoKind.PHONE
        assert item.created_at == LONG_AGO and item.contacted_at == LONG_AGO
        assert item.closed_at == OLD and item.taker_name == "김민원"
    assert old_done.callback_state == CallbackState.DONE
    for item in (recent, still_open):
        item.refresh_from_db()
        assert (item.caller_name, item.phone) == ("홍길동", "+821098765432")


def test_memo_taken_without_call_back_counts_from_when_it_was_taken(roads_clerk):
    """No call back needed: finished at birth, with no closed_at; created_at counts."""
    owner = roads_clerk.staff_member
    old = memo(
        owner, created_at=OLD, state=CallbackState.NOT_NEEDED, closed_at=None, callback_needed=False
    )
    recent = memo(
        owner,
        created_at=RECENT,
        state=CallbackState.NOT_NEEDED,
        closed_at=None,
        callback_needed=False,
    )

    assert retention.purge_memos(CUTOFF, dry_run=False) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.caller_name == "" and recent.caller_name == "홍길동"


def test_finished_consultations_past_retention_lose_name_number_and_description(roads):
    old = consultation(roads)
    recent = consultation(roads, closed_at=RECENT)
    still_open = consultation(roads, state=CallbackState.PENDING)

    assert retention.purge_consultations(CUTOFF, dry_run=False) == 1

    old.refresh_from_db()
    assert (old.name, old.phone, old.description, old.callback_note) == ("",) * 4
    assert old.sms_consent is False
    assert (old.department_id, old.chosen_department_id) == (roads.pk, roads.pk)
    assert (old.callback_state, old.closed_at, old.created_at) == (
        CallbackState.DONE,
        OLD,
        LONG_AGO,
    )
    for item in (recent, still_open):
        item.refresh_from_db()
        assert (item.name, item.phone, item.description) != ("", "", "")


def test_answered_board_posts_past_retention_lose_author_contact_texts_and_file(
    roads, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    old = post(roads, attachment="photo.png")
    stored = tmp_path / old.attachment.name
    assert stored.exists()
    recent = post(roads, answered_at=RECENT)
    unanswered = post(roads, answered_at=None)

    assert retention.purge_board_posts(CUTOFF, dry_run=False) == (1, 1)

    old.refresh_from_db()
    assert old.title == retention.ANONYMISED_TITLE
    assert (old.body, old.author_name, old.phone, old.email, old.answer) == ("",) * 5
    assert old.password_hash == "" and not old.attachment
    assert not stored.exists()
    # What M2 counts stays.
    assert (old.department_id, old.created_at, old.answered_at) == (roads.pk, LONG_AGO, OLD)
    assert old.routed_at is not None and old.is_public is False
    for item in (recent, unanswered):
        item.refresh_from_db()
        assert item.author_name == "홍길동" and item.phone and item.body


def test_decided_commendations_past_retention_lose_nominator_and_story(roads_clerk):
    staff = roads_clerk.staff_member
    approved = commendation(staff)
    rejected = commendation(staff, status=CommendationStatus.REJECTED)
    recent = commendation(staff, reviewed_at=RECENT)
    pending = commendation(staff, status=CommendationStatus.PENDING)

    assert retention.purge_commendations(CUTOFF, dry_run=False) == 2

    for item, status in ((approved, "approved"), (rejected, "rejected")):
        item.refresh_from_db()
        assert (item.nominator_name, item.story) == ("", "")
        assert (item.staff_id, item.status, item.reviewed_at) == (staff.pk, status, OLD)
    for item in (recent, pending):
        item.refresh_from_db()
        assert item.nominator_name == "홍길동" and item.story


def test_K2_a_card_shows_no_empty_story_once_one_is_erased(client, roads_clerk):
    staff = roads_clerk.staff_member
    commendation(staff)
    card = client.get("/staff/construction/").content.decode()
    assert "친절하게 도와주셨습니다" in card and "칭찬 1건" in card
    retention.purge_commendations(CUTOFF, dry_run=False)
    card = client.get("/staff/construction/").content.decode()  # not the kept page
    assert "친절하게 도와주셨습니다" not in card and "“”" not in card
    assert "칭찬 1건" in card  # the count stays


def _one_of_each(roads, staff, *, old=OLD):
    memo(staff, closed_at=old)
    consultation(roads, closed_at=old)
    post(roads, answered_at=old)
    commendation(staff, reviewed_at=old)


def test_purge_keeps_every_dashboard_figure(roads, roads_clerk):
    staff = roads_clerk.staff_member
    _one_of_each(roads, staff)
    _one_of_each(roads, staff, old=RECENT)
    memo(staff, state=CallbackState.PENDING)
    consultation(roads, state=CallbackState.PENDING)
    post(roads, answered_at=None)
    commendation(staff, status=CommendationStatus.PENDING)
    now = datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL)
    before = figures(now)

    report = retention.purge(CUTOFF, dry_run=False)

    assert (report.memos, report.consultations, report.board_posts, report.commendations) == (
        1,
        1,
        1,
        1,
    )
    assert figures(now) == before
    assert (before.memos.taken, before.board.answered, before.commendations.pending) == (3, 2, 1)


def test_purge_is_idempotent(roads, roads_clerk):
    _one_of_each(roads, roads_clerk.staff_member)
    first = retention.purge(CUTOFF, dry_run=False)
    assert first == retention.ReceptionPurge(1, 1, 1, 0, 1)
    assert retention.purge(CUTOFF, dry_run=False) == retention.ReceptionPurge()
    assert retention.purge(CUTOFF, dry_run=True) == retention.ReceptionPurge()


def test_dry_run_counts_and_changes_nothing(roads, roads_clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = roads_clerk.staff_member
    _one_of_each(roads, staff)
    with_file = post(roads, attachment="photo.png")
    snapshot = [
        list(model.objects.order_by("id").values())
        for model in (Memo, Consultation, BoardPost, Commendation)
    ]

    report = retention.purge(CUTOFF, dry_run=True)

    assert report == retention.ReceptionPurge(
        memos=1, consultations=1, board_posts=2, board_attachments=1, commendations=1
    )
    assert snapshot == [
        list(model.objects.order_by("id").values())
        for model in (Memo, Consultation, BoardPost, Commendation)
    ]
    assert (tmp_path / with_file.attachment.name).exists()


@pytest.mark.parametrize("rows", [3, 30])
def test_purge_runs_a_fixed_number_of_queries_whatever_the_rows(
    rows, roads, roads_clerk, django_assert_max_num_queries
):
    staff = roads_clerk.staff_member
    for _ in range(rows):
        _one_of_each(roads, staff)
    # Per kind, one batch: one SELECT of the ids and one UPDATE (the batch is short, so
    # no further SELECT). Four kinds: eight queries, for 3 rows as for 30.
    with django_assert_max_num_queries(8):
        report = retention.purge(CUTOFF, dry_run=False)
    assert report.memos == report.board_posts == report.commendations == rows


def test_purge_pages_through_more_rows_than_a_batch(roads_clerk, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    owner = roads_clerk.staff_member
    for _ in range(5):
        memo(owner)
    assert retention.purge_memos(CUTOFF, dry_run=False) == 5
    assert not Memo.objects.exclude(caller_name="").exists()
