"""The clerk's desk on a complaint's admin page: the actions this user may take now, each
a button or a small form that shows the deadlines before and after and calls a service,
and the history in words with staff names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.forms.staff import (
    AgencyTransferForm,
    AssignForm,
    ExtendForm,
    HoldForm,
    RefuseForm,
    ResultForm,
    TransferForm,
)
from complaints.models import Action, Complaint, Stage
from staff_directory.roles import staff_member_of

Run = Callable[[Complaint, dict[str, Any], Any, datetime], Complaint]


@dataclass(frozen=True)
class DeskAction:
    key: str
    action: str  # the stage machine's Action the service checks
    label: Any
    done: Any
    run: Run
    form_class: type[forms.Form] | None = None
    # The field a refusal of the service is shown on (the form's main entry).
    field: str | None = None


def _assign_me(c, data, user, now):
    return services.assign(c, staff_member_of(user), by=user, now=now)


DESK_ACTIONS = [
    DeskAction("assign_me", Action.ASSIGN, _("나에게 배정"), _("나에게 배정했습니다."), _assign_me),
    DeskAction(
        "advance",
        Action.ADVANCE,
        _("다음 단계로"),
        _("다음 단계로 옮겼습니다."),
        lambda c, data, user, now: services.advance(c, by=user, now=now),
    ),
    DeskAction(
        "resume",
        Action.RESUME,
        _("처리 재개"),
        _("처리를 재개했습니다."),
        lambda c, data, user, now: services.resume(c, by=user, now=now),
    ),
    DeskAction(
        "assign",
        Action.ASSIGN,
        _("동료에게 배정"),
        _("담당자를 배정했습니다."),
        lambda c, data, user, now: services.assign(c, data["owner"], by=user, now=now),
        AssignForm,
        "owner",
    ),
    DeskAction(
        "hold",
        Action.HOLD,
        _("보완 요청(기한 멈춤)"),
        _("보완을 요청했습니다. 처리기간이 멈췄습니다."),
        lambda c, data, user, now: services.put_on_hold(
            c, reason=data["reason"], answer_by=data["answer_by"], by=user, now=now
        ),
        HoldForm,
        "reason",
    ),
    DeskAction(
        "extend",
        Action.EXTEND,
        _("처리기간 연장"),
        _("처리기간을 연장했습니다."),
        lambda c, data, user, now: services.extend(
            c,
            days=data["days"],
            reason=data["reason"],
            consent=data["consent"],
            by=user,
            now=now,
        ),
        ExtendForm,
        "days",
    ),
    DeskAction(
        "transfer",
        Action.TRANSFER,
        _("군 안의 다른 부서로 이송"),
        _("이송했습니다."),
        lambda c, data, user, now: services.transfer(
            c, data["department"], reason=data["reason"], by=user, now=now
        ),
        TransferForm,
        "department",
    ),
    DeskAction(
        "transfer_out",
        Action.TRANSFER_OUT,
        _("다른 기관으로 이송"),
        _("다른 기관으로 이송했습니다."),
        lambda c, data, user, now: services.transfer_to_agency(
            c, data["agency"], reason=data["reason"], by=user, now=now
        ),
        AgencyTransferForm,
        "agency",
    ),
    DeskAction(
        "close",
        Action.CLOSE,
        _("결과 통보(종결)"),
        _("결과를 통보하고 종결했습니다."),
        lambda c, data, user, now: services.close_with_result(
            c, result_text=data["result_text"], by=user, now=now
        ),
        ResultForm,
        "result_text",
    ),
    DeskAction(
        "refuse",
        Action.REFUSE,
        _("반려"),
        _("반려했습니다."),
        lambda c, data, user, now: services.refuse(c, reason=data["reason"], by=user, now=now),
        RefuseForm,
        "reason",
    ),
]
BY_KEY = {spec.key: spec for spec in DESK_ACTIONS}

# What the next stage is called on the "next stage" button, by the present stage.
NEXT_STAGE_LABELS = {
    Stage.ASSIGNED: _("조사 시작"),
    Stage.INVESTIGATING: _("조사결과 확인 요청"),
    Stage.VERIFYING: _("조사결과 확인 완료(시정·개선 조치로)"),
}


def make_form(spec: DeskAction, complaint: Complaint, data=None) -> forms.Form | None:
    if spec.form_class is None:
        return None
    prefix = spec.key
    if spec.form_class is AssignForm:
        return AssignForm(data, prefix=prefix, department=complaint.department)
    return spec.form_class(data, prefix=prefix)


def available(spec: DeskAction, complaint: Complaint, user, member) -> bool:
    if spec.key == "assign_me":
        if member is None or member.department_id != complaint.department_id:
            return False
        if complaint.owner_id == member.pk:
            return False
    department_id = member.department_id if member is not None else None
    return services.may_act(user, complaint, spec.action, department_id)


def preview(spec: DeskAction, complaint: Complaint, now: datetime, data=None):
    """(legal due, stage due) after the action; None where the clock stops."""
    if spec.action == Action.EXTEND:
        data = data or {}
        return services.due_after(
            complaint,
            spec.action,
            now,
            days=data.get("days") or 0,
            consent=bool(data.get("consent")),
        )
    return services.due_after(complaint, spec.action, now)


def staff_name(user) -> str:
    """The name a citizen or colleague knows someone by, never a login."""
    if user is None:
        return str(_("자동 처리"))
    member = getattr(user, "staff_member", None)
    if member is not None:
        return member.name
    return user.get_full_name() or str(_("관리자"))


def history(complaint: Complaint) -> list[dict[str, Any]]:
    """The filing's events in words, one query whatever their number."""
    events = complaint.events.select_related("by__staff_member").order_by("at", "id")
    return [
        {
            "at": event.at,
            "action": Action(event.action).label,
            "from_stage": Stage(event.from_stage).label if event.from_stage else "",
            "to_stage": Stage(event.to_stage).label,
            "by": staff_name(event.by),
            "note": event.note,
            "due_at": event.due_at,
        }
        for event in events
    ]
