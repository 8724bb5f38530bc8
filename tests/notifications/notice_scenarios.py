"""Every notice the portal sends, each caused by the service action that causes it.

A scenario has a `prepare(get)` that builds what the action needs (`get` is pytest's
`request.getfixturevalue`, for the cast) and an `act(state)` that runs the action, plus
the templates the action must write to the outbox. `templates()` lists the notice
templates on disk; tests/notifications/test_outbox_rule.py fails for a template that no
scenario causes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.template.utils import get_app_template_dirs

from complaints import services as complaints
from complaints.models import Agency, Stage
from staff_directory.models import StaffMember
from tests.complaints.factories import NOW, ComplaintTypeFactory, file_one

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

#: Templates no service action sends: the notification platform's own test message.
NOT_CAUSED_BY_AN_ACTION = {("sms", "notifications/test"), ("email", "notifications/test")}


def templates() -> set[tuple[str, str]]:
    """("sms" | "email", name) of every notice template: `sms/<name>.txt` and
    `emails/<name>_subject.txt` in every template directory."""
    found = set()
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [Path(d) for d in get_app_template_dirs("templates")]
    for base in dirs:
        for path in (base / "sms").glob("**/*.txt"):
            if path.name != "README.txt":
                found.add(("sms", path.relative_to(base / "sms").with_suffix("").as_posix()))
        for path in (base / "emails").glob("**/*_subject.txt"):
            name = path.relative_to(base / "emails").as_posix().removesuffix("_subject.txt")
            found.add(("email", name))
    return found


@dataclass(frozen=True)
class Scenario:
    name: str
    prepare: Callable[[Callable[[str], Any]], Any]
    act: Callable[[Any], Any]
    sends: frozenset[tuple[str, str]]


def _reachable(user, mobile: str, email: str) -> StaffMember:
    StaffMember.objects.filter(user=user).update(mobile=mobile, email=email)
    return StaffMember.objects.get(user=user)


def _road_type(get):
    return ComplaintTypeFactory(
        code="n-road",
        name="도로 파손 신고",
        period_days=7,
        handling_department=get("roads"),
        lead_department=get("lead_department"),
    )


def _cast(get) -> dict[str, Any]:
    clerk, head, verifier = get("roads_clerk"), get("roads_head"), get("verifier")
    _reachable(clerk, "+821033334444", "doro@yeoncheon.go.kr")
    _reachable(head, "+821011112222", "head@yeoncheon.go.kr")
    _reachable(verifier, "+821055550000", "verifier@yeoncheon.go.kr")
    return {"type": _road_type(get), "clerk": clerk, "head": head, "verifier": verifier}


def _filed(get, **intake) -> dict[str, Any]:
    cast = _cast(get)
    cast["complaint"] = file_one(cast["type"], **intake)
    return cast


def _assigned(get, **intake) -> dict[str, Any]:
    state = _filed(get, **intake)
    member = StaffMember.objects.get(user=state["clerk"])
    state["complaint"] = complaints.assign(
        state["complaint"], member, by=state["clerk"], now=NOW + HOUR
    )
    return state


def _held(get) -> dict[str, Any]:
    state = _assigned(get)
    state["complaint"] = complaints.put_on_hold(
        state["complaint"], reason="사진", answer_by=NOW + 8 * DAY, by=state["clerk"], now=NOW + DAY
    )
    return state


def _correcting(get) -> dict[str, Any]:
    state = _assigned(get)
    complaint, clerk = state["complaint"], state["clerk"]
    complaint = complaints.advance(complaint, by=clerk, now=NOW + 2 * HOUR)  # investigating
    complaint = complaints.advance(complaint, by=clerk, now=NOW + 3 * HOUR)  # verifying
    complaint = complaints.advance(complaint, by=state["verifier"], now=NOW + 4 * HOUR)
    assert complaint.stage == Stage.CORRECTING
    state["complaint"] = complaint
    return state


def _payout(get) -> dict[str, Any]:
    from compensation import services as compensation
    from compensation.models import CompensationRule

    if not CompensationRule.objects.exists():  # a transactional test flushed the seed
        module = "compensation.migrations.0002_seed_rules_and_schedule"
        importlib.import_module(module).seed(django_apps, None)
    state = _filed(get)
    state["payout"] = compensation.propose_payout(
        state["complaint"], "R1", by=state["clerk"], now=NOW, amount=23_500
    )
    state["manager"] = get("manager")
    return state


def _approve(state):
    from compensation import services as compensation

    compensation.approve_payout(state["payout"], by=state["manager"], now=NOW + HOUR)


def _closed(get) -> dict[str, Any]:
    from surveys.models import AFTER_CLOSURE_SLUG, Survey

    if not Survey.objects.filter(slug=AFTER_CLOSURE_SLUG).exists():
        module = "surveys.migrations.0002_after_closure_survey_and_schedule"
        importlib.import_module(module).seed(django_apps, None)
    state = _correcting(get)
    state["complaint"] = complaints.close_with_result(
        state["complaint"], result_text="보수 완료", by=state["clerk"], now=NOW + 5 * HOUR
    )
    return state


def _invite(state):
    from surveys import services as surveys

    assert surveys.invite_closed_complaints(NOW + 2 * DAY)


def _memo_prepare(get) -> dict[str, Any]:
    cast = _cast(get)
    owner = StaffMember.objects.get(user=cast["clerk"])
    owner.substitute = StaffMember.objects.get(user=cast["head"])
    owner.presence = "trip"
    owner.save(update_fields=["substitute", "presence"])
    cast["owner"] = owner
    cast["taker"] = get("other_clerk")
    return cast


def _memo(state):
    from reception import services as reception

    reception.record_memo(
        owner=state["owner"],
        caller_name="홍길동",
        purpose="보수 일정 문의",
        contacted_at=NOW,
        callback_needed=True,
        phone="+821098765432",
        number_read_back=True,
        taken_by=state["taker"],
        now=NOW,
    )


def _consult(state):
    from reception import services as reception

    reception.request_consultation(
        name="홍길동",
        phone="+821022223333",
        description="도로 점용 허가 상담",
        department=state["type"].handling_department,
        sms_consent=True,
        now=NOW,
    )


def _question(state, **contact):
    from reception import services as reception

    return reception.post_question(
        title="질문",
        body="내용",
        author_name="이시민",
        department=state["type"].handling_department,
        now=NOW,
        **contact,
    )


def _sweep(state):
    from reception import services as reception

    _question(state, phone="+821055556666")
    assert reception.sweep_board(now=NOW + HOUR).routed


def _posted(get, **contact) -> dict[str, Any]:
    from reception import services as reception

    state = _cast(get)
    state["post"] = _question(state, **contact)
    reception.sweep_board(now=NOW + HOUR)
    state["post"].refresh_from_db()
    return state


def _answer(state):
    from reception import services as reception

    reception.answer_post(state["post"], answer="보수합니다.", by=state["clerk"], now=NOW + DAY)


def _agency_prepare(get):
    state = _filed(get)
    state["agency"] = Agency.objects.create(
        name="한국도로공사", phone="1588-2504", delivery="online", delivery_detail="문서24"
    )
    return state


def _sms(*names: str) -> set[tuple[str, str]]:
    return {("sms", name) for name in names}


def _email(*names: str) -> set[tuple[str, str]]:
    return {("email", name) for name in names}


SCENARIOS = [
    Scenario(
        "file_complaint",
        _cast,
        lambda s: file_one(s["type"]),
        frozenset(_sms("complaints/receipt")),
    ),
    Scenario(
        "assign",
        _filed,
        lambda s: complaints.assign(
            s["complaint"], StaffMember.objects.get(user=s["clerk"]), by=s["clerk"], now=NOW + HOUR
        ),
        frozenset(_sms("complaints/assigned", "complaints/owner_assigned"))
        | _email("complaints/owner_assigned"),
    ),
    Scenario(
        "put_on_hold",
        _assigned,
        lambda s: complaints.put_on_hold(
            s["complaint"], reason="사진", answer_by=NOW + 8 * DAY, by=s["clerk"], now=NOW + DAY
        ),
        frozenset(_sms("complaints/hold") | _email("complaints/notice")),
    ),
    Scenario(
        "answer_hold",
        _held,
        lambda s: complaints.answer_hold(s["complaint"], note="사진 보냅니다", now=NOW + 2 * DAY),
        frozenset(_sms("complaints/hold_answered") | _email("complaints/hold_answered")),
    ),
    Scenario(
        "extend",
        _assigned,
        lambda s: complaints.extend(
            s["complaint"], days=3, reason="현장 조사", by=s["clerk"], now=NOW + DAY
        ),
        frozenset(_sms("complaints/extended")),
    ),
    Scenario(
        "transfer",
        lambda get: {**_filed(get), "to": get("environment")},
        lambda s: complaints.transfer(
            s["complaint"], s["to"], reason="쓰레기 민원입니다", by=s["clerk"], now=NOW + HOUR
        ),
        frozenset(_sms("complaints/moved")),
    ),
    Scenario(
        "transfer_to_agency",
        _agency_prepare,
        lambda s: complaints.transfer_to_agency(
            s["complaint"], s["agency"], reason="고속도로 구간", by=s["verifier"], now=NOW + HOUR
        ),
        frozenset(_sms("complaints/transferred")),
    ),
    Scenario(
        "refuse",
        _filed,
        lambda s: complaints.refuse(s["complaint"], reason="중복 민원", by=s["clerk"], now=NOW),
        frozenset(_sms("complaints/refused")),
    ),
    Scenario(
        "close_with_result",
        _correcting,
        lambda s: complaints.close_with_result(
            s["complaint"], result_text="보수 완료", by=s["clerk"], now=NOW + 5 * HOUR
        ),
        frozenset(_sms("complaints/result")),
    ),
    Scenario(
        "mark_overdue",
        _assigned,
        lambda s: complaints.mark_overdue(s["complaint"], now=NOW + 10 * DAY),
        frozenset(_sms("complaints/overdue", "complaints/escalated"))
        | _email("complaints/overdue", "complaints/escalated"),
    ),
    Scenario(
        "send_progress_notice",
        _assigned,
        lambda s: complaints.send_progress_notice(s["complaint"], now=NOW + 31 * DAY),
        frozenset(_sms("complaints/progress")),
    ),
    Scenario("approve_payout", _payout, _approve, frozenset(_sms("compensation/payout_approved"))),
    Scenario(
        "record_memo",
        _memo_prepare,
        _memo,
        frozenset(_sms("reception/memo_owner", "reception/memo_substitute"))
        | _email("reception/memo_owner", "reception/memo_substitute"),
    ),
    Scenario(
        "request_consultation",
        _cast,
        _consult,
        frozenset(_sms("reception/consult_received") | _email("reception/consult_staff")),
    ),
    Scenario("sweep_board", _cast, _sweep, frozenset(_email("reception/board_routed"))),
    Scenario(
        "answer_post_by_sms",
        lambda get: _posted(get, phone="+821055556666"),
        _answer,
        frozenset(_sms("reception/board_answered")),
    ),
    Scenario(
        "answer_post_by_email",
        lambda get: _posted(get, email="citizen@example.com"),
        _answer,
        frozenset(_email("reception/board_answered")),
    ),
    Scenario("invite_closed_complaints", _closed, _invite, frozenset(_sms("surveys/invitation"))),
]
