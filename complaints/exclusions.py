"""Filings the Civil Petitions Act does not treat as 민원 (K3). Pure: no database.

민원 처리에 관한 법률 제2조제2호 단서 and 시행령 제2조 leave out, as complainants:
(a) an administrative agency or public body demanding a specific act (unless it files as a
    private economic actor);
(b) a party to a private-law contract with the county, about that contract;
(c) a sender whose name or address is missing or unclear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

AGENCY_FILERS = frozenset({"agency", "public_body"})
CONTRACTOR_FILER = "contractor"

# Words people type instead of a name or an address.
_PLACEHOLDERS = frozenset(
    {
        "익명",
        "무명",
        "모름",
        "미상",
        "없음",
        "비공개",
        "주민",
        "시민",
        "군민",
        "anonymous",
        "unknown",
        "none",
        "n/a",
        "na",
        "x",
        "-",
    }
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Exclusion:
    code: str
    reason: str
    law: str
    where_to_turn: str

    def __str__(self) -> str:
        return f"{self.reason} ({self.law}) {self.where_to_turn}"


def _unclear(value: str, *, min_letters: int) -> bool:
    text = " ".join((value or "").split())
    if not text or text.lower() in _PLACEHOLDERS:
        return True
    letters = _LETTER.findall(text)
    if len(letters) < min_letters:
        return True
    # "ㅁㅁㅁ", "?????" and the like: fewer than two different letters.
    return len(set(letters)) < 2


def name_is_unclear(name: str) -> bool:
    return _unclear(name, min_letters=2)


def address_is_unclear(address: str) -> bool:
    return _unclear(address, min_letters=3)


def check_exclusion(intake) -> Exclusion | None:
    """The reason this filing is not a 민원 under the Act, or None when it is one."""
    if name_is_unclear(intake.name) or address_is_unclear(intake.address):
        return Exclusion(
            code="unclear_sender",
            reason=_(
                "보내는 사람의 이름이나 주소가 없거나 분명하지 않은 신청은 민원으로 "
                "처리할 수 없습니다."
            ),
            law=_("민원 처리에 관한 법률 제2조제2호 단서, 같은 법 시행령 제2조"),
            where_to_turn=_(
                "이름과 연락받을 주소를 정확히 적어 다시 신청해 주세요. 이름을 밝히기 "
                "어려우면 민원봉사과(%(phone)s)에 전화로 상담할 수 있습니다."
            )
            % {"phone": settings.COUNTY_PHONE},
        )
    if intake.filer_type in AGENCY_FILERS and not intake.acts_as_private_party:
        return Exclusion(
            code="agency_demand",
            reason=_("행정기관이나 공공단체가 특정한 행위를 요구하는 신청은 민원이 아닙니다."),
            law=_("민원 처리에 관한 법률 제2조제2호 단서, 같은 법 시행령 제2조"),
            where_to_turn=_("기관 사이의 협조 요청은 공문으로 담당 부서에 보내 주세요."),
        )
    if intake.filer_type == CONTRACTOR_FILER and intake.about_contract:
        return Exclusion(
            code="contract_party",
            reason=_(
                "연천군과 사법상 계약을 맺은 상대방이 그 계약에 관하여 요구하는 신청은 "
                "민원이 아닙니다."
            ),
            law=_("민원 처리에 관한 법률 제2조제2호 단서, 같은 법 시행령 제2조"),
            where_to_turn=_(
                "계약에 관한 요청은 계약서에 적힌 계약 담당 부서에 계약 절차에 따라 문의해 주세요."
            ),
        )
    return None
