"""The directory: departments, search, department pages, posters and the staff page."""

from __future__ import annotations

from functools import wraps

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pagecache import public_page

from . import images, services
from .forms import PhotoForm, PresenceForm, SearchForm
from .models import MAX_DESK_POSITION, Department, StaffMember
from .roles import staff_member_of

SEARCH_LIMIT = 30
POSTER_SIZES = {"a4", "a3"}


def _department(slug: str) -> Department:
    try:
        return Department.objects.get(slug=slug)
    except Department.DoesNotExist:
        raise Http404(_("없는 부서입니다.")) from None


COMMENDATIONS_PER_CARD = 3


def _with_commendations(queryset):
    """Approved commendations (K2) on each card: the count in the same query and the
    latest stories in one more, whatever the number of members.

    The reception app owns commendations and imports this app, not the other way round,
    so the model is reached through the app registry and the reverse relation.
    """
    if not django_apps.is_installed("reception"):
        return queryset
    commendation = django_apps.get_model("reception", "Commendation")
    approved = Q(commendations__status="approved")
    # A story erased once past retention (reception/retention.py) still counts, unshown.
    stories = (
        commendation.objects.filter(status="approved")
        .exclude(story="")
        .order_by("-reviewed_at", "-id")
    )
    return queryset.annotate(
        commendation_count=Count("commendations", filter=approved)
    ).prefetch_related(
        Prefetch(
            "commendations",
            queryset=stories[:COMMENDATIONS_PER_CARD],
            to_attr="recent_commendations",
        )
    )


def _members(department: Department, *, commendations: bool = False) -> list[StaffMember]:
    """Active members with their substitute in one query; presence decided once."""
    now = timezone.now()
    queryset = department.members.filter(is_active=True).select_related("substitute")
    if commendations:
        queryset = _with_commendations(queryset)
    members = list(queryset)
    for member in members:
        member.department = department  # known already: no query per card
        member.present = member.is_present(now)
    return members


@require_GET
@public_page
def index(request: HttpRequest) -> HttpResponse:
    """Departments, and a search over staff names and duties ("who handles …?").

    A plain ``icontains`` match: a county has a few hundred staff, so a scan is cheap
    and needs no search index.
    """
    form = SearchForm(request.GET or None)
    results: list[StaffMember] | None = None
    query = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        now = timezone.now()
        results = list(
            StaffMember.objects.filter(is_active=True)
            .filter(
                Q(name__icontains=query)
                | Q(name_en__icontains=query)
                | Q(duties__icontains=query)
                | Q(duties_en__icontains=query)
                | Q(title__icontains=query)
                | Q(title_en__icontains=query)
                | Q(department__name__icontains=query)
                | Q(department__name_en__icontains=query)
            )
            .select_related("department", "substitute")
            .order_by("department__order", "department__name", "name")[:SEARCH_LIMIT]
        )
        for member in results:
            member.present = member.is_present(now)
    # Meta.ordering is not applied to aggregate queries: say the order here.
    departments = Department.objects.annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    ).order_by("order", "name")
    return render(
        request,
        "staff_directory/index.html",
        {"form": form, "query": query, "results": results, "departments": departments},
    )


@require_GET
@public_page
def department(request: HttpRequest, slug: str) -> HttpResponse:
    """A department's photo cards with presence; absent staff show whom to see (V4)."""
    dept = _department(slug)
    return render(
        request,
        "staff_directory/department.html",
        {
            "department": dept,
            "members": _members(dept, commendations=True),
            "show_commendations": django_apps.is_installed("reception"),
        },
    )


@require_GET
def seating(request: HttpRequest, slug: str) -> HttpResponse:
    """The seating-chart poster for the department's entrance (V1), A4 or A3 landscape.

    Public: the poster hangs on the wall, so it shows nothing the wall does not.
    """
    dept = _department(slug)
    members = _members(dept)
    size = request.GET.get("size", "a4").lower()
    if size not in POSTER_SIZES:
        size = "a4"
    for member in members:
        member.grid_row = min(member.desk_row, MAX_DESK_POSITION)
        member.grid_column = min(member.desk_column, MAX_DESK_POSITION)
    columns = max((m.grid_column for m in members), default=1)
    return render(
        request,
        "staff_directory/seating.html",
        {"department": dept, "members": members, "size": size, "columns": columns},
    )


@require_GET
def nameplates(request: HttpRequest, slug: str) -> HttpResponse:
    """Printable desk name plates, one per member (V2). Public, like the poster."""
    dept = _department(slug)
    return render(
        request,
        "staff_directory/nameplates.html",
        {"department": dept, "members": _members(dept)},
    )


@require_GET
def portrait(request: HttpRequest, pk: int) -> HttpResponse:
    """The placeholder portrait of a member without a photo: initials on a colour."""
    member = get_object_or_404(StaffMember.objects.only("name"), pk=pk, is_active=True)
    response = HttpResponse(
        images.placeholder_svg(member.initials, member.name), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def staff_only(view):
    """Anonymous → the login page; logged in but not staff → 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            return render(request, "staff_directory/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _me_context(request, member, presence_form=None, photo_form=None) -> dict:
    colleagues = []
    if member is not None:
        colleagues = list(
            StaffMember.objects.filter(department_id=member.department_id, is_active=True)
            .exclude(pk=member.pk)
            .select_related("department")
            .order_by("desk_row", "desk_column", "name")
        )
        if presence_form is None:
            presence_form = PresenceForm(
                member=member,
                initial={
                    "presence": member.presence,
                    "until": member.presence_until and timezone.localtime(member.presence_until),
                    "note": member.presence_note,
                    "substitute": member.substitute_id,
                },
            )
        photo_form = photo_form or PhotoForm()
    return {
        "member": member,
        "colleagues": colleagues,
        "presence_form": presence_form,
        "photo_form": photo_form,
    }


def _my_record(request) -> StaffMember | None:
    member = staff_member_of(request.user)
    if member is not None:
        member = StaffMember.objects.select_related("department", "substitute").get(pk=member.pk)
    return member


@staff_only
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """A clerk's own page: greeting line (P2), presence form (V4), transfer lines (P4)."""
    return render(request, "staff_directory/me.html", _me_context(request, _my_record(request)))


@staff_only
@require_POST
def me_presence(request: HttpRequest) -> HttpResponse:
    member = _my_record(request)
    if member is None:
        return render(request, "staff_directory/forbidden.html", status=403)
    form = PresenceForm(request.POST, member=member)
    if form.is_valid():
        try:
            services.set_presence(
                member,
                presence=form.cleaned_data["presence"],
                until=form.cleaned_data["until"],
                note=form.cleaned_data["note"],
                substitute=form.cleaned_data["substitute"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("근무 상태를 바꾸었습니다."))
            return redirect("staff_directory:me")
    return render(
        request,
        "staff_directory/me.html",
        _me_context(request, member, presence_form=form),
        status=400,
    )


@staff_only
@require_POST
def me_photo(request: HttpRequest) -> HttpResponse:
    member = _my_record(request)
    if member is None:
        return render(request, "staff_directory/forbidden.html", status=403)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.set_photo(member, form.cleaned_data["photo"])
        messages.success(request, _("사진을 바꾸었습니다."))
        return redirect("staff_directory:me")
    return render(
        request,
        "staff_directory/me.html",
        _me_context(request, member, photo_form=form),
        status=400,
    )
