"""Fuzzing every public form and API endpoint with generated input (hypothesis).

Each endpoint gets ``EXAMPLES[name]`` generated submissions (over 10,000 in all): Korean
text, control characters and NUL bytes, very long strings, HTML and script, SQL-looking
strings, bad numbers and dates, and random files. Whatever arrives, the portal must:

- never answer 500;
- store nothing when it answers with an error (row counts unchanged), and store a whole
  filing when it accepts one (no half-stored rows);
- never echo a script payload unescaped.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints import tracking
from complaints.models import Attachment, Complaint, StageEvent
from complaints.models.form_token import FormToken
from open311.models import Submission
from reception.models import BoardPost, Commendation, Consultation
from surveys.models import Answer, Question, Response, Survey, SurveyKind
from tests.fuzzing import examples

pytestmark = pytest.mark.django_db

# Examples per endpoint under the full profile (CI); the sum is the number of generated
# requests per run. The quick profile of everyday runs draws a twentieth (tests/fuzzing.py).
EXAMPLES = {
    "filing": 1000,
    "tracking": 1400,
    "consultation": 1000,
    "board_post": 900,
    "board_unlock": 1300,
    "praise": 1100,
    "campaign": 1100,
    "survey_link": 800,
    "open311_post": 1000,
    "open311_get": 1400,
}
assert sum(EXAMPLES.values()) >= 10_000

MARK = "<script>fuzz(1)</script>"
PAYLOADS = [
    MARK,
    f'"><img src=x onerror=alert(1)>{MARK}',
    "' OR '1'='1' --",
    "1; DROP TABLE complaints_complaint; --",
    "Robert'); DELETE FROM auth_user;--",
    "%00",
    "\x00",
    "a\x00b",
    "\r\n\r\nSet-Cookie: x=1",
    "../../../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "1e309",
    "99999999999999999999999999",
    "-9223372036854775809",
    "2026-02-30",
    "2026-13-01T25:61",
    "0000-00-00",
    "9999-12-31T23:59:59",
    "010-1234-5678",
    "+82 10 1234 5678",
    "홍길동",
    "가" * 5000,
    "A" * 70_000,
    "\u202e\u200b\ufeff",
    "😀" * 100,
]

_chars = st.characters(blacklist_categories=("Cs",))
_korean = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
_control = st.characters(max_codepoint=0x1F)
TEXT = st.one_of(
    st.text(_chars, max_size=60),
    st.text(_korean, max_size=40),
    st.text(_control, max_size=10),
    st.sampled_from(PAYLOADS),
    st.builds(lambda a, b: a + MARK + b, st.text(_korean, max_size=5), st.text(max_size=5)),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
)
NAMES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["a.php", "x.exe", "../../evil.sh", "사진.jpg", "file.pdf", "\x00.png", "."]
)


def _upload(name: str, body: bytes, kind: str) -> SimpleUploadedFile:
    # Django refuses to even build an upload named "" / "." / ".."; the client sends the
    # base name of what it is given, so a path-like name still reaches the server.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return SimpleUploadedFile(base if base not in ("", ".", "..") else "f.bin", body, kind)


FILES = st.builds(
    _upload,
    NAMES,
    st.binary(max_size=3000),
    st.sampled_from(["image/jpeg", "application/pdf", "text/html", "application/x-msdownload"]),
)


def _form(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """A POST body: each field present (with generated text) or left out."""
    optional = {name: st.none() | strategy for name, strategy in fields.items()}
    return st.fixed_dictionaries(optional).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def _fuzz_settings(name: str):
    return settings(
        max_examples=examples(EXAMPLES[name]),
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


def _counts(models) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in models)


def _contains_mark(data) -> bool:
    return any(isinstance(v, str) and MARK in v for v in data.values())


def _check(response, data, before, after, *, json_api: bool = False) -> None:
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", "replace")
    if _contains_mark(data) and not json_api:
        assert MARK not in body, "script payload echoed unescaped"
    if json_api:
        # JSON is not HTML: it must never be served as something a browser renders.
        assert response["Content-Type"].split(";")[0] in {
            "application/json",
            "text/xml",
            "application/xml",
        }
    if response.status_code not in (201, 302, 303):
        assert after == before, f"rows stored on an error answer ({response.status_code})"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings, tmp_path):
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path
    # Private board posts hash their password: the input is under test, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    return Client()


# --- Citizen forms ------------------------------------------------------------------
FILING_FIELDS = {
    "filer_type": TEXT | st.sampled_from(["person", "agency", "public_body", "contractor"]),
    "acts_as_private_party": TEXT | st.sampled_from(["yes", "no"]),
    "about_contract": TEXT | st.sampled_from(["yes", "no"]),
    "name": TEXT,
    "phone": TEXT | st.sampled_from(["010-1234-5678", "01099998888"]),
    "email": TEXT,
    "address": TEXT,
    "lives_in_county": TEXT | st.just("on"),
    "priority_reasons": TEXT | st.lists(TEXT, max_size=3),
    "visit_count": TEXT,
    "title": TEXT,
    "content": TEXT,
    "location_text": TEXT,
    "sms_consent": TEXT | st.just("on"),
    "attachments": st.lists(FILES, max_size=3),
}
FILING_MODELS = (Complaint, Attachment, FormToken, StageEvent)


def test_fuzz_filing_form(client, road_type):
    url = f"/complaints/new/{road_type.code}/"

    @_fuzz_settings("filing")
    @given(data=_form(FILING_FIELDS), token=st.sampled_from(["fresh", "fresh", "bad", "none"]))
    def run(data, token):
        if token == "fresh":
            data["token"] = tracking.new_form_token()
        elif token == "bad":
            data["token"] = "forged:" + secrets.token_hex(4)
        before = _counts(FILING_MODELS)
        response = client.post(url, data)
        after = _counts(FILING_MODELS)
        _check(response, data, before, after)
        if response.status_code == 302 and after != before:
            # A whole filing: the complaint, its token and its first history row.
            assert after[0] == before[0] + 1 and after[2] == before[2] + 1
            assert after[3] >= before[3] + 1

    run()


def test_fuzz_tracking_lookup(client, roads_complaint):
    @_fuzz_settings("tracking")
    @given(data=_form({"receipt_number": TEXT, "phone": TEXT}))
    def run(data):
        before = _counts((Complaint,))
        response = client.post("/complaints/track/", data)
        _check(response, data, before, _counts((Complaint,)))

    run()


def test_fuzz_consultation(client, roads):
    @_fuzz_settings("consultation")
    @given(
        data=_form(
            {
                "name": TEXT,
                "phone": TEXT | st.just("010-1234-5678"),
                "description": TEXT,
                "department": TEXT | st.just(str(roads.pk)),
                "sms_consent": TEXT,
            }
        )
    )
    def run(data):
        before = _counts((Consultation,))
        response = client.post("/consult/", data)
        _check(response, data, before, _counts((Consultation,)))

    run()


def test_fuzz_board_post(client, roads):
    @_fuzz_settings("board_post")
    @given(
        data=_form(
            {
                "title": TEXT,
                "body": TEXT,
                "attachment": FILES,
                "author_name": TEXT,
                "phone": TEXT,
                "email": TEXT,
                "department": TEXT | st.just(str(roads.pk)),
                "visibility": TEXT | st.sampled_from(["public", "private"]),
                "password": TEXT,
            }
        )
    )
    def run(data):
        before = _counts((BoardPost,))
        response = client.post("/board/new/", data)
        _check(response, data, before, _counts((BoardPost,)))

    run()


def test_fuzz_board_unlock(client, board_post):
    @_fuzz_settings("board_unlock")
    @given(
        data=_form({"password": TEXT}),
        pk=st.sampled_from([str(board_post.pk)]) | st.integers(-5, 10**20).map(str),
    )
    def run(data, pk):
        before = _counts((BoardPost,))
        response = client.post(f"/board/{pk}/unlock/", data)
        _check(response, data, before, _counts((BoardPost,)))

    run()


def test_fuzz_praise(client, roads_clerk):
    member = str(roads_clerk.staff_member.pk)

    @_fuzz_settings("praise")
    @given(data=_form({"staff": TEXT | st.just(member), "story": TEXT, "nominator_name": TEXT}))
    def run(data):
        before = _counts((Commendation,))
        response = client.post("/praise/", data)
        _check(response, data, before, _counts((Commendation,)))

    run()


@pytest.fixture
def open_campaign(db):
    survey = Survey.objects.create(
        kind=SurveyKind.CAMPAIGN,
        title="연천군 민원 서비스 만족도 조사",
        slug="fuzz-campaign",
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=365),
        threshold=3,
    )
    scale = Question.objects.create(survey=survey, order=1, text="만족하십니까?", topic="result")
    comment = Question.objects.create(
        survey=survey, order=2, text="의견", kind="comment", required=False
    )
    return survey, [scale, comment]


SCALE = TEXT | st.sampled_from(["1", "2", "3", "4", "5"])


def test_fuzz_campaign_survey(client, open_campaign, roads):
    survey, questions = open_campaign

    @_fuzz_settings("campaign")
    @given(
        data=_form(
            {
                f"q{questions[0].pk}": SCALE,
                f"q{questions[1].pk}": TEXT,
                "department": TEXT | st.just(str(roads.pk)),
            }
        )
    )
    def run(data):
        models = (Response, Answer)
        before = _counts(models)
        response = client.post(f"/surveys/campaign/{survey.slug}/", data)
        after = _counts(models)
        _check(response, data, before, after)
        if after != before:
            assert after[0] == before[0] + 1 and after[1] >= before[1] + 1

    run()


def test_fuzz_survey_link(client, survey_token):
    from surveys.models import SurveyInvitation

    questions = list(SurveyInvitation.objects.get().survey.questions.all())
    fields = {f"q{q.pk}": SCALE for q in questions}

    @_fuzz_settings("survey_link")
    @given(data=_form(fields), token=st.just(survey_token) | TEXT.filter(lambda t: "/" not in t))
    def run(data, token):
        models = (Response, Answer)
        before = _counts(models)
        response = client.post(f"/surveys/{token}/", data)
        after = _counts(models)
        _check(response, data, before, after)

    run()


# --- Open311 API ----------------------------------------------------------------------
OPEN311_FIELDS = {
    "service_code": TEXT | st.just("t-road"),
    "lat": TEXT | st.floats().map(str),
    "long": TEXT | st.floats().map(str),
    "address_string": TEXT,
    "first_name": TEXT,
    "last_name": TEXT,
    "phone": TEXT | st.just("010-1234-5678"),
    "email": TEXT,
    "description": TEXT,
    "media_url": TEXT | st.just("https://example.com/a.jpg"),
    "attribute[x]": TEXT,
    "jurisdiction_id": TEXT,
}


def test_fuzz_open311_post(client, road_type, api_key):
    raw_key = api_key[1]

    @_fuzz_settings("open311_post")
    @given(
        data=_form(OPEN311_FIELDS),
        key=st.just(raw_key) | TEXT,
        fmt=st.sampled_from(["json", "xml"]),
    )
    def run(data, key, fmt):
        data["api_key"] = key
        models = (Complaint, Submission, StageEvent)
        before = _counts(models)
        response = client.post(f"/open311/v2/requests.{fmt}", data)
        after = _counts(models)
        _check(response, data, before, after, json_api=True)
        if response.status_code == 201 or after != before:
            assert after[0] == before[0] + 1 and after[1] == before[1] + 1

    run()


def test_fuzz_open311_queries(client, roads_complaint, api_key):
    @_fuzz_settings("open311_get")
    @given(
        params=_form(
            {
                "service_request_id": TEXT,
                "service_code": TEXT,
                "start_date": TEXT,
                "end_date": TEXT,
                "status": TEXT,
                "page": TEXT,
                "jurisdiction_id": TEXT,
            }
        ),
        path=st.sampled_from(["requests", "services", "discovery"])
        | TEXT.map(lambda t: f"requests/{t.replace('/', '')}"),
        fmt=st.sampled_from(["json", "xml"]),
    )
    def run(params, path, fmt):
        before = _counts((Complaint,))
        response = client.get(f"/open311/v2/{path}.{fmt}", params)
        _check(response, params, before, _counts((Complaint,)), json_api=True)

    run()
