"""The website Q&A board and its twice-daily sweep (M2)."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from PIL import Image

from complaints.models import AccessLog
from notifications.models import EmailMessage, SmsMessage
from reception import services, tasks
from reception.models import BoardPost, BoardSweep
from reception.views import board_key
from staff_directory.models import StaffMember

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    data = {
        "title": "가로등이 꺼져 있어요",
        "body": "연천읍 문화로 가로등이 사흘째 꺼져 있습니다.",
        "department": "unknown",
        "author_name": "이시민",
        "phone": "010-5555-6666",
        "email": "",
        "visibility": "public",
        "password": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def ask(now, department=None, **overrides):
    values = {
        "title": "질문",
        "body": "내용",
        "author_name": "이시민",
        "phone": "+821055556666",
        "department": department,
        "now": now,
    }
    values.update(overrides)
    return services.post_question(**values)


@pytest.fixture
def heads(lead_department, roads, roads_head, verifier):
    StaffMember.objects.filter(user=roads_head).update(email="head@yeoncheon.go.kr")
    return roads_head


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


# --- Posting and reading ----------------------------------------------------------------
def test_M2_citizen_posts_public_question(client, lead_department):
    assert client.get(reverse("board:list")).status_code == 200
    assert client.get(reverse("board:new")).status_code == 200
    response = client.post(reverse("board:new"), post_data())
    assert response.status_code == 302
    post = BoardPost.objects.get()
    assert post.routed_at is None and post.department is None
    assert post.phone == "+821055556666"
    page = client.get(response["Location"]).content.decode()
    assert "질문이 등록되었습니다" in page and "가로등이 꺼져 있어요" in page
    listing = client.get(reverse("board:list")).content.decode()
    assert "가로등이 꺼져 있어요" in listing and "답변 준비 중" in listing


def test_M2_private_post_visible_to_author_by_password_or_link_and_to_staff(
    client, client_for, lead_department, roads_clerk, outsider
):
    response = client.post(
        reverse("board:new"), post_data(visibility="private", password="비밀번호1234")
    )
    post = BoardPost.objects.get()
    assert not post.is_public
    assert post.password_hash and "비밀번호1234" not in post.password_hash
    assert post.check_password("비밀번호1234")
    # The author (same browser) sees it and is shown the signed link.
    page = client.get(response["Location"]).content.decode()
    assert "가로등이 꺼져 있어요" in page and "?key=" in page
    # Anyone else sees a locked page and the list hides the title.
    stranger = client_for(outsider)
    detail = reverse("board:detail", args=[post.pk])
    locked = stranger.get(detail).content.decode()
    assert "비공개 글입니다" in locked and "가로등이 꺼져 있어요" not in locked
    assert "가로등이 꺼져 있어요" not in stranger.get(reverse("board:list")).content.decode()
    # A wrong password is a message; the right one opens it.
    wrong = stranger.post(reverse("board:unlock", args=[post.pk]), {"password": "틀림"})
    assert wrong.status_code == 200 and "비밀번호가 맞지 않습니다" in wrong.content.decode()
    right = stranger.post(reverse("board:unlock", args=[post.pk]), {"password": "비밀번호1234"})
    assert right.status_code == 302
    assert "가로등이 꺼져 있어요" in stranger.get(detail).content.decode()
    # The signed link works in a fresh browser; a forged one does not.
    from django.test import Client

    fresh = Client()
    assert "가로등이 꺼져 있어요" in fresh.get(f"{detail}?key={board_key(post)}").content.decode()
    forged = Client().get(f"{detail}?key={post.pk}:forged").content.decode()
    assert "가로등이 꺼져 있어요" not in forged
    # Before the sweep routes it, a clerk of another department does not read it.
    assert "가로등이 꺼져 있어요" not in client_for(roads_clerk).get(detail).content.decode()


def test_M2_private_post_is_read_only_by_its_department_and_each_read_is_logged(
    client, client_for, roads, roads_clerk, other_clerk, manager
):
    upload = SimpleUploadedFile("사진.png", png_bytes(), content_type="image/png")
    client.post(
        reverse("board:new"),
        {
            **post_data(visibility="private", password="비밀번호1234"),
            "attachment": upload,
        },
    )
    BoardPost.objects.update(department=roads)  # the sweep routed it to roads
    post = BoardPost.objects.get()
    detail = reverse("board:detail", args=[post.pk])
    attachment = reverse("board:attachment", args=[post.pk])
    subject = f"reception.boardpost:{post.pk}"
    # A clerk of another department: the locked page, no file, and nothing logged.
    other = client_for(other_clerk)
    assert "가로등이 꺼져 있어요" not in other.get(detail).content.decode()
    assert other.get(attachment).status_code == 404
    assert not AccessLog.objects.filter(subject=subject).exists()
    # The post's own department and a manager read it and the file; each read is logged.
    for user in (roads_clerk, manager):
        reader = client_for(user)
        assert "가로등이 꺼져 있어요" in reader.get(detail).content.decode()
        assert reader.get(attachment).status_code == 200
        actions = list(
            AccessLog.objects.filter(subject=subject, user=user).values_list("action", flat=True)
        )
        assert sorted(actions) == ["export", "view"]


def test_M2_private_post_password_has_at_least_eight_characters(client, lead_department):
    response = client.post(
        reverse("board:new"), post_data(visibility="private", password="abc1234")
    )
    assert response.status_code == 200
    assert not BoardPost.objects.exists()
    assert "8" in response.context["form"].errors["password"][0]


def test_M2_wrong_passwords_lock_the_post_for_an_hour_whatever_the_address(
    client, lead_department, settings
):
    settings.BOARD_UNLOCK_RATE = "5/h"
    client.post(reverse("board:new"), post_data(visibility="private", password="비밀번호1234"))
    post = BoardPost.objects.get()
    unlock = reverse("board:unlock", args=[post.pk])
    from django.test import Client

    for attempt in range(5):  # from five different addresses
        wrong = Client(REMOTE_ADDR=f"10.0.0.{attempt}").post(unlock, {"password": "틀림틀림틀림"})
        assert "비밀번호가 맞지 않습니다" in wrong.content.decode()
    locked = Client(REMOTE_ADDR="10.0.0.99").post(unlock, {"password": "비밀번호1234"})
    assert locked.status_code == 200
    assert "한 시간 동안" in locked.content.decode()
    assert (
        "가로등이 꺼져 있어요"
        not in Client().get(reverse("board:detail", args=[post.pk])).content.decode()
    )
    # The author's signed link still opens it.
    link = f"{reverse('board:detail', args=[post.pk])}?key={board_key(post)}"
    assert "가로등이 꺼져 있어요" in Client().get(link).content.decode()


def test_M2_private_post_needs_a_password(client, lead_department):
    response = client.post(reverse("board:new"), post_data(visibility="private"))
    assert response.status_code == 200
    assert "비밀번호를 정해 주세요" in response.content.decode()
    assert not BoardPost.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"body": ""},
        {"author_name": ""},
        {"title": "가" * 101},
        {"body": "가" * 4001},
        {"phone": "12345"},
        {"email": "메일아님"},
        {"visibility": "secret"},
        {"department": "999999"},
        {"password": "12", "visibility": "private"},
    ],
)
def test_M2_bad_board_input_gets_a_message(client, lead_department, overrides):
    response = client.post(reverse("board:new"), post_data(**overrides))
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not BoardPost.objects.exists()


def test_M2_script_is_stored_as_text_and_shown_escaped(client, lead_department):
    client.post(reverse("board:new"), post_data(title="<script>x()</script>", body="<b>굵게</b>"))
    post = BoardPost.objects.get()
    assert post.title == "<script>x()</script>"
    for url in (reverse("board:list"), reverse("board:detail", args=[post.pk])):
        html = client.get(url).content
        assert b"<script>x()" not in html and b"&lt;script&gt;" in html
    assert b"<b>" not in client.get(reverse("board:detail", args=[post.pk])).content


def test_M2_board_spam_flood_gets_429(client, lead_department, settings):
    limit = int(settings.PUBLIC_POST_RATE.split("/")[0])
    for _ in range(limit):
        client.post(reverse("board:new"), post_data(title=""))
    assert client.post(reverse("board:new"), post_data()).status_code == 429
    assert client.get(reverse("board:list")).status_code == 200


def test_M2_unknown_post_is_404_and_bad_page_number_is_fine(client, db):
    assert client.get(reverse("board:detail", args=[987654])).status_code == 404
    assert client.get(reverse("board:list") + "?page=abc").status_code == 200
    assert client.get(reverse("board:list") + "?page=99999").status_code == 200


# --- Attachments ------------------------------------------------------------------------
def test_M2_attachment_png_is_kept_and_served_only_to_readers(client, lead_department):
    upload = SimpleUploadedFile("사진.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("board:new"),
        {**post_data(visibility="private", password="abcd1234"), "attachment": upload},
    )
    assert response.status_code == 302
    post = BoardPost.objects.get()
    assert post.attachment.name.startswith("board/")
    url = reverse("board:attachment", args=[post.pk])
    assert client.get(url).status_code == 200
    from django.test import Client

    assert Client().get(url).status_code == 404


def test_M2_attachment_is_kept_under_a_random_name_readable_only_by_the_portal(
    client, lead_department, settings
):
    upload = SimpleUploadedFile("내 사진.png", png_bytes(), content_type="image/png")
    client.post(reverse("board:new"), {**post_data(), "attachment": upload})
    post = BoardPost.objects.get()
    assert "내 사진" not in post.attachment.name and post.attachment.name.endswith(".png")
    assert post.attachment_name == "내 사진.png"
    assert os.stat(post.attachment.path).st_mode & 0o777 == 0o640
    download = client.get(reverse("board:attachment", args=[post.pk]))
    assert "filename*=utf-8''%EB%82%B4%20%EC%82%AC%EC%A7%84.png" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("문서.exe", b"MZ\x90\x00", "PDF, JPG, PNG 파일만"),
        ("가짜.pdf", b"<html>not a pdf</html>", "형식이 아닙니다"),
        ("가짜.png", b"%PDF-1.4\n%...", "형식이 아닙니다"),
        ("깨진.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "손상"),
    ],
)
def test_M2_bad_attachment_is_refused_with_a_message(
    client, lead_department, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("board:new"), {**post_data(), "attachment": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BoardPost.objects.exists()


def test_M2_attachment_over_10_mb_is_refused(client, lead_department):
    big = SimpleUploadedFile("큰.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    response = client.post(reverse("board:new"), {**post_data(), "attachment": big})
    assert response.status_code == 200
    assert "10MB 이하" in response.content.decode()


# --- The sweep --------------------------------------------------------------------------
def test_M2_sweep_routes_posts_before_it_exactly_once(heads, roads, lead_department, now):
    chosen = ask(now - datetime.timedelta(hours=3), department=roads)
    unknown = ask(now - datetime.timedelta(hours=2))
    later = ask(now + datetime.timedelta(minutes=1))
    result = services.sweep_board(now=now)
    assert result.routed == 2
    assert result.per_department == {"민원봉사과": 1, "건설과": 1}
    chosen.refresh_from_db()
    unknown.refresh_from_db()
    later.refresh_from_db()
    assert chosen.department == roads and chosen.routed_at == now
    assert unknown.department == lead_department
    assert later.routed_at is None and later.department is None
    # Running it again routes nothing twice.
    again = services.sweep_board(now=now)
    assert again.routed == 0 and again.sweep.routed == 0
    # The next sweep takes the post that came after.
    next_sweep = services.sweep_board(now=now + datetime.timedelta(hours=4))
    assert next_sweep.routed == 1
    later.refresh_from_db()
    assert later.department == lead_department
    assert list(BoardSweep.objects.order_by("id").values_list("routed", flat=True)) == [2, 0, 1]
    chosen.refresh_from_db()
    assert chosen.routed_at == now  # untouched by later sweeps


def test_M2_sweep_notifies_each_department_once_with_the_count(
    heads, roads, now, django_capture_on_commit_callbacks
):
    for _ in range(3):
        ask(now - datetime.timedelta(hours=1), department=roads)
    ask(now - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_board(now=now)
    to_head = EmailMessage.objects.filter(to="head@yeoncheon.go.kr")
    assert to_head.count() == 1
    assert "3건" in to_head.get().subject
    # The lead department has no head: its member with an e-mail is told.
    assert EmailMessage.objects.filter(to="verifier@yeoncheon.go.kr").count() == 1
    assert EmailMessage.objects.count() == 2


def test_M2_sweep_query_count_does_not_grow_with_posts(
    heads, roads, now, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def run(count: int, at):
        for i in range(count):
            ask(at - datetime.timedelta(minutes=10 + i), department=roads if i % 2 else None)
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            result = services.sweep_board(now=at)
        assert result.routed == count
        return len(queries)

    small = run(3, now)
    large = run(30, now + datetime.timedelta(hours=5))
    assert large == small
    # A sweep with nothing to route costs no more than one that routes.
    with django_assert_max_num_queries(small):
        services.sweep_board(now=now + datetime.timedelta(hours=6))


def test_M2_sweep_command_prints_what_it_routed(heads, roads, capsys):
    from django.utils import timezone

    ask(timezone.now() - datetime.timedelta(minutes=5), department=roads)
    call_command("sweep_board")
    out = capsys.readouterr().out
    assert "routed 1 posts" in out and "건설과: 1" in out
    call_command("sweep_board")
    assert "routed 0 posts" in capsys.readouterr().out


def test_M2_sweep_task_routes_and_is_idempotent(heads, roads):
    from django.utils import timezone

    ask(timezone.now() - datetime.timedelta(minutes=5), department=roads)
    assert tasks.sweep_board() == 1
    assert tasks.sweep_board() == 0


def test_M2_sweep_schedule_twice_a_day_in_seoul_is_data(db):
    task = PeriodicTask.objects.get(task=tasks.SWEEP_TASK)
    assert task.enabled
    assert task.crontab.minute == "0" and task.crontab.hour == "9,14"
    assert str(task.crontab.timezone) == "Asia/Seoul"


def test_M2_without_lead_department_unknown_posts_wait(roads, now):
    waiting = ask(now - datetime.timedelta(hours=1))
    chosen = ask(now - datetime.timedelta(hours=1), department=roads)
    result = services.sweep_board(now=now)
    assert result.routed == 1
    waiting.refresh_from_db()
    chosen.refresh_from_db()
    assert waiting.routed_at is None and chosen.routed_at == now


# --- Answers ----------------------------------------------------------------------------
def test_M2_unanswered_posts_stay_on_owner_list_until_answered(
    heads, roads, roads_clerk, client_for, now, django_capture_on_commit_callbacks
):
    post = ask(now - datetime.timedelta(hours=1), department=roads, title="배수로 질문")
    services.sweep_board(now=now)
    client = client_for(roads_clerk)
    assert "배수로 질문" in client.get(reverse("reception:desk")).content.decode()
    # Still listed the next day: nothing drops off without an answer.
    assert "배수로 질문" in client.get(reverse("reception:desk")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reception:post_answer", args=[post.pk]), {"answer": "다음 주에 고칩니다."}
        )
    assert response.status_code == 302
    assert "배수로 질문" not in client.get(reverse("reception:desk")).content.decode()
    sms = SmsMessage.objects.get()
    assert sms.to == "+821055556666" and "답변" in sms.body
    # The answer shows on the board.
    page = client_for(roads_clerk).get(reverse("board:detail", args=[post.pk])).content.decode()
    assert "다음 주에 고칩니다." in page
    # Correcting the answer does not notify twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reception:post_answer", args=[post.pk]), {"answer": "다음 주 화요일에."}
        )
    assert SmsMessage.objects.count() == 1
    post.refresh_from_db()
    assert post.answer == "다음 주 화요일에."


def test_M2_answer_by_email_when_no_phone(
    heads, roads, roads_clerk, now, django_capture_on_commit_callbacks
):
    post = ask(now - datetime.timedelta(hours=1), department=roads, phone="", email="a@example.com")
    services.sweep_board(now=now)
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_post(post, answer="답변", by=roads_clerk, now=now)
    assert EmailMessage.objects.filter(to="a@example.com").count() == 1


def test_M2_answer_permissions(
    client, client_for, heads, roads, roads_clerk, other_clerk, outsider, now
):
    post = ask(now - datetime.timedelta(hours=1), department=roads)
    services.sweep_board(now=now)
    detail = reverse("reception:post_detail", args=[post.pk])
    answer = reverse("reception:post_answer", args=[post.pk])
    assert client.get(detail).status_code == 302
    assert client_for(outsider).get(detail).status_code == 403
    assert client_for(roads_clerk).get(detail).status_code == 200
    assert client_for(other_clerk).get(detail).status_code == 403
    assert client_for(roads_clerk).get(answer).status_code == 405
    assert client_for(other_clerk).post(answer, {"answer": "x"}).status_code == 403
    assert client_for(roads_clerk).post(answer, {"answer": ""}).status_code == 400
    post.refresh_from_db()
    assert not post.is_answered


def test_M2_unrouted_post_is_read_by_lead_department_only(
    client_for, heads, verifier, roads_clerk, now
):
    post = ask(now)
    detail = reverse("reception:post_detail", args=[post.pk])
    assert client_for(verifier).get(detail).status_code == 200
    assert client_for(roads_clerk).get(detail).status_code == 403
    # It cannot be answered before routing.
    response = client_for(verifier).post(
        reverse("reception:post_answer", args=[post.pk]), {"answer": "x"}
    )
    assert response.status_code == 403


def test_M2_board_list_query_count_does_not_grow(client, lead_department, roads, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_for(n: int) -> int:
        BoardPost.objects.all().delete()
        for i in range(n):
            ask(now - datetime.timedelta(minutes=i), department=roads if i % 2 else None)
        services.sweep_board(now=now)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("board:list")).status_code == 200
        return len(queries)

    assert count_for(3) == count_for(20)


@pytest.mark.parametrize(
    "url",
    [
        "/board/99999999999999999999999/",
        "/board/99999999999999999999999/attachment/",
        "/staff/memos/99999999999999999999999/",
    ],
)
def test_M2_huge_ids_are_404_not_500(client_for, roads_clerk, url):
    assert client_for(roads_clerk).get(url).status_code == 404


def test_M2_huge_department_id_is_a_message(client, lead_department):
    response = client.post(reverse("board:new"), post_data(department="9" * 30))
    assert response.status_code == 200
    assert "목록에서 부서를 골라 주세요" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"), [("ko", "담당 부서를 정하는 중"), ("en", "Finding the right department")]
)
def test_M2_a_post_not_yet_routed_says_so_in_plain_words(client, lead_department, language, words):
    client.post(reverse("board:new"), post_data())
    client.cookies["django_language"] = language
    assert words in client.get(reverse("board:list")).content.decode()
    assert "배정 전" not in client.get(reverse("board:list")).content.decode()
