"""Template context shared by every page."""

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from pagecache import LARGE_TEXT_COOKIE

# The citizen's services, in the order the home page and the menu show them. A service
# whose URL is not installed yet is left out.
CITIZEN_SERVICES = [
    ("complaints:new", _("민원 신청"), _("불편한 점, 고쳐야 할 곳, 궁금한 점을 알려 주세요.")),
    ("complaints:track", _("처리 상황 조회"), _("접수번호와 전화번호로 진행 상황을 봅니다.")),
    ("board:list", _("묻고 답하기"), _("홈페이지 게시판에 질문을 남기면 담당자가 답합니다.")),
    ("staff_directory:index", _("직원 안내"), _("부서별 담당 업무와 직통 전화번호를 찾습니다.")),
    ("consult:new", _("사전 상담"), _("방문 전에 이름과 연락처를 남기면 담당자가 전화드립니다.")),
    ("praise:new", _("칭찬 추천"), _("친절한 직원을 추천해 주세요.")),
]


@cache
def _installed_services() -> tuple[tuple[str, object, object], ...]:
    found = []
    for name, label, description in CITIZEN_SERVICES:
        try:
            found.append((reverse(name), label, description))
        except NoReverseMatch:
            continue
    return tuple(found)


def portal(request: HttpRequest) -> dict:
    services = [
        {"url": url, "label": label, "description": description}
        for url, label, description in _installed_services()
    ]
    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "citizen_nav": services,
        "personal_data_retention_years": settings.PERSONAL_DATA_RETENTION_YEARS,
    }
