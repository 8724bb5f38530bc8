"""The authorisation matrix: every URL of the URL conf (admin model URLs included) ×
every role, with the status each must get, for GET and for POST.

The routes come from walking ``get_resolver().url_patterns``; a route with no entry in
``EXPECTED`` (or, for admin model URLs, no entry in ``ADMIN_MODELS``) fails the test with
its name, so a new view cannot be left out. Path parameters are filled from objects
created here: a roads filing with an attachment, a memo, a consultation, a board post, a
commendation, an approved payout, a survey link and an Open311 key.

The POST half also records what each request wrote (``matrix.WriteLog``): a role that is
not entitled must leave the database as it was, and every POST must reach the view
itself, not stop in a middleware (``matrix.ReachedViewMiddleware``).
"""

from __future__ import annotations

import copy
import datetime

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import tracking
from complaints.models import Attachment
from reception import services as reception_services
from reception.models import BoardPost
from surveys.models import Survey, SurveyKind
from tests.security.matrix import ROLES, WriteLog, admin_model, fill, walk
from tests.security.matrix_post import BOOKKEEPING, MINIMAL_BODY, post_body, post_expected_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world, road_type, settings, tmp_path, roads_clerk):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLE = False
    complaint = world["complaint"]
    attachment = Attachment(
        complaint=complaint,
        original_name="사진.jpg",
        extension="jpg",
        content_type="image/jpeg",
        size=3,
        uploaded_at=complaint.received_at,
    )
    attachment.file.save("photo.jpg", ContentFile(b"abc"), save=False)
    attachment.save()
    campaign = Survey.objects.create(
        kind=SurveyKind.CAMPAIGN,
        title="만족도 조사",
        slug="matrix",
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=365),
    )
    # The fixtures' board post is not routed yet, so nobody may answer it; answering is
    # POSTed to a post routed to the roads department, as the board sweep would route it.
    roads = road_type.handling_department
    routed_post = reception_services.post_question(
        title="가로등 고장",
        body="언제 고쳐 주시나요?",
        author_name="홍길동",
        department=roads,
        now=complaint.received_at,
    )
    BoardPost.objects.filter(pk=routed_post.pk).update(
        department=roads, routed_at=complaint.received_at
    )
    from django.apps import apps

    admin_objects = {}
    for model in apps.get_models():
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            admin_objects[model._meta.label_lower] = first
    admin_objects["complaints.attachment"] = attachment
    pk = {
        "board:detail": world["board_post"].pk,
        "board:unlock": world["board_post"].pk,
        "board:attachment": world["board_post"].pk,
        "reception:memo_detail": world["memo"].pk,
        "reception:memo_close": world["memo"].pk,
        "reception:consultation_detail": world["consultation"].pk,
        "reception:consultation_close": world["consultation"].pk,
        "reception:post_detail": world["board_post"].pk,
        "reception:post_answer": routed_post.pk,
        "staff_directory:portrait": roads_clerk.staff_member.pk,
        "complaints_staff:intake_done": complaint.pk,
        "complaints_staff:attachment": attachment.pk,
        "admin:surveys_survey_results": campaign.pk,
    }
    params = {name: {"pk": value} for name, value in pk.items()}
    params["complaints:receipt"] = {
        "token": tracking.receipt_url(complaint).rstrip("/").split("/")[-1]
    }
    params["complaints:track_signed"] = {"token": tracking.tracking_token(complaint)}
    params["complaints:answer_hold"] = params["complaints:track_signed"]
    params["surveys:answer"] = {"token": world["survey_token"]}
    params["surveys:campaign"] = {"slug": campaign.slug}
    params["dashboard:export"] = {"table": "overdue", "fmt": "csv"}
    return {
        "complaint": complaint,
        "admin_objects": admin_objects,
        "params": params,
        "defaults": {
            "slug": "construction",
            "type_ref": road_type.code,
            "fmt": "json",
            "service_code": road_type.code,
            "request_id": complaint.receipt_number,
            "token": "no-such-token",
            "key": "assign_me",  # the desk's action forms
            "path": "nowhere",
            "table": "overdue",
            "app_label": "complaints",
            "id": admin_objects["auth.user"].pk,  # the user admin's password page
        },
        "track_url": params["complaints:track_signed"]["token"],
    }


@pytest.fixture
def clients(objects, settings, client_for, roads_clerk, other_clerk, verifier, manager, superuser):
    # Before the clients exist: each client builds its middleware chain once.
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.security.matrix.ReachedViewMiddleware"]
    # Client() does not enforce CSRF (enforce_csrf_checks=False): the matrix is about
    # authorisation, so a POST must get past the CSRF check to the view's own decision.
    # test_a_post_without_the_csrf_token_is_refused_before_the_view covers CSRF itself.
    citizen = Client()
    citizen.get(f"/complaints/track/{objects['track_url']}/")
    return {
        "anonymous": Client(),
        "citizen": citizen,
        "clerk": client_for(roads_clerk),
        "other_clerk": client_for(other_clerk),
        "verifier": client_for(verifier),
        "manager": client_for(manager),
        "superuser": client_for(superuser),
    }


# Expected GET status per role, in the order of ROLES:
#   anonymous, citizen (holds a tracking link), roads clerk, environment clerk,
#   verifier (lead department), manager, superuser.
# 302 for anonymous staff pages is the login redirect; 302 for signed-in staff on an
# admin object outside their scope is the admin's "does not exist" redirect, so another
# department's filing, memo or payout is never shown. 405: the URL takes POST only.
EXPECTED = {
    "home": "200 200 200 200 200 200 200",
    "healthz": "200 200 200 200 200 200 200",
    "set_language": "302 302 302 302 302 302 302",
    "text_size": "405 405 405 405 405 405 405",
    "consult:new": "200 200 200 200 200 200 200",
    "consult:done": "302 302 302 302 302 302 302",
    "board:list": "200 200 200 200 200 200 200",
    "board:new": "200 200 200 200 200 200 200",
    "board:detail": "200 200 200 200 200 200 200",
    "board:unlock": "405 405 405 405 405 405 405",
    "board:attachment": "404 404 404 404 404 404 404",
    "praise:new": "200 200 200 200 200 200 200",
    "praise:done": "200 200 200 200 200 200 200",
    "reception:desk": "302 302 200 200 200 200 200",
    "reception:memo_new": "302 302 200 200 200 200 200",
    "reception:memo_detail": "302 302 200 403 403 200 200",
    "reception:memo_close": "405 405 405 405 405 405 405",
    "reception:consultation_detail": "302 302 200 403 403 200 200",
    "reception:consultation_close": "405 405 405 405 405 405 405",
    "reception:post_detail": "302 302 403 403 200 200 200",
    "reception:post_answer": "405 405 405 405 405 405 405",
    "staff_directory:index": "200 200 200 200 200 200 200",
    "staff_directory:me": "302 302 200 200 200 200 200",
    "staff_directory:me_presence": "302 302 405 405 405 405 405",
    "staff_directory:me_photo": "302 302 405 405 405 405 405",
    "staff_directory:me_otp": "302 302 200 200 200 200 200",
    # Nobody of the matrix has an authenticator app: removal sends them to enrolment.
    "staff_directory:me_otp_remove": "302 302 302 302 302 302 302",
    "staff_directory:portrait": "200 200 200 200 200 200 200",
    "staff_directory:department": "200 200 200 200 200 200 200",
    "staff_directory:seating": "200 200 200 200 200 200 200",
    "staff_directory:nameplates": "200 200 200 200 200 200 200",
    "complaints_staff:intake": "302 302 200 200 200 403 200",
    "complaints_staff:intake_done": "302 302 200 404 404 403 200",
    "complaints_staff:attachment": "302 302 200 404 404 200 200",
    "complaints_staff:access_review": "302 302 403 403 403 200 200",
    "complaints:new": "200 200 200 200 200 200 200",
    "complaints:new_form": "200 200 200 200 200 200 200",
    "complaints:receipt": "200 200 200 200 200 200 200",
    "complaints:track": "200 200 200 200 200 200 200",
    "complaints:track_signed": "200 200 200 200 200 200 200",
    "complaints:answer_hold": "405 405 405 405 405 405 405",
    "notifications:twilio_status": "405 405 405 405 405 405 405",
    "surveys:thanks": "200 200 200 200 200 200 200",
    "surveys:campaign": "200 200 200 200 200 200 200",
    "surveys:answer": "200 200 200 200 200 200 200",
    "open311:openapi": "200 200 200 200 200 200 200",
    "open311:discovery": "200 200 200 200 200 200 200",
    "open311:services": "200 200 200 200 200 200 200",
    "open311:service": "200 200 200 200 200 200 200",
    "open311:requests": "200 200 200 200 200 200 200",
    "open311:request": "200 200 200 200 200 200 200",
    "open311:token": "404 404 404 404 404 404 404",
    "open311:not_found": "404 404 404 404 404 404 404",
    "dashboard:index": "302 302 403 403 403 200 200",
    "dashboard:lists": "302 302 403 403 403 200 200",
    "dashboard:export": "302 302 403 403 403 200 200",
    "admin:index": "302 302 200 200 200 200 200",
    "admin:login": "200 200 302 302 302 302 302",
    "admin:logout": "302 302 405 405 405 405 405",
    "admin:password_change": "302 302 200 200 200 200 200",
    "admin:password_change_done": "302 302 200 200 200 200 200",
    "admin:autocomplete": "302 302 403 403 403 403 403",
    "admin:jsi18n": "302 302 200 200 200 200 200",
    "admin:view_on_site": "302 302 404 404 404 404 404",
    "admin:auth_user_password_change": "302 302 403 403 403 403 200",
    "admin:compensation_payout_propose": "302 302 200 200 200 200 200",
    "admin:compensation_payout_batch": "302 302 403 403 403 200 200",
    "admin:compensation_payout_batch_csv": "302 302 403 403 403 200 200",
    "admin:compensation_payout_spend": "302 302 403 403 403 200 200",
    "admin:surveys_survey_results": "302 302 403 403 403 200 200",
    "admin:app_list": "302 302 200 200 200 200 200",
    "admin/(?P<url>.*)$": "302 302 404 404 404 404 404",
    "staff_media": "404 404 404 404 404 404 404",
}

ADMIN_MODELS = {
    "auth.group": {
        "changelist": "302 302 403 403 403 403 200",
        "add": "302 302 403 403 403 403 200",
        "change": "302 302 403 403 403 403 200",
        "history": "302 302 403 403 403 403 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "auth.user": {
        "changelist": "302 302 403 403 403 403 200",
        "add": "302 302 403 403 403 403 200",
        "change": "302 302 403 403 403 403 200",
        "history": "302 302 403 403 403 403 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "axes.accessattempt": {
        "changelist": "302 302 403 403 403 403 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 403 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "axes.accessfailurelog": {
        "changelist": "302 302 403 403 403 403 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 403 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "axes.accesslog": {
        "changelist": "302 302 403 403 403 403 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 403 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "compensation.compensationrule": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 200 200 200 200 200",
        "history": "302 302 200 200 200 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "compensation.payout": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 302 302 302 302 302",
        "change": "302 302 200 302 302 200 200",
        "history": "302 302 200 302 302 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "compensation.trainingrecord": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 302 302 302 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "complaints.accesslog": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "complaints.agency": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 403 403 403 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "complaints.letter": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 302 302 302 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "complaints.closure": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 200",
        "change": "302 302 403 403 403 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "complaints.complaint": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 200 302 302 200 200",
        "history": "302 302 200 302 302 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
        "desk": "302 302 405 405 405 405 405",
    },
    "complaints.complainttype": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 200 200 200 200 200",
        "history": "302 302 200 200 200 200 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "django_celery_beat.clockedschedule": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 200",
        "change": "302 302 403 403 403 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "django_celery_beat.crontabschedule": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "django_celery_beat.intervalschedule": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "django_celery_beat.periodictask": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "django_celery_beat.solarschedule": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 200",
        "change": "302 302 403 403 403 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "notifications.emailmessage": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "notifications.smsmessage": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "open311.apikey": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "open311.submission": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    # Authenticator apps: administrators only, and they may only remove one.
    "otp_totp.totpdevice": {
        "changelist": "302 302 403 403 403 403 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 403 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 302",
        "redirect": "302 302 302 302 302 302 302",
    },
    "reception.boardpost": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 302 302 302 200 200",
        "history": "302 302 302 302 302 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "reception.boardsweep": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 302 302 302 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "reception.commendation": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "reception.consultation": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 200 302 302 200 200",
        "history": "302 302 200 302 302 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "reception.memo": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 200 302 302 200 200",
        "history": "302 302 200 302 302 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "staff_directory.department": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 200 200 200 200 200",
        "history": "302 302 200 200 200 200 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "staff_directory.staffmember": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 200 302 302 200 200",
        "history": "302 302 200 302 302 200 200",
        "delete": "302 302 403 403 403 403 200",
        "redirect": "302 302 302 302 302 302 302",
    },
    "surveys.followupaction": {
        "changelist": "302 302 200 200 200 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 302 302 302 302 302",
        "history": "302 302 302 302 302 302 302",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "surveys.survey": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 200 200",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
    "surveys.surveyinvitation": {
        "changelist": "302 302 403 403 403 200 200",
        "add": "302 302 403 403 403 403 403",
        "change": "302 302 403 403 403 200 200",
        "history": "302 302 403 403 403 200 200",
        "delete": "302 302 403 403 403 403 403",
        "redirect": "302 302 302 302 302 302 302",
    },
}


def expected_for(route) -> str | None:
    if route.name in EXPECTED:
        return EXPECTED[route.name]
    if route.name.startswith("admin/") and route.params == ("object_id",):
        app_label, model_name = route.route.split("/")[1:3]
        return ADMIN_MODELS.get(f"{app_label}.{model_name}", {}).get("redirect")
    model, action = admin_model(route.name)
    if model is not None:
        return ADMIN_MODELS.get(model._meta.label_lower, {}).get(action)
    return None


def test_every_url_has_an_expectation():
    """A new URL pattern (or admin model) fails here, by name, until it is given a row."""
    missing = [route.name for route in walk() if expected_for(route) is None]
    assert missing == []


def test_authorization_matrix(objects, clients):
    routes = walk()
    assert len(routes) > 200
    mismatches = []
    for route in routes:
        expected = expected_for(route)
        if expected is None:
            continue  # reported by test_every_url_has_an_expectation
        url = fill(route, objects)
        for role, want in zip(ROLES, expected.split(), strict=True):
            got = clients[role].get(url).status_code
            assert got < 500, f"{route.name} {url} as {role}: {got}"
            if got != int(want):
                mismatches.append(f"{route.name} {url} as {role}: {got}, expected {want}")
    assert mismatches == []


def test_other_department_never_sees_the_roads_records(objects, clients):
    """The core of the matrix, spelled out: personal records stay in their department."""
    complaint = objects["complaint"]
    for url in (
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        f"/complaints/staff/intake/{complaint.pk}/",
        f"/admin/reception/memo/{objects['params']['reception:memo_detail']['pk']}/change/",
        f"/staff/memos/{objects['params']['reception:memo_detail']['pk']}/",
    ):
        response = clients["other_clerk"].get(url)
        assert response.status_code in (302, 403, 404), url
        assert "홍길동" not in response.content.decode(), url


# --- POST --------------------------------------------------------------------------------
# The expected answers and the bodies sent are in matrix_post.py.


def post_once(client: Client, url: str, body: dict) -> tuple[str, dict, object]:
    """POST as ``client`` and undo it: the cell's token, what it wrote, the response."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        with WriteLog() as log:
            response = client.post(url, body)
        transaction.set_rollback(True)
    client.cookies = cookies
    token = str(response.status_code)
    login = resolve_url(django_settings.LOGIN_URL)
    if response.status_code == 302 and response["Location"].startswith(login):
        token = "L"
    state = {table: rows for table, rows in log.tables.items() if table not in BOOKKEEPING}
    if state:
        token += "*"
    return token, state, response


def test_every_url_has_a_post_expectation():
    """A new URL pattern (or admin model) fails here, by name, until it is given a row."""
    missing = [route.name for route in walk() if post_expected_for(route) is None]
    assert missing == []


def test_authorization_matrix_post(objects, clients):
    """Every URL POSTed as every role: the expected answer, never a 500, and no change
    to the database by a role that is not entitled."""
    mismatches = []
    for route in walk():
        expected = post_expected_for(route)
        if expected is None:
            continue  # reported by test_every_url_has_a_post_expectation
        url = fill(route, objects)
        body = post_body(route, objects)
        for role, want in zip(ROLES, expected.split(), strict=True):
            got, state, response = post_once(clients[role], url, body)
            where = f"{route.name} POST {url} as {role}"
            assert response.status_code < 500, f"{where}: {response.status_code}"
            assert response.reached_view, f"{where}: stopped before the view"
            if got != want:
                wrote = f", wrote {state}" if state else ""
                mismatches.append(f"{where}: {got}{wrote}, expected {want}")
    assert mismatches == []


# Views that take a POST without Django's CSRF token, each for a reason: Twilio signs its
# callbacks, Open311 clients authenticate with an API key and are not browsers.
CSRF_EXEMPT = {
    "notifications:twilio_status",
    "open311:discovery",
    "open311:services",
    "open311:service",
    "open311:requests",
    "open311:request",
    "open311:token",
    "open311:not_found",
}


def test_a_post_without_the_csrf_token_is_refused_before_the_view(objects, clients, roads_clerk):
    """What the matrix's clients skip: a browser's POST without the token is stopped by
    the CSRF middleware on every URL but the deliberate exemptions, and with the token
    it reaches the view."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(roads_clerk)
    reached = set()
    for route in walk():
        _token, state, response = post_once(browser, fill(route, objects), MINIMAL_BODY)
        assert response.status_code < 500, route.name
        assert state == {}, route.name
        if response.reached_view:
            reached.add(route.name)
        else:
            assert response.status_code == 403, route.name
    assert reached == CSRF_EXEMPT

    form = browser.get(reverse("reception:memo_new"))
    token = form.context["csrf_token"]
    response = browser.post(reverse("reception:memo_new"), {"csrfmiddlewaretoken": token})
    assert response.reached_view
    assert response.status_code == 200
    assert response.context["form"].errors
