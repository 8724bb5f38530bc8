"""Retention of the reception records' personal data (개인정보 보호법 제21조).

Called by the ``purge_personal_data`` command with the cutoff ``complaints.retention``
computes: the same rule as for filings, ``PERSONAL_DATA_RETENTION_YEARS`` counted from
January 1 after the year a record was finished. What "finished" means:

- memos (phone and visit) and pre-consultations: the call back was marked done or not
  needed (``closed_at``). A memo taken with no call back needed is finished from the
  moment it was taken and never gets a ``closed_at``: its ``created_at`` counts instead;
- board posts: answered (``answered_at``); an unanswered post is still open;
- commendations: approved or rejected (``reviewed_at``); a pending one is still open.

Open records are never touched. A finished record past retention loses who wrote or
called, how to reach them and every free text that may name or describe someone
(purpose, description, call-back note, the post and its answer, its attachment, the
commendation's story); what the dashboard counts stays (kind, state, department, owner,
staff member, every date, who on the staff handled it).

A record whose personal fields are all empty is anonymised already, so the purge is
idempotent. Work goes in batches of ``BATCH_SIZE`` ids: one SELECT and one UPDATE per
batch, never one query per row (board attachment files are removed one by one, as
storage requires).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.db.models import Q, QuerySet

import pagecache
from complaints.retention import ANONYMISED_TITLE  # the board shows it as a filing shows it
from reception.models import (
    BoardPost,
    CallbackState,
    Commendation,
    CommendationStatus,
    Consultation,
    Memo,
)

BATCH_SIZE = 500
FINISHED_CALLBACK_STATES = (CallbackState.DONE, CallbackState.NOT_NEEDED)
FINISHED_COMMENDATION_STATES = (CommendationStatus.APPROVED, CommendationStatus.REJECTED)


@dataclass
class ReceptionPurge:
    """How many records of each kind were anonymised (or would be, in a dry run)."""

    memos: int = 0
    consultations: int = 0
    board_posts: int = 0
    board_attachments: int = 0
    commendations: int = 0


def _finished_call_back_before(cutoff: datetime.datetime) -> Q:
    return Q(callback_state__in=FINISHED_CALLBACK_STATES) & (
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, created_at__lt=cutoff)
    )


def due_memos(cutoff: datetime.datetime) -> QuerySet[Memo]:
    return Memo.objects.filter(_finished_call_back_before(cutoff)).exclude(
        caller_name="", phone="", purpose="", callback_note=""
    )


def due_consultations(cutoff: datetime.datetime) -> QuerySet[Consultation]:
    return Consultation.objects.filter(_finished_call_back_before(cutoff)).exclude(
        name="", phone="", description="", callback_note=""
    )


# What an anonymised board post holds: the row is due while any field differs.
BOARD_POST_ERASED = {
    "title": ANONYMISED_TITLE,
    "body": "",
    "attachment": "",
    "attachment_name": "",
    "author_name": "",
    "phone": "",
    "email": "",
    "password_hash": "",
    "answer": "",
}


def due_board_posts(cutoff: datetime.datetime) -> QuerySet[BoardPost]:
    return BoardPost.objects.filter(answered_at__lt=cutoff).exclude(**BOARD_POST_ERASED)


def due_commendations(cutoff: datetime.datetime) -> QuerySet[Commendation]:
    return Commendation.objects.filter(
        status__in=FINISHED_COMMENDATION_STATES, reviewed_at__lt=cutoff
    ).exclude(nominator_name="", story="")


def _batches(due: QuerySet, *fields: str) -> Iterator[list]:
    """Rows of ``due`` in id order, ``BATCH_SIZE`` at a time, one SELECT per batch.

    Keyset paging (``id > last``) ends even if a row stays due after its update.
    """
    last = 0
    while True:
        rows = list(due.filter(id__gt=last).order_by("id").values_list("id", *fields)[:BATCH_SIZE])
        if not rows:
            return
        yield rows
        if len(rows) < BATCH_SIZE:
            return
        last = rows[-1][0]


def _erase(due: QuerySet, dry_run: bool, **blank) -> int:
    """Blank ``blank`` on every row of ``due``; the UPDATE repeats the due condition, so
    a row that changed since the SELECT (reopened, say) is left alone."""
    if dry_run:
        return due.count()
    erased = 0
    for rows in _batches(due):
        erased += due.filter(id__in=[row[0] for row in rows]).update(**blank)
    return erased


def purge_memos(cutoff: datetime.datetime, *, dry_run: bool) -> int:
    """Erase the caller, the number, the purpose and the call-back note of finished
    memos past retention."""
    return _erase(
        due_memos(cutoff), dry_run, caller_name="", phone="", purpose="", callback_note=""
    )


def purge_consultations(cutoff: datetime.datetime, *, dry_run: bool) -> int:
    """Erase the citizen's name, number, description and the call-back note of finished
    pre-consultations past retention."""
    return _erase(
        due_consultations(cutoff),
        dry_run,
        name="",
        phone="",
        description="",
        callback_note="",
        sms_consent=False,
    )


def purge_commendations(cutoff: datetime.datetime, *, dry_run: bool) -> int:
    """Erase who praised and their story on decided commendations past retention; the
    staff member, the decision and its dates stay (K2 counts)."""
    erased = _erase(due_commendations(cutoff), dry_run, nominator_name="", story="")
    if erased and not dry_run:
        pagecache.invalidate()  # directory cards show approved stories
    return erased


def purge_board_posts(cutoff: datetime.datetime, *, dry_run: bool) -> tuple[int, int]:
    """Anonymise answered board posts past retention: title, question, answer, author,
    contact, password and attachment. Returns (posts, attachment files)."""
    due = due_board_posts(cutoff)
    if dry_run:
        return due.count(), due.exclude(attachment="").count()
    posts = files = 0
    storage: Storage = BoardPost._meta.get_field("attachment").storage
    for rows in _batches(due, "attachment"):
        posts += due.filter(id__in=[row[0] for row in rows]).update(**BOARD_POST_ERASED)
        # Files go after their rows let go of them: a failed removal leaves an orphan
        # file, never a row pointing at nothing.
        for _, name in rows:
            if name:
                storage.delete(name)
                files += 1
    return posts, files


def purge(cutoff: datetime.datetime, *, dry_run: bool) -> ReceptionPurge:
    """Anonymise every finished reception record that was finished before ``cutoff``."""
    posts, files = purge_board_posts(cutoff, dry_run=dry_run)
    return ReceptionPurge(
        memos=purge_memos(cutoff, dry_run=dry_run),
        consultations=purge_consultations(cutoff, dry_run=dry_run),
        board_posts=posts,
        board_attachments=files,
        commendations=purge_commendations(cutoff, dry_run=dry_run),
    )
