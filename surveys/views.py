"""Citizen survey pages: the after-closure link and a campaign's public link (S1).

Parse with the form, call a service, render. Bad links and bad answers get a clear
page, never an error 500.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from . import services
from .forms import AnswerForm
from .models import Survey, SurveyKind


def _public_post_rate(group, request) -> str:
    return settings.PUBLIC_POST_RATE


def _link_error(request: HttpRequest, error: services.SurveyError) -> HttpResponse:
    return render(request, "surveys/link_error.html", {"message": str(error)}, status=error.status)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_public_post_rate, method="POST", block=True)
def answer(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    try:
        invitation = services.open_invitation(token, now)
    except services.SurveyError as error:
        return _link_error(request, error)
    questions = list(invitation.survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        submitted = _submit(
            request, form, lambda: services.submit_invitation_response(token, form.answers(), now)
        )
        if submitted is not None:
            return submitted
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": invitation.survey,
            "form": form,
            "receipt_number": invitation.complaint.receipt_number,
            "department": invitation.department,
            "expires_at": invitation.expires_at,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_public_post_rate, method="POST", block=True)
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug, kind=SurveyKind.CAMPAIGN)
    now = timezone.now()
    if not survey.is_open_on(timezone.localdate(now)):
        return _link_error(request, services.SurveyClosed())
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions, with_department=True)
    if request.method == "POST" and form.is_valid():
        submitted = _submit(
            request,
            form,
            lambda: services.submit_campaign_response(
                survey, form.answers(), department=form.cleaned_data.get("department"), now=now
            ),
        )
        if submitted is not None:
            return submitted
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form},
        status=400 if form.errors else 200,
    )


def _submit(
    request: HttpRequest, form: AnswerForm, submit: Callable[[], object]
) -> HttpResponse | None:
    """Store the answers through ``submit``: the thanks page, the link's error page, or
    None with the reason on the form (it is shown again)."""
    try:
        submit()
    except services.AnswerError as error:
        form.add_error(None, str(error))
        return None
    except services.SurveyError as error:
        return _link_error(request, error)
    return redirect("surveys:thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")
