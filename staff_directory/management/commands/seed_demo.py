"""Demo data for the embedded portal: the county's departments, staff and demo logins.

Idempotent: every row is found by its natural key (department slug, department and
staff name, username) and updated in place, so running it twice changes nothing.
Other apps add their demo data by a ``seed`` function listed in ``DEMO_SEEDERS``; each
runs after the directory exists, and one whose module is not installed is skipped.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from staff_directory.models import Department, Presence, StaffMember
from staff_directory.roles import CLERK, MANAGER, VERIFIER, ensure_roles

# Dotted paths of other apps' demo seeders, called in this order after the directory.
# A seeder is a function taking no arguments (or a ``stdout`` keyword argument).
DEMO_SEEDERS: list[str] = [
    "notifications.demo.seed",
    "reception.demo.seed",
    "complaints.demo.seed",
    "compensation.demo.seed",
    "surveys.demo.seed",
]

DEMO_LOCATION = "연천군청"
DEMO_PASSWORD = "yeoncheon-demo-2026"  # noqa: S105 - printed on purpose; demo only


@dataclass(frozen=True)
class Dept:
    slug: str
    name: str
    name_en: str
    floor: str
    phone: str
    duties: str
    is_lead: bool = False


@dataclass(frozen=True)
class Person:
    name: str
    name_en: str
    title: str
    duties: str
    line: str
    row: int
    column: int
    is_head: bool = False
    # (presence, hours until back, name of the substitute in the same department)
    away: tuple[str, int, str] | None = None


# fmt: off
DEPARTMENTS: list[tuple[Dept, list[Person]]] = [
    (Dept("civil-service", "민원봉사과", "Civil Service Division", "본관 1층",
          settings.COUNTY_PHONE, "민원 접수와 안내, 여권, 가족관계 등록, 고객 불만 신고 확인",
          is_lead=True), [
        Person("윤정희", "Yun Jeonghui", "과장", "민원봉사과 업무 총괄",
               "031-839-2101", 1, 2, is_head=True),
        Person("강민서", "Kang Minseo", "팀장", "민원 접수, 고객 불만 신고 조사 결과 확인",
               "031-839-2115", 2, 1),
        Person("서지훈", "Seo Jihun", "주무관", "여권 발급, 민원 안내",
               "031-839-2117", 2, 2, away=(Presence.TRAINING, 4, "강민서")),
        Person("임하은", "Im Haeun", "주무관", "가족관계 등록, 인감 증명",
               "031-839-2118", 2, 3),
        Person("오세훈", "Oh Sehun", "주무관", "대행 작성, 우편·FAX 민원 접수",
               "031-839-2119", 3, 1),
    ]),
    (Dept("construction", "건설과", "Construction Division", "본관 3층", "031-839-2300",
          "도로 건설과 보수, 하천 관리, 도로 점용 허가"), [
        Person("박성호", "Park Seongho", "과장", "건설과 업무 총괄",
               "031-839-2301", 1, 2, is_head=True),
        Person("김지현", "Kim Jihyeon", "팀장", "도로 보수, 포트홀 정비",
               "031-839-2311", 2, 1),
        Person("이준호", "Lee Junho", "주무관", "도로 점용 허가, 굴착 복구",
               "031-839-2314", 2, 2),
        Person("최유진", "Choi Yujin", "주무관", "하천 정비, 배수로 관리",
               "031-839-2315", 2, 3, away=(Presence.FIELD, 3, "이준호")),
    ]),
    (Dept("environment", "환경과", "Environment Division", "본관 3층", "031-839-2400",
          "생활 쓰레기, 대기·수질 오염, 소음 민원"), [
        Person("정미경", "Jeong Migyeong", "과장", "환경과 업무 총괄",
               "031-839-2401", 1, 2, is_head=True),
        Person("한동욱", "Han Donguk", "팀장", "생활 쓰레기 수거, 무단 투기 단속",
               "031-839-2412", 2, 1),
        Person("조은비", "Jo Eunbi", "주무관", "대기 오염, 악취 민원",
               "031-839-2416", 2, 2, away=(Presence.LEAVE, 30, "한동욱")),
        Person("신재원", "Shin Jaewon", "주무관", "소음·진동 민원, 수질 관리",
               "031-839-2417", 2, 3),
    ]),
    (Dept("welfare-policy", "복지정책과", "Welfare Policy Division", "본관 2층", "031-839-2200",
          "기초생활 보장, 긴급 복지, 장애인·노인 복지"), [
        Person("황보영", "Hwangbo Yeong", "과장", "복지정책과 업무 총괄",
               "031-839-2201", 1, 2, is_head=True),
        Person("안수민", "An Sumin", "팀장", "기초생활 보장 신청과 조사",
               "031-839-2211", 2, 1),
        Person("송가영", "Song Gayeong", "주무관", "긴급 복지 지원",
               "031-839-2213", 2, 2),
        Person("전태양", "Jeon Taeyang", "주무관", "장애인 복지, 편의시설",
               "031-839-2214", 2, 3),
    ]),
    (Dept("tax", "세무과", "Tax Division", "본관 2층", "031-839-2250",
          "지방세 부과와 징수, 재산세, 자동차세"), [
        Person("문경호", "Mun Gyeongho", "과장", "세무과 업무 총괄",
               "031-839-2251", 1, 2, is_head=True),
        Person("배소연", "Bae Soyeon", "팀장", "재산세 부과",
               "031-839-2255", 2, 1),
        Person("유승민", "Yu Seungmin", "주무관", "자동차세, 체납 안내",
               "031-839-2257", 2, 2, away=(Presence.TRIP, 6, "배소연")),
        Person("남궁혜진", "Namgung Hyejin", "주무관", "취득세 신고",
               "031-839-2258", 2, 3),
    ]),
    (Dept("safety", "안전총괄과", "Safety Management Division", "본관 4층", "031-839-2050",
          "재난 대비, 민방위, 안전 점검"), [
        Person("고영철", "Go Yeongcheol", "과장", "안전총괄과 업무 총괄",
               "031-839-2051", 1, 2, is_head=True),
        Person("류지아", "Ryu Jia", "팀장", "재난 대비 훈련, 재해 예방",
               "031-839-2053", 2, 1),
        Person("권도현", "Kwon Dohyeon", "주무관", "민방위, 비상 대피 시설",
               "031-839-2056", 2, 2),
        Person("노하린", "No Harin", "주무관", "시설물 안전 점검",
               "031-839-2057", 2, 3),
    ]),
    (Dept("transport", "교통과", "Transport Division", "제2청사 1층", "031-839-2350",
          "버스 노선, 주차, 교통 시설물, 불법 주정차 단속"), [
        Person("장현우", "Jang Hyeonu", "과장", "교통과 업무 총괄",
               "031-839-2351", 1, 2, is_head=True),
        Person("홍서윤", "Hong Seoyun", "팀장", "버스 노선과 정류장",
               "031-839-2353", 2, 1),
        Person("백준서", "Baek Junseo", "주무관", "불법 주정차 단속, 과태료",
               "031-839-2358", 2, 2),
        Person("허은채", "Heo Eunchae", "주무관", "신호등, 교통 안전 시설",
               "031-839-2359", 2, 3, away=(Presence.FIELD, 2, "백준서")),
    ]),
    (Dept("culture-sports", "문화체육과", "Culture and Sports Division", "본관 4층", "031-839-2060",
          "축제와 공연, 체육 시설, 도서관"), [
        Person("성민아", "Seong Mina", "과장", "문화체육과 업무 총괄",
               "031-839-2061", 1, 2, is_head=True),
        Person("차정우", "Cha Jeongu", "팀장", "연천 구석기 축제, 공연",
               "031-839-2063", 2, 1),
        Person("우다인", "U Dain", "주무관", "공공 체육 시설 대관",
               "031-839-2065", 2, 2),
        Person("주예린", "Ju Yerin", "주무관", "작은 도서관, 문화 강좌",
               "031-839-2066", 2, 3),
    ]),
    (Dept("agriculture-policy", "농업정책과", "Agricultural Policy Division", "제2청사 2층",
          "031-839-2150", "농업 보조금, 농지, 직불금, 축산"), [
        Person("구본철", "Gu Boncheol", "과장", "농업정책과 업무 총괄",
               "031-839-2151", 1, 2, is_head=True),
        Person("나윤희", "Na Yunhui", "팀장", "공익 직불금, 농업 보조금",
               "031-839-2153", 2, 1),
        Person("마상훈", "Ma Sanghun", "주무관", "농지 취득 자격, 농지 전용",
               "031-839-2155", 2, 2),
        Person("여수빈", "Yeo Subin", "주무관", "축산 농가 지원, 가축 방역",
               "031-839-2157", 2, 3, away=(Presence.TRIP, 8, "마상훈")),
    ]),
    (Dept("forestry", "산림녹지과", "Forestry Division", "제2청사 2층", "031-839-2170",
          "산림 보호, 산불 예방, 공원과 가로수"), [
        Person("탁영민", "Tak Yeongmin", "과장", "산림녹지과 업무 총괄",
               "031-839-2171", 1, 2, is_head=True),
        Person("편지수", "Pyeon Jisu", "팀장", "산불 예방, 산림 병해충",
               "031-839-2173", 2, 1),
        Person("하승우", "Ha Seungu", "주무관", "공원, 가로수 정비",
               "031-839-2176", 2, 2),
    ]),
]
# The English of the demo's floors and duties, keyed by the Korean (V1 on English pages).
# A head's "<부서> 업무 총괄" reads "Leads the <department>" (`_duties_en`).
ENGLISH = {
    "연천군청": "Yeoncheon County Office",
    "본관 1층": "Main building, 1st floor",
    "본관 2층": "Main building, 2nd floor",
    "본관 3층": "Main building, 3rd floor",
    "본관 4층": "Main building, 4th floor",
    "제2청사 1층": "Annex, 1st floor",
    "제2청사 2층": "Annex, 2nd floor",
    "민원 접수와 안내, 여권, 가족관계 등록, 고객 불만 신고 확인":
        "Filing and information, passports, family registration, checking complaints "
        "about our service",
    "민원 접수, 고객 불만 신고 조사 결과 확인":
        "Filing, checking the findings on complaints about our service",
    "여권 발급, 민원 안내": "Passport issuing, information desk",
    "가족관계 등록, 인감 증명": "Family registration, seal certificates",
    "대행 작성, 우편·FAX 민원 접수": "Writing requests for citizens, filings by mail and fax",
    "도로 건설과 보수, 하천 관리, 도로 점용 허가":
        "Road building and repair, rivers, road occupation permits",
    "도로 보수, 포트홀 정비": "Road repair, potholes",
    "도로 점용 허가, 굴착 복구": "Road occupation permits, road restoration after digging",
    "하천 정비, 배수로 관리": "Rivers, drains and ditches",
    "생활 쓰레기, 대기·수질 오염, 소음 민원":
        "Household rubbish, air and water pollution, noise",
    "생활 쓰레기 수거, 무단 투기 단속": "Household rubbish collection, illegal dumping",
    "대기 오염, 악취 민원": "Air pollution, bad smells",
    "소음·진동 민원, 수질 관리": "Noise and vibration, water quality",
    "기초생활 보장, 긴급 복지, 장애인·노인 복지":
        "Basic livelihood support, emergency welfare, welfare for disabled and older people",
    "기초생활 보장 신청과 조사": "Basic livelihood support: applications and assessment",
    "긴급 복지 지원": "Emergency welfare support",
    "장애인 복지, 편의시설": "Disability welfare, accessible facilities",
    "지방세 부과와 징수, 재산세, 자동차세":
        "Local tax assessment and collection, property tax, vehicle tax",
    "재산세 부과": "Property tax assessment",
    "자동차세, 체납 안내": "Vehicle tax, overdue tax notices",
    "취득세 신고": "Acquisition tax returns",
    "재난 대비, 민방위, 안전 점검": "Disaster preparedness, civil defence, safety inspections",
    "재난 대비 훈련, 재해 예방": "Disaster drills, disaster prevention",
    "민방위, 비상 대피 시설": "Civil defence, emergency shelters",
    "시설물 안전 점검": "Safety inspections of facilities",
    "버스 노선, 주차, 교통 시설물, 불법 주정차 단속":
        "Bus routes, parking, traffic facilities, illegal parking enforcement",
    "버스 노선과 정류장": "Bus routes and stops",
    "불법 주정차 단속, 과태료": "Illegal parking enforcement, fines",
    "신호등, 교통 안전 시설": "Traffic lights, road safety facilities",
    "축제와 공연, 체육 시설, 도서관": "Festivals and performances, sports facilities, libraries",
    "연천 구석기 축제, 공연": "Yeoncheon Paleolithic Festival, performances",
    "공공 체육 시설 대관": "Booking public sports facilities",
    "작은 도서관, 문화 강좌": "Small libraries, culture classes",
    "농업 보조금, 농지, 직불금, 축산":
        "Farm subsidies, farmland, direct payments, livestock",
    "공익 직불금, 농업 보조금": "Public-interest direct payments, farm subsidies",
    "농지 취득 자격, 농지 전용": "Farmland purchase eligibility, farmland conversion",
    "축산 농가 지원, 가축 방역": "Support for livestock farms, animal disease control",
    "산림 보호, 산불 예방, 공원과 가로수":
        "Forest protection, wildfire prevention, parks and street trees",
    "산불 예방, 산림 병해충": "Wildfire prevention, forest pests",
    "공원, 가로수 정비": "Parks, street tree care",
}
# fmt: on

HEAD_DUTIES_SUFFIX = "업무 총괄"

# username, (department slug, staff name) or None, role, is_superuser
DEMO_LOGINS = [
    ("clerk", ("construction", "이준호"), CLERK, False),
    ("verifier", ("civil-service", "강민서"), VERIFIER, False),
    ("manager", ("civil-service", "윤정희"), MANAGER, False),
    ("admin", None, None, True),
]


class Command(BaseCommand):
    help = "연천군 데모 데이터(부서, 직원, 데모 계정)를 만듭니다. 여러 번 실행해도 같습니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="DEBUG가 꺼진 환경에서도 실행합니다(데모 비밀번호가 만들어집니다).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: demo logins with a known password would be created. "
                "Use --force if this really is a demo installation."
            )
        now = timezone.now()
        with transaction.atomic():
            ensure_roles()
            self.stdout.write("Roles: clerk, verifier, manager")
            members = self._directory(now)
            logins = self._logins(members)
        self._other_apps()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (at /admin/):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<9} / {DEMO_PASSWORD}   {role}")

    def _directory(self, now: datetime.datetime) -> dict[tuple[str, str], StaffMember]:
        members: dict[tuple[str, str], StaffMember] = {}
        for order, (dept, people) in enumerate(DEPARTMENTS, start=1):
            department, created = Department.objects.update_or_create(
                slug=dept.slug,
                defaults={
                    "name": dept.name,
                    "name_en": dept.name_en,
                    "location": DEMO_LOCATION,
                    "location_en": ENGLISH[DEMO_LOCATION],
                    "floor": dept.floor,
                    "floor_en": ENGLISH[dept.floor],
                    "main_phone": dept.phone,
                    "duties": dept.duties,
                    "duties_en": ENGLISH[dept.duties],
                    "is_lead": dept.is_lead,
                    "order": order * 10,
                },
            )
            for person in people:
                member, _created = StaffMember.objects.update_or_create(
                    department=department,
                    name=person.name,
                    defaults={
                        "name_en": person.name_en,
                        "title": person.title,
                        "duties": person.duties,
                        "duties_en": _duties_en(person.duties, dept),
                        "direct_line": person.line,
                        "desk_row": person.row,
                        "desk_column": person.column,
                        "is_head": person.is_head,
                        "is_active": True,
                        "presence": Presence.IN_OFFICE,
                        "presence_until": None,
                        "presence_note": "",
                        "substitute": None,
                    },
                )
                members[(dept.slug, person.name)] = member
            # Absences second: a substitute must exist before anyone points at them.
            for person in people:
                if person.away is None:
                    continue
                presence, hours, substitute_name = person.away
                member = members[(dept.slug, person.name)]
                member.presence = presence
                member.presence_until = now + datetime.timedelta(hours=hours)
                member.substitute = members[(dept.slug, substitute_name)]
                member.save(update_fields=["presence", "presence_until", "substitute"])
            verb = "created" if created else "updated"
            self.stdout.write(f"Department {dept.name} ({dept.slug}) {verb}: {len(people)} staff")
        self.stdout.write(f"Directory: {len(DEPARTMENTS)} departments, {len(members)} staff")
        return members

    def _logins(self, members) -> list[tuple[str, str]]:
        user_model = get_user_model()
        logins = []
        for username, member_key, role, is_superuser in DEMO_LOGINS:
            member = members[member_key] if member_key else None
            user, _created = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "is_staff": True,
                    "is_superuser": is_superuser,
                    "is_active": True,
                    "first_name": member.name if member else "관리자",
                    "email": f"{username}@yeoncheon.go.kr",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if role:
                user.groups.add(Group.objects.get(name=role))
            if member is not None and member.user_id != user.pk:
                StaffMember.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
                member.user = user
                member.save(update_fields=["user"])
            where = f"{member.department.name} {member.name}" if member else "superuser"
            logins.append((username, f"{role or 'admin'} — {where}"))
        return logins

    def _other_apps(self) -> None:
        for path in DEMO_SEEDERS:
            seeder = _importable(path)
            if seeder is None:
                continue
            self.stdout.write(f"Seeding {path} …")
            if "stdout" in inspect.signature(seeder).parameters:
                seeder(stdout=self.stdout)
            else:
                seeder()


def _duties_en(duties: str, dept: Dept) -> str:
    if duties.endswith(HEAD_DUTIES_SUFFIX):
        return f"Leads the {dept.name_en}"
    return ENGLISH[duties]


def _importable(path: str):
    """The seeder at a dotted path, or None when its module is not there (yet).

    Only a missing module is skipped: an ImportError raised inside an existing seeder
    module is a bug and propagates.
    """
    module_path, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if module_path == missing or module_path.startswith(missing + "."):
            return None
        raise
    return getattr(module, name, None)
