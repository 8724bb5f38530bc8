"""Demo data: a few memos for absent staff, board questions (some answered) and approved
commendations. Idempotent: memos are found by caller, posts by title, commendations by
story; running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from staff_directory.models import Department, StaffMember

from . import services
from .models import BoardPost, Commendation, Memo

DEMO_MEMOS = [
    # caller, purpose, owner (department slug, name), hours ago, call back needed
    ("홍길동", "포장 공사 일정 문의", "construction", 2, True),
    ("김순자", "여권 발급 서류 문의", "civil-service", 30, True),
    ("이영수", "민원 처리 결과 감사 인사", "construction", 5, False),
]
DEMO_POSTS = [
    # title, body, department slug or None, answer or ""
    (
        "가로등이 꺼져 있어요",
        "연천읍 문화로 가로등이 사흘째 꺼져 있습니다.",
        "construction",
        "현장을 확인하여 11월 27일까지 교체하겠습니다. 알려 주셔서 감사합니다.",
    ),
    (
        "대형 폐기물 배출 방법",
        "장롱을 버리려면 어떻게 신청하나요?",
        "environment",
        "읍·면사무소나 누리집에서 배출 신고 후 스티커를 붙여 내놓으시면 됩니다.",
    ),
    ("주말에 민원실을 여나요?", "토요일에 서류를 떼고 싶습니다.", None, ""),
]
DEMO_PRAISE = [
    ("civil-service", "강민서", "어머니 서류를 처음부터 끝까지 친절하게 도와주셨습니다.", "정고객"),
    ("construction", "박성호", "비 오는 날 직접 나와 배수로를 살펴봐 주셔서 고맙습니다.", "최주민"),
]


def _member(slug: str, name: str) -> StaffMember | None:
    return StaffMember.objects.filter(department__slug=slug, name=name).first() or (
        StaffMember.objects.filter(department__slug=slug, is_active=True).first()
    )


def _any_user(department: Department | None):
    user_model = get_user_model()
    if department is not None:
        member = (
            StaffMember.objects.filter(department=department, user__isnull=False)
            .select_related("user")
            .first()
        )
        if member is not None:
            return member.user
    return user_model.objects.filter(is_superuser=True).first()


def seed(stdout=None) -> None:
    now = timezone.now()
    made = {"memos": 0, "posts": 0, "praise": 0}
    taker = _any_user(Department.objects.filter(is_lead=True).first())
    for caller, purpose, slug, hours, callback in DEMO_MEMOS:
        owner = StaffMember.objects.filter(department__slug=slug, is_head=False).first()
        if owner is None or taker is None or Memo.objects.filter(caller_name=caller).exists():
            continue
        at = now - timedelta(hours=hours)
        services.record_memo(
            owner=owner,
            caller_name=caller,
            purpose=purpose,
            contacted_at=at,
            callback_needed=callback,
            phone="+821012345678",
            number_read_back=True,
            taken_by=taker,
            now=at,
        )
        made["memos"] += 1
    for title, body, slug, _answer in DEMO_POSTS:
        if BoardPost.objects.filter(title=title).exists():
            continue
        department = Department.objects.filter(slug=slug).first() if slug else None
        services.post_question(
            title=title,
            body=body,
            author_name="연천주민",
            department=department,
            now=now - timedelta(days=1),
        )
        made["posts"] += 1
    services.sweep_board(now=now)
    for title, _body, _slug, answer in DEMO_POSTS:
        post = BoardPost.objects.filter(title=title, answered_at__isnull=True).first()
        if post is None or not answer or post.department is None:
            continue
        user = _any_user(post.department)
        if user is not None:
            services.answer_post(post, answer=answer, by=user, now=now)
    approver = get_user_model().objects.filter(is_superuser=True).first()
    for slug, name, story, nominator in DEMO_PRAISE:
        member = _member(slug, name)
        if member is None or Commendation.objects.filter(story=story).exists():
            continue
        item = services.submit_commendation(
            staff=member, story=story, nominator_name=nominator, now=now
        )
        if approver is not None:
            services.approve_commendations([item], by=approver, now=now)
        made["praise"] += 1
    if stdout is not None:
        stdout.write(
            f"Reception: {made['memos']} memos, {made['posts']} board posts, "
            f"{made['praise']} commendations"
        )
