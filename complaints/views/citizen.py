"""Citizen pages: choose a type, file, the receipt (접수증) and tracking
(C1 C3 K3 K4 O1 O2 O4 V6)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from complaints import services, tracking
from complaints.forms.citizen import FilingForm, HoldAnswerForm, TrackingForm
from complaints.models import ComplaintType, Kind
from complaints.services import FilingExcluded, TransitionRefused
from notifications.phones import mask_phone
from pagecache import per_request, public_page

KIND_INTROS = {
    Kind.PETITION: gettext_lazy("고쳐야 할 곳, 궁금한 점, 신청하실 일을 알려 주세요."),
    Kind.SERVICE: gettext_lazy(
        "직원의 불친절, 처리 지연, 잘못된 안내처럼 불편했던 점을 알려 주세요. "
        "결과를 꼭 알려 드립니다."
    ),
    Kind.SUGGESTION: gettext_lazy("군의 서비스와 제도를 더 낫게 만들 생각을 나눠 주세요."),
}


def _rate(setting: str):
    """Read the rate when the request comes, so settings can change it (tests, admin)."""

    def rate(group, request):
        return getattr(settings, setting)

    return rate


def _formats() -> dict:
    return {
        "datetime_format": _("Y년 n월 j일(D) H:i"),
        "date_format": _("Y년 n월 j일(D)"),
    }


def _online_types():
    return ComplaintType.objects.filter(is_active=True, accepts_online=True).select_related(
        "handling_department"
    )


@require_GET
@public_page
def choose_type(request: HttpRequest) -> HttpResponse:
    """Step 1: the types that can be filed online, grouped by kind, each with what the
    office looks up itself (O1)."""
    types = list(_online_types().order_by("order", "name"))
    groups = []
    for kind in Kind:
        members = [t for t in types if t.kind == kind]
        if members:
            groups.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "intro": KIND_INTROS.get(kind, ""),
                    "types": members,
                }
            )
    return render(request, "complaints/citizen/choose_type.html", {"groups": groups})


def _type_or_404(type_ref: str) -> ComplaintType:
    queryset = _online_types()
    lookup = {"pk": int(type_ref)} if type_ref.isdigit() else {"code": type_ref}
    ctype = queryset.filter(**lookup).first()
    if ctype is None:
        raise Http404
    return ctype


def _apply_service_errors(form: FilingForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@ratelimit(key="ip", rate=_rate("PUBLIC_POST_RATE"), method="POST", block=True)
@require_http_methods(["GET", "POST"])
@public_page
def filing_form(request: HttpRequest, type_ref: str) -> HttpResponse:
    """Step 2: one form. A K3 exclusion is answered here and nothing is stored; a
    second submission of the same form files nothing and shows the first receipt."""
    now = timezone.now()
    ctype = _type_or_404(type_ref)
    exclusion = None
    if request.method == "POST":
        nonce = tracking.nonce_from_form_token(request.POST.get("token", ""))
        earlier = services.filed_with(nonce) if nonce else None
        if earlier is not None:
            messages.info(request, _("이 신청서는 이미 접수되었습니다. 두 번 접수되지 않았습니다."))
            return redirect(tracking.receipt_url(earlier))
        data = request.POST.copy()
        if nonce is None:
            data["token"] = tracking.new_form_token()
        form = FilingForm(data, request.FILES, complaint_type=ctype)
        if nonce is None:
            form.is_valid()
            form.add_error(
                None,
                _(
                    "신청서가 올바르지 않거나 너무 오래 열려 있었습니다. "
                    "내용을 확인하고 ‘신청하기’를 다시 눌러 주세요."
                ),
            )
        elif form.is_valid():
            try:
                complaint = services.file_once(nonce, form.to_intake(now), now=now, checked=True)
            except services.TokenAlreadyUsed as used:
                messages.info(
                    request, _("이 신청서는 이미 접수되었습니다. 두 번 접수되지 않았습니다.")
                )
                return redirect(tracking.receipt_url(used.complaint))
            except FilingExcluded as exc:
                exclusion = exc.exclusion
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                return redirect(tracking.receipt_url(complaint))
        if form.errors or exclusion:
            form.ask_to_choose_files_again()
    else:
        token = per_request(request, tracking.new_form_token)
        form = FilingForm(initial={"token": token}, complaint_type=ctype)
    return render(
        request,
        "complaints/citizen/form.html",
        {
            "form": form,
            "complaint_type": ctype,
            "exclusion": exclusion,
            "error_summary": form.error_summary() if form.is_bound else [],
        },
    )


def _load_or_404(pk: int | None):
    complaint = tracking.load_for_tracking(pk) if pk else None
    if complaint is None:
        raise Http404
    return complaint


def _contact(complaint) -> dict:
    owner = complaint.owner
    return {
        "department": complaint.department,
        "owner": owner,
        "phone": complaint.contact_phone,
    }


@never_cache
@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt (접수증): only through the signed link made at filing (30 days)."""
    complaint = _load_or_404(tracking.complaint_id_from_receipt(token))
    attachments = list(complaint.attachments.only("original_name", "size", "complaint_id"))
    return render(
        request,
        "complaints/citizen/receipt.html",
        {
            "complaint": complaint,
            "attachments": attachments,
            "steps": tracking.receipt_steps(complaint),
            "contact": _contact(complaint),
            "masked_phone": mask_phone(complaint.phone) if complaint.phone else "",
            "track_path": tracking.tracking_path(complaint),
            **_formats(),
        },
    )


def _not_found(request: HttpRequest, form: TrackingForm | None = None) -> HttpResponse:
    """One answer for an unknown number, a wrong phone and a broken link."""
    return render(
        request,
        "complaints/citizen/track.html",
        {"form": form or TrackingForm(), "not_found": True, "error_summary": []},
        status=404,
    )


@never_cache
@ratelimit(key="ip", rate=_rate("TRACKING_RATE"), method="POST", block=True)
@require_http_methods(["GET", "POST"])
@public_page
def track(request: HttpRequest) -> HttpResponse:
    """Receipt number + phone → the tracking page (through its signed link)."""
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if form.is_valid():
            found = tracking.find_complaint(
                form.cleaned_data["receipt_number"], form.cleaned_data["phone"]
            )
            if found is None:
                return _not_found(request, form)
            return redirect(tracking.tracking_path(found))
    else:
        form = TrackingForm()
    return render(
        request,
        "complaints/citizen/track.html",
        {
            "form": form,
            "not_found": False,
            "error_summary": form.error_summary() if form.is_bound else [],
        },
    )


def _tracking_page(request, complaint, token: str, answer_form=None, status=200):
    now = timezone.now()
    on_hold = complaint.stage == "on_hold"
    if on_hold and answer_form is None:
        answer_form = HoldAnswerForm()
    return render(
        request,
        "complaints/citizen/track_detail.html",
        {
            "complaint": complaint,
            "events": tracking.citizen_events(complaint.pk),
            "note_actions": tracking.NOTE_ACTIONS,
            "steps": tracking.receipt_steps(complaint),
            "contact": _contact(complaint),
            "masked_phone": mask_phone(complaint.phone) if complaint.phone else "",
            "stage_overdue": complaint.is_stage_overdue(now),
            "answer_form": answer_form if on_hold else None,
            "answer_path": reverse("complaints:answer_hold", args=[token]),
            "error_summary": answer_form.error_summary()
            if answer_form is not None and answer_form.is_bound
            else [],
            **_formats(),
        },
        status=status,
    )


@never_cache
@require_GET
def track_signed(request: HttpRequest, token: str) -> HttpResponse:
    """The tracking page itself: timeline, owner and dates; personal data masked. While
    a 보완 request waits, it says what is needed, by when, that the period is paused, and
    offers the form to answer it (L2)."""
    pk = tracking.complaint_id_from_tracking(token)
    complaint = tracking.load_for_tracking(pk) if pk else None
    if complaint is None:
        return _not_found(request)
    return _tracking_page(request, complaint, token)


@ratelimit(key="ip", rate=_rate("PUBLIC_POST_RATE"), method="POST", block=True)
@require_POST
def answer_hold(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's answer to a 보완 request (L2), through the signed tracking link: a
    note and files, checked like a filing's. On success the clock resumes and the page
    shows the new due date; otherwise the page again, with the errors on the fields."""
    pk = tracking.complaint_id_from_tracking(token)
    complaint = tracking.load_for_tracking(pk) if pk else None
    if complaint is None:
        return _not_found(request)
    form = HoldAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer_hold(
                complaint,
                note=form.cleaned_data["note"],
                files=tuple(form.cleaned_data["files"]),
                now=timezone.now(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except TransitionRefused as exc:
            messages.info(request, exc.message)
            return redirect(tracking.tracking_path(complaint))
        else:
            messages.success(
                request, _("보완 서류를 보냈습니다. 처리기간이 다시 흐릅니다. 고맙습니다.")
            )
            return redirect(tracking.tracking_path(complaint))
    return _tracking_page(request, complaint, token, answer_form=form, status=400)
