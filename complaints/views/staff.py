"""Staff pages: the clerk intake (C3 H1 H4 M1) and the attachment download."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from complaints import services
from complaints.access_log import record_access
from complaints.forms.staff import IntakeForm
from complaints.models import AccessAction, Attachment, Complaint
from staff_directory.roles import staff_member_of


def clerk_only(view):
    """Anonymous → login; logged in without a directory record (or not staff) → 403.
    Any clerk may take an intake for any department (H1)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff) or (
            not user.is_superuser and staff_member_of(user) is None
        ):
            return render(request, "complaints/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _apply_service_errors(form: IntakeForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@clerk_only
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Take a filing that came by visit, phone, letter or FAX, for any department."""
    now = timezone.now()
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint = services.file_complaint(
                    form.to_intake(request.user), by=request.user, now=now
                )
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                return redirect("complaints_staff:intake_done", pk=complaint.pk)
    else:
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        form = IntakeForm(initial={"arrived_at": local, "received_at": local})
    return render(request, "complaints/staff/intake.html", {"form": form})


@clerk_only
@require_GET
def intake_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt the clerk reads out or hands over; only to whoever took it (or who may
    see the filing anyway)."""
    complaint = get_object_or_404(
        Complaint.objects.select_related("complaint_type", "department", "owner"), pk=pk
    )
    if complaint.created_by_id != request.user.pk and not (
        Complaint.objects.visible_to(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    return render(request, "complaints/staff/intake_done.html", {"complaint": complaint})


@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of a complaint, to staff who may see that complaint; 404 to anyone else
    (the file's existence is itself private)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    visible = Complaint.objects.visible_to(user)
    item = get_object_or_404(
        Attachment.objects.select_related("complaint").filter(complaint__in=visible), pk=pk
    )
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    record_access(request, [item.complaint_id], AccessAction.EXPORT)
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
