"""The county's complaint types, seeded by a data migration and by the demo seeder.

`seed_complaint_types()` is idempotent: a missing type is created; an existing one keeps
what managers changed, and only gains its departments once they exist.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TypeSeed:
    code: str
    name: str
    name_en: str
    kind: str
    period_days: int
    department: str  # department slug
    description: str
    description_en: str
    office_lookups: str = ""
    office_lookups_en: str = ""
    accepts_online: bool = True
    accepts_open311: bool = False


LEAD = "civil-service"

# fmt: off
COMPLAINT_TYPES: list[TypeSeed] = [
    TypeSeed("road-damage", "도로 파손 신고", "Damaged road", "petition", 7, "construction",
             "도로나 인도가 패이거나 깨져 위험한 곳을 알려 주세요.",
             "Report potholes or broken roads and pavements.", accepts_open311=True),
    TypeSeed("illegal-parking", "불법 주정차 신고", "Illegal parking", "petition", 3, "transport",
             "소방시설 앞, 교차로, 버스정류장 등에 세운 차를 알려 주세요.",
             "Report cars parked at hydrants, crossings or bus stops.", accepts_open311=True),
    TypeSeed("household-waste", "생활 쓰레기 신고", "Household waste", "petition", 3,
             "environment",
             "쓰레기 무단 투기나 수거되지 않은 쓰레기를 알려 주세요.",
             "Report dumped or uncollected household waste.", accepts_open311=True),
    TypeSeed("streetlight", "가로등 고장 신고", "Broken streetlight", "petition", 5, "safety",
             "꺼지거나 깜박이는 가로등·보안등의 위치를 알려 주세요.",
             "Report streetlights that are out or flickering.", accepts_open311=True),
    TypeSeed("staff-unkind", "직원 불친절 신고", "Unkind staff", "service", 14, LEAD,
             "직원의 불친절하거나 부당한 응대를 알려 주세요. 결과를 알려 드립니다.",
             "Tell us about unkind or unfair treatment by staff. We will tell you the result."),
    TypeSeed("service-inconvenience", "행정 서비스 불편 신고", "Poor service", "service", 7, LEAD,
             "처리 지연, 잘못된 안내, 시설 이용 불편 등을 알려 주세요.",
             "Report delays, wrong advice or hard-to-use facilities."),
    TypeSeed("policy-suggestion", "제도 개선 제안", "Suggestion", "suggestion", 14, LEAD,
             "군 행정과 제도를 더 낫게 만들 생각을 나눠 주세요.",
             "Share an idea to improve the county's services or rules."),
    TypeSeed("certificate-inquiry", "각종 증명 발급 문의", "Certificates", "petition", 1, LEAD,
             "주민등록, 가족관계, 토지 관련 증명서 발급 방법을 물어보세요.",
             "Ask how to get resident, family or land certificates.",
             office_lookups="주민등록표 등본\n가족관계증명서\n토지대장",
             office_lookups_en="Resident registration extract\nFamily relation certificate\n"
                               "Land register"),
    TypeSeed("welfare-consultation", "복지 서비스 신청 상담", "Welfare services", "petition", 14,
             "welfare-policy",
             "기초연금, 장애인 복지, 긴급 지원 등 복지 서비스를 상담해 드립니다.",
             "Advice on basic pension, disability and emergency support.",
             office_lookups="주민등록표 등본\n건강보험료 납부확인서\n소득금액증명",
             office_lookups_en="Resident registration extract\nHealth insurance payment record\n"
                               "Income certificate"),
    TypeSeed("local-tax-correction", "지방세 부과 정정 신청", "Local tax correction", "petition", 7,
             "tax",
             "재산세, 자동차세 등이 잘못 부과되었으면 정정을 신청하세요.",
             "Ask to correct a wrongly assessed property or car tax.",
             office_lookups="토지대장\n건축물대장\n자동차등록원부",
             office_lookups_en="Land register\nBuilding register\nVehicle register"),
]
# fmt: on


def seed_complaint_types(apps=None) -> int:
    """Create the county's types (or fill in their departments); returns how many were
    created. `apps` is the migration state's registry, or None for the live models."""
    if apps is None:
        from complaints.models import ComplaintType
        from staff_directory.models import Department
    else:
        ComplaintType = apps.get_model("complaints", "ComplaintType")
        Department = apps.get_model("staff_directory", "Department")
    departments = {d.slug: d for d in Department.objects.all()}
    lead = departments.get(LEAD) or Department.objects.filter(is_lead=True).first()
    created = 0
    for order, seed in enumerate(COMPLAINT_TYPES, start=1):
        department = departments.get(seed.department)
        ctype, was_created = ComplaintType.objects.get_or_create(
            code=seed.code,
            defaults={
                "name": seed.name,
                "name_en": seed.name_en,
                "kind": seed.kind,
                "period_days": seed.period_days,
                "description": seed.description,
                "description_en": seed.description_en,
                "office_lookups": seed.office_lookups,
                "office_lookups_en": seed.office_lookups_en,
                "accepts_online": seed.accepts_online,
                "accepts_open311": seed.accepts_open311,
                "handling_department": department,
                "lead_department": lead,
                "order": order * 10,
            },
        )
        created += was_created
        changed = []
        if ctype.handling_department_id is None and department is not None:
            ctype.handling_department = department
            changed.append("handling_department")
        if ctype.lead_department_id is None and lead is not None:
            ctype.lead_department = lead
            changed.append("lead_department")
        if changed:
            ctype.save(update_fields=changed)
    return created
