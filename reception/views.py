"""Reception pages: parse with a form, call a service, render.

Citizen pages (/consult/, /board/, /praise/) work without JavaScript and are rate-limited
per address on POST. Staff pages (/staff/memos/, /staff/consultations/, /staff/board/) need
a staff login: anonymous → login, outsider → 403, another department's item → 403.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ALL, ratelimit

from complaints.access_log import record_subject_access
from complaints.models import AccessAction
from pagecache import public_page

from . import access, selectors, services
from .forms import (
    AnswerForm,
    BoardPostForm,
    CallbackForm,
    CommendationForm,
    ConsultationForm,
    MemoForm,
    UnlockForm,
)
from .models import BoardPost, Consultation, Memo

BOARD_SALT = "reception.board"
UNLOCKED_SESSION_KEY = "reception_board_unlocked"
PAGE_SIZE = 20


def _public_post(view):
    return ratelimit(key="ip", rate=settings.PUBLIC_POST_RATE, method="POST", block=True)(view)


# The largest primary key a database column holds: a longer number in a URL is a 404.
MAX_PK = 2**63 - 1


def _object_or_404(queryset, pk: int):
    if pk > MAX_PK:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def _add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Pre-consultation (V5) ------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@_public_post
@public_page
def consult_new(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.request_consultation(
                name=data["name"],
                phone=data["phone"],
                description=data["description"],
                department=data["department"],
                sms_consent=data["sms_consent"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            request.session["reception_consult_done"] = {
                "department": item.department.display_name,
                "sms": item.sms_consent,
                "reference": item.reference_number,
                "callback_due_at": item.callback_due_at.isoformat(),
            }
            return redirect("consult:done")
    return render(request, "reception/consult_form.html", {"form": form})


@require_GET
def consult_done(request: HttpRequest) -> HttpResponse:
    done = request.session.pop("reception_consult_done", None)
    if done is None:
        return redirect("consult:new")
    callback_due_at = parse_datetime(done.get("callback_due_at", ""))
    return render(
        request,
        "reception/consult_done.html",
        {"done": done, "callback_due_at": callback_due_at},
    )


# --- The Q&A board (M2) ---------------------------------------------------------------------
def board_key(post: BoardPost) -> str:
    """The signed part of a private post's link: only its author has it."""
    return signing.dumps(post.pk, salt=BOARD_SALT)


def _unlocked(request: HttpRequest) -> set[int]:
    return set(request.session.get(UNLOCKED_SESSION_KEY, []))


def _unlock(request: HttpRequest, post: BoardPost) -> None:
    ids = _unlocked(request) | {post.pk}
    request.session[UNLOCKED_SESSION_KEY] = sorted(ids)[-50:]


def can_read(request: HttpRequest, post: BoardPost, action: str = AccessAction.VIEW) -> bool:
    """The author (password or signed link) and, for a private post, the staff who may
    read it (`access.can_read_post`); each staff read is written to the access log."""
    if post.is_public or post.pk in _unlocked(request):
        return True
    if access.can_read_post(request.user, post):
        record_subject_access(request, post, action)
        return True
    key = request.GET.get("key", "")
    if key:
        try:
            if signing.loads(key, salt=BOARD_SALT) == post.pk:
                _unlock(request, post)
                return True
        except signing.BadSignature:
            return False
    return False


@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(BoardPost.objects.visible_on_board(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reception/board_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@_public_post
def board_new(request: HttpRequest) -> HttpResponse:
    form = BoardPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post = services.post_question(
            title=data["title"],
            body=data["body"],
            author_name=data["author_name"],
            phone=data["phone"] or "",
            email=data["email"] or "",
            is_public=data["visibility"] == "public",
            password=data["password"] or "",
            department=data["department"],
            attachment=data["attachment"],
            now=timezone.now(),
        )
        _unlock(request, post)
        request.session["reception_board_posted"] = post.pk
        return redirect("board:detail", pk=post.pk)
    return render(request, "reception/board_form.html", {"form": form})


@require_GET
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _object_or_404(BoardPost.objects.select_related("department"), pk)
    just_posted = request.session.get("reception_board_posted") == post.pk
    if just_posted:
        del request.session["reception_board_posted"]
    context = {"post": post, "just_posted": just_posted}
    if just_posted:
        context["private_link"] = request.build_absolute_uri(
            reverse("board:detail", args=[post.pk]) + "?key=" + board_key(post)
        )
    if not can_read(request, post):
        context["unlock_form"] = UnlockForm()
        return render(request, "reception/board_locked.html", context)
    return render(request, "reception/board_detail.html", context)


def _unlock_tries(request: HttpRequest, post: BoardPost, *, count: bool) -> dict | None:
    """Wrong passwords for this post, from any address, within BOARD_UNLOCK_RATE (a
    guess-by-guess attack spread over many addresses is stopped too). None while the
    shared cache cannot count: the rate limits fail open."""
    return get_usage(
        request,
        group="board-unlock",
        key=lambda group, request: str(post.pk),
        rate=settings.BOARD_UNLOCK_RATE,
        method=ALL,
        increment=count,
    )


@require_POST
@_public_post
def board_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    post = _object_or_404(BoardPost, pk)
    form = UnlockForm(request.POST)
    tries = _unlock_tries(request, post, count=False)
    if tries is not None and tries["count"] >= tries["limit"]:  # that many wrong already
        form.is_valid()
        form.add_error(
            "password",
            _(
                "비밀번호를 여러 번 틀려서 한 시간 동안 이 글을 열 수 없습니다. 글을 쓸 때 "
                "받은 링크로 열거나 담당 부서에 전화해 주세요."
            ),
        )
    elif form.is_valid() and post.check_password(form.cleaned_data["password"]):
        _unlock(request, post)
        return redirect("board:detail", pk=post.pk)
    elif form.is_valid():
        _unlock_tries(request, post, count=True)
        form.add_error("password", _("비밀번호가 맞지 않습니다."))
    return render(
        request, "reception/board_locked.html", {"post": post, "unlock_form": form}, status=200
    )


@require_GET
def board_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    post = _object_or_404(BoardPost, pk)
    if not post.attachment or not can_read(request, post, AccessAction.EXPORT):
        raise Http404
    try:
        handle = post.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = post.attachment_name or post.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# --- Commendations (K2) ---------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@_public_post
@public_page
def praise_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.method == "GET" and request.GET.get("staff", "").isdigit():
        initial["staff"] = request.GET["staff"]
    form = CommendationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_commendation(
                staff=data["staff"],
                story=data["story"],
                nominator_name=data["nominator_name"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            return redirect("praise:done")
    return render(request, "reception/praise_form.html", {"form": form})


@require_GET
def praise_done(request: HttpRequest) -> HttpResponse:
    return render(request, "reception/praise_done.html")


# --- Staff pages ----------------------------------------------------------------------------
def staff_view(view):
    """Anonymous → login; logged in without a staff record or role → 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_reception_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _check_view(user, department_id: int | None) -> None:
    if not access.can_view(user, department_id):
        raise PermissionDenied


@require_GET
@staff_view
def desk(request: HttpRequest) -> HttpResponse:
    """The department's open work: memos (mine first), consultations, unanswered posts."""
    now = timezone.now()
    department = access.department_of(request.user)
    member = access.staff_member_of(request.user)
    return render(
        request,
        "reception/desk.html",
        {
            "now": now,
            "department": department,
            "memos": selectors.open_memos_for_department(department, member),
            "consultations": selectors.open_consultations(department),
            "posts": selectors.unanswered_posts(department),
            "overdue": selectors.overdue_counts(department, now),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def memo_new(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = MemoForm(request.POST or None, now=now)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            memo = services.record_memo(
                owner=data["owner"],
                caller_name=data["caller_name"],
                purpose=data["purpose"],
                contacted_at=data["contacted_at"],
                callback_needed=data["callback_needed"],
                phone=data["phone"],
                number_read_back=data["number_read_back"],
                kind=data["kind"],
                taken_by=request.user,
                now=now,
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s 님에게 메모를 전달했습니다.") % {"name": memo.owner.display_name},
            )
            return redirect("reception:desk")
    taker = access.staff_member_of(request.user)
    return render(
        request,
        "reception/memo_form.html",
        {"form": form, "taker_name": taker.name if taker else request.user.get_username()},
    )


def _memo_for(request: HttpRequest, pk: int) -> Memo:
    memo = _object_or_404(Memo.objects.select_related("owner__department"), pk)
    _check_view(request.user, memo.owner.department_id)
    return memo


@require_GET
@staff_view
def memo_detail(request: HttpRequest, pk: int) -> HttpResponse:
    memo = _memo_for(request, pk)
    record_subject_access(request, memo)
    return render(
        request,
        "reception/memo_detail.html",
        {"memo": memo, "form": CallbackForm(), "now": timezone.now()},
    )


def _close_callback(
    request: HttpRequest, item, department_id: int, close, template: str, name: str
) -> HttpResponse:
    """Record the outcome of a call back (memo or consultation) from its detail page."""
    if not access.can_handle(request.user, department_id):
        raise PermissionDenied
    form = CallbackForm(request.POST)
    if form.is_valid():
        try:
            close(
                item,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("회신 결과를 저장했습니다."))
            return redirect("reception:desk")
    return render(request, template, {name: item, "form": form, "now": timezone.now()}, status=400)


@require_POST
@staff_view
def memo_close(request: HttpRequest, pk: int) -> HttpResponse:
    memo = _memo_for(request, pk)
    return _close_callback(
        request,
        memo,
        memo.owner.department_id,
        services.close_memo,
        "reception/memo_detail.html",
        "memo",
    )


def _consultation_for(request: HttpRequest, pk: int) -> Consultation:
    item = _object_or_404(Consultation.objects.select_related("department"), pk)
    _check_view(request.user, item.department_id)
    return item


@require_GET
@staff_view
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation_for(request, pk)
    record_subject_access(request, item)
    return render(
        request,
        "reception/consultation_detail.html",
        {"item": item, "form": CallbackForm(), "now": timezone.now()},
    )


@require_POST
@staff_view
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation_for(request, pk)
    return _close_callback(
        request,
        item,
        item.department_id,
        services.close_consultation,
        "reception/consultation_detail.html",
        "item",
    )


def _post_for(request: HttpRequest, pk: int) -> BoardPost:
    post = _object_or_404(BoardPost.objects.select_related("department"), pk)
    if not access.can_read_post(request.user, post):
        raise PermissionDenied
    return post


@require_GET
@staff_view
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk)
    record_subject_access(request, post)
    return render(
        request,
        "reception/post_answer.html",
        {"post": post, "form": AnswerForm(initial={"answer": post.answer})},
    )


@require_POST
@staff_view
def post_answer(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk)
    if not access.can_handle(request.user, post.department_id):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_post(
                post, answer=form.cleaned_data["answer"], by=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("답변을 게시했습니다."))
            return redirect("reception:desk")
    return render(request, "reception/post_answer.html", {"post": post, "form": form}, status=400)
