"""The POST half of the authorisation matrix: the bodies sent and the answer each role
must get (see test_authorization_matrix.py)."""

from __future__ import annotations

from tests.security.matrix import admin_model

# Each cell of the POST matrix is one token, in the order of ROLES:
#   a status code, or L for a redirect to the login page (anonymous, citizen);
#   a trailing * when the role is entitled and the POST changes state: it must write to
#   the database (a table outside BOOKKEEPING). Every cell without * must write nothing
#   outside BOOKKEEPING; each request runs in a savepoint that is rolled back afterwards
#   (and the client's cookies are put back), so every cell starts from the same state.
# The body is MINIMAL_BODY unless POST_BODIES gives one: then it is a body that works
# for an entitled role, so a refusal is the view's decision and not an incomplete form.
# MINIMAL_BODY is not empty because ``Form(request.POST or None)`` leaves a form unbound
# for an empty POST and shows it afresh; one unknown field makes it bound and validated.
# Public forms answer it with their errors (200 or 400), never a 500 or a stored row.
#
# Admin pages POSTed as the roles that may only view: 403 (Django's admin refuses the
# change). A 302 without * on admin URLs is the admin's "does not exist" redirect or the
# object-id redirect; the login redirect is L.

# Written by requests that change no state: reading personal data is logged
# (complaints_accesslog, also when the change is then refused), and signing out ends
# one's own session (django_session, axes_accesslog).
BOOKKEEPING = {"complaints_accesslog", "django_session", "axes_accesslog"}

MINIMAL_BODY = {"matrix": "1"}
CALLBACK_DONE = {"state": "done", "note": "matrix"}


def r1_voucher_for_the_roads_filing(objects) -> dict:
    # R1 with its amount: the fixtures' filing already has an approved R2.
    return {
        "receipt_number": objects["complaint"].receipt_number,
        "rule": "R1",
        "amount": 5000,
        "kind": "goods",
        "note": "matrix",
    }


POST_BODIES = {
    "admin:compensation_payout_propose": r1_voucher_for_the_roads_filing,
    "reception:memo_close": CALLBACK_DONE,
    "reception:consultation_close": CALLBACK_DONE,
    "reception:post_answer": {"answer": "matrix answer"},
    "staff_directory:me_presence": {"presence": "in", "note": "matrix"},
}
# The admin's own ways to delete: the confirmation page's form, and the changelist's
# bulk action, each aimed at the model's first object.
ADMIN_DELETE_BODY = {"post": "yes"}


def admin_changelist_delete_body(pk) -> dict:
    return {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}


POST_EXPECTED = {
    "home": "405 405 405 405 405 405 405",
    "healthz": "405 405 405 405 405 405 405",
    "set_language": "302 302 302 302 302 302 302",
    "text_size": "302 302 302 302 302 302 302",
    "consult:new": "200 200 200 200 200 200 200",
    "consult:done": "405 405 405 405 405 405 405",
    "board:list": "405 405 405 405 405 405 405",
    "board:new": "200 200 200 200 200 200 200",
    "board:detail": "405 405 405 405 405 405 405",
    "board:unlock": "200 200 200 200 200 200 200",
    "board:attachment": "405 405 405 405 405 405 405",
    "praise:new": "200 200 200 200 200 200 200",
    "praise:done": "405 405 405 405 405 405 405",
    "reception:desk": "405 405 405 405 405 405 405",
    "reception:memo_new": "L L 200 200 200 200 200",
    "reception:memo_detail": "405 405 405 405 405 405 405",
    # The roads clerk (and the superuser) close the roads memo; the manager reads it but
    # does not handle it; the other department and the verifier are refused.
    "reception:memo_close": "L L 302* 403 403 403 302*",
    "reception:consultation_detail": "405 405 405 405 405 405 405",
    "reception:consultation_close": "L L 302* 403 403 403 302*",
    "reception:post_detail": "405 405 405 405 405 405 405",
    # Aimed at a post routed to the roads department (the fixtures' own post is not routed).
    "reception:post_answer": "L L 302* 403 403 403 302*",
    "staff_directory:index": "405 405 405 405 405 405 405",
    "staff_directory:me": "L L 405 405 405 405 405",
    # Each staff member sets only their own presence; the manager and the superuser have
    # no directory entry.
    "staff_directory:me_presence": "L L 302* 302* 302* 403 403",
    "staff_directory:me_photo": "L L 400 400 400 403 403",
    # Enrolment refuses a body without a code; removal (nobody has an app) sends each
    # staff member to enrolment.
    "staff_directory:me_otp": "L L 400 400 400 400 400",
    "staff_directory:me_otp_remove": "L L 302 302 302 302 302",
    "staff_directory:portrait": "405 405 405 405 405 405 405",
    "staff_directory:department": "405 405 405 405 405 405 405",
    "staff_directory:seating": "405 405 405 405 405 405 405",
    "staff_directory:nameplates": "405 405 405 405 405 405 405",
    "complaints_staff:intake": "L L 200 200 200 403 200",
    "complaints_staff:intake_done": "L L 405 405 405 403 405",
    "complaints_staff:attachment": "405 405 405 405 405 405 405",
    "complaints_staff:access_review": "405 405 405 405 405 405 405",
    "complaints:new": "405 405 405 405 405 405 405",
    "complaints:new_form": "200 200 200 200 200 200 200",
    "complaints:receipt": "405 405 405 405 405 405 405",
    "complaints:track": "200 200 200 200 200 200 200",
    "complaints:track_signed": "405 405 405 405 405 405 405",
    # Not on hold: the empty answer is refused on the form, nothing stored.
    "complaints:answer_hold": "400 400 400 400 400 400 400",
    # Twilio's signature is checked before anything else; Open311 filing needs an API key.
    "notifications:twilio_status": "403 403 403 403 403 403 403",
    "surveys:thanks": "200 200 200 200 200 200 200",
    "surveys:campaign": "400 400 400 400 400 400 400",
    "surveys:answer": "400 400 400 400 400 400 400",
    # The OpenAPI document answers any method; it is read-only.
    "open311:openapi": "200 200 200 200 200 200 200",
    "open311:discovery": "405 405 405 405 405 405 405",
    "open311:services": "405 405 405 405 405 405 405",
    "open311:service": "405 405 405 405 405 405 405",
    "open311:requests": "403 403 403 403 403 403 403",
    "open311:request": "405 405 405 405 405 405 405",
    "open311:token": "405 405 405 405 405 405 405",
    "open311:not_found": "404 404 404 404 404 404 404",
    "dashboard:index": "L L 403 403 403 200 200",
    "dashboard:lists": "L L 403 403 403 200 200",
    # A POST downloads like a GET does (read-only, access logged).
    "dashboard:export": "L L 403 403 403 200 200",
    "admin:index": "L L 200 200 200 200 200",
    "admin:login": "200 200 200 200 200 200 200",
    # Signs the staff member out (bookkeeping only); anonymous goes back to the admin.
    "admin:logout": "302 302 200 200 200 200 200",
    "admin:password_change": "L L 200 200 200 200 200",
    "admin:password_change_done": "L L 405 405 405 405 405",
    "admin:autocomplete": "L L 405 405 405 405 405",
    "admin:jsi18n": "L L 405 405 405 405 405",
    "admin:view_on_site": "L L 404 404 404 404 404",
    "admin:auth_user_password_change": "L L 403 403 403 403 200",
    # An R1 voucher for the roads filing: its department and managers propose it; the
    # other department and the verifier get the form back with "다른 부서의 민원입니다".
    "admin:compensation_payout_propose": "L L 302* 400 400 302* 302*",
    "admin:compensation_payout_batch": "L L 403 403 403 200 200",
    "admin:compensation_payout_batch_csv": "L L 403 403 403 200 200",
    "admin:compensation_payout_spend": "L L 403 403 403 200 200",
    "admin:surveys_survey_results": "L L 403 403 403 200 200",
    "admin:app_list": "L L 200 200 200 200 200",
    "admin/(?P<url>.*)$": "L L 404 404 404 404 404",
    "staff_media": "404 404 404 404 404 404 404",
}

# Admin model URLs. "delete" and "changelist" are sent the admin's delete (confirmation
# form, bulk action); "change" and "add" the minimal body. Roles that may only view get 403;
# a change form that accepts the minimal body saves (302*) only for roles that may change.
POST_ADMIN_MODELS = {
    "auth.group": {
        "changelist": "L L 403 403 403 403 302*",
        "add": "L L 403 403 403 403 200",
        "change": "L L 403 403 403 403 200",
        "history": "L L 403 403 403 403 200",
        "delete": "L L 403 403 403 403 302*",
        "redirect": "L L 302 302 302 302 302",
    },
    "auth.user": {
        "changelist": "L L 403 403 403 403 302*",
        "add": "L L 403 403 403 403 200",
        "change": "L L 403 403 403 403 200",
        "history": "L L 403 403 403 403 200",
        "delete": "L L 403 403 403 403 302*",
        "redirect": "L L 302 302 302 302 302",
    },
    "axes.accessattempt": {
        "changelist": "L L 403 403 403 403 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "axes.accessfailurelog": {
        "changelist": "L L 403 403 403 403 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "axes.accesslog": {
        "changelist": "L L 403 403 403 403 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "compensation.compensationrule": {
        "changelist": "L L 200 200 200 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 200 200",
        "history": "L L 200 200 200 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "compensation.payout": {
        "changelist": "L L 200 200 200 302 302",
        "add": "L L 302 302 302 302 302",
        "change": "L L 403 403 403 403 403",
        "history": "L L 200 302 302 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "compensation.trainingrecord": {
        "changelist": "L L 200 200 200 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 302 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "complaints.accesslog": {
        "changelist": "L L 403 403 403 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 403",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "complaints.agency": {
        "changelist": "L L 403 403 403 200 200",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 302 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "complaints.letter": {
        "changelist": "L L 302 302 302 302 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 302 302 302 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "complaints.closure": {
        "changelist": "L L 403 403 403 200 302",
        "add": "L L 403 403 403 403 200",
        "change": "L L 403 403 403 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "complaints.complaint": {
        "changelist": "L L 302 302 302 200 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 302 302 403 403",
        "history": "L L 200 302 302 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
        "desk": "L L 302* 404 404 302 302",
    },
    "complaints.complainttype": {
        "changelist": "L L 200 200 200 200 302*",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 200 200",
        "history": "L L 200 200 200 200 200",
        "delete": "L L 403 403 403 403 302*",
        "redirect": "L L 302 302 302 302 302",
    },
    "django_celery_beat.clockedschedule": {
        "changelist": "L L 403 403 403 200 302",
        "add": "L L 403 403 403 403 200",
        "change": "L L 403 403 403 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "django_celery_beat.crontabschedule": {
        "changelist": "L L 403 403 403 200 302*",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 200 200",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 302*",
        "redirect": "L L 302 302 302 302 302",
    },
    "django_celery_beat.intervalschedule": {
        "changelist": "L L 403 403 403 200 302*",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 200 200",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 302*",
        "redirect": "L L 302 302 302 302 302",
    },
    "django_celery_beat.periodictask": {
        "changelist": "L L 403 403 403 302 302*",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 200 200",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 302*",
        "redirect": "L L 302 302 302 302 302",
    },
    "django_celery_beat.solarschedule": {
        "changelist": "L L 403 403 403 200 302",
        "add": "L L 403 403 403 403 200",
        "change": "L L 403 403 403 403 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "notifications.emailmessage": {
        # Managers may run the retry action: an unknown action redirects to the list.
        "changelist": "L L 403 403 403 302 302",
        "add": "L L 403 403 403 403 403",
        # Outbox rows are never saved from the admin, not even by a superuser.
        "change": "L L 403 403 403 403 403",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "notifications.smsmessage": {
        # Managers may run the retry action: an unknown action redirects to the list.
        "changelist": "L L 403 403 403 302 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 403",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "open311.apikey": {
        "changelist": "L L 403 403 403 302 302",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 302* 302*",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "open311.submission": {
        "changelist": "L L 403 403 403 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 403",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "otp_totp.totpdevice": {
        "changelist": "L L 403 403 403 403 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 403",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 302",
        "redirect": "L L 302 302 302 302 302",
    },
    "reception.boardpost": {
        "changelist": "L L 200 200 200 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 302 302 302 403 302*",
        "history": "L L 302 302 302 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "reception.boardsweep": {
        "changelist": "L L 200 200 200 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 403",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "reception.commendation": {
        "changelist": "L L 403 403 403 302 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 302* 302*",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "reception.consultation": {
        "changelist": "L L 302 302 302 200 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 302* 302 302 403 302*",
        "history": "L L 200 302 302 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "reception.memo": {
        "changelist": "L L 302 302 302 200 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 302* 302 302 403 302*",
        "history": "L L 200 302 302 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "staff_directory.department": {
        "changelist": "L L 200 200 200 200 200",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 200 200",
        "history": "L L 200 200 200 200 200",
        "delete": "L L 403 403 403 403 200",
        "redirect": "L L 302 302 302 302 302",
    },
    "staff_directory.staffmember": {
        "changelist": "L L 200 200 200 200 200",
        "add": "L L 403 403 403 200 200",
        "change": "L L 200 302 302 200 200",
        "history": "L L 200 302 302 200 200",
        "delete": "L L 403 403 403 403 200",
        "redirect": "L L 302 302 302 302 302",
    },
    "surveys.followupaction": {
        "changelist": "L L 302 302 302 302 302",
        "add": "L L 403 403 403 403 403",
        "change": "L L 302 302 302 302 302",
        "history": "L L 302 302 302 302 302",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "surveys.survey": {
        "changelist": "L L 403 403 403 200 200",
        "add": "L L 403 403 403 200 200",
        "change": "L L 403 403 403 200 200",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
    "surveys.surveyinvitation": {
        "changelist": "L L 403 403 403 200 200",
        "add": "L L 403 403 403 403 403",
        "change": "L L 403 403 403 403 403",
        "history": "L L 403 403 403 200 200",
        "delete": "L L 403 403 403 403 403",
        "redirect": "L L 302 302 302 302 302",
    },
}


def post_expected_for(route) -> str | None:
    if route.name in POST_EXPECTED:
        return POST_EXPECTED[route.name]
    if route.name.startswith("admin/") and route.params == ("object_id",):
        app_label, model_name = route.route.split("/")[1:3]
        return POST_ADMIN_MODELS.get(f"{app_label}.{model_name}", {}).get("redirect")
    model, action = admin_model(route.name)
    if model is not None:
        return POST_ADMIN_MODELS.get(model._meta.label_lower, {}).get(action)
    return None


def post_body(route, objects) -> dict:
    if route.name in POST_BODIES:
        body = POST_BODIES[route.name]
        return body(objects) if callable(body) else body
    model, action = admin_model(route.name)
    if action == "delete":
        return ADMIN_DELETE_BODY
    if action == "changelist":
        instance = objects["admin_objects"].get(model._meta.label_lower)
        return admin_changelist_delete_body(instance.pk if instance else 987654)
    return MINIMAL_BODY
