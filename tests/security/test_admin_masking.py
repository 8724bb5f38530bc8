"""Lists never show a citizen's full name or phone number (개인정보 보호법: minimum
exposure); the detail view of someone entitled to it may."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.security.conftest import CITIZEN_NAME, FULL_PHONES

pytestmark = pytest.mark.django_db


def _changelists():
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("role", ["manager", "superuser"])
def test_no_changelist_shows_a_full_phone_number_or_name(role, world, client_for, request):
    client = client_for(request.getfixturevalue(role))
    checked, leaks = 0, []
    for name in _changelists():
        response = client.get(reverse(name))
        if response.status_code != 200:
            continue  # not this role's list; the authorisation matrix covers that
        html = response.content.decode()
        shown = [value for value in (*FULL_PHONES, CITIZEN_NAME) if value in html]
        leaks += [f"{name} shows {value}" for value in shown]
        checked += 1
    assert leaks == []
    assert checked >= 15


def test_masked_forms_are_shown_instead(world, client_for, manager):
    client = client_for(manager)
    memo_list = client.get(reverse("admin:reception_memo_changelist")).content.decode()
    assert "홍*동" in memo_list
    complaints = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert "홍*동" in complaints


def test_dashboard_exports_mask_names_and_phones(world, client_for, manager):
    client = client_for(manager)
    tables = ("headline", "weekly", "trend", "stages", "departments", "overdue", "m1")
    for table in (*tables, "promises", "payouts"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/dashboard/export/{table}.{fmt}")
            assert response.status_code == 200, (table, fmt)
            if fmt == "xlsx":
                continue  # the same rows as the CSV, zipped
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            for phone in FULL_PHONES:
                assert phone not in text, f"{table}.{fmt} shows {phone}"
            assert CITIZEN_NAME not in text, f"{table}.{fmt} shows the full name"


def test_full_values_on_the_detail_of_an_entitled_clerk(world, client_for, roads_clerk):
    complaint = world["complaint"]
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    html = client_for(roads_clerk).get(url).content.decode()
    assert CITIZEN_NAME in html
